package dingtalk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Block is a top-level block of a DingTalk document as the blocks API
// returns it: its type names the one member that carries its properties.
type Block struct {
	ID            string        `json:"id"`
	Index         int           `json:"index"`
	BlockType     string        `json:"blockType"`
	Paragraph     *TextBlock    `json:"paragraph,omitempty"`
	Heading       *HeadingBlock `json:"heading,omitempty"`
	Blockquote    *TextBlock    `json:"blockquote,omitempty"`
	OrderedList   *ListBlock    `json:"orderedList,omitempty"`
	UnorderedList *ListBlock    `json:"unorderedList,omitempty"`
	Table         *TableBlock   `json:"table,omitempty"`
	// Children are inline elements of a paragraph, heading or list item.
	// Whether DingTalk returns them is UNVERIFIED (its examples show only
	// text); when it does they are rendered with their formatting.
	Children []Inline `json:"children,omitempty"`
}

// TextBlock is a paragraph or a quote.
type TextBlock struct {
	Text string `json:"text"`
}

// HeadingBlock is a heading of level 1 to 6.
type HeadingBlock struct {
	Text  string       `json:"text"`
	Level HeadingLevel `json:"level"`
}

// HeadingLevel is a heading's level. DingTalk takes it as a number and
// returns it as "heading-N"; both are read.
type HeadingLevel int

// UnmarshalJSON accepts 2 and "heading-2".
func (l *HeadingLevel) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("heading level %s is neither a number nor a string", b)
		}
		*l = HeadingLevel(n)
		return nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(s, "heading-"))
	if err != nil {
		return fmt.Errorf("heading level %q is not heading-N", s)
	}
	*l = HeadingLevel(n)
	return nil
}

// ListBlock is one item of an ordered or unordered list. Items of one list
// share a ListID; Level is the nesting depth from 0.
type ListBlock struct {
	Text string `json:"text"`
	List struct {
		ListID string `json:"listId"`
		Level  int    `json:"level"`
	} `json:"list"`
}

// TableBlock is a table. DingTalk spells its row count rolSize.
type TableBlock struct {
	Rows  int        `json:"rolSize"`
	Cols  int        `json:"colSize"`
	Cells [][]string `json:"cells"`
}

// Inline is an inline element: a run of text with its formatting, or an
// element (link, image, sticker) named by ElementType.
type Inline struct {
	Text        string `json:"text"`
	Bold        bool   `json:"bold"`
	Italic      bool   `json:"italic"`
	Strike      bool   `json:"stike"` // sic
	ElementType string `json:"elementType"`
	Properties  struct {
		Href string `json:"href"`
		Src  string `json:"src"`
	} `json:"properties"`
	Children []Inline `json:"children"`
}

// DocMarkdown is a document's blocks rendered as Markdown.
type DocMarkdown struct {
	Markdown string
	// Blocks is how many blocks were consumed, rendered or skipped.
	Blocks int
	// Cut is true when the size bound stopped the rendering before the
	// last block; the next read starts at block Blocks (plus the read's
	// start).
	Cut bool
	// Skipped counts, by block type, the blocks that have no Markdown
	// form here: callouts and columns (whose content the blocks API does
	// not return) and the types it reports as Undefined (code blocks,
	// dividers, embedded files).
	Skipped map[string]int
}

// RenderMarkdown renders blocks as Markdown of at most maxChars
// characters. It stops before the first block that would go over, so that
// no block is cut in two, unless the first block alone is over: then its
// start is returned, cut at maxChars.
func RenderMarkdown(blocks []Block, maxChars int) DocMarkdown {
	out := DocMarkdown{Skipped: map[string]int{}}
	var b strings.Builder
	used := 0
	r := newListNumbers()
	prevList := false
	for i := range blocks {
		blk := &blocks[i]
		text, list, ok := renderBlock(blk, r)
		if !ok {
			out.Skipped[blk.BlockType]++
		}
		if text == "" { // an empty paragraph is a blank line
			out.Blocks++
			continue
		}
		sep := ""
		if b.Len() > 0 {
			sep = "\n\n"
			if list && prevList {
				sep = "\n"
			}
		}
		n := utf8.RuneCountInString(sep) + utf8.RuneCountInString(text)
		if used+n > maxChars {
			if b.Len() == 0 {
				b.WriteString(cutRunes(text, maxChars))
			}
			out.Cut = true
			break
		}
		b.WriteString(sep)
		b.WriteString(text)
		used += n
		prevList = list
		out.Blocks++
	}
	out.Markdown = b.String()
	return out
}

