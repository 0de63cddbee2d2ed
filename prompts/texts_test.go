package prompts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// TestPromptTextsAreTranslated: every title and description of a prompt
// and of its arguments, which prompts/list shows, has its text in every
// language.
func TestPromptTextsAreTranslated(t *testing.T) {
	t.Parallel()
	var texts []string
	for _, p := range all {
		texts = append(texts, p.Title, p.Description)
		for _, a := range p.Arguments {
			texts = append(texts, a.Title, a.Description)
		}
	}
	for _, l := range i18n.Langs[1:] {
		var missing []string
		for _, text := range texts {
			if _, ok := i18n.Translations(l)[text]; !ok {
				missing = append(missing, fmt.Sprintf("\t%q: \"…\",", text))
			}
		}
		if len(missing) > 0 {
			t.Errorf("%d texts of the prompts have no %s translation; add them to the table of i18n/%s_prompts.go, in the words of i18n/glossary.go:\n%s",
				len(missing), l, l, strings.Join(missing, "\n"))
		}
	}
}
