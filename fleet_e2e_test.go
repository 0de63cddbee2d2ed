package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/fleet/redistest"
)

// The fleet test runs the real thing: redis-server, HAProxy (round robin,
// sessions stuck to their replica by deploy/haproxy.cfg), three replicas
// and one standalone sandbox, all on loopback, under a mixed load for
// fleetLoad from clients of both protocol eras: the official TypeScript SDK
// client (session-based Streamable HTTP) and the official Go SDK client
// (2026-07-28, stateless). Mid-run one replica is killed and Redis is
// restarted. It needs redis-server, haproxy and, for the TypeScript client,
// node with e2e/node_modules installed (npm ci --prefix e2e), so it runs
// only with DINGTALK_MCP_FLEET=1, as .ci/external-clients sets it.
const fleetLoad = 30 * time.Second

const noticeAPI = "POST /topapi/message/corpconversation/asyncsend_v2"

func TestFleet(t *testing.T) {
	if os.Getenv("DINGTALK_MCP_FLEET") == "" {
		t.Skip("set DINGTALK_MCP_FLEET=1 to run the fleet test (redis-server, haproxy, node and e2e/node_modules)")
	}
	for _, tool := range []string{"redis-server", "haproxy", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the fleet test needs %s on PATH", tool)
		}
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	// Redis keeps its data across the restart (an append-only file synced
	// on every write), as a deployment's would.
	redis := redistest.Start(t, "--dir", dir, "--appendonly", "yes", "--appendfsync", "always")
	sb := startSandbox(t, bin)
	token := "fleet-" + rand.Text()
	replicas := make([]*replica, 3)
	for i := range replicas {
		replicas[i] = startReplica(t, bin, redis.URL(), sb, token)
	}
	lb := startHAProxy(t, dir, freePort(t), replicas)

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), fleetLoad+90*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	results := make(chan loadResult, 8)
	wg.Go(func() { results <- sessionLoad(t, ctx, lb+"/mcp", token, "ts") })
	for i := range 3 {
		wg.Go(func() { results <- modernLoad(ctx, lb+"/mcp", token, fmt.Sprintf("go%d", i), start.Add(fleetLoad)) })
	}
	time.Sleep(fleetLoad / 3)
	killedAt := time.Now()
	replicas[1].kill()
	t.Logf("killed replica 2 at %s", killedAt.Sub(start).Round(time.Millisecond))
	time.Sleep(fleetLoad / 4)
	redis.Stop()
	time.Sleep(2 * time.Second) // the fleet serves without Redis for a while
	if err := redis.Restart(); err != nil {
		t.Fatal(err)
	}
	t.Logf("restarted Redis at %s", time.Since(start).Round(time.Millisecond))
	wg.Wait()
	close(results)

	var all loadResult
	for r := range results {
		all.Calls += r.Calls
		all.OK += r.OK
		all.Retries += r.Retries
		all.Failed = append(all.Failed, r.Failed...)
		all.Writes = append(all.Writes, r.Writes...)
		all.Held = append(all.Held, r.Held...)
	}
	t.Logf("load: %d calls, %d ok, %d retries, %d writes, %d held by the killed replica, %d failed", all.Calls, all.OK, all.Retries, len(all.Writes), len(all.Held), len(all.Failed))
	// Only calls in flight when the replica died may be held by it: one
	// per client at most, begun before the kill.
	if len(all.Held) > 3+2 {
		t.Errorf("%d writes were held by the killed replica; at most one per client (5) can be", len(all.Held))
	}
	for _, h := range all.Held {
		if began := time.UnixMilli(h.Began); began.After(killedAt) || killedAt.Sub(began) > 30*time.Second {
			t.Errorf("write %s began at %s, not in flight when the replica was killed at %s", h.Key, began.Format(time.StampMilli), killedAt.Format(time.StampMilli))
		}
	}
	if len(all.Failed) > 0 {
		t.Errorf("%d calls failed for good; an agent saw these errors: %v", len(all.Failed), all.Failed[:min(5, len(all.Failed))])
	}
	if all.OK < 200 {
		t.Errorf("only %d calls succeeded in %s", all.OK, fleetLoad)
	}

	log := readSandboxLog(t, sb)
	if log.TokensIssued != 1 {
		t.Errorf("the sandbox issued %d access tokens, want 1 for the fleet", log.TokensIssued)
	}
	for api, n := range busiestWindows(log.Requests) {
		if n > dingtalk.MaxQPS {
			t.Errorf("%s: %d requests in one second, more than DingTalk's %d", api, n, dingtalk.MaxQPS)
		}
	}
	sent := map[string]int{}
	for _, r := range log.Requests {
		if r.API == noticeAPI {
			for _, key := range writeKey.FindAllString(r.Body, -1) {
				sent[key]++
			}
		}
	}
	for key, n := range sent {
		if n > 1 {
			t.Errorf("the write %s reached DingTalk %d times", key, n)
		}
	}
	for _, key := range all.Writes {
		if sent[key] != 1 {
			t.Errorf("the write %s was answered 200 but reached DingTalk %d times", key, sent[key])
		}
	}

	// A key retried against another replica is sent once.
	key := "fleet-retry-" + rand.Text()
	args := map[string]any{"UserIds": "zhangwei", "MsgType": "text", "Content": key, "IdempotencyKey": key, "Confirm": true}
	first := directCall(t, replicas[0].url+"/mcp", token, "send_work_notice", args)
	again := directCall(t, replicas[2].url+"/mcp", token, "send_work_notice", args)
	if first["StatusCode"] != float64(200) || again["StatusCode"] != float64(200) || again["Replayed"] != true {
		t.Errorf("a key retried on another replica: first %v, again %v; want 200, then 200 with Replayed", first, again)
	}
	log = readSandboxLog(t, sb)
	n := 0
	for _, r := range log.Requests {
		if r.API == noticeAPI && strings.Contains(r.Body, key) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("a write retried with its IdempotencyKey on another replica reached DingTalk %d times, want 1", n)
	}
}

