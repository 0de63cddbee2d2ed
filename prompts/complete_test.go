package prompts_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// complete asks the server, as a client would, for values of one argument.
func (st *stack) complete(prompt, arg, value string) ([]string, error) {
	var req mcp.CompleteRequest
	req.Params.Ref = mcp.PromptReference{Type: "ref/prompt", Name: prompt}
	req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
	res, err := st.client.Complete(context.Background(), req)
	if err != nil {
		return nil, err
	}
	return res.Completion.Values, nil
}

// TestCompletion completes arguments from the sandbox's seeded directory:
// departments 销售部 (Sales), 华东销售组 (East China Sales) below it,
// 研发部, 市场部, 财务部; members 张伟, 李娜, Alice Wu, ... The values are
// the directory's names and the enum values, the same in every language.
func TestCompletion(t *testing.T) {
	t.Parallel()
	eachLang(t, func(t *testing.T, l i18n.Lang) { testCompletion(t, newStack(t, withLang(l))) })
}

func testCompletion(t *testing.T, st *stack) {
	for _, tc := range []struct {
		name, prompt, arg, value string
		want                     []string
	}{
		{"department by Chinese name", "notify_department", "department", "销售", []string{"销售部", "华东销售组"}},
		{"department by English name, offered in English", "onboard_employee", "department", "Sal", []string{"Sales", "East China Sales"}},
		{"no department typed: the top level", "notify_department", "department", "", []string{"销售部", "研发部", "市场部", "财务部"}},
		{"department nobody has", "notify_department", "department", "Legal", []string{}},
		{"user by name", "find_colleague", "name", "李", []string{"李娜"}},
		{"user by part of an English name", "onboard_employee", "chat_owner", "alice", []string{"Alice Wu"}},
		{"no user typed", "find_colleague", "name", "", []string{}},
		{"the last of a list of users", "weekly_report", "recipients", "张伟, 李", []string{"张伟, 李娜"}},
		{"the first of a list of users", "weekly_report", "recipients", "刘", []string{"刘洋"}},
		{"enum by prefix, any case", "file_document", "doc_type", "w", []string{"WORKBOOK"}},
		{"enum, nothing typed", "notify_department", "include_sub_departments", "", []string{"no", "yes"}},
		{"argument without suggestions", "notify_department", "message", "Hel", []string{}},
		{"unknown argument", "notify_department", "dept", "销", []string{}},
		{"unknown prompt", "test_prompt_with_arguments", "arg1", "test", []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.complete(tc.prompt, tc.arg, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCompletionWithoutDirectoryAccess checks that a directory DingTalk
// refuses gives no values rather than an error in the user's client.
func TestCompletionWithoutDirectoryAccess(t *testing.T) {
	t.Parallel()
	st := newStack(t)
	st.sandbox.Deny("qyapi_addresslist_search")
	for _, arg := range [][2]string{{"notify_department", "department"}, {"find_colleague", "name"}} {
		got, err := st.complete(arg[0], arg[1], "销")
		if err != nil || len(got) != 0 {
			t.Errorf("%s %s: got %v, %v; want no values and no error", arg[0], arg[1], got, err)
		}
	}
	if n := len(st.sandbox.Calls("POST /v1.0/contact/departments/search")); n == 0 {
		t.Error("the department search was never asked: the test proves nothing")
	}
}
