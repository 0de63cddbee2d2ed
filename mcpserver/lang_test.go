package mcpserver_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
)

// TestChineseServer: a zh server says everything a client reads before a
// call in Chinese: its title, instructions, tools, resources and guide.
func TestChineseServer(t *testing.T) {
	t.Parallel()
	_, c, init := connect(t, mcpserver.Config{Sandbox: true, Version: "1", Lang: i18n.Zh})
	ctx := context.Background()
	texts := map[string]string{"title": init.ServerInfo.Title, "instructions": init.Instructions}
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range list.Tools {
		texts[tool.Name+" title"] = tool.Title
		texts[tool.Name+" description"] = tool.Description
		for _, schema := range []any{tool.InputSchema, tool.RawInputSchema, tool.RawOutputSchema} {
			b, _ := json.Marshal(schema)
			collectDescriptions(t, tool.Name, b, texts)
		}
	}
	resources, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resources.Resources {
		texts[r.URI+" name"], texts[r.URI+" description"] = r.Name, r.Description
	}
	var req mcp.ReadResourceRequest
	req.Params.URI = mcpserver.AgentGuideURI
	res, err := c.ReadResource(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	guide := res.Contents[0].(mcp.TextResourceContents).Text
	for i, p := range strings.Split(guide, "\n\n") {
		texts["guide paragraph "+string(rune('0'+i))] = p
	}
	if len(texts) < 250 {
		t.Fatalf("read only %d texts", len(texts))
	}
	for where, text := range texts {
		for _, p := range i18n.NotChinese(text) {
			t.Errorf("%s %q %s", where, text, p)
		}
	}
	if guide == mcpserver.Guide(i18n.En) {
		t.Error("the zh server serves the English guide")
	}
}

// collectDescriptions adds every description in a JSON schema to texts.
func collectDescriptions(t *testing.T, tool string, b []byte, texts map[string]string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil || v == nil {
		return
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if s, ok := e.(string); ok && k == "description" {
					texts[tool+path] = s
					continue
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range v {
				walk(path+"[]", e)
			}
		}
	}
	walk("", v)
}

// TestGuideIsTranslated: every paragraph of the guide has its Chinese text,
// and the English guide is the file as it is.
func TestGuideIsTranslated(t *testing.T) {
	t.Parallel()
	zh := i18n.Translations(i18n.Zh)
	for _, p := range mcpserver.GuideParagraphs() {
		if _, ok := zh[p]; !ok {
			t.Errorf("the guide's paragraph has no zh translation; add it to the table of i18n/zh_guide.go:\n\t%q: \"…\",", p)
		}
	}
}

// TestInBuildsALanguageOnce: another language's server is built at its
// first use, once, and serves the same tools in that language.
func TestInBuildsALanguageOnce(t *testing.T) {
	t.Parallel()
	srv, err := mcpserver.New(mcpserver.Config{Sandbox: true, Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	en, err := srv.In(i18n.En)
	if err != nil || en != srv.MCP {
		t.Fatalf("In(en) = %p, %v; want the server New built, %p", en, err, srv.MCP)
	}
	zh, err := srv.In(i18n.Zh)
	if err != nil || zh == srv.MCP {
		t.Fatalf("In(zh) = %p, %v; want a server of its own", zh, err)
	}
	again, _ := srv.In(i18n.Zh)
	if again != zh {
		t.Error("In(zh) built a second server")
	}
	c, _ := initialized(t, zh)
	list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != len(srv.Tools) {
		t.Errorf("the zh server lists %d tools, want the %d of the server", len(list.Tools), len(srv.Tools))
	}
	if tool := zh.GetTool("get_user"); tool == nil || tool.Tool.Title != "获取员工" {
		t.Errorf("zh get_user = %+v, want the title 获取员工", tool)
	}
}
