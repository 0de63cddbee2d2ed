package i18n

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// verbs returns what a format does with each argument: argument number
// (1-based) to verb, as fmt applies them. %% is no argument.
func verbs(format string) map[int]string {
	out := map[int]string{}
	arg := 1
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		if m[0] == "%%" {
			continue
		}
		if m[1] != "" {
			arg, _ = strconv.Atoi(m[1])
		}
		out[arg] = m[2]
		arg++
	}
	return out
}

// TestTranslations: every Chinese text keeps its English text's format
// verbs, is Chinese, and says things in DingTalk's words.
func TestTranslations(t *testing.T) {
	t.Parallel()
	for _, l := range Langs[1:] {
		for en, tr := range Translations(l) {
			if got := l.Text(en); got != tr {
				t.Errorf("the catalog renders the %s text of %q as %q, not as written: %q", l, en, got, tr)
			}
			if diff := cmp.Diff(verbs(en), verbs(tr)); diff != "" {
				t.Errorf("%s text of %q formats its arguments otherwise than the English (-en +%s); use the same verbs, with [n] indexes if the order differs:\n%s", l, en, l, diff)
			}
			for _, p := range NotChinese(tr) {
				t.Errorf("%s text %q %s; translate it, keeping only identifiers in English (the text of %q)", l, tr, p, en)
			}
			for _, term := range Glossary {
				for _, not := range term.Not {
					if strings.Contains(tr, not) {
						t.Errorf("%s text %q says %q; DingTalk says %q (%s, i18n/glossary.go)", l, tr, not, term.Zh, term.En)
					}
				}
			}
		}
	}
}

// TestGlossaryIsUsed: every term of the glossary is the word of some
// Chinese text, so that the glossary is the catalog's vocabulary.
func TestGlossaryIsUsed(t *testing.T) {
	t.Parallel()
	for _, term := range Glossary {
		used := false
		for _, tr := range zh {
			if strings.Contains(tr, term.Zh) {
				used = true
				break
			}
		}
		if !used {
			t.Errorf("no Chinese text uses the glossary's %q (%s): use it where the texts speak of %s, or drop the term", term.Zh, term.En, term.En)
		}
	}
}

// TestChecksFail: the checks above flag what they are for.
func TestChecksFail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		bad  bool
	}{
		{"创建群聊，返回 chatid 和 openConversationId。", false},
		{"A1 区域：A1:C3、B2、A:C 或 3:5。", false},
		{"visible 或 hidden。", false},
		{"DocType 为 WORKBOOK 时返回 get_worksheets 的 WorkbookId。", false},
		{"请在 https://open.dingtalk.com 查看。", false},
		{"Create group chat", true},
		{"创建 the group chat。", true},
		{"钉钉 is rate limiting。", true},
		{"（%s）", false},
		{" (%s)", false},
		{"%s and more", true},
		{"5. 回答 the user.", true},
		{"见 the list.md。", false},
	} {
		if got := len(NotChinese(tc.text)) > 0; got != tc.bad {
			t.Errorf("NotChinese(%q) flags it: %v, want %v (%v)", tc.text, got, tc.bad, NotChinese(tc.text))
		}
	}
	if diff := cmp.Diff(verbs("%d rows of %s"), verbs("%s 的 %d 行")); diff == "" {
		t.Error("verbs does not tell arguments swapped without indexes from the English order")
	}
	if diff := cmp.Diff(verbs("%d rows of %s"), verbs("%[2]s 的 %[1]d 行")); diff != "" {
		t.Errorf("verbs tells an indexed reordering from the English: %s", diff)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Lang
		err  bool
	}{{"", En, false}, {"en", En, false}, {"zh", Zh, false}, {" ZH ", Zh, false}, {"fr", "", true}, {"zh-TW", "", true}} {
		got, err := Parse(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("Parse(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !strings.Contains(err.Error(), "en, zh") {
			t.Errorf("Parse(%q) error %q does not list the languages", tc.in, err)
		}
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query, accept string
		def           Lang
		want          Lang
		err           bool
	}{
		{"", "", En, En, false},
		{"", "", Zh, Zh, false},
		{"zh", "en-US", En, Zh, false},
		{"en", "zh-CN", Zh, En, false},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", En, Zh, false},
		{"", "zh-Hans", En, Zh, false},
		{"", "en-GB,en;q=0.9", Zh, En, false},
		{"", "fr-FR", Zh, Zh, false},
		{"", "*", Zh, Zh, false},
		{"", "not a header;;", En, En, false},
		{"fr", "zh-CN", En, "", true},
	} {
		got, err := Negotiate(tc.query, tc.accept, tc.def)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("Negotiate(%q, %q, %q) = %q, %v; want %q, error %v", tc.query, tc.accept, tc.def, got, err, tc.want, tc.err)
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	if got, want := Zh.Textf("DingTalk error %s: %s", "88/60011", "no permission"), "钉钉报错 88/60011：no permission"; got != want {
		t.Errorf("Zh.Textf = %q, want %q", got, want)
	}
	if got, want := En.Textf("DingTalk error %s: %s", "88/60011", "x"), "DingTalk error 88/60011: x"; got != want {
		t.Errorf("En.Textf = %q, want %q", got, want)
	}
	if got, want := Zh.Textf("Would %s. Show this to the user and, if they agree, call %s again with the same parameters and Confirm=true.", "删除 1000 行", "delete_rows"), "将会删除 1000 行。请展示给用户；用户同意后，用相同参数加 Confirm=true 再次调用 delete_rows。"; got != want {
		t.Errorf("numbers and names must print as given: got %q, want %q", got, want)
	}
	if got := Zh.Text("a text nobody translated"); got != "a text nobody translated" {
		t.Errorf("an untranslated key gives %q, want itself", got)
	}
}