// renderBlock returns one block's Markdown; list reports a list item, which
// sits on the line after the previous one. ok is false for a block with no
// Markdown form.
func renderBlock(blk *Block, r *listNumbers) (md string, list, ok bool) {
	switch {
	case blk.Heading != nil:
		r.reset()
		level := min(max(int(blk.Heading.Level), 1), 6)
		return strings.Repeat("#", level) + " " + inlineText(blk.Heading.Text, blk.Children), false, true
	case blk.Paragraph != nil:
		r.reset()
		return inlineText(blk.Paragraph.Text, blk.Children), false, true
	case blk.Blockquote != nil:
		r.reset()
		return "> " + strings.ReplaceAll(inlineText(blk.Blockquote.Text, blk.Children), "\n", "\n> "), false, true
	case blk.UnorderedList != nil:
		l := blk.UnorderedList
		r.item(l.List.ListID, l.List.Level)
		return indent(l.List.Level) + "- " + inlineText(l.Text, blk.Children), true, true
	case blk.OrderedList != nil:
		l := blk.OrderedList
		n := r.item(l.List.ListID, l.List.Level)
		return indent(l.List.Level) + strconv.Itoa(n) + ". " + inlineText(l.Text, blk.Children), true, true
	case blk.Table != nil && len(blk.Table.Cells) > 0:
		r.reset()
		return renderTable(blk.Table.Cells), false, true
	}
	return "", false, false
}

// indent nests a list item: four spaces a level clear the marker of any
// parent item ("- ", "1. ", "10. ").
func indent(level int) string { return strings.Repeat("    ", min(max(level, 0), 8)) }

// inlineText renders children with their formatting when DingTalk gave
// them, and the plain text otherwise.
func inlineText(text string, children []Inline) string {
	if len(children) == 0 {
		return text
	}
	var b bytes.Buffer
	for _, c := range children {
		writeInline(&b, &c)
	}
	return b.String()
}

func writeInline(b *bytes.Buffer, c *Inline) {
	switch c.ElementType {
	case "link":
		var label bytes.Buffer
		for _, ch := range c.Children {
			writeInline(&label, &ch)
		}
		fmt.Fprintf(b, "[%s](%s)", label.String(), c.Properties.Href)
		return
	case "image":
		fmt.Fprintf(b, "![](%s)", c.Properties.Src)
		return
	case "":
	default:
		return // stickers and the like have no text
	}
	if c.Text == "" {
		return
	}
	mark := ""
	if c.Bold {
		mark += "**"
	}
	if c.Italic {
		mark += "*"
	}
	if c.Strike {
		mark += "~~"
	}
	b.WriteString(mark)
	b.WriteString(c.Text)
	for i := len(mark) - 1; i >= 0; i-- {
		b.WriteByte(mark[i])
	}
}

// renderTable renders cells as a pipe table whose first row is the header.
func renderTable(cells [][]string) string {
	cols := 0
	for _, row := range cells {
		cols = max(cols, len(row))
	}
	var b strings.Builder
	for i, row := range cells {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteByte('|')
		for j := range cols {
			cell := ""
			if j < len(row) {
				cell = row[j]
			}
			cell = strings.ReplaceAll(strings.ReplaceAll(cell, "|", `\|`), "\n", "<br>")
			b.WriteString(" " + cell + " |")
		}
		if i == 0 {
			b.WriteString("\n|" + strings.Repeat(" --- |", cols))
		}
	}
	return b.String()
}

// listNumbers numbers the items of ordered lists: per list and depth,
// restarting a depth when a shallower item of the list comes between.
type listNumbers struct {
	list  string
	count []int
}

func newListNumbers() *listNumbers { return &listNumbers{} }

func (r *listNumbers) reset() { r.list, r.count = "", nil }

func (r *listNumbers) item(listID string, level int) int {
	level = min(max(level, 0), 8)
	if listID != r.list {
		r.list, r.count = listID, nil
	}
	for len(r.count) <= level {
		r.count = append(r.count, 0)
	}
	r.count = r.count[:level+1]
	r.count[level]++
	return r.count[level]
}

// cutRunes returns the first n characters of s.
func cutRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
