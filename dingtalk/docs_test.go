package dingtalk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

const (
	docInsertAPI    = "POST /v1.0/doc/suites/documents/{docKey}/content"
	docOverwriteAPI = "POST /v1.0/doc/suites/documents/{docKey}/overwriteContent"
)

// newDoc creates an empty document in the seeded knowledge base.
func newDoc(t *testing.T, c *dingtalk.Client, sb *sandbox.Server) *dingtalk.CreatedDoc {
	t.Helper()
	d, err := c.Wiki.CreateDoc(context.Background(), dingtalk.CreateDocRequest{
		WorkspaceID: sandbox.SeedWorkspaceID, Name: "会议纪要", DocType: "DOC", OperatorID: sb.UnionID(sandbox.SeedManagerID)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func readMarkdown(t *testing.T, c *dingtalk.Client, op, key string) dingtalk.DocMarkdown {
	t.Helper()
	blocks, err := c.Docs.Blocks(context.Background(), op, key, dingtalk.BlockQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return dingtalk.RenderMarkdown(blocks, dingtalk.MaxDocMarkdown)
}

// TestDocWriteThenRead writes Markdown through one id of a new document
// and reads it back through the other: what DingTalk keeps of it (the
// text, not the inline formatting) comes back as the same structure.
func TestDocWriteThenRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, sb := newClient(t)
	op := sb.UnionID(sandbox.SeedManagerID)
	d := newDoc(t, c, sb)
	if got := readMarkdown(t, c, op, d.ID()); got.Markdown != "" || got.Blocks != 0 {
		t.Errorf("a new document reads %+v, want nothing", got)
	}
	minutes := "# 周会纪要\n\n参会：**张伟**、李娜\n\n## 决定\n\n1. 演示改到下午 3 点\n2. 下周发布\n    - 先发测试版\n\n> 会后发群通知\n\n| 事项 | 负责人 |\n| --- | --- |\n| 演示 | 张伟 |"
	if err := c.Docs.OverwriteMarkdown(ctx, op, d.DocKey, minutes); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(minutes, "**张伟**", "张伟", 1)
	if got := readMarkdown(t, c, op, d.ID()).Markdown; got != want {
		t.Errorf("read back:\n%s\nwant:\n%s", got, want)
	}
	if err := c.Docs.AppendMarkdown(ctx, op, d.ID(), "## 待办\n\n- 发通知"); err != nil {
		t.Fatal(err)
	}
	if got := readMarkdown(t, c, op, d.DocKey).Markdown; got != want+"\n\n## 待办\n\n- 发通知" {
		t.Errorf("after append:\n%s", got)
	}
	// Overwriting replaces everything.
	if err := c.Docs.OverwriteMarkdown(ctx, op, d.ID(), "只剩这一段"); err != nil {
		t.Fatal(err)
	}
	if got := readMarkdown(t, c, op, d.ID()).Markdown; got != "只剩这一段" {
		t.Errorf("after overwrite: %q", got)
	}
}

func TestDocBlocksRange(t *testing.T) {
	t.Parallel()
	c, sb := newClient(t)
	op := sb.UnionID(sandbox.SeedManagerID)
	blocks, err := c.Docs.Blocks(context.Background(), op, sandbox.SeedDocNodeID, dingtalk.BlockQuery{StartIndex: 2, EndIndex: 4})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, b := range blocks {
		got = append(got, b.Index)
	}
	if diff := cmp.Diff([]int{2, 3, 4}, got); diff != "" {
		t.Errorf("indexes mismatch (-want +got):\n%s", diff)
	}
	headings, err := c.Docs.Blocks(context.Background(), op, sandbox.SeedDocNodeID, dingtalk.BlockQuery{BlockType: "heading"})
	if err != nil {
		t.Fatal(err)
	}
	if len(headings) != 3 || headings[0].Heading == nil || headings[0].Heading.Level != 1 || headings[1].Heading.Level != 2 {
		t.Errorf("headings = %+v", headings)
	}
}

func TestDocMarkdownLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// 150,000 bytes each way take longer than the fast timeout of the
	// other tests on a loaded machine.
	c, sb := newClient(t, dingtalk.WithCallTimeout(10*time.Second))
	op := sb.UnionID(sandbox.SeedManagerID)
	d := newDoc(t, c, sb)
	over := strings.Repeat("字", dingtalk.MaxDocMarkdown+1)
	for name, write := range map[string]func(string) error{
		"append":    func(md string) error { return c.Docs.AppendMarkdown(ctx, op, d.ID(), md) },
		"overwrite": func(md string) error { return c.Docs.OverwriteMarkdown(ctx, op, d.ID(), md) },
	} {
		var ia *dingtalk.InvalidArgumentError
		if err := write(over); !errors.As(err, &ia) || !strings.Contains(ia.Message, "50000") {
			t.Errorf("%s of %d characters: err = %v, want the limit named", name, dingtalk.MaxDocMarkdown+1, err)
		}
		// The limit counts characters, not bytes: 50,000 Chinese
		// characters are 150,000 bytes and still fit.
		if err := write(over[len("字"):]); err != nil {
			t.Errorf("%s of exactly %d characters: %v", name, dingtalk.MaxDocMarkdown, err)
		}
	}
	if n := len(sb.Calls(docInsertAPI)) + len(sb.Calls(docOverwriteAPI)); n != 2 {
		t.Errorf("%d writes reached DingTalk, want only the 2 within the limit", n)
	}
}

func TestDocRefusals(t *testing.T) {
	t.Parallel()
	c, sb := newClient(t)
	op := sb.UnionID(sandbox.SeedManagerID)
	ctx := context.Background()
	nodes, err := c.Wiki.ListNodes(ctx, op, mustRoot(t, c, op, sandbox.SeedReadOnlyWorkspaceID), 0, "")
	if err != nil || len(nodes.Nodes) == 0 {
		t.Fatalf("read-only knowledge base: %v", err)
	}
	readOnlyDoc := nodes.Nodes[0].NodeID
	tests := []struct {
		name string
		call func() error
		code string
		kind dingtalk.Kind
	}{
		{"no such document", func() error { _, err := c.Docs.Blocks(ctx, op, "NoSuchDoc", dingtalk.BlockQuery{}); return err }, "docNotExist", dingtalk.KindNotFound},
		{"a workbook is no text document", func() error {
			_, err := c.Docs.Blocks(ctx, op, sandbox.SeedWorkbookID, dingtalk.BlockQuery{})
			return err
		},
			"invalidRequest.inputArgs.invalid", dingtalk.KindInvalid},
		{"a reader cannot write", func() error { return c.Docs.AppendMarkdown(ctx, op, readOnlyDoc, "x") }, "forbidden.accessDenied", dingtalk.KindPermission},
		{"a reader can read", func() error { _, err := c.Docs.Blocks(ctx, op, readOnlyDoc, dingtalk.BlockQuery{}); return err }, "", 0},
		{"an unknown operator", func() error {
			_, err := c.Docs.Blocks(ctx, "nobodyUnionId", sandbox.SeedDocNodeID, dingtalk.BlockQuery{})
			return err
		},
			"forbidden.accessDenied", dingtalk.KindPermission},
		{"an unknown block type", func() error {
			_, err := c.Docs.Blocks(ctx, op, sandbox.SeedDocNodeID, dingtalk.BlockQuery{BlockType: "code"})
			return err
		}, "invalidRequest.inputArgs.invalid", dingtalk.KindInvalid},
	}
	for _, tt := range tests {
		err := tt.call()
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if e := asError(t, err); e.Code != tt.code || e.Kind != tt.kind {
			t.Errorf("%s: code %s kind %v, want %s %v", tt.name, e.Code, e.Kind, tt.code, tt.kind)
		}
	}
}

func mustRoot(t *testing.T, c *dingtalk.Client, op, workspaceID string) string {
	t.Helper()
	ws, err := c.Wiki.GetWorkspace(context.Background(), op, workspaceID)
	if err != nil {
		t.Fatal(err)
	}
	return ws.RootNodeID
}

// TestDocWritesRetryOnlyWhenIdempotent: an append that may have reached
// DingTalk is never sent again; an overwrite, which leaves the same
// document however often it runs, is.
func TestDocWritesRetryOnlyWhenIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, sb := newClient(t)
	op := sb.UnionID(sandbox.SeedManagerID)
	d := newDoc(t, c, sb)
	sb.Inject(sandbox.Fault{API: docInsertAPI, Status: 500, Code: "systemError", Times: 5})
	err := c.Docs.AppendMarkdown(ctx, op, d.ID(), "once")
	if e := asError(t, err); !e.MaybeSent {
		t.Errorf("append failure: MaybeSent false (%v)", e)
	}
	if n := len(sb.Calls(docInsertAPI)); n != 1 {
		t.Errorf("append requests = %d, want 1", n)
	}
	sb.Inject(sandbox.Fault{API: docOverwriteAPI, Status: 503, Code: "operationTimeout"})
	if err := c.Docs.OverwriteMarkdown(ctx, op, d.ID(), "x"); err != nil {
		t.Errorf("overwrite after one timeout: %v", err)
	}
	if n := len(sb.Calls(docOverwriteAPI)); n != 2 {
		t.Errorf("overwrite requests = %d, want 2", n)
	}
	sb.ClearFaults()
	sb.Inject(sandbox.Fault{API: docInsertAPI, Body: `{"success":false}`})
	if e := asError(t, c.Docs.AppendMarkdown(ctx, op, d.ID(), "y")); !e.MaybeSent || e.HTTPStatus != 200 {
		t.Errorf("success=false: %+v", e)
	}
}
