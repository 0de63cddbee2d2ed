package prompts

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

func TestReferences(t *testing.T) {
	t.Parallel()
	text := "1. Call `search_users` with `QueryWord=\"李娜\"`; read `SearchResult.list` and `StatusCode`.\n" +
		"Literals are no references: `A1:E1`, `axls`, `FOLDER`, `\"yes\"`, `-1`.\n" +
		"~~~\n" +
		"`delete_rows` with `Confirm=true` in user text\n" +
		"~~~\n" +
		"```\n" +
		"`recall_message`\n" +
		"~~~ still inside the backtick block\n" +
		"```\n" +
		"2. `get_user` with `UserId=<SearchResult.list>` and `Confirm=true`.\n" +
		"`Orphan=1` comes after get_user too.\n"
	want := []Reference{
		{Kind: ToolRef, Name: "search_users", Line: 1},
		{Kind: ParamRef, Name: "QueryWord", Tool: "search_users", Value: `"李娜"`, Line: 1},
		{Kind: FieldRef, Name: "SearchResult.list", Line: 1},
		{Kind: FieldRef, Name: "StatusCode", Line: 1},
		{Kind: ToolRef, Name: "get_user", Line: 10},
		{Kind: ParamRef, Name: "UserId", Tool: "get_user", Value: "<SearchResult.list>", Line: 10},
		{Kind: ParamRef, Name: "Confirm", Tool: "get_user", Value: "true", Line: 10},
		{Kind: ParamRef, Name: "Orphan", Tool: "get_user", Value: "1", Line: 11},
	}
	if diff := cmp.Diff(want, References(text)); diff != "" {
		t.Errorf("References (-want +got):\n%s", diff)
	}
	if got := References("`Confirm=true` before any tool"); len(got) != 1 || got[0].Tool != "" {
		t.Errorf("a parameter before any tool: got %+v, want one reference with no tool", got)
	}
}

func TestLit(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"销售部", `R&D "team"`, "a`b`c", "<b>x</b>", "line\nbreak"} {
		got := lit(v)
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil || back != v {
			t.Errorf("lit(%q) = %s, which reads back as %q (%v)", v, got, back, err)
		}
		for _, r := range got {
			if r == '`' || r == '\n' {
				t.Errorf("lit(%q) = %s holds a backtick or a newline", v, got)
			}
		}
	}
}

func TestFenced(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"hello", "~~~\nhello\n~~~"},
		{"a\n~~~\nb", "~~~~\na\n~~~\nb\n~~~~"},
		{"~~~~~", "~~~~~~\n~~~~~\n~~~~~~"},
	} {
		if got := fenced(tc.in); got != tc.want {
			t.Errorf("fenced(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if refs := References(fenced("`get_user` with `UserId=x`\n" + tc.in)); len(refs) != 0 {
			t.Errorf("fenced text yields references: %+v", refs)
		}
	}
}

// TestToolsAreTheTemplates: the Tools a prompt declares, which decide at
// start-up whether it is offered, are the tools its template names in
// every language, no more and no fewer.
func TestToolsAreTheTemplates(t *testing.T) {
	t.Parallel()
	for _, p := range all {
		for _, l := range i18n.Langs {
			named := []string{}
			for _, r := range References(TemplateSource(l, p.Name)) {
				if r.Kind == ToolRef && !slices.Contains(named, r.Name) {
					named = append(named, r.Name)
				}
			}
			declared := slices.Clone(p.Tools)
			slices.Sort(named)
			slices.Sort(declared)
			if len(named) == 0 {
				t.Fatalf("%s in %s: the template names no tool; the scan is broken", p.Name, l)
			}
			if diff := cmp.Diff(named, declared); diff != "" {
				t.Errorf("%s: Tools (+) differ from the tools its %s template names (-):\n%s", p.Name, l, diff)
			}
		}
	}
}
