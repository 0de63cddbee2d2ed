// Command mcpbench measures dingtalk-mcp beside its baselines in one run
// and prints a Markdown report:
//
//	go run ./bench/cmd/mcpbench all        # everything below, about a minute
//	go run ./bench/cmd/mcpbench startup    # spawn → initialize response over stdio, vs a bare mcp-go server
//	go run ./bench/cmd/mcpbench context    # bytes and tokens of tools/list as a model sees it
//	go run ./bench/cmd/mcpbench load       # calls/s and p50/p99 over Streamable HTTP, vs the DingTalk client alone
//	go run ./bench/cmd/mcpbench memory     # RSS idle, vs the bare server
//
// It builds ./ and ./bench/baseline itself unless -bin and -baseline name
// binaries. Every request goes to loopback; every run is bounded in time.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/bench"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// The performance targets the report checks each figure against.
const (
	startupRatioTarget  = 1.2
	bytesPerToolTarget  = 400
	overheadTarget      = 500 * time.Microsecond
	callsPerSecTarget   = 5000
	idleRSSTarget       = 30 << 20
	loadSessionsForRate = 64
)

type options struct {
	bin, baseline string
	upstream      bench.Upstream
	runs, writes  int
	warm, window  time.Duration
	sessions      []int
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "serve" {
		if err := serve(bench.Upstream(os.Args[2])); err != nil {
			fmt.Fprintln(os.Stderr, "mcpbench serve:", err)
			os.Exit(1)
		}
		return
	}
	fs := flag.NewFlagSet("mcpbench", flag.ExitOnError)
	var o options
	fs.StringVar(&o.bin, "bin", "", "dingtalk-mcp binary (default: build ./)")
	fs.StringVar(&o.baseline, "baseline", "", "baseline binary (default: build ./bench/baseline)")
	fs.IntVar(&o.runs, "runs", 20, "start-ups per server")
	fs.IntVar(&o.writes, "writes", 2000, "writes per stack of the writes measurement")
	fs.DurationVar(&o.warm, "warm", 500*time.Millisecond, "warm-up before each load window")
	fs.DurationVar(&o.window, "window", 3*time.Second, "measured window of each load run")
	sessions := fs.String("sessions", "1,8,64", "concurrent sessions of the load runs")
	upstream := fs.String("upstream", "memory", "how the DingTalk client reaches the sandbox in load runs: memory (in-process handler) or loopback (a TCP port, as --sandbox does)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mcpbench [flags] all|startup|context|load|memory|writes|fleet")
		fs.PrintDefaults()
	}
	what := "all"
	args := os.Args[1:]
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		what, args = args[0], args[1:]
	}
	fs.Parse(args)
	o.upstream = bench.Upstream(*upstream)
	if o.upstream != bench.Memory && o.upstream != bench.Loopback {
		fmt.Fprintf(os.Stderr, "mcpbench: -upstream must be memory or loopback, got %q\n", *upstream)
		os.Exit(2)
	}
	for _, s := range strings.Split(*sessions, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 256 {
			fmt.Fprintf(os.Stderr, "mcpbench: -sessions: %q is not a count from 1 to 256\n", s)
			os.Exit(2)
		}
		o.sessions = append(o.sessions, n)
	}
	slices.Sort(o.sessions)
	if err := runAll(what, &o); err != nil {
		fmt.Fprintln(os.Stderr, "mcpbench:", err)
		os.Exit(1)
	}
}

