package tools

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// TestEveryHintIsTranslated: every Hint a declaration or a toolset gives
// has its text in every language, which hint looks up.
func TestEveryHintIsTranslated(t *testing.T) {
	t.Parallel()
	var hints []string
	for _, d := range All() {
		for _, h := range d.hints() {
			hints = append(hints, h)
		}
	}
	for _, set := range toolsetHints {
		for _, h := range set {
			hints = append(hints, h)
		}
	}
	slices.Sort(hints)
	hints = slices.Compact(hints)
	if len(hints) < 20 {
		t.Fatalf("found only %d Hints", len(hints))
	}
	for _, l := range i18n.Langs[1:] {
		var missing []string
		for _, h := range hints {
			if _, ok := i18n.Translations(l)[h]; !ok {
				missing = append(missing, fmt.Sprintf("\t%q: \"…\",", h))
			}
		}
		if len(missing) > 0 {
			t.Errorf("%d Hints have no %s translation; add them to the table of i18n/%s_hints.go, in the words of i18n/glossary.go:\n%s", len(missing), l, l, strings.Join(missing, "\n"))
		}
	}
}

// TestHintInTheServersLanguage: a failure's Hint, the tool's own or the
// default, comes in the language of the server.
func TestHintInTheServersLanguage(t *testing.T) {
	t.Parallel()
	invalid := &dingtalk.Error{Kind: dingtalk.KindInvalid}
	if got, want := createChat.hint(i18n.Zh, invalid, false), i18n.Translations(i18n.Zh)[createChat.Hints[dingtalk.KindInvalid]]; got != want || want == "" {
		t.Errorf("create_chat's own Hint in zh = %q, want %q", got, want)
	}
	if got := getUser.hint(i18n.Zh, &dingtalk.Error{Kind: dingtalk.KindTimeout}, false); !strings.Contains(got, "get_user") || len(i18n.NotChinese(got)) > 0 {
		t.Errorf("get_user's default timeout Hint in zh = %q: %v", got, i18n.NotChinese(got))
	}
	if got := createChat.hint(i18n.En, invalid, false); got != createChat.Hints[dingtalk.KindInvalid] {
		t.Errorf("create_chat's own Hint in en = %q", got)
	}
}
