package tools_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// harness is the real stack in one process: an MCP client, the server as
// mcpserver.New builds it for the binary, the DingTalk client and the
// sandbox on a loopback port.
type harness struct {
	t          *testing.T
	sandbox    *sandbox.Server
	sandboxURL string
	env        *tools.Env
	client     *client.Client
	// person, when set, is the signed-in person the calls are made by.
	person *tools.Person
}

// as returns h making its calls as p.
func (h *harness) as(p *tools.Person) *harness {
	c := *h
	c.person = p
	return &c
}

type harnessOption func(*harnessConfig)

type harnessConfig struct {
	sandboxOpts []sandbox.Option
	clientOpts  []dingtalk.Option
	elicit      client.ElicitationHandler
	agentID     int64
	operatorID  string
	selection   tools.Selection
	policy      tools.Policy
	ledger      *ledger.Ledger
	audit       *audit.Log
	replaced    bool // ledger and audit replace mcpserver.New's
	lang        i18n.Lang
}

// withLang serves the tools in l.
func withLang(l i18n.Lang) harnessOption {
	return func(c *harnessConfig) { c.lang = l }
}

// withLedger serves writes with l in place of the server's ledger (in
// memory, with the default window); nil serves them without one.
func withLedger(l *ledger.Ledger) harnessOption {
	return func(c *harnessConfig) { c.ledger, c.replaced = l, true }
}

// withAudit records writes in a in place of the server's audit log (no
// lines, recent writes in memory); the server's ledger is kept.
func withAudit(a *audit.Log) harnessOption {
	return func(c *harnessConfig) { c.audit = a }
}

// withElicitation makes the MCP client declare elicitation and answer with h.
func withElicitation(h client.ElicitationHandler) harnessOption {
	return func(c *harnessConfig) { c.elicit = h }
}

func withSandbox(opts ...sandbox.Option) harnessOption {
	return func(c *harnessConfig) { c.sandboxOpts = append(c.sandboxOpts, opts...) }
}

func withClientOptions(opts ...dingtalk.Option) harnessOption {
	return func(c *harnessConfig) { c.clientOpts = append(c.clientOpts, opts...) }
}

// withPolicy sets what a signed-in person may do.
func withPolicy(p tools.Policy) harnessOption { return func(c *harnessConfig) { c.policy = p } }

// withDefaults sets the server's default AgentId and OperatorId.
func withDefaults(agentID int64, operatorID string) harnessOption {
	return func(c *harnessConfig) { c.agentID, c.operatorID = agentID, operatorID }
}

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	cfg := harnessConfig{agentID: sandbox.AgentID, operatorID: sandbox.SeedManagerID,
		// Throttling has tests of its own; elsewhere it would only slow tests down.
		sandboxOpts: []sandbox.Option{sandbox.WithQPS(0)}, clientOpts: []dingtalk.Option{dingtalk.WithRateLimit(0)}}
	for _, o := range opts {
		o(&cfg)
	}
	sb := sandbox.New(cfg.sandboxOpts...)
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	srv, err := mcpserver.New(mcpserver.Config{
		AppKey: sandbox.AppKey, AppSecret: sandbox.AppSecret,
		APIBaseURL: ts.URL, OAPIBaseURL: ts.URL,
		AgentID: cfg.agentID, OperatorID: cfg.operatorID,
		Tools: cfg.selection, Lang: cfg.lang, Policy: cfg.policy,
	}, mcpserver.WithClientOptions(append([]dingtalk.Option{dingtalk.WithRetry(3, 5*time.Millisecond), dingtalk.WithCallTimeout(2 * time.Second)}, cfg.clientOpts...)...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if cfg.replaced {
		srv.Env.Ledger = cfg.ledger
	}
	if cfg.audit != nil {
		srv.Env.Audit = cfg.audit
	}
	var copt []client.ClientOption
	if cfg.elicit != nil {
		copt = append(copt, client.WithElicitationHandler(cfg.elicit))
	}
	c, err := client.NewInProcessClientWithOptions(srv.MCP, append(copt, client.WithProtocolVersion(mcp.ProtocolVersion20251125))...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var init mcp.InitializeRequest
	init.Params.ClientInfo = mcp.Implementation{Name: "harness", Version: "1"}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	if cfg.elicit != nil {
		init.Params.Capabilities.Elicitation = &mcp.ElicitationCapability{}
	}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &harness{t: t, sandbox: sb, sandboxURL: ts.URL, env: srv.Env, client: c}
}

// handler returns the handler of the tool called name, served with the
// harness's Env, for a test that calls it with a context of its own.
func (h *harness) handler(name string) server.ToolHandlerFunc {
	h.t.Helper()
	for _, d := range tools.All() {
		if d.Spec().Name == name {
			return d.Handler(h.env)
		}
	}
	h.t.Fatalf("no tool %s", name)
	return nil
}

// call sends a tools/call with args written as the agent would send them
// (a JSON object) and returns the structured result as a generic map, plus
// whether it was flagged isError.
func (h *harness) call(name, args string) (map[string]any, bool) {
	h.t.Helper()
	var req mcp.CallToolRequest
	req.Params.Name = name
	if args != "" {
		req.Params.Arguments = json.RawMessage(args)
	}
	ctx := context.Background()
	if h.person != nil {
		ctx = tools.WithPerson(ctx, h.person)
	}
	res, err := h.client.CallTool(ctx, req)
	if err != nil {
		h.t.Fatalf("%s: protocol error: %v", name, err)
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		h.t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		h.t.Fatalf("%s: structuredContent is not an object: %s", name, b)
	}
	if len(res.Content) != 1 {
		h.t.Fatalf("%s: want one text content mirroring the result, got %d", name, len(res.Content))
	}
	text, ok := res.Content[0].(mcp.TextContent)
	if !ok {
		h.t.Fatalf("%s: content is %T, want text", name, res.Content[0])
	}
	var mirror map[string]any
	if err := json.Unmarshal([]byte(text.Text), &mirror); err != nil {
		h.t.Fatalf("%s: text content is not the JSON result: %v", name, err)
	}
	if status := out["StatusCode"]; (status != float64(200)) != res.IsError {
		h.t.Fatalf("%s: StatusCode %v but isError %v", name, status, res.IsError)
	}
	return out, res.IsError
}

// callOK calls a tool and fails the test unless it succeeded.
func (h *harness) callOK(name, args string) map[string]any {
	h.t.Helper()
	out, isErr := h.call(name, args)
	if isErr {
		h.t.Fatalf("%s(%s) failed: %v", name, args, out)
	}
	return out
}

// upstreamCalls counts the requests the sandbox received for api.
func (h *harness) upstreamCalls(api string) int { return len(h.sandbox.Calls(api)) }

// dig walks a decoded JSON value by object keys and array indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}
