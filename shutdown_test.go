package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/internal/syncbuf"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"go.uber.org/goleak"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
)

const (
	noticeSendAPI = "POST /topapi/message/corpconversation/asyncsend_v2"
	userCountAPI  = "POST /topapi/user/count"
)

// slowDingTalk is a sandbox in this process, so that a test can slow its
// answers and read its request log while the binary talks to it.
type slowDingTalk struct {
	*sandbox.Server
	url string
}

func newSlowDingTalk(t *testing.T, faults ...sandbox.Fault) *slowDingTalk {
	t.Helper()
	sb := sandbox.New()
	for _, f := range faults {
		sb.Inject(f)
	}
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return &slowDingTalk{Server: sb, url: ts.URL}
}

// command runs the binary against dt with args.
func (dt *slowDingTalk) command(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append([]string{"--api-base-url", dt.url, "--oapi-base-url", dt.url}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "DINGTALK_APP_KEY=" + sandbox.AppKey, "DINGTALK_APP_SECRET=" + sandbox.AppSecret, fmt.Sprintf("DINGTALK_AGENT_ID=%d", sandbox.AgentID)}
	return cmd
}

// waitForCall waits until dt has received a request for api.
func (dt *slowDingTalk) waitForCall(t *testing.T, api string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(dt.Calls(api)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("DingTalk never received %s", api)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stdioProcess is the binary on stdio, driven line by line.
type stdioProcess struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan map[string]any // stdout, one JSON-RPC message per line; closed at EOF
	stderr *syncbuf.Buffer
	exited chan struct{}
	err    error // cmd.Wait's, once exited is closed
}

func startStdio(t *testing.T, cmd *exec.Cmd) *stdioProcess {
	t.Helper()
	p := &stdioProcess{cmd: cmd, lines: make(chan map[string]any, 100), stderr: &syncbuf.Buffer{}, exited: make(chan struct{})}
	p.stdin, _ = cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); <-p.exited })
	stdoutDone := make(chan struct{})
	go func() {
		defer close(stdoutDone)
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var msg map[string]any
			if err := json.Unmarshal(sc.Bytes(), &msg); err != nil {
				msg = map[string]any{"not JSON": sc.Text()}
			}
			p.lines <- msg
		}
	}()
	go func() {
		<-stdoutDone // Wait closes stdout: read it to its end first
		p.err = cmd.Wait()
		close(p.exited)
	}()
	return p
}

func (p *stdioProcess) send(t *testing.T, msgs ...string) {
	t.Helper()
	for _, m := range msgs {
		if _, err := io.WriteString(p.stdin, m+"\n"); err != nil {
			t.Fatalf("write to stdin: %v", err)
		}
	}
}

// next returns the next message on stdout.
func (p *stdioProcess) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case msg, ok := <-p.lines:
		if !ok {
			t.Fatalf("stdout closed; stderr:\n%s", p.stderr)
		}
		return msg
	case <-time.After(20 * time.Second):
		t.Fatalf("no message on stdout; stderr:\n%s", p.stderr)
	}
	return nil
}

// rest reads stdout to its end and returns the messages by id.
func (p *stdioProcess) rest(t *testing.T) map[float64]map[string]any {
	t.Helper()
	out := map[float64]map[string]any{}
	timeout := time.After(20 * time.Second)
	for {
		select {
		case msg, ok := <-p.lines:
			if !ok {
				return out
			}
			id, _ := msg["id"].(float64)
			out[id] = msg
		case <-timeout:
			t.Fatalf("stdout never ended; stderr:\n%s", p.stderr)
		}
	}
}

// wait waits for the process to exit and returns its exit code and how
// long it took.
func (p *stdioProcess) wait(t *testing.T, within time.Duration) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	select {
	case <-p.exited:
	case <-time.After(within):
		t.Fatalf("still running %v later; stderr:\n%s", within, p.stderr)
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) {
		return exit.ExitCode(), time.Since(start)
	}
	return 0, time.Since(start)
}

