package prompts_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/prompts"
)

// named is what a prompt's text tells the model to use: the tools in the
// order it first names them (the order the workflow tests hold calls to),
// and the set of tool parameters (tool.Param=) and fields it names.
type named struct {
	Tools  []string
	Params []string
	Fields []string
}

func namesIn(text string) named {
	var n named
	for _, r := range prompts.References(text) {
		switch r.Kind {
		case prompts.ToolRef:
			if !slices.Contains(n.Tools, r.Name) {
				n.Tools = append(n.Tools, r.Name)
			}
		case prompts.ParamRef:
			n.Params = append(n.Params, r.Tool+"."+r.Name)
		case prompts.FieldRef:
			n.Fields = append(n.Fields, r.Name)
		}
	}
	for _, set := range []*[]string{&n.Params, &n.Fields} {
		slices.Sort(*set)
		*set = slices.Compact(*set)
	}
	return n
}

// TestTranslationsNameTheSame: a prompt's template in every language names
// the tools the English one does, in the same order, with the same
// parameters and fields, in its source (every branch) and in each golden
// case's render (the branches its arguments take).
func TestTranslationsNameTheSame(t *testing.T) {
	t.Parallel()
	en := newStack(t)
	for _, l := range i18n.Langs[1:] {
		for _, name := range append(prompts.Names(), "_common") {
			if diff := cmp.Diff(namesIn(prompts.TemplateSource(i18n.En, name)), namesIn(prompts.TemplateSource(l, name))); diff != "" {
				t.Errorf("%s names otherwise than %s (-en +%s):\n%s", templateFile(l, name), templateFile(i18n.En, name), l, diff)
			}
		}
		st := newStack(t, withLang(l))
		for _, tc := range goldenCases {
			if diff := cmp.Diff(namesIn(en.mustPrompt(tc.prompt, tc.args)), namesIn(st.mustPrompt(tc.prompt, tc.args))); diff != "" {
				t.Errorf("%s.%s rendered in %s names otherwise than in English (-en +%s):\n%s", tc.prompt, tc.name, l, l, diff)
			}
		}
	}
	// The comparison sees a field, a parameter or a step left out.
	source := prompts.TemplateSource(i18n.Zh, "find_colleague")
	for _, cut := range []string{"`UserData.email`、", "，传入 `QueryWord={{lit .name}}`", "\n4."} {
		if !strings.Contains(source, cut) {
			t.Fatalf("the zh find_colleague template no longer holds %q; pick another cut", cut)
		}
		lacking := strings.Replace(source, cut, "", 1)
		if cut == "\n4." {
			lacking = source[:strings.Index(source, cut)]
		}
		if cmp.Equal(namesIn(prompts.TemplateSource(i18n.En, "find_colleague")), namesIn(lacking)) {
			t.Errorf("the comparison misses a template without %q", cut)
		}
	}
}

var (
	templateAction = regexp.MustCompile(`\{\{.*?\}\}`)
	codeSpan       = regexp.MustCompile("`[^`\n]*`")
	jsonString     = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

// prose returns the lines of a prompt's text that are in its language:
// without the user's text (the ~~~ blocks), the code spans (tools,
// parameters, fields and the values to send, which are the same in every
// language), the user's values (JSON literals) and, in a template, its
// actions. What remains, down to a heading or a list item, is text the
// model reads as instructions.
func prose(text string) []string {
	var lines []string
	fence := ""
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case fence != "":
			if trimmed == fence {
				fence = ""
			}
			continue
		case len(trimmed) >= 3 && strings.Trim(trimmed, "~") == "":
			fence = trimmed
			continue
		}
		line = templateAction.ReplaceAllString(line, "")
		line = codeSpan.ReplaceAllString(line, " ")
		line = jsonString.ReplaceAllString(line, " ")
		if strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// notChinese returns the lines of text's prose that i18n.NotChinese flags.
func notChinese(text string) []string {
	var bad []string
	for _, line := range prose(text) {
		if p := i18n.NotChinese(line); len(p) > 0 {
			bad = append(bad, strings.Join(p, ", ")+": "+line)
		}
	}
	return bad
}

// offGlossary returns the wordings of text that DingTalk does not use, each
// with the term it uses instead (i18n.Glossary).
func offGlossary(text string) []string {
	var bad []string
	for _, term := range i18n.Glossary {
		for _, not := range term.Not {
			if strings.Contains(text, not) {
				bad = append(bad, fmt.Sprintf("%q; DingTalk says %q (%s)", not, term.Zh, term.En))
			}
		}
	}
	return bad
}

// TestChinesePromptsAreChinese: every line of a Chinese prompt's text is
// Chinese, identifiers and the user's values aside, in the glossary's
// words: in each template (all branches) and each golden case's render; so
// are the description prompts/get returns and the argument errors.
func TestChinesePromptsAreChinese(t *testing.T) {
	t.Parallel()
	for _, name := range append(prompts.Names(), "_common") {
		for _, bad := range notChinese(prompts.TemplateSource(i18n.Zh, name)) {
			t.Errorf("%s: %s", templateFile(i18n.Zh, name), bad)
		}
	}
	for _, name := range append(prompts.Names(), "_common") {
		for _, bad := range offGlossary(prompts.TemplateSource(i18n.Zh, name)) {
			t.Errorf("%s says %s", templateFile(i18n.Zh, name), bad)
		}
	}
	if len(offGlossary("在群组中发消息")) != 1 {
		t.Error("offGlossary misses 群组, which DingTalk calls 群聊")
	}
	zh, en := newStack(t, withLang(i18n.Zh)), newStack(t)
	for _, tc := range goldenCases {
		text := zh.mustPrompt(tc.prompt, tc.args)
		for _, bad := range notChinese(text) {
			t.Errorf("%s.%s in zh: %s", tc.prompt, tc.name, bad)
		}
		// The check fails on English: most of an English render's lines, and
		// one English sentence in a Chinese one.
		english := en.mustPrompt(tc.prompt, tc.args)
		if n, all := len(notChinese(english)), len(prose(english)); n < all/2 {
			t.Errorf("%s.%s: the check flags %d of the %d lines of the English text; it does not see English", tc.prompt, tc.name, n, all)
		}
		if n := len(notChinese(text + "\nIf it fails, call `get_user` again.\n")); n != 1 {
			t.Errorf("%s.%s: the check flags %d lines of the Chinese text with one English line added, want 1", tc.prompt, tc.name, n)
		}
	}

	var req mcp.GetPromptRequest
	req.Params.Name, req.Params.Arguments = "find_colleague", map[string]string{"name": "李娜"}
	res, err := zh.client.GetPrompt(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if p := i18n.NotChinese(res.Description); len(p) > 0 {
		t.Errorf("the zh prompts/get description %q %v", res.Description, p)
	}
	req.Params.Arguments = map[string]string{"name": "李娜", "dept": "销售部"}
	if _, err := zh.client.GetPrompt(context.Background(), req); err == nil || len(i18n.NotChinese(err.Error())) > 0 {
		t.Errorf("the zh argument error %v is not Chinese: %v", err, i18n.NotChinese(err.Error()))
	}
}
