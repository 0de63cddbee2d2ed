package mcpserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
)

func callArgs(t *testing.T, c *client.Client, name string, args map[string]any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(args)
	return call(t, c, name, string(b))
}

var notice = map[string]any{"UserIds": []string{"lina"}, "MsgType": "text", "Content": "Fire drill at 11", "Confirm": true, "IdempotencyKey": "drill-1"}

// TestStateDirSurvivesRestart: with StateDir, a retry after a restart is
// still answered from the ledger.
func TestStateDirSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv, c, _ := connect(t, mcpserver.Config{Sandbox: true, StateDir: dir})
	first := callArgs(t, c, "send_work_notice", notice)
	srv.Close()
	if first["StatusCode"] != float64(200) {
		t.Fatalf("first send = %v", first)
	}
	if _, err := os.Stat(filepath.Join(dir, mcpserver.StateFile)); err != nil {
		t.Fatal(err)
	}
	_, c, _ = connect(t, mcpserver.Config{Sandbox: true, StateDir: dir})
	again := callArgs(t, c, "send_work_notice", notice)
	if again["Replayed"] != true || again["MessageData"].(map[string]any)["task_id"] != first["MessageData"].(map[string]any)["task_id"] {
		t.Fatalf("retry after a restart = %v, want the first result replayed", again)
	}
}

// TestWithoutStateDirTheLedgerIsInMemory: a restart forgets the key, as
// the README says.
func TestWithoutStateDirTheLedgerIsInMemory(t *testing.T) {
	t.Parallel()
	srv, c, _ := connect(t, mcpserver.Config{Sandbox: true})
	callArgs(t, c, "send_work_notice", notice)
	srv.Close()
	_, c, _ = connect(t, mcpserver.Config{Sandbox: true})
	if again := callArgs(t, c, "send_work_notice", notice); again["Replayed"] != false || again["StatusCode"] != float64(200) {
		t.Fatalf("retry after a restart without StateDir = %v, want a fresh send", again)
	}
}

// TestDedupeWindowConfig: the default window refuses an identical call;
// a negative one turns the check off.
func TestDedupeWindowConfig(t *testing.T) {
	t.Parallel()
	plain := map[string]any{"UserIds": []string{"lina"}, "MsgType": "text", "Content": "Coffee is here", "Confirm": true}
	for _, tc := range []struct {
		cfg  mcpserver.Config
		want float64
	}{
		{mcpserver.Config{Sandbox: true}, -1},
		{mcpserver.Config{Sandbox: true, DedupeWindow: -1}, 200},
	} {
		_, c, _ := connect(t, tc.cfg)
		callArgs(t, c, "send_work_notice", plain)
		if got := callArgs(t, c, "send_work_notice", plain); got["StatusCode"] != tc.want {
			t.Errorf("DedupeWindow %v: the identical call = %v, want StatusCode %v", tc.cfg.DedupeWindow, got, tc.want)
		}
	}
}

// TestAuditLogAndRecentWrites: AuditLog gets a line per write, and the
// recent-writes resource lists the app's writes, newest first.
func TestAuditLogAndRecentWrites(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	srv, c, _ := connect(t, mcpserver.Config{Sandbox: true, AuditLog: path})
	callArgs(t, c, "send_work_notice", notice)
	callArgs(t, c, "send_work_notice", notice)
	call(t, c, "get_user", `{"UserId":"lina"}`)
	var req mcp.ReadResourceRequest
	req.Params.URI = mcpserver.RecentWritesURI
	res, err := c.ReadResource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var recent []audit.Entry
	if err := json.Unmarshal([]byte(res.Contents[0].(mcp.TextResourceContents).Text), &recent); err != nil {
		t.Fatal(err)
	}
	if len(recent) != 2 || !recent[0].Replayed || recent[1].Replayed || recent[1].Person != "app" || recent[1].Client != "mcpserver-test" {
		t.Fatalf("recent writes = %+v, want the replay then the send, by the app", recent)
	}
	srv.Close() // flushes the audit log
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

func TestStateErrorsNameTheSetting(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg  mcpserver.Config
		want string
	}{
		{mcpserver.Config{Sandbox: true, StateDir: file}, "--state-dir"},
		{mcpserver.Config{Sandbox: true, AuditLog: filepath.Join(file, "audit.jsonl")}, "--audit-log"},
	} {
		if _, err := mcpserver.New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error naming %s", tc.cfg, err, tc.want)
		}
	}
}
