package prompts

import (
	"regexp"
	"strings"
	"sync"
)

// RefKind is what a reference in a prompt's text names.
type RefKind int

const (
	// ToolRef is a tool, in backticks: `get_dept_users`.
	ToolRef RefKind = iota + 1
	// ParamRef is a parameter of the tool named last before it, in
	// backticks with its value: `DeptId=<id>`.
	ParamRef
	// FieldRef is a field of a tool's input or result, as a dotted path in
	// backticks from the top-level field: `DeptDetail.dept_manager_userid_list`.
	FieldRef
)

// Reference is one tool, parameter or field a prompt's text names.
type Reference struct {
	Kind RefKind
	// Name is the tool's name, the parameter's name, or the field's path.
	Name string
	// Tool is, for a ParamRef, the tool named last before it ("" if none).
	Tool string
	// Value is, for a ParamRef, the text after "=".
	Value string
	// Line is the 1-based line of the text it is on.
	Line int
}

var (
	codeSpan     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`([^`\n]+)`") })
	toolPattern  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$`) })
	paramPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Z][A-Za-z0-9]*)=(.*)$`) })
	// A field starts with a capital and a lower-case letter, so that values
	// in capitals (FOLDER, A1) are not taken for fields.
	fieldPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[A-Z][a-z][A-Za-z0-9]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	})
)

// References returns the tools, parameters and fields text names, in order,
// by the convention of the templates: each in its own backtick span, a
// parameter right after the tool it belongs to. Spans inside ``` or ~~~
// blocks (user text) are not references, nor are spans of any other shape
// (`A1:E1`, `axls`).
func References(text string) []Reference {
	var refs []Reference
	tool, fence := "", ""
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if f := fenceOf(trimmed); f != "" {
			fence = f
			continue
		}
		for _, m := range codeSpan().FindAllStringSubmatch(line, -1) {
			span := m[1]
			switch {
			case toolPattern().MatchString(span):
				tool = span
				refs = append(refs, Reference{Kind: ToolRef, Name: span, Line: i + 1})
			case paramPattern().MatchString(span):
				p := paramPattern().FindStringSubmatch(span)
				refs = append(refs, Reference{Kind: ParamRef, Name: p[1], Value: p[2], Tool: tool, Line: i + 1})
			case fieldPattern().MatchString(span):
				refs = append(refs, Reference{Kind: FieldRef, Name: span, Line: i + 1})
			}
		}
	}
	return refs
}

// fenceOf returns the fence a line opens (``` or ~~~ or longer), or "".
func fenceOf(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}
