package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// The DingTalk routes of the document content tools, as the sandbox
// records them.
const (
	apiDocBlocks    = "GET /v1.0/doc/suites/documents/{docKey}/blocks"
	apiDocInsert    = "POST /v1.0/doc/suites/documents/{docKey}/content"
	apiDocOverwrite = "POST /v1.0/doc/suites/documents/{docKey}/overwriteContent"
	apiNodeByURL    = "POST /v2.0/wiki/nodes/queryByUrl"
	seedDocLink     = "https://alidocs.dingtalk.com/i/nodes/" + sandbox.SeedDocNodeID
)

func docArgs(fields map[string]any) string {
	b, _ := json.Marshal(fields)
	return string(b)
}

func TestGetDocContent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.callOK("get_doc_content", docArgs(map[string]any{"NodeId": sandbox.SeedDocNodeID}))
	md := out["Markdown"].(string)
	for _, want := range []string{"# 产品介绍\n\n", "1. 通讯录与部门管理\n2. 群聊与工作通知\n    - 机器人消息\n3. 知识库与在线表格", "> 所有功能均可通过开放接口调用。",
		"| 版本 | 发布时间 | 说明 |\n| --- | --- | --- |\n| 1.0 | 2025-03 | 首个版本 |", "## 联系我们"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "curl") {
		t.Error("the code block, which DingTalk returns as Undefined, was rendered")
	}
	dirWantEqual(t, "skipped", out["Skipped"], map[string]any{"Undefined": float64(1)})
	if s := out["Summary"].(string); !strings.Contains(s, "to the end") || !strings.Contains(s, "left out") || out["NextBlock"] != nil {
		t.Errorf("Summary %q / NextBlock %v of a whole read", s, out["NextBlock"])
	}
}

// TestGetDocContentInPieces reads the seeded document a few characters at
// a time, following NextBlock: the pieces are the whole read, no block
// twice, none missed, and none over MaxChars.
func TestGetDocContentInPieces(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	whole := h.callOK("get_doc_content", docArgs(map[string]any{"NodeId": sandbox.SeedDocNodeID}))["Markdown"].(string)
	var pieces []string
	start, reads := 0, 0
	for ; reads < 20; reads++ {
		out := h.callOK("get_doc_content", docArgs(map[string]any{"DocUrl": seedDocLink + "?utm_scene=team_space", "StartBlock": start, "MaxChars": 200}))
		md := out["Markdown"].(string)
		if n := len([]rune(md)); n > 200 {
			t.Fatalf("read of %d characters, over MaxChars 200", n)
		}
		if md != "" {
			pieces = append(pieces, md)
		}
		next, ok := out["NextBlock"].(float64)
		if !ok {
			break
		}
		if !strings.Contains(out["Summary"].(string), fmt.Sprintf("StartBlock %d", int(next))) {
			t.Errorf("Summary %q does not say how to read on", out["Summary"])
		}
		start = int(next)
	}
	if reads < 1 || reads == 20 {
		t.Fatalf("%d reads: the document was not cut, or the reads did not end", reads+1)
	}
	if got := strings.Join(pieces, "\n\n"); strings.ReplaceAll(got, "\n\n", "\n") != strings.ReplaceAll(whole, "\n\n", "\n") {
		t.Errorf("the pieces joined:\n%s\ndiffer from one read:\n%s", got, whole)
	}
	if n := h.upstreamCalls(apiNodeByURL); n != 0 {
		t.Errorf("a node link was looked up %d times; its id is in the link", n)
	}
}

func TestDocWriteThenRead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.callOK("create_doc", `{"WorkspaceId":"`+sandbox.SeedWorkspaceID+`","Name":"周会纪要","DocType":"DOC","Confirm":true}`)
	node := created["NodeId"].(string)
	if out := h.callOK("get_doc_content", docArgs(map[string]any{"NodeId": node})); out["Markdown"] != "" || !strings.Contains(out["Summary"].(string), "empty") {
		t.Errorf("a new document reads %v", out)
	}
	minutes := "# 周会纪要\n\n## 决定\n\n1. 演示改到下午 3 点\n2. 下周发布"
	h.callOK("overwrite_doc_content", docArgs(map[string]any{"NodeId": node, "Markdown": minutes, "Confirm": true}))
	h.callOK("append_doc_content", docArgs(map[string]any{"NodeId": node, "Markdown": "## 待办\n\n- 发群通知", "Confirm": true}))
	got := h.callOK("get_doc_content", docArgs(map[string]any{"NodeId": node}))["Markdown"]
	if want := minutes + "\n\n## 待办\n\n- 发群通知"; got != want {
		t.Errorf("read back:\n%s\nwant:\n%s", got, want)
	}
}

