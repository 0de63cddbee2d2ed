package mcpserver_test

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// connect builds the server cfg describes and an initialized in-process
// client of it.
func connect(t *testing.T, cfg mcpserver.Config) (*mcpserver.Server, *client.Client, *mcp.InitializeResult) {
	t.Helper()
	srv, err := mcpserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, res := initialized(t, srv.MCP)
	return srv, c, res
}

// initialized returns an initialized in-process client of s.
func initialized(t *testing.T, s *server.MCPServer) (*client.Client, *mcp.InitializeResult) {
	t.Helper()
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var init mcp.InitializeRequest
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	init.Params.ClientInfo = mcp.Implementation{Name: "mcpserver-test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	return c, res
}

func TestNewServesEveryPart(t *testing.T) {
	t.Parallel()
	srv, c, init := connect(t, mcpserver.Config{Sandbox: true, Version: "1.2.3"})
	if diff := cmp.Diff(mcp.Implementation{Name: "dingtalk-mcp", Title: "DingTalk", Version: "1.2.3"}, init.ServerInfo); diff != "" {
		t.Errorf("serverInfo (-want +got):\n%s", diff)
	}
	caps := init.Capabilities
	if caps.Tools == nil || caps.Prompts == nil || caps.Resources == nil || caps.Completions == nil || caps.Logging == nil {
		t.Errorf("capabilities = %+v, want tools, prompts, resources, completions and logging", caps)
	}
	if !strings.Contains(init.Instructions, "Confirm=true") {
		t.Errorf("instructions = %q, want how to confirm a write", init.Instructions)
	}
	ctx := context.Background()
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, tool := range list.Tools {
		listed = append(listed, tool.Name)
	}
	var all []string
	for _, d := range tools.All() {
		all = append(all, d.Spec().Name)
	}
	// tools/list sorts by name; Server.Tools keeps the declarations' order.
	if diff := cmp.Diff(sorted(all), sorted(listed)); diff != "" {
		t.Errorf("tools/list (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(all, srv.Tools); diff != "" {
		t.Errorf("Server.Tools (-want +got):\n%s", diff)
	}
	prompts, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(prompts.Prompts) == 0 || len(prompts.Prompts) != len(srv.Prompts) {
		t.Errorf("prompts/list has %d prompts, Server.Prompts %d", len(prompts.Prompts), len(srv.Prompts))
	}
}

func TestNewSelectsToolsAndPrompts(t *testing.T) {
	t.Parallel()
	srv, _, _ := connect(t, mcpserver.Config{Sandbox: true, Tools: tools.Selection{ReadOnly: true}})
	want := map[string]bool{}
	for _, d := range tools.All() {
		if s := d.Spec(); s.ReadOnly {
			want[s.Name] = true
		}
	}
	if len(srv.Tools) != len(want) {
		t.Errorf("read-only server registered %d tools, want %d", len(srv.Tools), len(want))
	}
	for _, name := range srv.Tools {
		if !want[name] {
			t.Errorf("read-only server registered %s, which writes", name)
		}
	}
	full, _, _ := connect(t, mcpserver.Config{Sandbox: true})
	if len(srv.Prompts) >= len(full.Prompts) {
		t.Errorf("read-only server offers %d prompts, the full one %d: the prompts that write must go", len(srv.Prompts), len(full.Prompts))
	}

	_, err := mcpserver.New(mcpserver.Config{Sandbox: true, Tools: tools.Selection{Toolsets: []string{"calendar"}}})
	if err == nil || !strings.Contains(err.Error(), `unknown toolset "calendar"`) {
		t.Errorf("unknown toolset: err = %v", err)
	}
}

func TestNewSandbox(t *testing.T) {
	t.Parallel()
	srv, c, _ := connect(t, mcpserver.Config{Sandbox: true})
	if srv.Env.AgentID != sandbox.AgentID || srv.Env.OperatorID != sandbox.SeedManagerID {
		t.Errorf("sandbox defaults = %d %q, want the demo app's %d and the manager %q", srv.Env.AgentID, srv.Env.OperatorID, sandbox.AgentID, sandbox.SeedManagerID)
	}
	if got := call(t, c, "get_user", `{"UserId":"zhangwei"}`); got["StatusCode"] != float64(200) {
		t.Fatalf("get_user against the emulator: %v", got)
	}
	srv.Close()
	srv.Close() // a second Close does nothing
	if got := call(t, c, "get_user", `{"UserId":"lina"}`); got["StatusCode"] == float64(200) {
		t.Errorf("get_user succeeded after Close stopped the emulator: %v", got)
	}

	given, _, _ := connect(t, mcpserver.Config{Sandbox: true, AgentID: 42, OperatorID: "lina"})
	if given.Env.AgentID != 42 || given.Env.OperatorID != "lina" {
		t.Errorf("configured defaults = %d %q, want 42 \"lina\"", given.Env.AgentID, given.Env.OperatorID)
	}
}

func TestAgentGuideResource(t *testing.T) {
	t.Parallel()
	_, c, _ := connect(t, mcpserver.Config{Sandbox: true})
	ctx := context.Background()
	list, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil || len(list.Resources) != 2 || list.Resources[0].URI != mcpserver.AgentGuideURI && list.Resources[1].URI != mcpserver.AgentGuideURI {
		t.Fatalf("resources/list: %+v %v", list, err)
	}
	var req mcp.ReadResourceRequest
	req.Params.URI = mcpserver.AgentGuideURI
	res, err := c.ReadResource(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	text := res.Contents[0].(mcp.TextResourceContents).Text
	// The guide names tools: each must exist.
	names := regexp.MustCompile("`([a-z]+(?:_[a-z]+)+)`").FindAllStringSubmatch(text, -1)
	if len(names) == 0 {
		t.Fatal("the guide names no tool")
	}
	for _, name := range names {
		if _, err := tools.Select(tools.Selection{Tools: []string{name[1]}}); err != nil {
			t.Errorf("the guide names %s: %v", name[1], err)
		}
	}
}

// call makes a tools/call and returns its structured result.
func call(t *testing.T, c *client.Client, name, args string) map[string]any {
	t.Helper()
	var req mcp.CallToolRequest
	req.Params.Name, req.Params.Arguments = name, json.RawMessage(args)
	res, err := c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: structuredContent is not an object: %s", name, b)
	}
	return out
}

func sorted(l []string) []string {
	l = append([]string(nil), l...)
	slices.Sort(l)
	return l
}