// writeKey finds the load's write keys in a request body.
var writeKey = regexp.MustCompile(`(?:ts|go\d)-s?\d+-\d+`)

type loadResult struct {
	Calls   int      `json:"calls"`
	OK      int      `json:"ok"`
	Retries int      `json:"retries"`
	Failed  []any    `json:"failed"`
	Writes  []string `json:"writes"`
	Held    []held   `json:"held"`
}

// held is a write that a replica held when it was killed: reserved in the
// ledger, perhaps sent, never finished. Retries of it are answered "in
// progress" until its reservation goes stale, and then as uncertain: never
// sent again.
type held struct {
	Key   string `json:"key"`
	Began int64  `json:"began"` // Unix milliseconds
}

// heldFor is how long a retried write may stay "in progress" before the
// load counts it as held by a dead replica.
const heldFor = 10 * time.Second

// sessionLoad runs e2e/fleet-load.mjs: the TypeScript SDK client, two
// sessions, for fleetLoad.
func sessionLoad(t *testing.T, ctx context.Context, url, token, prefix string) loadResult {
	cmd := exec.CommandContext(ctx, "node", "e2e/fleet-load.mjs", url, token, fmt.Sprint(int(fleetLoad.Seconds())), "2", prefix)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	t.Logf("e2e/fleet-load.mjs said:\n%s", stderr.String())
	if err != nil {
		return loadResult{Failed: []any{fmt.Sprintf("node e2e/fleet-load.mjs: %v\n%s", err, stderr.String())}}
	}
	var r loadResult
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return loadResult{Failed: []any{fmt.Sprintf("node e2e/fleet-load.mjs printed %q: %v", stdout.String(), err)}}
	}
	return r
}

