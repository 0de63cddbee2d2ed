package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"testing"

	"github.com/mark3labs/mcp-go/client"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// startSandbox runs "dingtalk-mcp sandbox" on a free loopback port and
// returns its URL.
func startSandbox(t *testing.T, bin string, args ...string) string {
	t.Helper()
	url, _ := startListening(t, exec.Command(bin, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...), listenURL)
	return url
}

// sandboxArgs point a server at a standalone sandbox.
func sandboxArgs(url string) []string {
	return []string{"--api-base-url", url, "--oapi-base-url", url, "--login-base-url", url, "--app-key", sandbox.AppKey, "--app-secret", sandbox.AppSecret,
		"--agent-id", fmt.Sprint(sandbox.AgentID), "--operator-id", sandbox.SeedManagerID}
}

// sandboxLog reads a standalone sandbox's request log.
func sandboxLog(t *testing.T, url string) (tokens int, calls map[string]int) {
	t.Helper()
	resp, err := http.Get(url + sandbox.ControlPrefix + "requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var log struct {
		TokensIssued int `json:"tokensIssued"`
		Requests     []struct {
			API string `json:"api"`
		} `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&log); err != nil {
		t.Fatal(err)
	}
	calls = map[string]int{}
	for _, r := range log.Requests {
		calls[r.API]++
	}
	return log.TokensIssued, calls
}

// TestStandaloneSandbox serves a session from a server process against a
// sandbox process: the same emulator and demo organisation as --sandbox,
// its log readable from outside.
func TestStandaloneSandbox(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildBinary(t)
	url := startSandbox(t, bin)
	c, err := client.NewStdioMCPClient(bin, nil, sandboxArgs(url)...)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	exercise(t, c)
	tokens, calls := sandboxLog(t, url)
	if tokens != 1 {
		t.Errorf("the sandbox issued %d tokens, want 1", tokens)
	}
	if n := calls["POST /topapi/message/corpconversation/asyncsend_v2"]; n != 1 {
		t.Errorf("the sandbox received %d work notices, want the 1 confirmed", n)
	}
}

func TestSandboxCommandRefusesBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sandbox", "--qps", "-1"}, "--qps must be 0 or more"},
		{[]string{"sandbox", "extra"}, `unexpected argument "extra"`},
		{[]string{"sandbox", "--addr", "256.0.0.1:1"}, "--addr: listen on 256.0.0.1:1"},
	} {
		err := run(t.Context(), tc.args, func(string) string { return "" }, nil, io.Discard, io.Discard)
		if err == nil || !regexp.MustCompile(regexp.QuoteMeta(tc.want)).MatchString(err.Error()) {
			t.Errorf("run(%q) = %v, want an error saying %q", tc.args, err, tc.want)
		}
	}
}
