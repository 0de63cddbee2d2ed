package prompts_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
	"github.com/dingtalk-mcp/dingtalk-mcp/prompts"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// stack is the whole server in one process, as mcpserver.New builds it for
// the binary, with the sandbox on a loopback port and an in-process MCP
// client. It records the tool calls a test makes, to check them against the
// prompt they follow.
type stack struct {
	t       *testing.T
	sandbox *sandbox.Server
	client  *client.Client
	prompts []string // the prompts registered
	calls   []toolCall
}

// toolCall is one tools/call a test made and what it answered.
type toolCall struct {
	tool   string
	args   map[string]any
	status float64
}

type stackConfig struct {
	selection tools.Selection
	lang      i18n.Lang
}

type stackOption func(*stackConfig)

// withSelection registers only the tools sel chooses; the prompts that name
// other tools are then not offered.
func withSelection(sel tools.Selection) stackOption {
	return func(c *stackConfig) { c.selection = sel }
}

// withLang serves the server in l; without it, in English.
func withLang(l i18n.Lang) stackOption {
	return func(c *stackConfig) { c.lang = l }
}

// eachLang runs f as a parallel subtest per language the server speaks.
func eachLang(t *testing.T, f func(t *testing.T, l i18n.Lang)) {
	t.Helper()
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			t.Parallel()
			f(t, l)
		})
	}
}

