package sandbox

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// counter numbers ids b1, b2, … so that expected blocks can name them.
func counter() func() string {
	n := 0
	return func() string { n++; return "b" + strconv.Itoa(n) }
}

func TestMarkdownBlocks(t *testing.T) {
	t.Parallel()
	para := func(id, text string) docBlock {
		return docBlock{ID: id, BlockType: "paragraph", Paragraph: &docText{Text: text}}
	}
	ul := func(id, list string, level int, text string) docBlock {
		return docBlock{ID: id, BlockType: "unorderedList", UnorderedList: &docList{Text: text, List: docListInfo{ListID: list, Level: level}}}
	}
	ol := func(id, list string, level int, text string) docBlock {
		return docBlock{ID: id, BlockType: "orderedList", OrderedList: &docList{Text: text, List: docListInfo{ListID: list, Level: level}}}
	}
	tests := []struct {
		name string
		md   string
		want []docBlock
	}{
		{"empty", "", nil},
		{"headings take a string level", "# 标题\n\n###### six ##", []docBlock{
			{ID: "b1", BlockType: "heading", Heading: &docHeading{Text: "标题", Level: "heading-1"}},
			{ID: "b2", BlockType: "heading", Heading: &docHeading{Text: "six", Level: "heading-6"}},
		}},
		{"seven hashes are a paragraph", "####### no", []docBlock{para("b1", "####### no")}},
		{"paragraph lines join; inline markup is stripped", "**粗体** and *it* ~~gone~~\n[链接](https://x.example) `code` ![img](a.png)\\*lit\\*",
			[]docBlock{para("b1", "粗体 and it gone\n链接 code *lit*")}},
		{"quote lines join", "> one\n> two\nafter", []docBlock{
			{ID: "b1", BlockType: "blockquote", Blockquote: &docText{Text: "one\ntwo"}},
			para("b2", "after"),
		}},
		{"one list across kinds and levels; a paragraph starts another", "- a\n  - b\n      - c\n   - b2\n1. c\n\npara\n\n* d", []docBlock{
			ul("b2", "b1", 0, "a"), ul("b3", "b1", 1, "b"), ul("b4", "b1", 2, "c"), ul("b5", "b1", 1, "b2"), ol("b6", "b1", 0, "c"),
			para("b7", "para"), ul("b9", "b8", 0, "d"),
		}},
		{"table pads and cuts rows to the header", "| a | b\\|c |\n|---|:-:|\n| 1 |\n| 2 | 3 | 4 |", []docBlock{
			{ID: "b1", BlockType: "table", Table: &docTable{RolSize: 3, ColSize: 2, Cells: [][]string{{"a", "b|c"}, {"1", ""}, {"2", "3"}}}},
		}},
		{"code and dividers are Undefined", "```go\n# not a heading\n```\n---\ntext", []docBlock{
			{ID: "b1", BlockType: blockUndefined}, {ID: "b2", BlockType: blockUndefined}, para("b3", "text"),
		}},
		{"an unclosed fence runs to the end", "~~~\n- x", []docBlock{{ID: "b1", BlockType: blockUndefined}}},
		{"CRLF", "# t\r\n\r\nx\r\n", []docBlock{
			{ID: "b1", BlockType: "heading", Heading: &docHeading{Text: "t", Level: "heading-1"}}, para("b2", "x"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, markdownBlocks(tt.md, counter())); diff != "" {
				t.Errorf("markdownBlocks(%q) mismatch (-want +got):\n%s", tt.md, diff)
			}
		})
	}
}

// TestSeededDocHoldsEveryKind checks the seeded document the tools' tests
// read: every kind of block the blocks API describes that Markdown makes.
func TestSeededDocHoldsEveryKind(t *testing.T) {
	t.Parallel()
	types, ok := New().DocBlockTypes(SeedDocNodeID)
	if !ok {
		t.Fatal("the seeded document has no body")
	}
	want := []string{"heading", "paragraph", "heading", "orderedList", "orderedList", "unorderedList", "orderedList",
		"blockquote", "table", blockUndefined, "heading", "paragraph"}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("block types mismatch (-want +got):\n%s", diff)
	}
}
