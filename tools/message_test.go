package tools_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

const (
	sendAPI   = "POST /topapi/message/corpconversation/asyncsend_v2"
	resultAPI = "POST /topapi/message/corpconversation/getsendresult"
	recallAPI = "POST /topapi/message/corpconversation/recall"
)

func TestSendWorkNotice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       string
		wantStatus float64
		wantSent   int
		wantInMsg  string // a fragment of ErrorMessage or Summary
	}{
		{"preview without Confirm", `{"UserIds":["zhangwei","lina"],"MsgType":"text","Content":"Meeting moved to 3pm"}`, -1, 0, "Confirm must be true"},
		{"text with Confirm", `{"UserIds":["zhangwei","lina"],"MsgType":"text","Content":"Meeting moved to 3pm","Confirm":true}`, 200, 1, "for 2 user(s)"},
		{"comma-separated recipients", `{"UserIds":"zhangwei, lina","MsgType":"text","Content":"Standup at 10","Confirm":true}`, 200, 1, "for 2 user(s)"},
		{"markdown", `{"UserIds":["lina"],"MsgType":"markdown","Title":"Q3","Content":"# Q3\n  \n  Done","Confirm":true}`, 200, 1, "task"},
		{"markdown without Title", `{"UserIds":["lina"],"MsgType":"markdown","Content":"# Q3","Confirm":true}`, -1, 0, "Title is required"},
		{"unknown MsgType", `{"UserIds":["lina"],"MsgType":"html","Content":"x","Confirm":true}`, -1, 0, "MsgType must be one of text, markdown"},
		{"no recipients", `{"UserIds":[],"MsgType":"text","Content":"x","Confirm":true}`, -1, 0, "UserIds must have at least 1"},
		{"too many recipients", `{"UserIds":"` + strings.Repeat("u,", 101) + `","MsgType":"text","Content":"x","Confirm":true}`, -1, 0, "at most 100"},
		{"empty Content", `{"UserIds":["lina"],"MsgType":"text","Content":"","Confirm":true}`, -1, 0, "Content must not be empty"},
		{"wrong type", `{"UserIds":["lina"],"MsgType":"text","Content":"x","AgentId":"abc","Confirm":true}`, -1, 0, "AgentId must be a whole number"},
		{"wrong agent", `{"UserIds":["lina"],"MsgType":"text","Content":"x","AgentId":42,"Confirm":true}`, 400, 1, "40056"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			out, _ := h.call("send_work_notice", tt.args)
			if out["StatusCode"] != tt.wantStatus {
				t.Fatalf("StatusCode = %v, want %v: %v", out["StatusCode"], tt.wantStatus, out)
			}
			if got := h.upstreamCalls(sendAPI); got != tt.wantSent {
				t.Errorf("notices sent = %d, want %d", got, tt.wantSent)
			}
			text := fmt.Sprint(out["ErrorMessage"], out["Summary"])
			if !strings.Contains(text, tt.wantInMsg) {
				t.Errorf("result %q does not mention %q", text, tt.wantInMsg)
			}
			if tt.wantStatus != 200 && out["Hint"] == "" {
				t.Errorf("failure without a Hint: %v", out)
			}
		})
	}
}

func TestNoticeLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sent := h.callOK("send_work_notice", `{"UserIds":"zhangwei,lina,nobody","MsgType":"text","Content":"Quarterly review on Friday","Confirm":true}`)
	task := dig(sent, "MessageData", "task_id").(float64)
	h.sandbox.MarkRead(int64(task), "lina")

	status := h.callOK("get_message_status", fmt.Sprintf(`{"TaskId":%d}`, int64(task)))
	got := map[string]any{
		"read":    dig(status, "MessageStatus", "read_user_id_list"),
		"unread":  dig(status, "MessageStatus", "unread_user_id_list"),
		"invalid": dig(status, "MessageStatus", "invalid_user_id_list"),
	}
	want := map[string]any{"read": []any{"lina"}, "unread": []any{"zhangwei"}, "invalid": []any{"nobody"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status mismatch (-want +got):\n%s", diff)
	}

	preview, _ := h.call("recall_message", fmt.Sprintf(`{"MsgTaskId":%d}`, int64(task)))
	if preview["StatusCode"] != float64(-1) || h.upstreamCalls(recallAPI) != 0 || h.sandbox.NoticeRecalled(int64(task)) {
		t.Fatalf("recall without Confirm must only preview: %v", preview)
	}
	recalled := h.callOK("recall_message", fmt.Sprintf(`{"MsgTaskId":%d,"Confirm":true}`, int64(task)))
	if recalled["RecallResult"] != true || !h.sandbox.NoticeRecalled(int64(task)) {
		t.Errorf("notice not recalled: %v", recalled)
	}

	// The same content to the same user is held back for the rest of the day.
	again := h.callOK("send_work_notice", `{"UserIds":"zhangwei","MsgType":"text","Content":"Quarterly review on Friday","Confirm":true}`)
	status = h.callOK("get_message_status", fmt.Sprintf(`{"TaskId":%d}`, int64(dig(again, "MessageData", "task_id").(float64))))
	if diff := cmp.Diff([]any{"zhangwei"}, dig(status, "MessageStatus", "forbidden_user_id_list")); diff != "" {
		t.Errorf("duplicate content not held back (-want +got):\n%s", diff)
	}
}

func TestMessageStatusErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out, _ := h.call("get_message_status", `{"TaskId":999}`)
	if out["StatusCode"] != float64(400) || out["ErrorCode"] != "400002" || !strings.Contains(out["Hint"].(string), "send_work_notice") {
		t.Errorf("unknown task: %v", out)
	}
	out, _ = h.call("get_message_status", `{"TaskId":0}`)
	if out["StatusCode"] != float64(-1) || !strings.Contains(out["ErrorMessage"].(string), "TaskId must be at least 1") || h.upstreamCalls(resultAPI) != 1 {
		t.Errorf("TaskId 0: %v (upstream calls %d)", out, h.upstreamCalls(resultAPI))
	}
}

func TestAgentIdDefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withDefaults(0, sandbox.SeedManagerID))
	out, _ := h.call("get_message_status", `{"TaskId":1}`)
	if out["StatusCode"] != float64(-1) || !strings.Contains(out["Hint"].(string), "DINGTALK_AGENT_ID") {
		t.Errorf("missing AgentId: %v", out)
	}
	if h.upstreamCalls(resultAPI) != 0 {
		t.Error("a call without AgentId reached DingTalk")
	}
}

func TestSendWorkNoticeElicitation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action   mcp.ElicitationResponseAction
		content  any
		wantSent int
	}{
		{mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true}, 1},
		{mcp.ElicitationResponseActionAccept, map[string]any{"confirm": false}, 0},
		{mcp.ElicitationResponseActionDecline, nil, 0},
		{mcp.ElicitationResponseActionCancel, nil, 0},
	} {
		t.Run(fmt.Sprintf("%s %v", tc.action, tc.content), func(t *testing.T) {
			t.Parallel()
			var asked string
			h := newHarness(t, withElicitation(elicitFunc(func(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
				asked = req.Params.Message
				return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: tc.action, Content: tc.content}}, nil
			})))
			out, _ := h.call("send_work_notice", `{"UserIds":["zhangwei"],"MsgType":"text","Content":"Office closed tomorrow"}`)
			if !strings.Contains(asked, "send a text work notice") || !strings.Contains(asked, "zhangwei") {
				t.Errorf("question %q does not say what will happen", asked)
			}
			if got := h.upstreamCalls(sendAPI); got != tc.wantSent {
				t.Fatalf("sent %d, want %d: %v", got, tc.wantSent, out)
			}
			if tc.wantSent == 0 && (out["StatusCode"] != float64(-1) || !strings.Contains(out["ErrorMessage"].(string), "did not confirm")) {
				t.Errorf("declined call: %v", out)
			}
		})
	}
}

type elicitFunc func(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error)

func (f elicitFunc) Elicit(ctx context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	return f(ctx, req)
}
