package tools_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

const apiWorkspaceList = "GET /v2.0/wiki/workspaces"

// personOf is the sandbox member userID, signed in.
func personOf(h *harness, userID, name string) *tools.Person {
	return &tools.Person{UnionID: h.sandbox.UnionID(userID), UserID: userID, Name: name}
}

func TestSignedInPersonIsTheDefaultOperator(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // the server's own default operator is the boss
	lina := personOf(h, "lina", "李娜")
	out := h.as(lina).callOK("get_workspaces", `{}`)
	calls := h.sandbox.Calls(apiWorkspaceList)
	if len(calls) != 1 || calls[0].Query.Get("operatorId") != lina.UnionID {
		t.Fatalf("operatorId sent = %v, want lina's unionId %s", calls, lina.UnionID)
	}
	if s := out["Summary"].(string); !strings.HasPrefix(s, "As 李娜 (lina): ") {
		t.Fatalf("Summary %q does not name the person", s)
	}
	// Without a person, the server's default still applies.
	h.callOK("get_workspaces", `{}`)
	if calls := h.sandbox.Calls(apiWorkspaceList); calls[1].Query.Get("operatorId") != h.sandbox.UnionID("manager4220") {
		t.Fatalf("operatorId without sign-in = %s, want the configured default's", calls[1].Query.Get("operatorId"))
	}
}

func TestOperatorIdNamingSomeoneElse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		allow      bool
		operator   func(h *harness) string
		wantStatus float64
	}{
		{"another userId", false, func(*harness) string { return "manager4220" }, 403},
		{"another unionId", false, func(h *harness) string { return h.sandbox.UnionID("manager4220") }, 403},
		{"own userId", false, func(*harness) string { return "lina" }, 200},
		{"own unionId", false, func(h *harness) string { return h.sandbox.UnionID("lina") }, 200},
		{"another, allowed by the operator", true, func(*harness) string { return "manager4220" }, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, withPolicy(tools.Policy{AllowOtherOperators: tc.allow}))
			out, _ := h.as(personOf(h, "lina", "李娜")).call("get_workspaces", `{"OperatorId":"`+tc.operator(h)+`"}`)
			if out["StatusCode"] != tc.wantStatus {
				t.Fatalf("StatusCode %v, want %v: %v", out["StatusCode"], tc.wantStatus, out)
			}
			if tc.wantStatus == 403 {
				if !strings.Contains(out["Hint"].(string), "--allow-other-operators") {
					t.Errorf("Hint %q does not say how to allow it", out["Hint"])
				}
				if n := h.upstreamCalls(apiWorkspaceList); n != 0 {
					t.Errorf("%d calls reached DingTalk, want none", n)
				}
			}
		})
	}
}

func TestDirectoryWritesAreForAdmins(t *testing.T) {
	t.Parallel()
	const create = `{"Name":"Zoe Tan","Mobile":"13912345678","DeptIdList":"3","Confirm":true}`
	for _, tc := range []struct {
		name       string
		policy     tools.Policy
		who        string
		wantStatus float64
		wantHint   string
	}{
		{"admin by userId", tools.Policy{Admins: []string{"manager4220"}}, "manager4220", 200, ""},
		{"admin by department", tools.Policy{AdminDepts: []int64{2}}, "lina", 200, ""},
		// platform01 is in 平台组 (7), below 研发部 (3).
		{"admin by a department above theirs", tools.Policy{AdminDepts: []int64{3}}, "platform01", 200, ""},
		{"admin by the root department", tools.Policy{AdminDepts: []int64{1}}, "platform01", 200, ""},
		{"not below an admin department", tools.Policy{AdminDepts: []int64{2, 6}}, "platform01", 403, "members of department 2; members of department 6"},
		{"not an admin", tools.Policy{Admins: []string{"manager4220"}, AdminDepts: []int64{5}}, "dev002", 403, "userIds manager4220; members of department 5"},
		{"no admins configured", tools.Policy{}, "manager4220", 403, "--admins"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, withPolicy(tc.policy))
			out, _ := h.as(personOf(h, tc.who, "")).call("create_user", create)
			if out["StatusCode"] != tc.wantStatus {
				t.Fatalf("StatusCode %v, want %v: %v", out["StatusCode"], tc.wantStatus, out)
			}
			if tc.wantStatus == 403 {
				if !strings.Contains(out["Hint"].(string), tc.wantHint) {
					t.Errorf("Hint %q does not name who may (%s)", out["Hint"], tc.wantHint)
				}
				if n := h.upstreamCalls(apiUserCreate); n != 0 {
					t.Errorf("%d create calls reached DingTalk, want none", n)
				}
			}
		})
	}
	// Without sign-in, the app's calls are not restricted.
	h := newHarness(t, withPolicy(tools.Policy{Admins: []string{"manager4220"}}))
	h.callOK("create_user", create)
}

func TestCallsAsAPersonAreLoggedWithThePerson(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var logs bytes.Buffer
	h.env.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	out := h.as(personOf(h, "lina", "李娜")).callOK("send_work_notice", `{"UserIds":["zhangwei"],"MsgType":"text","Content":"hi","Confirm":true}`)
	if s := out["Summary"].(string); !strings.HasPrefix(s, "Asked by 李娜 (lina): ") {
		t.Fatalf("Summary %q does not name who asked", s)
	}
	if !strings.Contains(logs.String(), `tool=send_work_notice person="李娜 (lina)" status=200`) {
		t.Fatalf("log does not name the person:\n%s", logs.String())
	}
}