func newStack(t *testing.T, opts ...stackOption) *stack {
	t.Helper()
	var cfg stackConfig
	for _, o := range opts {
		o(&cfg)
	}
	sb := sandbox.New()
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	srv, err := mcpserver.New(mcpserver.Config{
		AppKey: sandbox.AppKey, AppSecret: sandbox.AppSecret,
		APIBaseURL: ts.URL, OAPIBaseURL: ts.URL,
		AgentID: sandbox.AgentID, OperatorID: sandbox.SeedManagerID,
		Tools: cfg.selection, Lang: cfg.lang,
	}, mcpserver.WithClientOptions(dingtalk.WithRetry(3, 5*time.Millisecond), dingtalk.WithCallTimeout(2*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := client.NewInProcessClientWithOptions(srv.MCP, client.WithProtocolVersion(mcp.ProtocolVersion20251125))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var init mcp.InitializeRequest
	init.Params.ClientInfo = mcp.Implementation{Name: "prompts-test", Version: "1"}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &stack{t: t, sandbox: sb, client: c, prompts: srv.Prompts}
}

// getPrompt returns the text of a prompt rendered with args, through
// prompts/get.
func (st *stack) getPrompt(name string, args map[string]string) (string, error) {
	var req mcp.GetPromptRequest
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := st.client.GetPrompt(context.Background(), req)
	if err != nil {
		return "", err
	}
	if len(res.Messages) != 1 || res.Messages[0].Role != mcp.RoleUser {
		st.t.Fatalf("%s: want one user message, got %+v", name, res.Messages)
	}
	text, ok := res.Messages[0].Content.(mcp.TextContent)
	if !ok {
		st.t.Fatalf("%s: content is %T, want text", name, res.Messages[0].Content)
	}
	return text.Text, nil
}

func (st *stack) mustPrompt(name string, args map[string]string) string {
	st.t.Helper()
	text, err := st.getPrompt(name, args)
	if err != nil {
		st.t.Fatalf("prompts/get %s: %v", name, err)
	}
	return text
}

// call makes a tools/call and returns its structured result.
func (st *stack) call(tool string, args map[string]any) map[string]any {
	st.t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		st.t.Fatal(err)
	}
	var req mcp.CallToolRequest
	req.Params.Name = tool
	req.Params.Arguments = json.RawMessage(raw)
	res, err := st.client.CallTool(context.Background(), req)
	if err != nil {
		st.t.Fatalf("%s: protocol error: %v", tool, err)
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		st.t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		st.t.Fatalf("%s: structuredContent is not an object: %s", tool, b)
	}
	status, _ := out["StatusCode"].(float64)
	st.calls = append(st.calls, toolCall{tool: tool, args: args, status: status})
	return out
}

// callOK makes a tools/call that must succeed.
func (st *stack) callOK(tool string, args map[string]any) map[string]any {
	st.t.Helper()
	out := st.call(tool, args)
	if out["StatusCode"] != float64(200) {
		st.t.Fatalf("%s(%v) failed: %v", tool, args, out)
	}
	return out
}

// previewReads are the calls a preview may make: overwrite_doc_content
// reads the document to say how much it would replace.
var previewReads = map[string]bool{
	"POST /v1.0/oauth2/accessToken":                  true,
	"POST /topapi/v2/user/get":                       true,
	"GET /v1.0/doc/suites/documents/{docKey}/blocks": true,
}

// write makes a guarded write as the prompts prescribe: first without
// Confirm, which must give a preview and change nothing, then, as if the
// user said yes, with Confirm=true. It returns the confirmed result.
func (st *stack) write(tool string, args map[string]any) map[string]any {
	st.t.Helper()
	before := len(st.sandbox.Requests())
	preview := st.call(tool, args)
	if preview["StatusCode"] != float64(-1) || preview["Hint"] == "" {
		st.t.Fatalf("%s without Confirm: want a preview (StatusCode -1 and a Hint), got %v", tool, preview)
	}
	for _, r := range st.sandbox.Requests()[before:] {
		if !previewReads[r.API] {
			st.t.Fatalf("%s without Confirm sent %s to DingTalk", tool, r.API)
		}
	}
	confirmed := map[string]any{"Confirm": true}
	for k, v := range args {
		confirmed[k] = v
	}
	return st.callOK(tool, confirmed)
}

// followed checks that the calls the test made are the ones text
// prescribes: every tool called is named in it, every argument given is a
// parameter text names for that tool, the tools were first called in the
// order text first names them, and every guarded write was previewed
// before it was confirmed.
func (st *stack) followed(text string) {
	st.t.Helper()
	refs := prompts.References(text)
	firstMention := map[string]int{}
	params := map[string][]string{}
	for i, r := range refs {
		switch r.Kind {
		case prompts.ToolRef:
			if _, ok := firstMention[r.Name]; !ok {
				firstMention[r.Name] = i
			}
		case prompts.ParamRef:
			params[r.Tool] = append(params[r.Tool], r.Name)
		}
	}
	guarded := guardedTools()
	var order []string
	previewed := map[string]bool{}
	for _, c := range st.calls {
		if _, ok := firstMention[c.tool]; !ok {
			st.t.Errorf("the test called %s, which the prompt does not name", c.tool)
			continue
		}
		if !slices.Contains(order, c.tool) {
			order = append(order, c.tool)
		}
		for k := range c.args {
			if !slices.Contains(params[c.tool], k) {
				st.t.Errorf("the test passed %s to %s, a parameter the prompt does not name for it (it names %v)", k, c.tool, params[c.tool])
			}
		}
		if guarded[c.tool] {
			if c.args["Confirm"] == true {
				if !previewed[c.tool] {
					st.t.Errorf("%s was confirmed without a preview first", c.tool)
				}
				previewed[c.tool] = false
			} else if c.status == -1 {
				previewed[c.tool] = true
			}
		}
	}
	if !slices.IsSortedFunc(order, func(a, b string) int { return firstMention[a] - firstMention[b] }) {
		st.t.Errorf("the tools were first called in the order %v, not in the order the prompt names them", order)
	}
}

// guardedTools returns the tools that need Confirm.
func guardedTools() map[string]bool {
	g := map[string]bool{}
	for _, d := range tools.All() {
		if s := d.Spec(); s.Guarded {
			g[s.Name] = true
		}
	}
	return g
}

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

// strs turns a decoded JSON array of strings into a []string.
func strs(v any) []string {
	out := []string{}
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
