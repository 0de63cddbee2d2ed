package tools_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// dingtalkSaid is what follows 钉钉错误…： in an ErrorMessage: DingTalk's own
// message, which stays as DingTalk sent it.
var dingtalkSaid = regexp.MustCompile(`钉钉错误[^：]*：.*`)

// notChinese reports what makes the text field of out not Chinese, with
// the data it quotes left out, and DingTalk's own message if it carries
// one.
func notChinese(out map[string]any, field string, dingtalkMessage bool) []string {
	text, _ := out[field].(string)
	if text == "" {
		return nil
	}
	// Quoted values (fmt's %q: a name, a title, a bad input) are data, in
	// their own language.
	text = quoted.ReplaceAllString(text, `""`)
	if dingtalkMessage {
		text = dingtalkSaid.ReplaceAllString(text, "钉钉错误：")
	}
	return i18n.NotChinese(text)
}

// checkChinese fails t for each text field of out that is not Chinese.
func checkChinese(t *testing.T, what string, out map[string]any, dingtalkMessage bool, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if problems := notChinese(out, f, dingtalkMessage); len(problems) > 0 {
			t.Errorf("%s: %s %q %s", what, f, out[f], strings.Join(problems, ", "))
		}
	}
}

// zhFaults are the failures every tool meets in the Chinese sweep: one of
// each Kind that has a Hint of its own, and the uncertain write.
var zhFaults = map[string]bool{
	"legacy 60011 no permission": true, "403 AccessTokenPermissionDenied": true,
	"legacy 90018 QPS throttle": true, "403 QpsLimitForAppkeyAndApi": true,
	"HTTP 502": true, "malformed JSON": true, "slower than the timeout": true,
	"reset after the request was applied": true,
}

// TestEveryAnswerIsChineseUnderZh: under --lang zh, what every tool
// writes is Chinese: its Summary on success, its ErrorMessage and Hint when
// the input is refused (the hostile inputs of TestHostileInput) and when
// DingTalk fails (a row of the fault matrix per Kind, and each row that
// only the tool's API has), and the answers of the record of writes. The
// data a text quotes and DingTalk's own messages are left out.
func TestEveryAnswerIsChineseUnderZh(t *testing.T) {
	t.Parallel()
	for _, d := range tools.All() {
		tool := d.MCPTool()
		t.Run(tool.Name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, withLang(i18n.Zh))
			for _, p := range prepare[tool.Name] {
				h.callOK(p, examples[p])
			}
			out := h.callOK(tool.Name, examples[tool.Name])
			checkChinese(t, "success", out, false, "Summary")

			refused := 0
			for _, b := range hostileCalls(t, tool, 2, 30) {
				out, _ := h.call(tool.Name, b)
				if out["StatusCode"] == float64(-1) {
					refused++
					checkChinese(t, fmt.Sprintf("input %.120s", b), out, false, "ErrorMessage", "Hint")
				}
			}
			if refused == 0 {
				t.Errorf("no hostile input was refused: the sweep checked no validation message")
			}
		})
	}
	t.Run("faults", func(t *testing.T) {
		t.Parallel()
		for _, d := range tools.All() {
			name := d.Spec().Name
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				api := targetAPI(t, name)
				legacy := isLegacyAPI(api)
				for _, f := range faults {
					if (legacy && !f.legacy) || (!legacy && !f.api) || !strings.Contains(api, f.only) || (f.only == "" && !zhFaults[f.name]) {
						continue
					}
					h := newHarness(t, withLang(i18n.Zh), withClientOptions(dingtalk.WithCallTimeout(400*time.Millisecond), dingtalk.WithRetry(1, 0)))
					for _, p := range prepare[name] {
						h.callOK(p, examples[p])
					}
					inj := f.inject
					inj.API, inj.Times = api, 20
					h.sandbox.Inject(inj)
					out, _ := h.call(name, examples[name])
					if out["StatusCode"] == float64(200) {
						t.Fatalf("%s: the call succeeded", f.name)
					}
					// A fault with a code carries DingTalk's message; the others
					// (no answer, an answer that is not DingTalk's) are
					// described by the client, in the server's language.
					checkChinese(t, f.name, out, f.inject.Errcode != 0 || f.inject.Code != "", "ErrorMessage", "Hint")
				}
			})
		}
	})
}

