package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
)

// WriteVariant is one way of serving writes whose cost WriteCost measures.
type WriteVariant struct {
	Name    string
	Samples []time.Duration // one per write, in the order made
}

// P50 is the median of the samples.
func (v WriteVariant) P50() time.Duration { return percentile(v.Samples, 50) }

// P90 is the 90th percentile of the samples.
func (v WriteVariant) P90() time.Duration { return percentile(v.Samples, 90) }

func percentile(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)*p/100, len(s)-1)]
}

// WriteCost makes n confirmed send_work_notice calls, each with its own
// IdempotencyKey and content (so each one is sent), through the MCP
// server's message handler, against an in-process sandbox, in three
// stacks that differ only in their record of writes: none; the ledger
// and audit as the server runs by default with --audit-log (in memory,
// the audit lines to a file in dir); and the same with --state-dir (a
// bbolt file in dir, synced at every write). The calls are interleaved,
// one per stack in turn, so that drift on the machine hits all three.
func WriteCost(n int, dir string) ([]WriteVariant, error) {
	configs := []mcpserver.Config{
		{},
		{AuditLog: filepath.Join(dir, "memory-audit.jsonl")},
		{AuditLog: filepath.Join(dir, "file-audit.jsonl"), StateDir: dir},
	}
	variants := []WriteVariant{{Name: "no ledger, no audit"}, {Name: "ledger and audit log, in memory"}, {Name: "ledger and audit log, --state-dir"}}
	handlers := make([]func(context.Context, json.RawMessage) any, len(configs))
	for i, cfg := range configs {
		sb := sandbox.New(sandbox.WithQPS(0))
		cfg.AppKey, cfg.AppSecret, cfg.APIBaseURL, cfg.OAPIBaseURL = sandbox.AppKey, sandbox.AppSecret, memoryURL, memoryURL
		cfg.AgentID, cfg.OperatorID, cfg.Version = sandbox.AgentID, sandbox.SeedManagerID, "bench"
		srv, err := mcpserver.New(cfg, mcpserver.WithClientOptions(floorOptions(handlerTransport{sb})...))
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		if i == 0 {
			// The same stack without its record of writes.
			srv.Env.Ledger, srv.Env.Audit = nil, nil
		}
		handlers[i] = func(ctx context.Context, msg json.RawMessage) any { return srv.MCP.HandleMessage(ctx, msg) }
	}
	ctx := context.Background()
	call := func(h func(context.Context, json.RawMessage) any, i int) (time.Duration, error) {
		msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": map[string]any{
			"name": "send_work_notice",
			"arguments": map[string]any{"UserIds": []string{"lina"}, "MsgType": "text", "Content": fmt.Sprintf("Notice %d", i),
				"Confirm": true, "IdempotencyKey": fmt.Sprintf("bench-%d", i)},
		}})
		start := time.Now()
		res := h(ctx, msg)
		d := time.Since(start)
		b, _ := json.Marshal(res)
		var r struct {
			Result struct {
				StructuredContent struct{ StatusCode int } `json:"structuredContent"`
			} `json:"result"`
		}
		if err := json.Unmarshal(b, &r); err != nil || r.Result.StructuredContent.StatusCode != 200 {
			return 0, fmt.Errorf("write %d failed: %s", i, b)
		}
		return d, nil
	}
	// One warm-up round: the token, the first connections, the caches.
	for i, h := range handlers {
		if _, err := call(h, -1-i); err != nil {
			return nil, err
		}
	}
	for i := range n {
		for k := range handlers {
			j := (k + i) % len(handlers)
			d, err := call(handlers[j], i)
			if err != nil {
				return nil, err
			}
			variants[j].Samples = append(variants[j].Samples, d)
		}
	}
	return variants, nil
}
