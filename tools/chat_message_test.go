package tools_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// The DingTalk routes of the group-message tools, as the sandbox records
// them.
const (
	apiRobotSend    = "POST /v1.0/robot/groupMessages/send"
	apiRobotRecall  = "POST /v1.0/robot/groupMessages/recall"
	apiRobotsQuery  = "POST /v1.0/robot/groups/robots/query"
	apiChatConvert  = "POST /v1.0/im/chat/{chatId}/convertToOpenConversationId"
	seedCID         = sandbox.SeedOpenConversationID
	seedChatID      = sandbox.SeedChatID
	robotHintNotIn  = "not in this group"
	robotHintPublsh = "publish"
)

func sendArgs(chatID, msgType, content string) string {
	b, _ := json.Marshal(map[string]any{"ChatId": chatID, "MsgType": msgType, "Content": content, "Confirm": true})
	return string(b)
}

func TestSendChatMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.callOK("send_chat_message", sendArgs(seedChatID, "markdown", "## 演示改到下午 3 点\n地点不变"))
	key, _ := dig(out, "ChatMessage", "ProcessQueryKey").(string)
	if key == "" || dig(out, "ChatMessage", "OpenConversationId") != seedCID {
		t.Fatalf("ChatMessage = %v", out["ChatMessage"])
	}
	if text, ok := h.sandbox.GroupMessage(key); !ok || text != "## 演示改到下午 3 点\n地点不变" {
		t.Errorf("the group shows %q, %v", text, ok)
	}
	// The chatid was turned into the openConversationId once; the title
	// of a Markdown message defaults to its first line.
	body := dirSentBody(t, h, apiRobotSend, 0)
	dirWantEqual(t, "send body", []any{body["openConversationId"], body["msgKey"], body["msgParam"]},
		[]any{seedCID, "sampleMarkdown", `{"text":"## 演示改到下午 3 点\n地点不变","title":"演示改到下午 3 点"}`})
	if n := h.upstreamCalls(apiChatConvert); n != 1 {
		t.Errorf("chatid conversions = %d, want 1", n)
	}
	for _, want := range []string{seedCID, key, "get_chat_message_status"} {
		if !strings.Contains(out["Summary"].(string), want) {
			t.Errorf("Summary %q does not mention %s", out["Summary"], want)
		}
	}
}

func TestSendChatMessageRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	// Each of these characters is six bytes once JSON-escaped, so 2,600
	// of them fit the schema's 15,000 characters but not DingTalk's
	// 15,000 bytes.
	tooLong := strings.Repeat("\u0001", 2600)
	tests := []struct {
		name, args, field string
	}{
		{"over DingTalk's 15000 bytes", sendArgs(seedCID, "text", tooLong), "15000"},
		{"blank", sendArgs(seedCID, "text", "  \n "), "Content"},
		{"not a chat id", sendArgs("Launch team", "text", "hi"), "ChatId"},
		{"unknown format", `{"ChatId":"` + seedCID + `","MsgType":"image","Content":"x","Confirm":true}`, "MsgType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			out, _ := h.call("send_chat_message", tt.args)
			if out["StatusCode"] != float64(-1) || !strings.Contains(fmt.Sprint(out["ErrorMessage"]), tt.field) {
				t.Errorf("StatusCode %v, ErrorMessage %q; want -1 naming %s", out["StatusCode"], out["ErrorMessage"], tt.field)
			}
			if n := len(h.sandbox.Requests()); n != 0 {
				t.Errorf("%d requests reached DingTalk, want none", n)
			}
		})
	}
}

// TestChatRobotReach: a new group has no robot, and both create_chat and
// send_chat_message say so and how to add it; once it is added, the post
// goes through.
func TestChatRobotReach(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.callOK("create_chat", `{"Name":"项目群","Owner":"zhangwei","UserIds":["lina"],"Confirm":true}`)
	if s := created["Summary"].(string); !strings.Contains(s, "robot is not in it") || !strings.Contains(s, "添加机器人") {
		t.Errorf("create_chat Summary %q does not say the robot must be added", s)
	}
	cid := dig(created, "ChatData", "openConversationId").(string)
	out, _ := h.call("send_chat_message", sendArgs(cid, "text", "hi"))
	if out["StatusCode"] != float64(404) || out["ErrorCode"] != "invalidParameter.robotCode.notExsit" || !strings.Contains(out["Hint"].(string), robotHintNotIn) {
		t.Errorf("send to a group without the robot: %v", out)
	}
	if out["Retryable"] != false {
		t.Error("a refusal of the robot is not retryable")
	}
	h.sandbox.InstallRobot(cid)
	h.callOK("send_chat_message", sendArgs(cid, "text", "hi"))
	if n := h.upstreamCalls(apiRobotSend); n != 2 {
		t.Errorf("send requests = %d, want 2 (one refused, one posted)", n)
	}
}

func TestChatRobotOfAnAppWithoutOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withSandbox(sandbox.WithoutRobot()))
	out, _ := h.call("send_chat_message", sendArgs(seedCID, "text", "hi"))
	if out["StatusCode"] != float64(404) || !strings.Contains(out["Hint"].(string), robotHintPublsh) {
		t.Errorf("send without a published robot: %v", out)
	}
	created := h.callOK("create_chat", `{"Name":"项目群","Owner":"zhangwei","UserIds":["lina"],"Confirm":true}`)
	if s := created["Summary"].(string); !strings.Contains(s, "robot is not in it") {
		t.Errorf("create_chat Summary %q", s)
	}
}

func TestCreateChatSucceedsWhenTheRobotCheckFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sandbox.Inject(sandbox.Fault{API: apiRobotsQuery, Status: 403, Code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", Times: 10})
	out := h.callOK("create_chat", `{"Name":"项目群","Owner":"zhangwei","UserIds":["lina"],"Confirm":true}`)
	if s := out["Summary"].(string); !strings.Contains(s, "could not be checked") {
		t.Errorf("Summary %q does not say the check failed", s)
	}
}

func TestChatMessageStatusAndRecall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var keys []string
	for _, text := range []string{"one", "two"} {
		out := h.callOK("send_chat_message", sendArgs(seedCID, "text", text))
		keys = append(keys, dig(out, "ChatMessage", "ProcessQueryKey").(string))
	}
	status := func() map[string]any {
		return h.callOK("get_chat_message_status", fmt.Sprintf(`{"ChatId":%q,"ProcessQueryKey":%q}`, seedChatID, keys[0]))
	}
	if got := dig(status(), "ReadStatus", "readUserIds"); fmt.Sprint(got) != "[]" {
		t.Errorf("readers before anyone read = %v", got)
	}
	h.sandbox.ReadGroupMessage(keys[0], "lina")
	h.sandbox.ReadGroupMessage(keys[0], "zhangwei")
	st := status()
	dirWantEqual(t, "readers", []any{dig(st, "ReadStatus", "sendStatus"), dig(st, "ReadStatus", "readUserIds")},
		[]any{"SUCCESS", []any{"lina", "zhangwei"}})

	out := h.callOK("recall_chat_message", fmt.Sprintf(`{"ChatId":%q,"ProcessQueryKeys":[%q,"bogusKey="],"Confirm":true}`, seedCID, keys[0]))
	dirWantEqual(t, "recalled", out["Recalled"], []any{keys[0]})
	if s := out["Summary"].(string); !strings.Contains(s, "Recalled 1 of 2") || !strings.Contains(s, "bogusKey=") {
		t.Errorf("Summary %q does not say what was not recalled", s)
	}
	if _, ok := h.sandbox.GroupMessage(keys[0]); ok {
		t.Error("the recalled message is still in the group")
	}
	if _, ok := h.sandbox.GroupMessage(keys[1]); !ok {
		t.Error("the other message was recalled too")
	}
	if got := dig(status(), "ReadStatus", "sendStatus"); got != "RECALLED" {
		t.Errorf("status after recall = %v", got)
	}
	// Recalling again is harmless: the message stays recalled.
	again := h.callOK("recall_chat_message", fmt.Sprintf(`{"ChatId":%q,"ProcessQueryKeys":[%q],"Confirm":true}`, seedCID, keys[0]))
	dirWantEqual(t, "recalled again", again["Recalled"], []any{keys[0]})

	tooMany := make([]string, 21)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("%q", fmt.Sprintf("k%d", i))
	}
	before := h.upstreamCalls(apiRobotRecall)
	out, _ = h.call("recall_chat_message", fmt.Sprintf(`{"ChatId":%q,"ProcessQueryKeys":[%s],"Confirm":true}`, seedCID, strings.Join(tooMany, ",")))
	if out["StatusCode"] != float64(-1) || !strings.Contains(fmt.Sprint(out["ErrorMessage"]), "20") || h.upstreamCalls(apiRobotRecall) != before {
		t.Errorf("21 keys: %v", out)
	}
}

func TestChatMessageStatusOfAnotherGroup(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.callOK("send_chat_message", sendArgs(seedCID, "text", "one"))
	other := h.callOK("get_dept_detail", `{"DeptId":3}`)
	chatID, _ := dig(other, "DeptDetail", "dept_group_chat_id").(string)
	if chatID == "" || chatID == seedChatID {
		t.Fatalf("department 3 has no group of its own: %v", other)
	}
	out, _ := h.call("get_chat_message_status", fmt.Sprintf(`{"ChatId":%q,"ProcessQueryKey":%q}`, chatID, sandbox.GroupMessageKey(1)))
	if out["StatusCode"] != float64(400) || !strings.Contains(out["Hint"].(string), "ProcessQueryKey") {
		t.Errorf("status asked in another group: %v", out)
	}
}
