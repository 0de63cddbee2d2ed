package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// TestStdioErrorsInTheLanguage: the errors the stdio transport writes
// itself, for a request that panicked and for a line past the limit, are
// in the server's language.
func TestStdioErrorsInTheLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang          i18n.Lang
		panicked, big string
	}{
		{i18n.En, "internal error: boom", "message longer than 4194304 bytes"},
		{i18n.Zh, "内部错误：boom", "消息超过 4194304 字节"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			t.Parallel()
			s := server.NewMCPServer("t", "1", server.WithToolCapabilities(false))
			s.AddTool(mcp.NewTool("boom"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) { panic("boom") })
			logger := slog.New(slog.DiscardHandler)
			stdin := strings.NewReader(initialize(`{}`) + "\n" + callTool(1, "boom", `{}`) + "\n" + strings.Repeat("x", maxRequestBytes+1) + "\n")
			var stdout strings.Builder
			if err := serveStdio(context.Background(), s, tt.lang, newDrain(time.Second, logger), stdin, &stdout, logger); err != nil {
				t.Fatal(err)
			}
			var got []string
			for line := range strings.Lines(stdout.String()) {
				var msg struct{ Error struct{ Message string } }
				if json.Unmarshal([]byte(line), &msg) == nil && msg.Error.Message != "" {
					got = append(got, msg.Error.Message)
				}
			}
			if len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), tt.panicked) || !strings.Contains(strings.Join(got, "\n"), tt.big) {
				t.Errorf("the errors on stdout: %q, want %q and %q", got, tt.panicked, tt.big)
			}
		})
	}
}
