package sandbox

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// docBlock is a top-level block of a document in the wire form of the
// blocks API (DocBlocksQuery): the member named by blockType holds its
// properties. Query results carry id and index.
type docBlock struct {
	ID            string      `json:"id"`
	Index         int         `json:"index"`
	BlockType     string      `json:"blockType"`
	Paragraph     *docText    `json:"paragraph,omitempty"`
	Heading       *docHeading `json:"heading,omitempty"`
	Blockquote    *docText    `json:"blockquote,omitempty"`
	OrderedList   *docList    `json:"orderedList,omitempty"`
	UnorderedList *docList    `json:"unorderedList,omitempty"`
	Table         *docTable   `json:"table,omitempty"`
}

type docText struct {
	Text string `json:"text"`
}

// docHeading's level is "heading-N" as queries return it (input takes a
// number).
type docHeading struct {
	Text  string `json:"text"`
	Level string `json:"level"`
}

type docList struct {
	Text string      `json:"text"`
	List docListInfo `json:"list"`
}

type docListInfo struct {
	ListID string `json:"listId"`
	Level  int    `json:"level"`
}

// docTable is a table; DingTalk spells the row count rolSize. Whether
// queries return cells is UNVERIFIED; the sandbox returns them.
type docTable struct {
	RolSize int        `json:"rolSize"`
	ColSize int        `json:"colSize"`
	Cells   [][]string `json:"cells"`
}

// blockUndefined is the type queries report for blocks of a type the
// blocks API does not describe: code blocks, dividers, files.
const blockUndefined = "Undefined"

// blockTypes are the types a query may filter on.
var blockTypes = []string{"paragraph", "heading", "blockquote", "callout", "columns", "orderedList", "unorderedList", "table"}

