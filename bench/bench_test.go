package bench

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// The benchmarks run side by side in one `go test -bench` so that their
// ratios hold on a noisy machine:
//
//	go test ./bench -run '^$' -bench . -benchmem -count 6 | tee new.txt && benchstat new.txt
//
// GetUser/*/direct is the floor (the DingTalk client calling the sandbox,
// in memory or over loopback); .../mcp-handler adds the MCP server without
// a transport (its HandleMessage: mcp-go's dispatch and our adapter);
// .../mcp-http adds Streamable HTTP from a client in the same process.
// EchoHTTP is the yardstick of mcp-http: the bare mcp-go server's echo tool
// over the same transport and client, with nothing behind it.

var getUserArgs = json.RawMessage(`{"UserId":"` + sandbox.SeedManagerID + `"}`)

func startStack(tb testing.TB, o StackOptions) *Stack {
	tb.Helper()
	st, err := StartStack(o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	return st
}

func BenchmarkGetUser(b *testing.B) {
	for _, up := range []Upstream{Memory, Loopback} {
		b.Run(string(up), func(b *testing.B) { benchmarkGetUser(b, up) })
	}
}

func benchmarkGetUser(b *testing.B, up Upstream) {
	st := startStack(b, StackOptions{Upstream: up})
	st.TrimSandboxLog(time.Second)
	ctx := context.Background()
	b.Run("direct", func(b *testing.B) {
		c := st.Env.Client
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Users.Get(ctx, sandbox.SeedManagerID, ""); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("mcp-handler", func(b *testing.B) {
		var id atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id.Add(1), "method": "tools/call",
					"params": map[string]any{"name": "get_user", "arguments": getUserArgs}})
				res := st.MCP.HandleMessage(ctx, msg)
				b, _ := json.Marshal(res)
				if !json.Valid(b) {
					panic("invalid response")
				}
			}
		})
	})
	b.Run("mcp-http", func(b *testing.B) { callInParallel(b, st.MCPURL, "get_user", getUserArgs) })
}

// callInParallel calls tool over Streamable HTTP at url, one session per
// goroutine of b.RunParallel.
func callInParallel(b *testing.B, url, tool string, args json.RawMessage) {
	ctx := context.Background()
	hc := NewHTTPClient()
	b.RunParallel(func(pb *testing.PB) {
		s, err := OpenSession(ctx, hc, url)
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			if _, err := s.CallTool(ctx, tool, args); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkEchoHTTP(b *testing.B) {
	s := server.NewMCPServer("baseline", "bench", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("echo", mcp.WithString("text", mcp.Required())),
		func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText(req.GetString("text", "")), nil
		})
	ts := httptest.NewServer(server.NewStreamableHTTPServer(s, server.WithStateful(true),
		server.WithEventStore(server.NewInMemoryEventStore()),
		server.WithStreamableHTTPLogger(slog.New(slog.DiscardHandler))))
	b.Cleanup(ts.Close)
	callInParallel(b, ts.URL+"/mcp", "echo", json.RawMessage(`{"text":"hello"}`))
}

// BenchmarkToolsList is the cost of answering tools/list with every tool,
// which each client asks for at start.
func BenchmarkToolsList(b *testing.B) {
	st := startStack(b, StackOptions{Upstream: Memory})
	ctx := context.Background()
	msg := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)
	b.ReportAllocs()
	for b.Loop() {
		res, err := json.Marshal(st.MCP.HandleMessage(ctx, msg))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(res)))
	}
}