// modernLoad runs one 2026-07-28 client, the official Go SDK's, until
// until: reads, and every fifth call a work notice with a unique
// IdempotencyKey. A failed call is retried with the same arguments, on a
// new connection when the transport failed.
func modernLoad(ctx context.Context, url, token, prefix string, until time.Time) loadResult {
	var r loadResult
	var sess *sdk.ClientSession
	connect := func() error {
		c := sdk.NewClient(&sdk.Implementation{Name: "fleet-modern", Version: "1.0.0"}, nil)
		s, err := c.Connect(ctx, &sdk.StreamableClientTransport{Endpoint: url, HTTPClient: bearerClient(token), DisableStandaloneSSE: true}, nil)
		sess = s
		return err
	}
	call := func(name string, args map[string]any) map[string]any {
		r.Calls++
		began := time.Now()
		last := ""
		for attempt := range 40 {
			if attempt > 0 {
				r.Retries++
				time.Sleep(250 * time.Millisecond)
			}
			if sess == nil {
				if err := connect(); err != nil {
					last = err.Error()
					sess = nil
					continue
				}
			}
			res, err := sess.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
			if err != nil {
				last = err.Error()
				sess.Close()
				sess = nil
				continue
			}
			var out map[string]any
			b, _ := json.Marshal(res.StructuredContent)
			json.Unmarshal(b, &out)
			if out["StatusCode"] == float64(200) {
				r.OK++
				return out
			}
			last = fmt.Sprintf("%v %v", out["StatusCode"], out["ErrorMessage"])
			if out["Retryable"] != true {
				break
			}
			if msg, _ := out["ErrorMessage"].(string); strings.Contains(msg, "has not finished") && time.Since(began) > heldFor {
				key, _ := args["IdempotencyKey"].(string)
				r.Held = append(r.Held, held{Key: key, Began: began.UnixMilli()})
				return nil
			}
		}
		r.Failed = append(r.Failed, fmt.Sprintf("%s %v: %s", name, args, last))
		return nil
	}
	reads := []struct {
		name string
		args map[string]any
	}{
		{"get_user", map[string]any{"UserId": "manager4220"}},
		{"get_dept_list", map[string]any{"DeptId": 1}},
		{"search_users", map[string]any{"QueryWord": "li"}},
		{"get_user_count", map[string]any{}},
	}
	for n := 0; time.Now().Before(until); n++ {
		if n%5 == 4 {
			key := fmt.Sprintf("%s-%d-%d", prefix, n, time.Now().UnixNano()%1_000_000)
			if call("send_work_notice", map[string]any{"UserIds": "zhangwei", "MsgType": "text", "Content": key, "IdempotencyKey": key, "Confirm": true}) != nil {
				r.Writes = append(r.Writes, key)
			}
			continue
		}
		rd := reads[n%len(reads)]
		call(rd.name, rd.args)
	}
	if sess != nil {
		sess.Close()
	}
	return r
}