func runAll(what string, o *options) error {
	steps := map[string]func(*options) error{"startup": startup, "context": contextCost, "load": load, "memory": memory, "writes": writes, "fleet": fleetCost}
	order := []string{"context", "startup", "memory", "load", "writes"}
	if what != "all" {
		if steps[what] == nil {
			return fmt.Errorf("unknown measurement %q: all, startup, context, load, memory, writes or fleet", what)
		}
		order = []string{what}
	}
	if what != "context" && what != "writes" {
		dir, err := os.MkdirTemp("", "mcpbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := build(o, dir); err != nil {
			return err
		}
	}
	machine()
	for _, name := range order {
		if err := steps[name](o); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// build compiles the server and the baseline from the module the command
// runs in, unless given.
func build(o *options, dir string) error {
	if o.bin != "" && o.baseline != "" {
		return nil
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	root := filepath.Dir(strings.TrimSpace(string(out)))
	if err != nil || root == "." || root == "/" {
		return errors.New("run mcpbench inside the dingtalk-mcp module, or pass -bin and -baseline")
	}
	for _, b := range []struct {
		path      *string
		pkg, name string
	}{{&o.bin, ".", "dingtalk-mcp"}, {&o.baseline, "./bench/baseline", "baseline"}} {
		if *b.path != "" {
			continue
		}
		*b.path = filepath.Join(dir, b.name)
		cmd := exec.Command("go", "build", "-o", *b.path, b.pkg)
		cmd.Dir, cmd.Stderr = root, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", b.pkg, err)
		}
	}
	return nil
}

func machine() {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	fmt.Printf("# mcpbench %s\n\nMachine: %s, %d logical CPUs, %s %s/%s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), model, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// servers are the stdio commands compared at start-up and when idle.
func servers(o *options) []bench.Command {
	// Credentials are needed to start but are not used until the first
	// tool call; the URLs point at a closed loopback port so nothing leaves.
	creds := []string{"DINGTALK_APP_KEY=bench", "DINGTALK_APP_SECRET=bench",
		"DINGTALK_API_BASE_URL=http://127.0.0.1:9", "DINGTALK_OAPI_BASE_URL=http://127.0.0.1:9"}
	return []bench.Command{
		{Name: "baseline (mcp-go, 1 tool)", Path: o.baseline},
		{Name: "dingtalk-mcp", Path: o.bin, Env: creds},
		{Name: "dingtalk-mcp --lang zh", Path: o.bin, Args: []string{"--lang", "zh"}, Env: creds},
		{Name: "dingtalk-mcp --tools get_user", Path: o.bin, Args: []string{"--tools", "get_user"}, Env: creds},
		{Name: "dingtalk-mcp --sandbox", Path: o.bin, Args: []string{"--sandbox"}},
	}
}

func startup(o *options) error {
	cmds := servers(o)
	initT := make([][]time.Duration, len(cmds))
	listT := make([][]time.Duration, len(cmds))
	cpu := make([][]time.Duration, len(cmds))
	// One discarded warm-up each (page cache), then the runs interleaved
	// in rotating order, so that drift on the machine hits every server.
	for round := -1; round < o.runs; round++ {
		for k := range cmds {
			i := (k + max(round, 0)) % len(cmds)
			d, s, err := bench.Spawn(cmds[i])
			if err != nil {
				return err
			}
			_, err = s.Request("tools/list", map[string]any{})
			l := time.Since(s.Started)
			c := s.Close()
			if err != nil {
				return fmt.Errorf("%s: tools/list: %w", cmds[i].Name, err)
			}
			if round >= 0 {
				initT[i] = append(initT[i], d)
				listT[i] = append(listT[i], l)
				cpu[i] = append(cpu[i], c)
			}
		}
	}
	base, baseList, baseCPU := median(initT[0]), median(listT[0]), median(cpu[0])
	fmt.Printf("## Start-up over stdio (median of %d runs each, interleaved)\n\n", o.runs)
	fmt.Println("initialize: spawn → initialize response. tools/list: spawn → tools/list answered, which is when a client")
	fmt.Println("can offer the tools. CPU: the process's user+system time over its life (start, both requests, exit on")
	fmt.Println("EOF); it hardly moves when the machine is busy, so it backs the wall-clock ratios. paired: the median,")
	fmt.Println("over rounds, of a server's initialize time divided by the baseline's in the same round, which drift on")
	fmt.Println("the machine between rounds cannot move.")
	fmt.Println()
	fmt.Println("| server | initialize | min | vs baseline | paired | tools/list | vs baseline | CPU | vs baseline |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for i, c := range cmds {
		m, l, p := median(initT[i]), median(listT[i]), median(cpu[i])
		fmt.Printf("| %s | %s | %s | %.2fx | %.2fx | %s | %.2fx | %s | %.2fx |\n", c.Name, ms(m), ms(slices.Min(initT[i])), ratio(m, base), pairedRatio(initT[i], initT[0]), ms(l), ratio(l, baseList), ms(p), ratio(p, baseCPU))
	}
	// The verdict takes the paired ratio: a burst of load on the machine
	// moves both runs of a round, so it cancels there, and only there.
	fmt.Println()
	for i := 1; i <= 2; i++ { // dingtalk-mcp in English, then in Chinese
		r := pairedRatio(initT[i], initT[0])
		fmt.Printf("Target: %s's initialize within %.1fx of the baseline's: %s (paired %.2fx; ratio of the medians %.2fx).\n", cmds[i].Name, startupRatioTarget,
			verdict(r <= startupRatioTarget), r, ratio(median(initT[i]), base))
	}
	fmt.Println()
	return nil
}

func contextCost(*options) error {
	costs, err := bench.Costs(true)
	if err != nil {
		return err
	}
	fmt.Println("## Context: tools/list as a model sees it (name, description, inputSchema; compact JSON; o200k_base tokens)")
	fmt.Println()
	fmt.Println("| scope | tools | bytes | bytes/tool | tokens | tokens/tool | description bytes | inputSchema bytes | whole tools/list entry bytes |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	row := func(name string, cs []bench.ToolCost) {
		sum, n := bench.Total(name, cs)
		if n == 0 {
			return
		}
		fmt.Printf("| %s | %d | %d | %d | %d | %d | %d | %d | %d |\n", name, n, sum.Bytes, sum.Bytes/n, sum.Tokens, sum.Tokens/n, sum.Description, sum.InputSchema, sum.Wire)
	}
	row("all", costs)
	for _, ts := range tools.Toolsets {
		row("toolset "+string(ts), slices.DeleteFunc(slices.Clone(costs), func(c bench.ToolCost) bool { return c.Toolset != ts }))
	}
	sum, n := bench.Total("", costs)
	fmt.Printf("\nTarget: at most %d bytes per tool on average: %s (%d).\n\n", bytesPerToolTarget, verdict(n > 0 && sum.Bytes/n <= bytesPerToolTarget), sum.Bytes/max(n, 1))
	if err := contextByLanguage(sum); err != nil {
		return err
	}
	parts, err := bench.SplitContext()
	if err != nil {
		return err
	}
	per := func(b int) int { return b / max(parts.Tools, 1) }
	fmt.Printf("What the %d tools' %d parameters take, structure apart from words:\n\n", parts.Tools, parts.Params)
	fmt.Println("| part of the model view | bytes | per tool |")
	fmt.Println("|---|---:|---:|")
	for _, r := range []struct {
		what  string
		bytes int
	}{
		{"skeleton: names, types, bounds, enums, defaults, `required`, the object wrapper (no description text, no description keys on parameters)", parts.Skeleton},
		{"the `\"description\":\"\"` key of every parameter", parts.DescriptionKeys},
		{"**floor with every parameter described by an empty string**", parts.Floor()},
		{"tool descriptions", parts.ToolDescriptions},
		{"parameter description text", parts.ParamDescriptions},
		{"**total**", parts.Total()},
	} {
		fmt.Printf("| %s | %d | %d |\n", r.what, r.bytes, per(r.bytes))
	}
	fmt.Println()
	fmt.Println("| tool | toolset | bytes | tokens | description | inputSchema | over 400 by |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|")
	for _, c := range costs {
		over := ""
		if c.Bytes > bytesPerToolTarget {
			over = strconv.Itoa(c.Bytes - bytesPerToolTarget)
		}
		fmt.Printf("| %s | %s | %d | %d | %d | %d | %s |\n", c.Name, c.Toolset, c.Bytes, c.Tokens, c.Description, c.InputSchema, over)
	}
	fmt.Println()
	return nil
}

// contextByLanguage compares tools/list as a model sees it in each
// language, with en, the total of the English views, as the baseline.
func contextByLanguage(en bench.ToolCost) error {
	fmt.Println("By language (--lang, or ?lang= over HTTP): the same tools, names and schemas, with the descriptions translated.")
	fmt.Println()
	fmt.Println("| language | bytes | vs en | tokens | vs en | description bytes | tokens/tool |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, l := range i18n.Langs {
		costs, err := bench.CostsIn(l, true)
		if err != nil {
			return err
		}
		sum, n := bench.Total("", costs)
		fmt.Printf("| %s | %d | %.2fx | %d | %.2fx | %d | %d |\n", l, sum.Bytes, float64(sum.Bytes)/float64(en.Bytes), sum.Tokens, float64(sum.Tokens)/float64(en.Tokens), sum.Description, sum.Tokens/max(n, 1))
	}
	fmt.Println()
	return nil
}

// writes measures what the record of writes (the ledger and the audit
// log) adds to a write.
func writes(o *options) error {
	dir, err := os.MkdirTemp("", "mcpbench-writes")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	variants, err := bench.WriteCost(o.writes, dir)
	if err != nil {
		return err
	}
	fmt.Printf("## Cost of a write: the ledger and the audit log (%d confirmed send_work_notice calls per stack, interleaved)\n\n", o.writes)
	fmt.Println("Each call has its own IdempotencyKey, so each is sent: the ledger reserves it, records its result under the")
	fmt.Println("key and in the dedupe window, and the audit log queues a line and keeps it in the recent writes. Measured")
	fmt.Println("through the MCP server's message handler against the in-process sandbox. paired: the median, over calls,")
	fmt.Println("of a call's time divided by the bare stack's call made just before or after it.")
	fmt.Println()
	fmt.Println("| stack | p50 | p90 | p50 vs bare | paired |")
	fmt.Println("|---|---:|---:|---:|---:|")
	base := variants[0]
	for _, v := range variants {
		fmt.Printf("| %s | %s | %s | %.2fx | %.2fx |\n", v.Name, us(v.P50()), us(v.P90()), ratio(v.P50(), base.P50()), pairedRatio(v.Samples, base.Samples))
	}
	fmt.Printf("\nAdded per write (p50): %s in memory, %s with --state-dir.\n\n", us(variants[1].P50()-base.P50()), us(variants[2].P50()-base.P50()))
	return nil
}

func memory(o *options) error {
	cmds := servers(o)
	fmt.Println("## Memory: RSS when idle (after initialize and tools/list; median of 3)")
	fmt.Println()
	fmt.Println("| server | RSS | peak RSS | vs baseline |")
	fmt.Println("|---|---:|---:|---:|")
	var base int64
	var ours int64
	for i, c := range cmds {
		var rss, peak []int64
		for range 3 {
			_, s, err := bench.Spawn(c)
			if err != nil {
				return err
			}
			if _, err := s.Request("tools/list", map[string]any{}); err != nil {
				s.Close()
				return err
			}
			time.Sleep(300 * time.Millisecond)
			m, err := bench.ReadRSS(s.PID())
			s.Close()
			if err != nil {
				return err
			}
			rss, peak = append(rss, m.Now), append(peak, m.Peak)
		}
		r := median(rss)
		if i == 0 {
			base = r
		}
		if i == 1 {
			ours = r
		}
		fmt.Printf("| %s | %s | %s | %.2fx |\n", c.Name, mb(r), mb(median(peak)), float64(r)/float64(base))
	}
	fmt.Printf("\nTarget: dingtalk-mcp under %s idle: %s.\n\n", mb(idleRSSTarget), verdict(ours < idleRSSTarget))
	return nil
}

// child is a process of this command serving the bench stack.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	info  serveInfo
}

type serveInfo struct {
	MCP     string `json:"mcp"`
	Sandbox string `json:"sandbox"`
}

func startChild(path string, args ...string) (*child, error) {
	cmd := exec.Command(path, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &c.info)
	}
	if err != nil {
		c.stop()
		return nil, fmt.Errorf("%s did not start: %w", path, err)
	}
	return c, nil
}

func (c *child) stop() {
	c.stdin.Close()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}

// serve is the child: the bench stack on loopback ports, until its
// standard input closes.
func serve(up bench.Upstream) error {
	st, err := bench.StartStack(bench.StackOptions{Upstream: up})
	if err != nil {
		return err
	}
	defer st.Close()
	st.TrimSandboxLog(time.Second)
	b, _ := json.Marshal(serveInfo{MCP: st.MCPURL, Sandbox: st.SandboxURL})
	os.Stdout.Write(append(b, '\n'))
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// baselineHTTP runs the baseline binary over Streamable HTTP on a free
// loopback port.
func baselineHTTP(path string) (*exec.Cmd, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(path, "-http", addr)
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	for range 100 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return cmd, "http://" + addr + "/mcp", nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, "", errors.New("baseline did not listen on " + addr)
}

func load(o *options) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	srv, err := startChild(self, "serve", string(o.upstream))
	if err != nil {
		return err
	}
	defer srv.stop()
	// The floor: the same DingTalk call from this process, to the child's
	// sandbox over loopback, or to a sandbox of its own in memory.
	var direct *dingtalk.Client
	if o.upstream == bench.Memory {
		sb := sandbox.New(sandbox.WithQPS(0))
		defer bench.TrimLog(sb, time.Second)()
		direct = bench.NewMemoryClient(sb)
	} else {
		direct = bench.NewDirectClient(srv.info.Sandbox)
	}
	blCmd, blURL, err := baselineHTTP(o.baseline)
	if err != nil {
		return err
	}
	defer func() { blCmd.Process.Kill(); blCmd.Wait() }()

	ctx := context.Background()
	hc := bench.NewHTTPClient()
	maxN := slices.Max(o.sessions)
	ours, base := make([]*bench.Session, maxN), make([]*bench.Session, maxN)
	for i := range maxN {
		if ours[i], err = bench.OpenSession(ctx, hc, srv.info.MCP); err != nil {
			return fmt.Errorf("dingtalk-mcp session: %w", err)
		}
		if base[i], err = bench.OpenSession(ctx, hc, blURL); err != nil {
			return fmt.Errorf("baseline session: %w", err)
		}
	}
	idle, err := bench.ReadRSS(srv.cmd.Process.Pid)
	if err != nil {
		return err
	}
	args := json.RawMessage(`{"UserId":"` + sandbox.SeedManagerID + `"}`)
	if _, err := ours[0].CallTool(ctx, "get_user", args); err != nil {
		return err
	}
	echo := json.RawMessage(`{"text":"hello"}`)

	fmt.Printf("## Throughput and latency over Streamable HTTP (%s window after %s warm-up; rate limits off; sandbox reached over %s)\n\n", o.window, o.warm, o.upstream)
	fmt.Println("`get_user` by UserId through the MCP server (one DingTalk call), against the same call made with the")
	fmt.Println("DingTalk client straight to the sandbox (the floor), and against the bare mcp-go server's `echo` tool")
	fmt.Println("(the cost of mcp-go's Streamable HTTP alone).")
	fmt.Println()
	fmt.Println("| sessions | path | calls/s | p50 | p99 | errors | MCP overhead p50 (vs floor) | calls/s vs floor |")
	fmt.Println("|---:|---|---:|---:|---:|---:|---:|---:|")
	var at64 bench.Result
	var overheads []time.Duration
	for _, n := range o.sessions {
		floor := bench.Run(ctx, "DingTalk client → sandbox (floor)", n, o.warm, o.window, func(ctx context.Context, _ int) error {
			_, err := direct.Users.Get(ctx, sandbox.SeedManagerID, "")
			return err
		})
		mcp := bench.Run(ctx, "dingtalk-mcp get_user", n, o.warm, o.window, func(ctx context.Context, w int) error {
			_, err := ours[w].CallTool(ctx, "get_user", args)
			return err
		})
		bare := bench.Run(ctx, "mcp-go baseline echo", n, o.warm, o.window, func(ctx context.Context, w int) error {
			_, err := base[w].CallTool(ctx, "echo", echo)
			return err
		})
		overheads = append(overheads, mcp.P50-floor.P50)
		if n == loadSessionsForRate {
			at64 = mcp
		}
		for _, r := range []bench.Result{floor, mcp, bare} {
			over, rel := "", ""
			if r.Name == mcp.Name {
				over = us(mcp.P50 - floor.P50)
				rel = fmt.Sprintf("%.2fx", mcp.PerSecond()/floor.PerSecond())
			}
			fmt.Printf("| %d | %s | %.0f | %s | %s | %d | %s | %s |\n", n, r.Name, r.PerSecond(), us(r.P50), us(r.P99), r.Errors, over, rel)
			if r.FirstError != "" {
				fmt.Printf("|  | first error: %s |  |  |  |  |  |  |\n", strings.ReplaceAll(r.FirstError, "|", "/"))
			}
		}
	}
	after, err := bench.ReadRSS(srv.cmd.Process.Pid)
	if err != nil {
		return err
	}
	rateVerdict := "not measured (add it to -sessions)"
	if at64.Sessions == loadSessionsForRate {
		rateVerdict = verdict(at64.PerSecond() >= callsPerSecTarget)
	}
	// The overhead target is judged without queueing, at the lowest
	// concurrency: with n sessions in flight, p50 grows with n ÷ calls/s
	// (Little's law) whatever the layer costs.
	others := ""
	if len(o.sessions) > 1 {
		others = fmt.Sprintf("; at %s sessions: %s, mostly queueing", joinInts(o.sessions[1:]), joinDurations(overheads[1:]))
	}
	fmt.Printf("\nTargets: MCP overhead p50 under %s at %d session(s): %s (%s%s); at least %d calls/s with %d sessions: %s (%.0f).\n\n",
		us(overheadTarget), o.sessions[0], verdict(overheads[0] < overheadTarget), us(overheads[0]), others,
		callsPerSecTarget, loadSessionsForRate, rateVerdict, at64.PerSecond())
	fmt.Println("Memory of the serving process (MCP server, DingTalk client and sandbox in one process):")
	fmt.Println()
	fmt.Println("| when | RSS | peak RSS |")
	fmt.Println("|---|---:|---:|")
	fmt.Printf("| idle, %d sessions open | %s | %s |\n", maxN, mb(idle.Now), mb(idle.Peak))
	fmt.Printf("| after the load runs | %s | %s |\n\n", mb(after.Now), mb(after.Peak))
	return nil
}

func median[T int64 | float64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// pairedRatio is the median of a[i]/b[i]: each run against the baseline's
// run of the same round.
func pairedRatio(a, b []time.Duration) float64 {
	r := make([]float64, min(len(a), len(b)))
	for i := range r {
		r[i] = ratio(a[i], b[i])
	}
	return median(r)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

func joinDurations(d []time.Duration) string {
	s := make([]string, len(d))
	for i, v := range d {
		s[i] = us(v)
	}
	return strings.Join(s, ", ")
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}
