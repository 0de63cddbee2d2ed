package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// buildBinary builds the server once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dingtalk-mcp")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startHTTP runs the binary over HTTP on a free loopback port and returns
// its base URL.
func startHTTP(t *testing.T, bin string, args ...string) string {
	t.Helper()
	base, _ := startHTTPCommand(t, exec.Command(bin, append([]string{"--sandbox", "--transport", "http", "--addr", "127.0.0.1:0"}, args...)...))
	return base
}

// exercise runs a short session through c: the tool list, a read, a
// guarded write's preview and the write itself.
func exercise(t *testing.T, c *client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var init mcp.InitializeRequest
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	init.Params.ClientInfo = mcp.Implementation{Name: "e2e", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	if len(list.Tools) < 5 {
		t.Fatalf("tools/list returned %d tools", len(list.Tools))
	}
	call := func(name string, args map[string]any) map[string]any {
		var req mcp.CallToolRequest
		req.Params.Name, req.Params.Arguments = name, args
		res, err := c.CallTool(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := json.Marshal(res.StructuredContent)
		var out map[string]any
		json.Unmarshal(b, &out)
		return out
	}
	user := call("get_user", map[string]any{"Mobile": "13800000001"})
	if user["StatusCode"] != float64(200) || user["UserData"].(map[string]any)["userid"] != "manager4220" {
		t.Fatalf("get_user: %v", user)
	}
	preview := call("send_work_notice", map[string]any{"UserIds": "zhangwei", "MsgType": "text", "Content": "e2e"})
	if preview["StatusCode"] != float64(-1) || !strings.Contains(preview["Hint"].(string), "Confirm=true") {
		t.Fatalf("preview: %v", preview)
	}
	sent := call("send_work_notice", map[string]any{"UserIds": "zhangwei", "MsgType": "text", "Content": "e2e", "Confirm": true})
	task := sent["MessageData"].(map[string]any)["task_id"]
	status := call("get_message_status", map[string]any{"TaskId": task})
	if status["StatusCode"] != float64(200) {
		t.Fatalf("get_message_status: %v", status)
	}
	bad := call("search_users", map[string]any{"QueryWord": "x", "Size": 500})
	if bad["StatusCode"] != float64(-1) {
		t.Fatalf("bad input: %v", bad)
	}
	again := call("get_user", map[string]any{"UserId": "lina"})
	if again["StatusCode"] != float64(200) {
		t.Fatalf("the server stopped serving after bad input: %v", again)
	}
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildBinary(t)

	t.Run("stdio", func(t *testing.T) {
		t.Parallel()
		c, err := client.NewStdioMCPClient(bin, nil, "--sandbox", "--log-level", "debug")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		exercise(t, c)
	})
	t.Run("streamable HTTP", func(t *testing.T) {
		t.Parallel()
		base := startHTTP(t, bin)
		c, err := client.NewStreamableHttpClient(base + "/mcp")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		exercise(t, c)
	})
	t.Run("SSE", func(t *testing.T) {
		t.Parallel()
		base := startHTTP(t, bin)
		c, err := client.NewSSEMCPClient(base + "/sse")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		exercise(t, c)
	})
	t.Run("bearer token", func(t *testing.T) {
		t.Parallel()
		base := startHTTP(t, bin, "--http-token", "s3cret")
		for _, path := range []string{"/mcp", "/sse", "/message"} {
			resp, err := http.Post(base+path, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s without token: HTTP %d, want 401", path, resp.StatusCode)
			}
		}
		resp, err := http.Get(base + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("/healthz: %v %v", resp, err)
		}
		c, err := client.NewStreamableHttpClient(base+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer s3cret"}))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		exercise(t, c)
	})
	t.Run("stdout carries JSON-RPC only", func(t *testing.T) {
		t.Parallel()
		cmd := exec.Command(bin, "--sandbox", "--log-level", "debug")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`+"\n"+
			`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_user","arguments":{"UserId":"zhangwei"}}}`+"\n")
		lines := bufio.NewScanner(stdout)
		lines.Buffer(nil, 1<<20)
		for i := 0; i < 2 && lines.Scan(); i++ {
			var msg map[string]any
			if err := json.Unmarshal(lines.Bytes(), &msg); err != nil || msg["jsonrpc"] != "2.0" {
				t.Errorf("stdout line is not JSON-RPC: %q", lines.Text())
			}
			if msg["id"] == float64(2) && !strings.Contains(lines.Text(), `"StatusCode":200`) {
				t.Errorf("get_user failed: %s", lines.Text())
			}
		}
		stdin.Close()
		rest, _ := io.ReadAll(stdout)
		if err := cmd.Wait(); err != nil {
			t.Errorf("exit: %v: %s", err, stderr.String())
		}
		if len(bytes.TrimSpace(rest)) != 0 {
			t.Errorf("unexpected output on stdout: %q", rest)
		}
		if !strings.Contains(stderr.String(), "dingtalk call") {
			t.Errorf("debug logs did not reach stderr: %s", stderr.String())
		}
		if strings.Contains(stderr.String(), "sandbox-app-secret") {
			t.Error("the app secret reached the logs")
		}
	})
	t.Run("configuration errors", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			env  []string
			args []string
			want string
		}{
			{nil, nil, "DINGTALK_APP_KEY and DINGTALK_APP_SECRET"},
			{[]string{"DINGTALK_APP_KEY=k"}, nil, "DINGTALK_APP_SECRET is not set"},
			{[]string{"DINGTALK_APP_KEY=k", "DINGTALK_APP_SECRET=s", "DINGTALK_AGENT_ID=abc"}, nil, "DINGTALK_AGENT_ID must be the app's numeric AgentId"},
			{[]string{"DINGTALK_APP_KEY=k", "DINGTALK_APP_SECRET=s", "DINGTALK_API_BASE_URL=ftp://x"}, nil, "DINGTALK_API_BASE_URL must be an http(s) URL"},
			{nil, []string{"--sandbox", "--toolsets", "calendar"}, `unknown toolset "calendar"`},
			{nil, []string{"--sandbox", "--shutdown-grace", "-1s"}, `--shutdown-grace must be a duration of 0 or more such as 10s or 1m30s, got "-1s"`},
			{nil, []string{"--sandbox", "--shutdown-grace", "ten"}, `--shutdown-grace must be a duration of 0 or more such as 10s or 1m30s, got "ten"`},
		} {
			cmd := exec.Command(bin, tc.args...)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, tc.env...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err == nil {
				t.Errorf("%v %v: exited 0", tc.env, tc.args)
			}
			if len(out) != 0 {
				t.Errorf("%v: printed to stdout: %q", tc.env, out)
			}
			if msg := strings.TrimSpace(stderr.String()); !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 0 {
				t.Errorf("%v %v: stderr %q, want one line with %q", tc.env, tc.args, msg, tc.want)
			}
		}
	})
	t.Run("credentials and a corporate proxy", func(t *testing.T) {
		t.Parallel()
		// A DingTalk reachable only through an HTTP proxy: the proxy
		// forwards requests for the fake hosts to a sandbox and counts them.
		sb := httptest.NewServer(sandbox.New())
		defer sb.Close()
		target, _ := url.Parse(sb.URL)
		var proxied atomic.Int32
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Host, ".dingtalk.test") {
				http.Error(w, "unexpected host "+r.URL.Host, http.StatusBadGateway)
				return
			}
			proxied.Add(1)
			httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
		}))
		defer proxy.Close()
		c, err := client.NewStdioMCPClient(bin, []string{
			"DINGTALK_APP_KEY=" + sandbox.AppKey, "DINGTALK_APP_SECRET=" + sandbox.AppSecret,
			fmt.Sprintf("DINGTALK_AGENT_ID=%d", sandbox.AgentID),
			"DINGTALK_API_BASE_URL=http://api.dingtalk.test", "DINGTALK_OAPI_BASE_URL=http://oapi.dingtalk.test",
			"HTTP_PROXY=" + proxy.URL, "HTTPS_PROXY=" + proxy.URL,
		})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		exercise(t, c)
		if proxied.Load() == 0 {
			t.Error("no request went through the proxy")
		}
	})
	t.Run("SIGTERM exits 0", func(t *testing.T) {
		t.Parallel()
		for _, args := range [][]string{{"--sandbox"}, {"--sandbox", "--transport", "http", "--addr", "127.0.0.1:0"}} {
			cmd := exec.Command(bin, args...)
			stdin, _ := cmd.StdinPipe() // stdio must not see EOF: the signal ends it
			defer stdin.Close()
			stderr, _ := cmd.StderrPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(stderr)
			for lines.Scan() && !strings.Contains(lines.Text(), "starting") {
			}
			go io.Copy(io.Discard, stderr)
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%v: exit after SIGTERM: %v", args, err)
				}
			case <-time.After(defaultShutdownGrace + 5*time.Second):
				cmd.Process.Kill()
				t.Errorf("%v: still running after SIGTERM", args)
			}
		}
	})
	t.Run("version", func(t *testing.T) {
		t.Parallel()
		out, err := exec.Command(bin, "--version").Output()
		if err != nil || !strings.HasPrefix(string(out), "dingtalk-mcp ") {
			t.Errorf("--version: %q %v", out, err)
		}
	})
}

func TestFlagsWinOverEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DINGTALK_APP_KEY": "envkey", "DINGTALK_APP_SECRET": "envsecret", "DINGTALK_AGENT_ID": "1", "DINGTALK_OPERATOR_ID": "envop"}
	cfg, err := parseConfig([]string{"--app-key", "flagkey", "--agent-id", "2", "--read-only", "--toolsets", "chat, sheet"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s %s %d %s %v %v", cfg.AppKey, cfg.AppSecret, cfg.AgentID, cfg.OperatorID, cfg.ReadOnly, cfg.Toolsets)
	if want := "flagkey envsecret 2 envop true [chat sheet]"; got != want {
		t.Errorf("config = %q, want %q", got, want)
	}
}