// directCall makes one call on one replica, bypassing the balancer.
func directCall(t *testing.T, url, token, name string, args map[string]any) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := sdk.NewClient(&sdk.Implementation{Name: "fleet-direct", Version: "1.0.0"}, nil)
	s, err := c.Connect(ctx, &sdk.StreamableClientTransport{Endpoint: url, HTTPClient: bearerClient(token), DisableStandaloneSSE: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	b, _ := json.Marshal(res.StructuredContent)
	json.Unmarshal(b, &out)
	return out
}

type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

func bearerClient(token string) *http.Client {
	return &http.Client{Transport: bearerTransport{token}, Timeout: 60 * time.Second}
}

// busiestWindows returns, per API, the most requests the sandbox received
// in any one second.
func busiestWindows(reqs []sandboxRequest) map[string]int {
	byAPI := map[string][]time.Time{}
	for _, r := range reqs {
		byAPI[r.API] = append(byAPI[r.API], r.Time)
	}
	out := map[string]int{}
	for api, times := range byAPI {
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		j := 0
		for i := range times {
			for times[i].Sub(times[j]) >= time.Second {
				j++
			}
			out[api] = max(out[api], i-j+1)
		}
	}
	return out
}

type sandboxRequest struct {
	Time time.Time `json:"time"`
	API  string    `json:"api"`
	Body string    `json:"body"`
}

type sandboxLogAnswer struct {
	TokensIssued int              `json:"tokensIssued"`
	Requests     []sandboxRequest `json:"requests"`
}

func readSandboxLog(t *testing.T, url string) sandboxLogAnswer {
	t.Helper()
	resp, err := http.Get(url + sandbox.ControlPrefix + "requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var log sandboxLogAnswer
	if err := json.NewDecoder(resp.Body).Decode(&log); err != nil {
		t.Fatal(err)
	}
	return log
}

type replica struct {
	url string
	cmd *exec.Cmd
}

func startReplica(t *testing.T, bin, redisURL, sandboxURL, token string) *replica {
	t.Helper()
	return startReplicaWith(t, bin, redisURL, sandboxURL, "--http-token", token)
}

// startReplicaWith starts a replica on redisURL and sandboxURL with the
// given authentication flags.
func startReplicaWith(t *testing.T, bin, redisURL, sandboxURL string, auth ...string) *replica {
	t.Helper()
	args := append(append([]string{"--transport", "http", "--addr", "127.0.0.1:0", "--redis-url", redisURL}, auth...), sandboxArgs(sandboxURL)...)
	cmd := exec.Command(bin, args...)
	url, _ := startHTTPCommand(t, cmd)
	return &replica{url: url, cmd: cmd}
}

func (r *replica) kill() { r.cmd.Process.Signal(syscall.SIGKILL) }

// startHAProxy runs HAProxy with deploy/haproxy.cfg, its listen and server
// addresses replaced by this test's.
func startHAProxy(t *testing.T, dir string, port int, replicas []*replica) string {
	t.Helper()
	cfg, err := os.ReadFile("deploy/haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`(?m)^(\s*bind )\S+`).ReplaceAllString(string(cfg), fmt.Sprintf("${1}127.0.0.1:%d", port))
	servers := regexp.MustCompile(`(?m)^\s*server .*\n`)
	if n := len(servers.FindAllString(text, -1)); n != len(replicas) {
		t.Fatalf("deploy/haproxy.cfg has %d server lines, the test runs %d replicas", n, len(replicas))
	}
	i := 0
	text = servers.ReplaceAllStringFunc(text, func(string) string {
		r := replicas[i]
		i++
		return fmt.Sprintf("    server replica%d %s check\n", i, strings.TrimPrefix(r.url, "http://"))
	})
	path := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("haproxy", "-db", "-f", path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("haproxy:\n%s", out.String())
		}
	})
	waitForPort(t, port)
	return fmt.Sprintf("http://127.0.0.1:%d", port)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitForPort(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing listens on 127.0.0.1:%d", port)
}

// TestFleetSignIn signs a person in through the balancer, each step of
// the flow landing on whichever replica it falls on, and then uses the
// token on every replica: the clients, codes, grants and tokens live in
// the fleet's Redis.
func TestFleetSignIn(t *testing.T) {
	if os.Getenv("DINGTALK_MCP_FLEET") == "" {
		t.Skip("set DINGTALK_MCP_FLEET=1 to run the fleet tests (redis-server, haproxy)")
	}
	bin := buildBinary(t)
	redis := redistest.Start(t)
	sb := startSandbox(t, bin)
	port := freePort(t)
	public := fmt.Sprintf("http://127.0.0.1:%d", port)
	replicas := make([]*replica, 3)
	for i := range replicas {
		replicas[i] = startReplicaWith(t, bin, redis.URL(), sb, "--auth", "dingtalk", "--public-url", public)
	}
	startHAProxy(t, t.TempDir(), port, replicas)

	token := signInAs(t, public, "lina")
	for i, r := range replicas {
		out := directCall(t, r.url+"/mcp", token, "get_user", map[string]any{"UserId": "lina"})
		if out["StatusCode"] != float64(200) || !strings.HasPrefix(fmt.Sprint(out["Summary"]), "Asked by 李娜 (lina)") {
			t.Errorf("replica %d with the token signed in through the balancer: %v", i+1, out)
		}
	}
}
