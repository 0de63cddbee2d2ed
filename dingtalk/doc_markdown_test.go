package dingtalk_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

// blocksOf decodes blocks as the blocks API sends them.
func blocksOf(t *testing.T, data string) []dingtalk.Block {
	t.Helper()
	var b []dingtalk.Block
	if err := json.Unmarshal([]byte(data), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRenderMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    string
		max     int
		want    string
		blocks  int
		cut     bool
		skipped map[string]int
	}{
		{
			name: "heading levels as DingTalk returns them and as it takes them",
			data: `[{"blockType":"heading","heading":{"level":"heading-2","text":"二级"}},{"blockType":"heading","heading":{"level":3,"text":"三级"}}]`,
			max:  1000, want: "## 二级\n\n### 三级", blocks: 2,
		},
		{
			name: "inline children keep their formatting",
			data: `[{"blockType":"paragraph","paragraph":{"text":"plain"},"children":[
				{"text":"b","bold":true},{"text":" and "},{"text":"s","stike":true,"italic":true},
				{"elementType":"link","properties":{"href":"https://x.example"},"children":[{"text":"site"}]},
				{"elementType":"image","properties":{"src":"a.png"}},{"elementType":"sticker","properties":{"code":"1"}}]}]`,
			max: 1000, want: "**b** and *~~s~~*[site](https://x.example)![](a.png)", blocks: 1,
		},
		{
			name: "lists sit on consecutive lines and number per list and depth",
			data: `[{"blockType":"orderedList","orderedList":{"text":"a","list":{"listId":"L","level":0}}},
				{"blockType":"orderedList","orderedList":{"text":"a1","list":{"listId":"L","level":1}}},
				{"blockType":"unorderedList","unorderedList":{"text":"bullet","list":{"listId":"L","level":2}}},
				{"blockType":"orderedList","orderedList":{"text":"b","list":{"listId":"L","level":0}}},
				{"blockType":"orderedList","orderedList":{"text":"b1","list":{"listId":"L","level":1}}},
				{"blockType":"orderedList","orderedList":{"text":"new","list":{"listId":"M","level":0}}},
				{"blockType":"paragraph","paragraph":{"text":"after"}}]`,
			max: 1000, want: "1. a\n    1. a1\n        - bullet\n2. b\n    1. b1\n1. new\n\nafter", blocks: 7,
		},
		{
			name: "quotes and tables",
			data: `[{"blockType":"blockquote","blockquote":{"text":"one\ntwo"}},
				{"blockType":"table","table":{"rolSize":2,"colSize":2,"cells":[["a|b","c"],["line\nbreak"]]}}]`,
			max: 1000, want: "> one\n> two\n\n| a\\|b | c |\n| --- | --- |\n| line<br>break |  |", blocks: 2,
		},
		{
			name: "blocks without a Markdown form are counted, empty paragraphs are blank lines",
			data: `[{"blockType":"callout","callout":{"color":"red"}},{"blockType":"Undefined"},{"blockType":"Undefined"},
				{"blockType":"paragraph","paragraph":{"text":""}},{"blockType":"table","table":{"rolSize":3,"colSize":3}},
				{"blockType":"paragraph","paragraph":{"text":"x"}}]`,
			max: 1000, want: "x", blocks: 6, skipped: map[string]int{"callout": 1, "Undefined": 2, "table": 1},
		},
		{
			name: "the bound stops before a block that would go over",
			data: `[{"blockType":"paragraph","paragraph":{"text":"一二三"}},{"blockType":"paragraph","paragraph":{"text":"四五"}}]`,
			max:  6, want: "一二三", blocks: 1, cut: true,
		},
		{
			name: "the bound counts the separator",
			data: `[{"blockType":"paragraph","paragraph":{"text":"一二三"}},{"blockType":"paragraph","paragraph":{"text":"四五"}}]`,
			max:  7, want: "一二三\n\n四五", blocks: 2,
		},
		{
			name: "a first block over the bound is cut in characters",
			data: `[{"blockType":"paragraph","paragraph":{"text":"一二三四五"}},{"blockType":"paragraph","paragraph":{"text":"x"}}]`,
			max:  2, want: "一二", blocks: 0, cut: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := dingtalk.RenderMarkdown(blocksOf(t, tt.data), tt.max)
			if tt.skipped == nil {
				tt.skipped = map[string]int{}
			}
			want := dingtalk.DocMarkdown{Markdown: tt.want, Blocks: tt.blocks, Cut: tt.cut, Skipped: tt.skipped}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("RenderMarkdown mismatch (-want +got):\n%s", diff)
			}
			if n := len([]rune(got.Markdown)); n > tt.max {
				t.Errorf("%d characters rendered, more than the bound %d", n, tt.max)
			}
		})
	}
}

func TestHeadingLevelRefusesOtherShapes(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`"h2"`, `true`, `"heading-x"`} {
		var b dingtalk.Block
		err := json.Unmarshal([]byte(`{"blockType":"heading","heading":{"text":"t","level":`+bad+`}}`), &b)
		if err == nil || !strings.Contains(err.Error(), "heading level") {
			t.Errorf("level %s: err = %v, want a heading level error", bad, err)
		}
	}
}

func TestDocKeyFromLink(t *testing.T) {
	t.Parallel()
	tests := []struct {
		link, want string
		ok         bool
	}{
		{"https://alidocs.dingtalk.com/i/nodes/EpGBa2Lm8aZxe5my", "EpGBa2Lm8aZxe5my", true},
		{" https://ALIDOCS.dingtalk.com/i/nodes/abc/?utm=1#h ", "abc", true},
		{"http://alidocs.dingtalk.io/i/nodes/abc", "abc", true},
		{"https://alidocs.dingtalk.com/i/spaces/abc/overview", "", false},
		{"https://alidocs.dingtalk.com/i/nodes/..", "", false},
		{"https://alidocs.dingtalk.com/i/nodes/", "", false},
		{"https://evil.example/i/nodes/abc", "", false},
		{"ftp://alidocs.dingtalk.com/i/nodes/abc", "", false},
		{"abc", "", false},
	}
	for _, tt := range tests {
		got, ok := dingtalk.DocKeyFromLink(tt.link)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DocKeyFromLink(%q) = %q, %v; want %q, %v", tt.link, got, ok, tt.want, tt.ok)
		}
	}
}