func TestOverwriteDocContentPreviewsWhatIsReplaced(t *testing.T) {
	t.Parallel()
	var asked []string
	h := newHarness(t, withElicitation(elicitFunc(func(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
		asked = append(asked, req.Params.Message)
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionDecline}}, nil
	})))
	out, _ := h.call("overwrite_doc_content", docArgs(map[string]any{"NodeId": sandbox.SeedDocNodeID, "Markdown": "新版介绍。"}))
	if out["StatusCode"] != float64(-1) || len(asked) != 1 {
		t.Fatalf("declined overwrite: %v, asked %q", out, asked)
	}
	for _, want := range []string{"replace all 12 blocks", "characters, starting \"# 产品介绍", "with 5 characters of Markdown"} {
		if !strings.Contains(asked[0], want) {
			t.Errorf("the question %q does not say %q", asked[0], want)
		}
	}
	if n := h.upstreamCalls(apiDocOverwrite); n != 0 {
		t.Errorf("%d overwrites sent after a decline", n)
	}
	// The document the preview reads must exist: a missing one fails
	// before anyone is asked.
	out, _ = h.call("overwrite_doc_content", docArgs(map[string]any{"NodeId": "NoSuchDocument", "Markdown": "x"}))
	if out["StatusCode"] != float64(404) || len(asked) != 1 {
		t.Errorf("preview of a missing document: %v, asked %d times", out, len(asked))
	}
}

func TestDocContentRefusals(t *testing.T) {
	t.Parallel()
	over := strings.Repeat("字", 50001)
	tests := []struct {
		name, tool string
		args       map[string]any
		status     float64
		says       string
	}{
		{"Markdown over DingTalk's limit", "append_doc_content", map[string]any{"NodeId": sandbox.SeedDocNodeID, "Markdown": over, "Confirm": true}, -1, "50000"},
		{"Markdown over DingTalk's limit", "overwrite_doc_content", map[string]any{"NodeId": sandbox.SeedDocNodeID, "Markdown": over, "Confirm": true}, -1, "50000"},
		{"blank Markdown", "append_doc_content", map[string]any{"NodeId": sandbox.SeedDocNodeID, "Markdown": " \n", "Confirm": true}, -1, "Markdown"},
		{"no document", "get_doc_content", map[string]any{}, -1, "NodeId or DocUrl"},
		{"both ids", "get_doc_content", map[string]any{"NodeId": sandbox.SeedDocNodeID, "DocUrl": seedDocLink}, -1, "not both"},
		{"a link elsewhere", "get_doc_content", map[string]any{"DocUrl": "https://evil.example/i/nodes/x"}, -1, "DocUrl"},
		{"a knowledge base link", "get_doc_content", map[string]any{"DocUrl": "https://alidocs.dingtalk.com/i/spaces/" + sandbox.SeedWorkspaceID + "/overview"}, -1, "knowledge base"},
		{"a spreadsheet", "get_doc_content", map[string]any{"NodeId": sandbox.SeedWorkbookID}, 400, "invalidRequest.inputArgs.invalid"},
		{"a missing document", "get_doc_content", map[string]any{"NodeId": "NoSuchDocument"}, 404, "docNotExist"},
		{"a reader writing", "append_doc_content", map[string]any{"NodeId": sandbox.SeedDocNodeID, "Markdown": "x", "OperatorId": "huangmin", "Confirm": true}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.tool+"/"+tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			out, _ := h.call(tt.tool, docArgs(tt.args))
			if tt.status == 0 {
				// huangmin owns 财务制度 but is no member of 产品知识库.
				if out["StatusCode"] != float64(403) || !strings.Contains(out["Hint"].(string), "OperatorId") {
					t.Errorf("%v", out)
				}
				return
			}
			if out["StatusCode"] != tt.status || !strings.Contains(fmt.Sprint(out["ErrorMessage"]), tt.says) {
				t.Errorf("StatusCode %v, ErrorMessage %q; want %v saying %q", out["StatusCode"], out["ErrorMessage"], tt.status, tt.says)
			}
			if tt.status == -1 && h.upstreamCalls(apiDocInsert)+h.upstreamCalls(apiDocOverwrite)+h.upstreamCalls(apiDocBlocks) != 0 {
				t.Error("a refused call reached DingTalk")
			}
		})
	}
}
