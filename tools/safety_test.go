package tools_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/internal/syncbuf"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// TestSecretsNeverLeak drives every tool through every fault with debug
// logging and checks that neither the app secret nor any token appears in
// the logs, in a result or in an error message.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// The ledger is off: every fault must reach DingTalk, however often a
	// write is repeated. The audit log writes its lines into the logs.
	sink := audit.NewSink(&logs, logger)
	h := newHarness(t, withClientOptions(dingtalk.WithLogger(logger), dingtalk.WithCallTimeout(150*time.Millisecond)),
		withLedger(nil), withAudit(audit.New(sink, nil, logger)))
	var results []string
	record := func(out map[string]any) {
		b, _ := json.Marshal(out)
		results = append(results, string(b))
	}
	for _, d := range tools.All() {
		name := d.Spec().Name
		if _, ok := examples[name]; !ok {
			continue
		}
		for _, f := range faults {
			for _, p := range prepare[name] {
				h.callOK(p, examples[p])
			}
			inj := f.inject
			inj.Times = 3
			h.sandbox.Inject(inj)
			out, _ := h.call(name, examples[name])
			record(out)
			h.sandbox.ClearFaults()
		}
		h.sandbox.RevokeTokens() // every tool also meets an expired token
		out, _ := runExample(h, name)
		record(out)
	}
	// Wrong credentials too.
	bad := newHarness(t)
	bad.env.Client = dingtalk.New(sandbox.AppKey, "not-the-secret-"+sandbox.AppSecret, dingtalk.WithLogger(logger), dingtalk.WithBaseURLs(bad.sandboxURL, bad.sandboxURL))
	out, _ := bad.call("get_user", `{"UserId":"lina"}`)
	record(out)
	if out["StatusCode"] != float64(401) {
		t.Errorf("bad credentials: %v", out)
	}

	if err := sink.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `"Tool":"send_work_notice"`) {
		t.Error("no audit line reached the logs: the test proves nothing of them")
	}
	secrets := append(h.sandbox.IssuedTokens(), sandbox.AppSecret)
	if len(secrets) < 2 {
		t.Fatal("no token was issued: the test exercised nothing")
	}
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("a secret reached the logs: %.40s…", s)
		}
		for _, r := range results {
			if strings.Contains(r, s) {
				t.Errorf("a secret reached a result: %.200s", r)
			}
		}
	}
	if !strings.Contains(logs.String(), "dingtalk call") {
		t.Error("debug logging was not on: the test proves nothing")
	}
}

// TestCancelledCallStopsItsUpstreamRequest cancels a tool call while
// DingTalk is slow to answer: the call returns at once and DingTalk sees
// its client go away.
func TestCancelledCallStopsItsUpstreamRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sandbox.Inject(sandbox.Fault{API: userGetAPI, Delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var req mcp.CallToolRequest
	req.Params.Name = "get_user"
	req.Params.Arguments = map[string]any{"UserId": "lina"}
	start := time.Now()
	res, err := h.handler("get_user")(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the cancelled call took %v", took)
	}
	if !res.IsError {
		t.Error("a cancelled call reported success")
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		calls := h.sandbox.Calls(userGetAPI)
		if len(calls) == 1 && calls[0].Errcode == "client gone" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the upstream request was not abandoned: %+v", calls)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBurstOfReadsStaysUnderDingTalksLimit sends 200 concurrent calls of
// one read tool: none may fail with a rate limit, the sandbox (which
// throttles at DingTalk's 20/s) must never see more than 20 in a second,
// and one token serves them all.
func TestBurstOfReadsStaysUnderDingTalksLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("takes eleven seconds at the client's rate")
	}
	t.Parallel()
	h := newHarness(t, withSandbox(sandbox.WithQPS(dingtalk.MaxQPS)), withClientOptions(dingtalk.WithRateLimit(dingtalk.DefaultRateLimit)))
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range 200 {
		wg.Go(func() {
			var req mcp.CallToolRequest
			req.Params.Name = "get_user"
			req.Params.Arguments = map[string]any{"UserId": "zhangwei"}
			res, err := h.client.CallTool(context.Background(), req)
			if err != nil || res.IsError {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if failed != 0 {
		t.Errorf("%d of 200 calls failed", failed)
	}
	perSecond := map[int64]int{}
	for _, r := range h.sandbox.Calls(userGetAPI) {
		perSecond[r.Time.Unix()]++
		if r.Errcode != "" {
			t.Errorf("the sandbox throttled a call (%s)", r.Errcode)
		}
	}
	for sec, n := range perSecond {
		if n > dingtalk.MaxQPS {
			t.Errorf("second %d: %d requests, DingTalk allows %d", sec, n, dingtalk.MaxQPS)
		}
	}
	if n := h.sandbox.TokensIssued(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}