// waitForLog waits until stderr contains s.
func (p *stdioProcess) waitForLog(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.stderr.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("stderr never said %q:\n%s", s, p.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func initialize(caps string) string {
	return `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":` + caps + `,"clientInfo":{"name":"t","version":"1"}}}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`
}

func callTool(id int, name, args string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":%q,"arguments":%s}}`, id, name, args)
}

// startSlowWrite starts the binary on stdio against dt with args and sends
// a confirmed work notice; it returns once DingTalk has received it.
func startSlowWrite(t *testing.T, dt *slowDingTalk, bin string, args ...string) *stdioProcess {
	t.Helper()
	p := startStdio(t, dt.command(bin, args...))
	p.send(t, initialize(`{}`), callTool(1, "send_work_notice", confirmedNotice))
	p.next(t) // the initialize answer
	dt.waitForCall(t, noticeSendAPI)
	return p
}

// askConfirmation starts the binary on stdio against dt as a client that
// can answer confirmations, and sends a work notice without Confirm; it
// returns once the server has asked to confirm it.
func askConfirmation(t *testing.T, dt *slowDingTalk, bin string) (p *stdioProcess, ask map[string]any) {
	t.Helper()
	p = startStdio(t, dt.command(bin))
	p.send(t, initialize(`{"elicitation":{}}`), callTool(1, "send_work_notice", strings.Replace(confirmedNotice, `,"Confirm":true`, "", 1)))
	if init := p.next(t); init["id"] != float64(0) {
		t.Fatalf("first message %v, want the initialize answer", init)
	}
	if ask = p.next(t); ask["method"] != "elicitation/create" {
		t.Fatalf("got %v, want the confirmation request", ask)
	}
	return p, ask
}

// checkSent checks how many times dt received the work notice.
func (dt *slowDingTalk) checkSent(t *testing.T, want int) {
	t.Helper()
	if n := len(dt.Calls(noticeSendAPI)); n != want {
		t.Errorf("the notice was sent %d times, want %d", n, want)
	}
}

const confirmedNotice = `{"UserIds":"zhangwei","MsgType":"text","Content":"The meeting moved to 3pm","Confirm":true}`

// envelope reads a tools/call answer's result envelope.
func envelope(t *testing.T, msg map[string]any) map[string]any {
	t.Helper()
	res, ok := msg["result"].(map[string]any)
	if !ok {
		t.Fatalf("not a result: %v", msg)
	}
	sc, ok := res["structuredContent"].(map[string]any)
	if !ok {
		t.Fatalf("no structuredContent: %v", msg)
	}
	return sc
}

func TestShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildBinary(t)

	t.Run("stdio: piped requests then EOF are all answered", func(t *testing.T) {
		t.Parallel()
		dt := newSlowDingTalk(t,
			sandbox.Fault{API: noticeSendAPI, Delay: 1500 * time.Millisecond},
			sandbox.Fault{API: userCountAPI, Delay: 1500 * time.Millisecond})
		p := startStdio(t, dt.command(bin))
		p.send(t, initialize(`{}`), callTool(1, "get_user_count", `{}`), callTool(2, "send_work_notice", confirmedNotice))
		p.stdin.Close()
		got := p.rest(t)
		if code, _ := p.wait(t, 10*time.Second); code != 0 {
			t.Errorf("exit status %d, want 0; stderr:\n%s", code, p.stderr)
		}
		for id := range 3 {
			if _, ok := got[float64(id)]; !ok {
				t.Errorf("request %d was not answered; stdout: %v", id, got)
			}
		}
		for _, id := range []float64{1, 2} {
			if sc := envelope(t, got[id]); sc["StatusCode"] != float64(200) {
				t.Errorf("request %v: %v, want StatusCode 200", id, sc)
			}
		}
		dt.checkSent(t, 1)
	})

	t.Run("stdio: a confirmation pending at EOF is not a yes", func(t *testing.T) {
		t.Parallel()
		dt := newSlowDingTalk(t)
		p, _ := askConfirmation(t, dt, bin)
		p.stdin.Close()
		got := p.rest(t)
		if code, _ := p.wait(t, 10*time.Second); code != 0 {
			t.Errorf("exit status %d, want 0", code)
		}
		if sc := envelope(t, got[1]); sc["StatusCode"] != float64(-1) || !strings.Contains(sc["ErrorMessage"].(string), "did not confirm") {
			t.Errorf("answer %v, want StatusCode -1: the user did not confirm", sc)
		}
		dt.checkSent(t, 0)
	})

	t.Run("stdio: a confirmation answered yes is sent", func(t *testing.T) {
		t.Parallel()
		dt := newSlowDingTalk(t)
		p, ask := askConfirmation(t, dt, bin)
		p.send(t, fmt.Sprintf(`{"jsonrpc":"2.0","id":%v,"result":{"action":"accept","content":{"confirm":true}}}`, ask["id"]))
		if sc := envelope(t, p.next(t)); sc["StatusCode"] != float64(200) {
			t.Errorf("answer %v, want StatusCode 200", sc)
		}
		p.stdin.Close()
		p.wait(t, 10*time.Second)
		dt.checkSent(t, 1)
	})

	t.Run("stdio: SIGTERM lets a slow write finish", func(t *testing.T) {
		t.Parallel()
		dt := newSlowDingTalk(t, sandbox.Fault{API: noticeSendAPI, Delay: 1500 * time.Millisecond})
		p := startSlowWrite(t, dt, bin)
		p.cmd.Process.Signal(syscall.SIGTERM)
		if sc := envelope(t, p.next(t)); sc["StatusCode"] != float64(200) {
			t.Errorf("answer %v, want StatusCode 200", sc)
		}
		if code, _ := p.wait(t, 5*time.Second); code != 0 {
			t.Errorf("exit status %d, want 0; stderr:\n%s", code, p.stderr)
		}
		dt.checkSent(t, 1)
	})

	t.Run("stdio: a write longer than the grace is cancelled and reported uncertain", func(t *testing.T) {
		t.Parallel()
		dt := newSlowDingTalk(t, sandbox.Fault{API: noticeSendAPI, Delay: 8 * time.Second})
		p := startSlowWrite(t, dt, bin, "--shutdown-grace", "500ms", "--audit-log", "-")
		p.stdin.Close()
		start := time.Now()
		got := p.rest(t)
		code, _ := p.wait(t, 5*time.Second)
		if elapsed := time.Since(start); elapsed > 3*time.Second {
			t.Errorf("exited %v after EOF, want about the 500ms grace", elapsed)
		}
		if code != 0 {
			t.Errorf("exit status %d, want 0", code)
		}
		sc := envelope(t, got[1])
		if sc["StatusCode"] != float64(504) || sc["Retryable"] != false {
			t.Errorf("answer %v, want a 504 that is not retryable", sc)
		}
		report := regexp.MustCompile(`level=ERROR msg="uncertain write[^"]*" tool=send_work_notice RequestId="?"? endpoint="POST /topapi/message/corpconversation/asyncsend_v2" ids.UserIds=zhangwei`)
		if !report.MatchString(p.stderr.String()) {
			t.Errorf("no uncertain-write report on stderr:\n%s", p.stderr)
		}
		// The audit log, flushed at exit, has the write as uncertain.
		audited := regexp.MustCompile(`(?m)^\{"Time":[^\n]*"Tool":"send_work_notice"[^\n]*"StatusCode":504[^\n]*"Uncertain":true\}$`)
		if !audited.MatchString(p.stderr.String()) {
			t.Errorf("no audit line of the uncertain write on stderr (--audit-log -):\n%s", p.stderr)
		}
		time.Sleep(200 * time.Millisecond)
		dt.checkSent(t, 1)
	})

	t.Run("stdio: a second SIGINT exits at once", func(t *testing.T) {
		t.Parallel()
		dt := newSlowDingTalk(t, sandbox.Fault{API: noticeSendAPI, Delay: 20 * time.Second})
		p := startSlowWrite(t, dt, bin, "--shutdown-grace", "30s")
		p.cmd.Process.Signal(os.Interrupt)
		p.waitForLog(t, "shutting down")
		p.cmd.Process.Signal(os.Interrupt)
		code, took := p.wait(t, 5*time.Second)
		if code != 130 {
			t.Errorf("exit status %d, want 130 (128 + SIGINT)", code)
		}
		if took > time.Second {
			t.Errorf("exited %v after the second SIGINT", took)
		}
	})

	for _, transport := range []string{"streamable HTTP", "SSE"} {
		t.Run(transport+": SIGTERM lets a slow write finish", func(t *testing.T) {
			t.Parallel()
			dt := newSlowDingTalk(t, sandbox.Fault{API: noticeSendAPI, Delay: 1500 * time.Millisecond})
			cmd := dt.command(bin, "--transport", "http", "--addr", "127.0.0.1:0")
			base, stderr := startHTTPCommand(t, cmd)
			var c *client.Client
			var err error
			if transport == "SSE" {
				c, err = client.NewSSEMCPClient(base + "/sse")
			} else {
				c, err = client.NewStreamableHttpClient(base + "/mcp")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := c.Start(ctx); err != nil {
				t.Fatal(err)
			}
			var init mcp.InitializeRequest
			init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
			if _, err := c.Initialize(ctx, init); err != nil {
				t.Fatal(err)
			}
			answer := make(chan *mcp.CallToolResult, 1)
			go func() {
				var req mcp.CallToolRequest
				req.Params.Name = "send_work_notice"
				json.Unmarshal([]byte(confirmedNotice), &req.Params.Arguments)
				res, err := c.CallTool(ctx, req)
				if err != nil {
					t.Errorf("the call failed: %v", err)
				}
				answer <- res
			}()
			dt.waitForCall(t, noticeSendAPI)
			cmd.Process.Signal(syscall.SIGTERM)
			if res := <-answer; res == nil || res.IsError {
				t.Errorf("answer %+v, want success", res)
			} else if b, _ := json.Marshal(res.StructuredContent); !strings.Contains(string(b), `"StatusCode":200`) {
				t.Errorf("answer %s, want StatusCode 200", b)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("exit: %v; stderr:\n%s", err, stderr)
				}
			case <-time.After(5 * time.Second):
				t.Errorf("still running after the answer; stderr:\n%s", stderr)
			}
			dt.checkSent(t, 1)
		})
	}
}

// startHTTPCommand starts cmd, an HTTP server, and returns its base URL
// once it says where it serves MCP, and what it writes to stderr.
func startHTTPCommand(t *testing.T, cmd *exec.Cmd) (string, *syncbuf.Buffer) {
	t.Helper()
	base, stderr := startListening(t, cmd, mcpURL)
	return base, stderr
}

// mcpURL and listenURL find where a server, or a standalone sandbox, says
// it listens in its log.
var (
	mcpURL    = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/mcp`)
	listenURL = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)
)

// startListening starts cmd and returns the URL of the first line of its
// stderr that where matches, and what it writes to stderr. cmd is killed
// when the test ends.
func startListening(t *testing.T, cmd *exec.Cmd, where *regexp.Regexp) (string, *syncbuf.Buffer) {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(pipe)
	stderr := &syncbuf.Buffer{}
	for lines.Scan() {
		fmt.Fprintln(stderr, lines.Text())
		if m := where.FindStringSubmatch(lines.Text()); m != nil {
			go io.Copy(stderr, pipe)
			return m[1], stderr
		}
	}
	t.Fatalf("%s never said where it listens:\n%s", cmd.Path, stderr)
	return "", nil
}

// TestStdioDrainLeavesNoGoroutine serves a session on pipes in this
// process until its stdin ends: the call in flight is answered, and no
// goroutine outlives the server. It is not parallel, so that goleak sees
// only its own goroutines.
func TestStdioDrainLeavesNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sb := sandbox.New()
	sb.Inject(sandbox.Fault{API: userCountAPI, Delay: 300 * time.Millisecond})
	ts := httptest.NewServer(sb)
	defer ts.Close()
	logger := slog.New(slog.DiscardHandler)
	srv, err := mcpserver.New(mcpserver.Config{AppKey: sandbox.AppKey, AppSecret: sandbox.AppSecret, APIBaseURL: ts.URL, OAPIBaseURL: ts.URL, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	defer srv.Env.Client.CloseIdleConnections()
	s := srv.MCP
	d := newDrain(5*time.Second, logger)
	s.Use(d.middleware)
	stdin := strings.NewReader(initialize(`{}`) + "\n" + callTool(1, "get_user_count", `{}`) + "\n")
	var stdout strings.Builder
	if err := serveStdio(context.Background(), s, i18n.En, d, stdin, &stdout, logger); err != nil {
		t.Fatal(err)
	}
	var ids []float64
	for line := range strings.Lines(stdout.String()) {
		var msg struct {
			ID     float64
			Result struct{ StructuredContent struct{ StatusCode int } }
		}
		json.Unmarshal([]byte(line), &msg)
		ids = append(ids, msg.ID)
		if msg.ID == 1 && msg.Result.StructuredContent.StatusCode != 200 {
			t.Errorf("get_user_count: %s", line)
		}
	}
	if diff := cmp.Diff([]float64{0, 1}, ids); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
}
