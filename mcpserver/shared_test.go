package mcpserver_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/fleet/redistest"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
)

// replicaConfig is the configuration of a replica of a fleet on a Redis
// of its own, against the emulated DingTalk sb.
func replicaConfig(t *testing.T) (mcpserver.Config, *sandbox.Server) {
	t.Helper()
	r := redistest.Start(t)
	sb := sandbox.New()
	upstream := httptest.NewServer(sb)
	t.Cleanup(upstream.Close)
	return mcpserver.Config{AppKey: sandbox.AppKey, AppSecret: sandbox.AppSecret, AgentID: sandbox.AgentID,
		OperatorID: sandbox.SeedManagerID, APIBaseURL: upstream.URL, OAPIBaseURL: upstream.URL, RedisURL: r.URL()}, sb
}

// TestReplicasShareOneToken builds three servers on one Redis and one
// emulated DingTalk: however the calls fall on them, DingTalk issues one
// token, and what one stores the others read.
func TestReplicasShareOneToken(t *testing.T) {
	t.Parallel()
	cfg, sb := replicaConfig(t)
	var replicas []*mcpserver.Server
	for range 3 {
		srv, c, _ := connect(t, cfg)
		replicas = append(replicas, srv)
		var req mcp.CallToolRequest
		req.Params.Name, req.Params.Arguments = "get_user", map[string]any{"UserId": "manager4220"}
		res, err := c.CallTool(context.Background(), req)
		if err != nil || res.IsError {
			t.Fatalf("get_user: %v %+v", err, res)
		}
	}
	if n := sb.TokensIssued(); n != 1 {
		t.Errorf("three replicas made DingTalk issue %d tokens, want 1", n)
	}
	ctx := context.Background()
	if err := replicas[0].Store.Set(ctx, "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if v, err := replicas[2].Store.Get(ctx, "k"); err != nil || string(v) != "v" {
		t.Errorf("another replica reads %q, %v from the shared store", v, err)
	}
}

func TestNewRefusesAnUnusableRedis(t *testing.T) {
	t.Parallel()
	_, err := mcpserver.New(mcpserver.Config{Sandbox: true, RedisURL: "redis://:topsecret@127.0.0.1:1"})
	if err == nil || !strings.HasPrefix(err.Error(), "--redis-url") || strings.Contains(err.Error(), "topsecret") {
		t.Fatalf("New with an unreachable Redis = %v; want an error naming --redis-url without the password", err)
	}
}

// TestReplicasShareTheLedger: a retry that lands on another replica is
// answered from the ledger in Redis, and DingTalk gets the write once.
func TestReplicasShareTheLedger(t *testing.T) {
	t.Parallel()
	cfg, sb := replicaConfig(t)
	_, a, _ := connect(t, cfg)
	_, b, _ := connect(t, cfg)
	first := callArgs(t, a, "send_work_notice", notice)
	again := callArgs(t, b, "send_work_notice", notice)
	if first["StatusCode"] != float64(200) || again["Replayed"] != true {
		t.Fatalf("send on one replica = %v, retry on another = %v; want the retry replayed", first, again)
	}
	if n := len(sb.Calls("POST /topapi/message/corpconversation/asyncsend_v2")); n != 1 {
		t.Fatalf("DingTalk got %d notices, want 1", n)
	}
	if _, err := mcpserver.New(mcpserver.Config{Sandbox: true, RedisURL: cfg.RedisURL, StateDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "--state-dir and --redis-url") {
		t.Fatalf("New with both StateDir and RedisURL = %v, want an error naming both", err)
	}
}
