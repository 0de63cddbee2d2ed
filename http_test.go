package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// slowServer is an MCP server with one tool that takes d to answer.
func slowServer(d time.Duration) *server.MCPServer {
	s := server.NewMCPServer("slow", "1")
	s.AddTool(mcp.Tool{Name: "slow", Description: "waits", RawInputSchema: []byte(`{"type":"object"}`)},
		func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			select {
			case <-time.After(d):
				return mcp.NewToolResultText("done"), nil
			case <-ctx.Done():
				return mcp.NewToolResultError("cancelled"), nil
			}
		})
	return s
}

func TestHTTPRefusesForeignRequests(t *testing.T) {
	t.Parallel()
	handler, _ := httpHandler(slowServer(0), "tok", newDrain(0, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(handler)
	defer ts.Close()
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`
	tests := []struct {
		name   string
		header map[string]string
		host   string
		body   string
		want   int
	}{
		{"no token", nil, "", init, http.StatusUnauthorized},
		{"wrong token", map[string]string{"Authorization": "Bearer nope"}, "", init, http.StatusUnauthorized},
		{"right token", map[string]string{"Authorization": "Bearer tok"}, "", init, http.StatusOK},
		{"foreign Origin", map[string]string{"Authorization": "Bearer tok", "Origin": "https://evil.example"}, "", init, http.StatusForbidden},
		{"local Origin", map[string]string{"Authorization": "Bearer tok", "Origin": "http://localhost:6274"}, "", init, http.StatusOK},
		{"foreign Host (DNS rebinding)", map[string]string{"Authorization": "Bearer tok"}, "evil.example", init, http.StatusForbidden},
		{"body over the limit", map[string]string{"Authorization": "Bearer tok"}, "", `{"x":"` + strings.Repeat("a", maxRequestBytes) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("POST", ts.URL+"/mcp", strings.NewReader(tt.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		if tt.host != "" {
			req.Host = tt.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: HTTP %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
}

func TestNonLoopbackWithoutTokenWarns(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(b []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(b) }), nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := serveHTTP(ctx, ln, &config{Addr: "0.0.0.0:8080"}, oneServer(slowServer(0)), nil, newDrain(0, logger), logger); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "without --http-token") {
		t.Errorf("no warning: %s", logs.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func TestShutdownFinishesInFlightCalls(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveHTTP(ctx, ln, &config{Addr: ln.Addr().String()}, oneServer(slowServer(700*time.Millisecond)), nil, newDrain(defaultShutdownGrace, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	}()
	c, err := client.NewStreamableHttpClient("http://" + ln.Addr().String() + "/mcp")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cctx := context.Background()
	if err := c.Start(cctx); err != nil {
		t.Fatal(err)
	}
	var init mcp.InitializeRequest
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	if _, err := c.Initialize(cctx, init); err != nil {
		t.Fatal(err)
	}
	result := make(chan *mcp.CallToolResult, 1)
	go func() {
		var req mcp.CallToolRequest
		req.Params.Name = "slow"
		res, err := c.CallTool(cctx, req)
		if err != nil {
			t.Errorf("in-flight call: %v", err)
		}
		result <- res
	}()
	time.Sleep(200 * time.Millisecond)
	stop() // as SIGTERM does
	select {
	case res := <-result:
		if res == nil || res.IsError {
			t.Errorf("in-flight call did not finish cleanly: %+v", res)
		}
	case <-time.After(defaultShutdownGrace):
		t.Fatal("in-flight call never finished")
	}
	if err := <-done; err != nil {
		t.Errorf("serveHTTP returned %v, want a clean exit", err)
	}
}

// oneServer serves s in every language.
func oneServer(s *server.MCPServer) func(i18n.Lang) (*server.MCPServer, error) {
	return func(i18n.Lang) (*server.MCPServer, error) { return s, nil }
}
