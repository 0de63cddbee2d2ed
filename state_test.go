package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
)

// session builds the server as run does, with args, and connects an
// in-process client to it; stop shuts the server down.
func session(t *testing.T, args ...string) (c *client.Client, stop func()) {
	t.Helper()
	cfg, err := parseConfig(append([]string{"--sandbox"}, args...), func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s, _, stopServer, err := build(cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c, err = client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c.Start(ctx)
	var init mcp.InitializeRequest
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	init.Params.ClientInfo = mcp.Implementation{Name: "state-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return c, func() { c.Close(); stopServer() }
}

func callTool(t *testing.T, c *client.Client, name string, args map[string]any) map[string]any {
	t.Helper()
	var req mcp.CallToolRequest
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res.StructuredContent)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}

var notice = map[string]any{"UserIds": []string{"lina"}, "MsgType": "text", "Content": "Fire drill at 11", "Confirm": true, "IdempotencyKey": "drill-1"}

// TestStateDirSurvivesRestart: with --state-dir, a retry after a restart
// is still answered from the ledger.
func TestStateDirSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, stop := session(t, "--state-dir", dir)
	first := callTool(t, c, "send_work_notice", notice)
	stop()
	if first["StatusCode"] != float64(200) {
		t.Fatalf("first send = %v", first)
	}
	c, stop = session(t, "--state-dir", dir)
	defer stop()
	again := callTool(t, c, "send_work_notice", notice)
	if again["Replayed"] != true || again["MessageData"].(map[string]any)["task_id"] != first["MessageData"].(map[string]any)["task_id"] {
		t.Fatalf("retry after a restart = %v, want the first result replayed", again)
	}
	if _, err := os.Stat(filepath.Join(dir, stateFile)); err != nil {
		t.Fatal(err)
	}
}

// TestWithoutStateDirTheLedgerIsInMemory: a restart forgets the key, as
// the README says.
func TestWithoutStateDirTheLedgerIsInMemory(t *testing.T) {
	t.Parallel()
	c, stop := session(t)
	callTool(t, c, "send_work_notice", notice)
	stop()
	c, stop = session(t)
	defer stop()
	if again := callTool(t, c, "send_work_notice", notice); again["Replayed"] != false || again["StatusCode"] != float64(200) {
		t.Fatalf("retry after a restart without --state-dir = %v, want a fresh send", again)
	}
}

// TestAuditLogAndRecentWrites: --audit-log gets a line per write, and the
// recent-writes resource lists the app's writes over stdio-like sessions.
func TestAuditLogAndRecentWrites(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	c, stop := session(t, "--audit-log", path)
	callTool(t, c, "send_work_notice", notice)
	callTool(t, c, "send_work_notice", notice)
	callTool(t, c, "get_user", map[string]any{"UserId": "lina"})
	var req mcp.ReadResourceRequest
	req.Params.URI = recentWritesURI
	res, err := c.ReadResource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var recent []audit.Entry
	if err := json.Unmarshal([]byte(res.Contents[0].(mcp.TextResourceContents).Text), &recent); err != nil {
		t.Fatal(err)
	}
	if len(recent) != 2 || !recent[0].Replayed || recent[1].Replayed || recent[1].Person != "app" || recent[1].Client != "state-test" {
		t.Fatalf("recent writes = %+v, want the replay then the send, by the app", recent)
	}
	stop() // flushes the audit log
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 2 || !strings.Contains(lines[0], `"Tool":"send_work_notice"`) || !strings.Contains(lines[1], `"Replayed":true`) {
		t.Fatalf("audit log:\n%s", strings.Join(lines, "\n"))
	}
}

func TestStateFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--dedupe-window", "-1m"}, "--dedupe-window must be a duration"},
		{[]string{"--dedupe-window", "soon"}, "invalid value"},
	} {
		_, err := parseConfig(append([]string{"--sandbox"}, tc.args...), func(string) string { return "" }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	for _, args := range [][]string{{"--state-dir", file}, {"--audit-log", filepath.Join(file, "audit.jsonl")}} {
		cfg, err := parseConfig(append([]string{"--sandbox"}, args...), func(string) string { return "" }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := build(cfg, slog.New(slog.DiscardHandler), io.Discard); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: build = %v, want an error naming %s", args, err, args[0])
		}
	}
}