// The syntax DingTalk's Markdown import understands, as its guides list
// it: headings, quotes, lists, tables, emphasis, links and images. Inline
// formatting becomes formatting of the text, which queries return as plain
// text (the examples show text alone; UNVERIFIED whether children come
// too), so it is stripped here.
var mdSyntax = sync.OnceValue(func() *struct {
	heading, bullet, ordered, hr, fence, tableSep *regexp.Regexp
	image, link, strong, strike, em, code, escape *regexp.Regexp
} {
	return &struct {
		heading, bullet, ordered, hr, fence, tableSep *regexp.Regexp
		image, link, strong, strike, em, code, escape *regexp.Regexp
	}{
		heading:  regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$`),
		bullet:   regexp.MustCompile(`^( *)[-*+][ \t]+(.*)$`),
		ordered:  regexp.MustCompile(`^( *)\d{1,9}[.)][ \t]+(.*)$`),
		hr:       regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`),
		fence:    regexp.MustCompile("^ {0,3}(```|~~~)"),
		tableSep: regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$`),
		image:    regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`),
		link:     regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`),
		strong:   regexp.MustCompile(`\*\*(.+?)\*\*|__(.+?)__`),
		strike:   regexp.MustCompile(`~~(.+?)~~`),
		em:       regexp.MustCompile(`\*([^*\s](?:[^*]*[^*\s])?)\*`),
		code:     regexp.MustCompile("`([^`]+)`"),
		escape:   regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!|>~])`),
	}
})

// markdownBlocks renders Markdown into the blocks DingTalk would make of
// it. newID names each block.
func markdownBlocks(md string, newID func() string) []docBlock {
	syn := mdSyntax()
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	var out []docBlock
	var para []string
	listID := ""
	var columns []int // where the text of each open list item starts, outermost first
	add := func(b docBlock) {
		b.ID = newID()
		out = append(out, b)
	}
	flush := func() {
		if len(para) > 0 {
			add(docBlock{BlockType: "paragraph", Paragraph: &docText{Text: inlinePlain(strings.Join(para, "\n"))}})
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		item, kind := listItem(line)
		if item == nil {
			listID, columns = "", nil // any other block ends the list
		}
		switch {
		case syn.fence.MatchString(line):
			flush()
			fence := syn.fence.FindStringSubmatch(line)[1]
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
			}
			add(docBlock{BlockType: blockUndefined})
		case syn.hr.MatchString(line):
			flush()
			add(docBlock{BlockType: blockUndefined})
		case syn.heading.MatchString(line):
			flush()
			m := syn.heading.FindStringSubmatch(line)
			add(docBlock{BlockType: "heading", Heading: &docHeading{Text: inlinePlain(m[2]), Level: "heading-" + strconv.Itoa(len(m[1]))}})
		case strings.HasPrefix(strings.TrimSpace(line), ">"):
			flush()
			var quote []string
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), ">"); i++ {
				q := strings.TrimPrefix(strings.TrimSpace(lines[i]), ">")
				quote = append(quote, strings.TrimPrefix(q, " "))
			}
			i--
			add(docBlock{BlockType: "blockquote", Blockquote: &docText{Text: inlinePlain(strings.Join(quote, "\n"))}})
		case item != nil:
			flush()
			if listID == "" {
				listID = newID()
			}
			// An item is nested in every open item whose text it is
			// indented to, as CommonMark nests them.
			n := len(item[1])
			for len(columns) > 0 && n < columns[len(columns)-1] {
				columns = columns[:len(columns)-1]
			}
			l := &docList{Text: inlinePlain(item[2]), List: docListInfo{ListID: listID, Level: min(len(columns), 8)}}
			columns = append(columns, len(line)-len(item[2]))
			b := docBlock{BlockType: kind}
			if kind == "orderedList" {
				b.OrderedList = l
			} else {
				b.UnorderedList = l
			}
			add(b)
		case strings.Contains(line, "|") && i+1 < len(lines) && strings.Contains(lines[i+1], "-") && syn.tableSep.MatchString(lines[i+1]):
			flush()
			header := tableCells(line)
			rows := [][]string{header}
			for i += 2; i < len(lines) && strings.Contains(lines[i], "|"); i++ {
				row := tableCells(lines[i])
				row = append(row, make([]string, max(0, len(header)-len(row)))...)
				rows = append(rows, row[:len(header)])
			}
			i--
			add(docBlock{BlockType: "table", Table: &docTable{RolSize: len(rows), ColSize: len(header), Cells: rows}})
		default:
			para = append(para, strings.TrimLeft(line, " \t"))
		}
	}
	flush()
	return out
}

// listItem matches a list item: its indent and text, and its block type.
func listItem(line string) (item []string, kind string) {
	syn := mdSyntax()
	if syn.hr.MatchString(line) {
		return nil, ""
	}
	if m := syn.bullet.FindStringSubmatch(line); m != nil {
		return m, "unorderedList"
	}
	if m := syn.ordered.FindStringSubmatch(line); m != nil {
		return m, "orderedList"
	}
	return nil, ""
}

// tableCells splits a table row at the pipes that are not escaped.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	cells = append(cells, cur.String())
	for i, c := range cells {
		cells[i] = inlinePlain(strings.ReplaceAll(strings.TrimSpace(c), "<br>", "\n"))
	}
	return cells
}

// inlinePlain is the text of Markdown inline content without its markup.
func inlinePlain(s string) string {
	if !strings.ContainsAny(s, "*_~`[!\\") {
		return s // no markup: the common case of long plain text
	}
	syn := mdSyntax()
	// Escaped characters are set aside as private-use runes, so that no
	// rule below reads them as markup, and restored at the end.
	s = syn.escape.ReplaceAllStringFunc(s, func(m string) string { return string(rune(escapeBase + int(m[1]))) })
	s = syn.image.ReplaceAllString(s, "")
	s = syn.link.ReplaceAllString(s, "$1")
	s = syn.code.ReplaceAllString(s, "$1")
	s = syn.strong.ReplaceAllString(s, "$1$2")
	s = syn.strike.ReplaceAllString(s, "$1")
	s = syn.em.ReplaceAllString(s, "$1")
	return strings.Map(func(r rune) rune {
		if r >= escapeBase && r < escapeBase+128 {
			return r - escapeBase
		}
		return r
	}, s)
}

// escapeBase is the first of the private-use runes that stand for escaped
// ASCII characters while inline markup is stripped.
const escapeBase = 0xE000

// blocksText is the text of blocks, for a document's word count.
func blocksText(blocks []docBlock) string {
	var b strings.Builder
	for _, blk := range blocks {
		for _, t := range []*docText{blk.Paragraph, blk.Blockquote} {
			if t != nil {
				b.WriteString(t.Text)
			}
		}
		if blk.Heading != nil {
			b.WriteString(blk.Heading.Text)
		}
		for _, l := range []*docList{blk.OrderedList, blk.UnorderedList} {
			if l != nil {
				b.WriteString(l.Text)
			}
		}
		if blk.Table != nil {
			for _, row := range blk.Table.Cells {
				b.WriteString(strings.Join(row, ""))
			}
		}
	}
	return b.String()
}
