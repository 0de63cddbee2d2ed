package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
)

// TestHTTPExposure: an HTTP server outside loopback needs authentication
// or an explicit allowance; nothing else is refused.
func TestHTTPExposure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // empty: accepted
	}{
		{"default address is loopback", []string{"--transport", "http"}, nil, ""},
		{"loopback IPv4", []string{"--transport", "http", "--addr", "127.0.0.1:0"}, nil, ""},
		{"loopback IPv6", []string{"--transport", "http", "--addr", "[::1]:8080"}, nil, ""},
		{"localhost", []string{"--transport", "http", "--addr", "localhost:8080"}, nil, ""},
		{"all interfaces without a token", []string{"--transport", "http", "--addr", "0.0.0.0:8080"}, nil, "--addr 0.0.0.0:8080 is reachable from other hosts"},
		{"empty host is all interfaces", []string{"--transport", "http", "--addr", ":8080"}, nil, "--addr :8080 is reachable from other hosts"},
		{"IPv6 any without a token", []string{"--transport", "http", "--addr", "[::]:8080"}, nil, "reachable from other hosts"},
		{"a host name without a token", []string{"--transport", "http", "--addr", "mcp.example.internal:8080"}, nil, "reachable from other hosts"},
		{"address from the environment is named", []string{"--transport", "http"}, map[string]string{"DINGTALK_MCP_ADDR": "0.0.0.0:8080"}, "DINGTALK_MCP_ADDR 0.0.0.0:8080 is reachable"},
		{"the flag wins over the environment", []string{"--transport", "http", "--addr", "127.0.0.1:9"}, map[string]string{"DINGTALK_MCP_ADDR": "0.0.0.0:8080"}, ""},
		{"token flag", []string{"--transport", "http", "--addr", "0.0.0.0:8080", "--http-token", "s3cret"}, nil, ""},
		{"token from the environment", []string{"--transport", "http", "--addr", "0.0.0.0:8080"}, map[string]string{"DINGTALK_MCP_HTTP_TOKEN": "s3cret"}, ""},
		{"explicitly allowed", []string{"--transport", "http", "--addr", "0.0.0.0:8080", "--allow-unauthenticated"}, nil, ""},
		{"stdio ignores the address", []string{"--addr", "0.0.0.0:8080"}, nil, ""},
		{"malformed address", []string{"--transport", "http", "--addr", "8080"}, nil, `--addr must be host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080, got "8080"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"--sandbox"}, tt.args...)
			_, err := parseConfig(args, func(k string) string { return tt.env[k] }, io.Discard)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("parseConfig(%q): %v, want it accepted", args, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("parseConfig(%q) = %v, want an error containing %q", args, err, tt.wantErr)
			}
		})
	}
}

func TestHTTPExposureErrorSaysWhatToDo(t *testing.T) {
	t.Parallel()
	_, err := parseConfig([]string{"--sandbox", "--transport", "http", "--addr", "0.0.0.0:8080"}, func(string) string { return "" }, io.Discard)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"--http-token", "DINGTALK_MCP_HTTP_TOKEN", "--allow-unauthenticated"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestAddrDefaultsToLoopback(t *testing.T) {
	t.Parallel()
	cfg, err := parseConfig([]string{"--sandbox"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" {
		t.Errorf("Addr = %q, want 127.0.0.1:8080", cfg.Addr)
	}
}

// TestWriteRecordFlags: --dedupe-window, --audit-log and --state-dir reach
// the server's configuration; the flag's 0 turns the window off.
func TestWriteRecordFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		window  time.Duration // in mcpserver.Config
		wantErr string
	}{
		{nil, ledger.DefaultWindow, ""},
		{[]string{"--dedupe-window", "30s"}, 30 * time.Second, ""},
		{[]string{"--dedupe-window", "0"}, -1, ""},
		{[]string{"--dedupe-window", "-1m"}, 0, "--dedupe-window must be a duration such as 10m, or 0 to turn it off"},
		{[]string{"--dedupe-window", "soon"}, 0, `invalid value "soon"`},
	}
	for _, tt := range tests {
		cfg, err := parseConfig(append([]string{"--sandbox", "--audit-log", "-", "--state-dir", "/var/lib/dingtalk-mcp"}, tt.args...), func(string) string { return "" }, io.Discard)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		sc := cfg.serverConfig("v", nil, io.Discard)
		if sc.DedupeWindow != tt.window || sc.AuditLog != "-" || sc.StateDir != "/var/lib/dingtalk-mcp" || sc.Stderr != io.Discard {
			t.Errorf("%v: server config window %v, audit %q, state %q; want window %v", tt.args, sc.DedupeWindow, sc.AuditLog, sc.StateDir, tt.window)
		}
	}
}