// TestRepeatedWriteAnswersAreChineseUnderZh: the record of writes answers
// a replay, a key reused for other arguments and a repeat within the
// dedupe window in the language of the server.
func TestRepeatedWriteAnswersAreChineseUnderZh(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withLang(i18n.Zh))
	const key = `,"IdempotencyKey":"zh-sweep-1"}`
	first := h.callOK("create_workspace", strings.TrimSuffix(examples["create_workspace"], "}")+key)
	checkChinese(t, "first", first, false, "Summary")
	replay := h.callOK("create_workspace", strings.TrimSuffix(examples["create_workspace"], "}")+key)
	if replay["Replayed"] != true {
		t.Fatalf("the repeat was not replayed: %v", replay)
	}
	mismatch, _ := h.call("create_workspace", `{"Name":"另一个","Confirm":true`+key)
	checkChinese(t, "key reused", mismatch, false, "ErrorMessage", "Hint")
	h.callOK("create_worksheet", examples["create_worksheet"])
	again, _ := h.call("create_worksheet", examples["create_worksheet"])
	if again["StatusCode"] != float64(-1) {
		t.Fatalf("an identical write inside the dedupe window was not stopped: %v", again)
	}
	checkChinese(t, "dedupe window", again, false, "ErrorMessage", "Hint")
}

// TestNotChineseFindsEnglishAnswers shows that the sweep's check fails on
// an English answer, with the quoted data and DingTalk's message left out.
func TestNotChineseFindsEnglishAnswers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text            string
		dingtalkMessage bool
		bad             bool
	}{
		{`已创建知识库 "Launch plans for the team"（WorkspaceId x）。`, false, false},
		{`钉钉错误 60011：no permission to call this api`, true, false},
		{`Created knowledge base "市场活动" (WorkspaceId x).`, false, true},
		{`钉钉错误：DingTalk did not answer in time`, false, true},
		{`请几秒后再次调用 create_doc。 If it was not made, call again`, false, true},
	} {
		if got := len(notChinese(map[string]any{"f": tt.text}, "f", tt.dingtalkMessage)) > 0; got != tt.bad {
			t.Errorf("notChinese(%q) = %v, want %v", tt.text, got, tt.bad)
		}
	}
}

// TestPolicyAnswersAreChineseUnderZh: under sign-in, the credit of a
// person's call and the policy's refusals are in the language of the
// server.
func TestPolicyAnswersAreChineseUnderZh(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withLang(i18n.Zh), withPolicy(tools.Policy{Admins: []string{"zhangwei"}}))
	lina := h.as(personOf(h, "lina", "李娜"))
	out := lina.callOK("get_workspaces", `{}`)
	if s := out["Summary"].(string); !strings.HasPrefix(s, "以 李娜 (lina) 的身份：") {
		t.Errorf("Summary %q does not credit the person in Chinese", s)
	}
	checkChinese(t, "credit", out, false, "Summary")
	other, _ := lina.call("get_workspaces", `{"OperatorId":"`+h.sandbox.UnionID("zhangwei")+`"}`)
	checkChinese(t, "another's OperatorId", other, false, "ErrorMessage", "Hint")
	notAdmin, _ := lina.call("create_user", examples["create_user"])
	if notAdmin["StatusCode"] != float64(403) {
		t.Fatalf("create_user by a non-admin: %v", notAdmin)
	}
	checkChinese(t, "not an admin", notAdmin, false, "ErrorMessage", "Hint")
}

// TestRequiredParameterIsDescribedInTheAnswersLanguage: the refusal of a
// missing parameter quotes its description in the language of the answer,
// whichever language called the tool first.
func TestRequiredParameterIsDescribedInTheAnswersLanguage(t *testing.T) {
	t.Parallel()
	describe := func(l i18n.Lang) string {
		var schema struct {
			Properties map[string]struct {
				Description string `json:"description"`
			} `json:"properties"`
		}
		for _, d := range tools.All() {
			if d.Spec().Name == "search_users" {
				if err := json.Unmarshal(d.MCPToolIn(l).RawInputSchema, &schema); err != nil {
					t.Fatal(err)
				}
			}
		}
		return schema.Properties["QueryWord"].Description
	}
	for _, l := range []i18n.Lang{i18n.Zh, i18n.En, i18n.Zh} {
		out, _ := newHarness(t, withLang(l)).call("search_users", `{}`)
		if msg, want := out["ErrorMessage"].(string), describe(l); want == "" || !strings.Contains(msg, want) {
			t.Errorf("in %s, ErrorMessage %q does not quote QueryWord's description %q", l, msg, want)
		}
	}
}
