package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"go.uber.org/goleak"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
)

// TestLoadOverStreamableHTTP makes 1,000 tool calls from 50 concurrent
// sessions over Streamable HTTP: none may fail, no goroutine may outlive
// the server, and memory stays bounded. DingTalk's rate limit is off on
// both sides: this measures the server, not the limiter.
//
// It is not parallel, so that goleak sees only its own goroutines.
func TestLoadOverStreamableHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sb := httptest.NewServer(sandbox.New(sandbox.WithQPS(0)))
	defer sb.Close()
	logger := slog.New(slog.DiscardHandler)
	srv, err := mcpserver.New(mcpserver.Config{
		AppKey: sandbox.AppKey, AppSecret: sandbox.AppSecret,
		APIBaseURL: sb.URL, OAPIBaseURL: sb.URL,
		AgentID: sandbox.AgentID, OperatorID: sandbox.SeedManagerID,
		Logger: logger,
	}, mcpserver.WithClientOptions(dingtalk.WithRateLimit(0)))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	handler, stop := httpHandler(srv.MCP, "load-token", newDrain(0, logger), logger)
	ts := httptest.NewServer(handler)

	const sessions, callsEach = 50, 20
	var failures atomic.Int32
	var wg sync.WaitGroup
	start := time.Now()
	for i := range sessions {
		wg.Go(func() {
			c, err := client.NewStreamableHttpClient(ts.URL+"/mcp", withBearer("load-token"))
			if err != nil {
				failures.Add(callsEach)
				return
			}
			defer c.Close()
			ctx := context.Background()
			if err := c.Start(ctx); err != nil {
				failures.Add(callsEach)
				return
			}
			var init mcp.InitializeRequest
			init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
			init.Params.ClientInfo = mcp.Implementation{Name: fmt.Sprintf("load-%d", i), Version: "1"}
			if _, err := c.Initialize(ctx, init); err != nil {
				failures.Add(callsEach)
				return
			}
			for j := range callsEach {
				var req mcp.CallToolRequest
				if j%2 == 0 {
					req.Params.Name, req.Params.Arguments = "get_user", map[string]any{"UserId": fmt.Sprintf("dev%03d", 1+(i+j)%60)}
				} else {
					req.Params.Name, req.Params.Arguments = "search_users", map[string]any{"QueryWord": "Wei", "Size": 5}
				}
				res, err := c.CallTool(ctx, req)
				if err != nil || res.IsError {
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if n := failures.Load(); n != 0 {
		t.Errorf("%d of %d calls failed", n, sessions*callsEach)
	}
	rss := residentKiB()
	t.Logf("%d calls from %d sessions in %v (%.0f calls/s); RSS %d MiB", sessions*callsEach, sessions, elapsed.Round(time.Millisecond), float64(sessions*callsEach)/elapsed.Seconds(), rss>>10)
	if rss > 512<<10 {
		t.Errorf("RSS %d MiB after the load run", rss>>10)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Close()
	stop(ctx)
	sb.Close()
	srv.Env.Client.CloseIdleConnections()
}

func withBearer(token string) transport.StreamableHTTPCOption {
	return transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + token})
}

// residentKiB reads this process's resident set size.
func residentKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}
