package dingtalk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

const (
	robotSendAPI   = "POST /v1.0/robot/groupMessages/send"
	robotRecallAPI = "POST /v1.0/robot/groupMessages/recall"
)

func sendTo(c *dingtalk.Client, cid, text string) (string, error) {
	return c.Robot.Send(context.Background(), dingtalk.GroupMessage{OpenConversationID: cid, MsgKey: dingtalk.RobotMarkdown, Title: "通知", Text: text})
}

func TestRobotSendReadRecall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, sb := newClient(t)
	cid := sandbox.SeedOpenConversationID
	key, err := sendTo(c, cid, "## 演示改到下午 3 点")
	if err != nil {
		t.Fatal(err)
	}
	// What went over the wire: the app's AppKey as robotCode and msgParam
	// as a JSON document inside a string.
	var sent struct{ RobotCode, OpenConversationID, MsgKey, MsgParam string }
	if err := json.Unmarshal(sb.Calls(robotSendAPI)[0].Body, &sent); err != nil {
		t.Fatal(err)
	}
	wantSent := struct{ RobotCode, OpenConversationID, MsgKey, MsgParam string }{
		sandbox.AppKey, cid, "sampleMarkdown", `{"text":"## 演示改到下午 3 点","title":"通知"}`}
	if diff := cmp.Diff(wantSent, sent); diff != "" {
		t.Errorf("send body mismatch (-want +got):\n%s", diff)
	}
	if text, ok := sb.GroupMessage(key); !ok || text != "## 演示改到下午 3 点" {
		t.Errorf("the group shows %q, %v", text, ok)
	}

	st, err := c.Robot.ReadStatus(ctx, cid, key, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&dingtalk.ReadStatus{SendStatus: "SUCCESS", ReadUserIDs: []string{}}, st); diff != "" {
		t.Errorf("unread status mismatch (-want +got):\n%s", diff)
	}
	for _, u := range []string{"zhangwei", "lina"} {
		if !sb.ReadGroupMessage(key, u) {
			t.Fatalf("%s is not in the group", u)
		}
	}
	first, err := c.Robot.ReadStatus(ctx, cid, key, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if !first.HasMore || first.NextToken == "" || !cmp.Equal(first.ReadUserIDs, []string{"zhangwei"}) {
		t.Fatalf("first page = %+v", first)
	}
	second, err := c.Robot.ReadStatus(ctx, cid, key, 1, first.NextToken)
	if err != nil {
		t.Fatal(err)
	}
	if second.HasMore || !cmp.Equal(second.ReadUserIDs, []string{"lina"}) {
		t.Errorf("second page = %+v", second)
	}

	res, err := c.Robot.Recall(ctx, cid, []string{key, "bogusKey="})
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(res.Recalled, []string{key}) || len(res.Failed) != 1 || res.Failed["bogusKey="] == "" {
		t.Errorf("recall = %+v", res)
	}
	if _, ok := sb.GroupMessage(key); ok {
		t.Error("the message is still in the group after recall")
	}
	again, err := c.Robot.Recall(ctx, cid, []string{key})
	if err != nil || !cmp.Equal(again.Recalled, []string{key}) {
		t.Errorf("recalling again = %+v, %v; want it recalled (idempotent)", again, err)
	}
	if st, err := c.Robot.ReadStatus(ctx, cid, key, 0, ""); err != nil || st.SendStatus != "RECALLED" {
		t.Errorf("status after recall = %+v, %v", st, err)
	}
}

func TestRobotMustBeInTheGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, sb := newClient(t)
	chat, err := c.Chats.Create(ctx, dingtalk.NewChat{Name: "项目群", Owner: "zhangwei", UserIDList: []string{"zhangwei", "lina"}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.Robot.AppRobotInGroup(ctx, chat.OpenConversationID)
	if err != nil || in {
		t.Fatalf("robot in a new group = %v, %v; want false", in, err)
	}
	_, err = sendTo(c, chat.OpenConversationID, "hi")
	if e := asError(t, err); e.Reason != dingtalk.ReasonRobotMissing || e.Kind != dingtalk.KindNotFound || e.MaybeSent {
		t.Errorf("send to a group without the robot: fault %v kind %v maybeSent %v (%v)", e.Reason, e.Kind, e.MaybeSent, e)
	}
	if !sb.InstallRobot(chat.OpenConversationID) {
		t.Fatal("InstallRobot")
	}
	if in, err := c.Robot.AppRobotInGroup(ctx, chat.OpenConversationID); err != nil || !in {
		t.Errorf("robot in the group after install = %v, %v", in, err)
	}
	if _, err := sendTo(c, chat.OpenConversationID, "hi"); err != nil {
		t.Errorf("send after install: %v", err)
	}
}

func TestRobotOfAnAppWithoutOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	without, _ := newClientOn(t, sandbox.New(sandbox.WithQPS(0), sandbox.WithoutRobot()))
	robots, err := without.Robot.InGroup(ctx, sandbox.SeedOpenConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dingtalk.GroupRobot{{RobotCode: sandbox.OtherRobotCode, Name: "考勤提醒", OpenRobotType: 1}}, robots); diff != "" {
		t.Errorf("robots mismatch (-want +got):\n%s", diff)
	}
	if in, err := without.Robot.AppRobotInGroup(ctx, sandbox.SeedOpenConversationID); err != nil || in {
		t.Errorf("AppRobotInGroup without a robot = %v, %v", in, err)
	}
	_, err = sendTo(without, sandbox.SeedOpenConversationID, "hi")
	if e := asError(t, err); e.Reason != dingtalk.ReasonRobotMissing {
		t.Errorf("fault = %v (%v)", e.Reason, e)
	}
	// With a robot, the same group lists it beside the custom one.
	with, _ := newClient(t)
	if in, err := with.Robot.AppRobotInGroup(ctx, sandbox.SeedOpenConversationID); err != nil || !in {
		t.Errorf("AppRobotInGroup = %v, %v", in, err)
	}
}

func TestRobotRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	c, sb := newClient(t)
	ctx := context.Background()
	long := strings.Repeat("字", dingtalk.MaxRobotParamBytes/3)
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"a message over 15000 bytes as JSON", func() error { _, err := sendTo(c, sandbox.SeedOpenConversationID, long); return err }, "msgParam"},
		{"a template other than text or Markdown", func() error {
			_, err := c.Robot.Send(ctx, dingtalk.GroupMessage{OpenConversationID: sandbox.SeedOpenConversationID, MsgKey: "sampleFile"})
			return err
		}, "msgKey"},
		{"no keys to recall", func() error { _, err := c.Robot.Recall(ctx, sandbox.SeedOpenConversationID, nil); return err }, "processQueryKeys"},
		{"21 keys to recall", func() error {
			_, err := c.Robot.Recall(ctx, sandbox.SeedOpenConversationID, make([]string, dingtalk.MaxRecallKeys+1))
			return err
		}, "processQueryKeys"},
	}
	for _, tt := range tests {
		var ia *dingtalk.InvalidArgumentError
		if err := tt.call(); !errors.As(err, &ia) || ia.Field != tt.field {
			t.Errorf("%s: err = %v, want an invalid %s", tt.name, err, tt.field)
		}
	}
	if n := len(sb.Calls(robotSendAPI)) + len(sb.Calls(robotRecallAPI)); n != 0 {
		t.Errorf("%d requests reached DingTalk, want none", n)
	}
	// The limit is on the serialised parameter: just under it is sent.
	ok := strings.Repeat("字", (dingtalk.MaxRobotParamBytes-len(`{"text":"","title":"通知"}`)-len("通知"))/3)
	if _, err := sendTo(c, sandbox.SeedOpenConversationID, ok); err != nil {
		t.Errorf("a message just under the limit: %v", err)
	}
}

func TestRobotSendIsNeverResent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault sandbox.Fault
	}{
		{"HTTP 500", sandbox.Fault{Status: 500, Code: "system.error", Times: 5}},
		{"unknown send result", sandbox.Fault{Status: 400, Code: "unknown.send.result", Times: 5}},
		{"HTTP 200 without a processQueryKey", sandbox.Fault{Body: `{}`, Times: 5}},
		{"connection reset after the message was posted", sandbox.Fault{ResetAfterApply: true, Times: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t)
			f := tt.fault
			f.API = robotSendAPI
			sb.Inject(f)
			_, err := sendTo(c, sandbox.SeedOpenConversationID, "once")
			if e := asError(t, err); !e.MaybeSent {
				t.Errorf("MaybeSent = false, want true (%v)", e)
			}
			if n := len(sb.Calls(robotSendAPI)); n != 1 {
				t.Errorf("send requests = %d, want exactly 1", n)
			}
		})
	}
}

func TestRobotErrorClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   string
		kind   dingtalk.Kind
		reason dingtalk.Reason
	}{
		{"invalidParameter.robotCode.notExsit", dingtalk.KindNotFound, dingtalk.ReasonRobotMissing},
		{"invalidParameter.robotCode.empty", dingtalk.KindNotFound, dingtalk.ReasonRobotMissing},
		{"chatbotNotInstall", dingtalk.KindNotFound, dingtalk.ReasonRobotMissing},
		{"resource.not.found", dingtalk.KindNotFound, dingtalk.ReasonRobotMissing},
		{"invalidParameter.robotCode.auth", dingtalk.KindPermission, dingtalk.ReasonRobotOfOtherApp},
		{"bot.stopped", dingtalk.KindPermission, dingtalk.ReasonRobotDisabled},
		{"bot.forbidden.sendMessage", dingtalk.KindPermission, dingtalk.ReasonRobotDisabled},
		{"send.too.fast", dingtalk.KindThrottled, ""},
		{"group.disbanded", dingtalk.KindNotFound, ""},
		{"contain.notAllowed.text", dingtalk.KindInvalid, ""},
		{"invalidParameter.msgParam.tooLong", dingtalk.KindInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t)
			sb.Inject(sandbox.Fault{API: robotSendAPI, Status: 400, Code: tt.code, Message: "错误描述: x；解决方案:y；", Times: 5})
			_, err := sendTo(c, sandbox.SeedOpenConversationID, "x")
			e := asError(t, err)
			if e.Kind != tt.kind || e.Reason != tt.reason || e.MaybeSent {
				t.Errorf("kind %v reason %v maybeSent %v; want %v %v false", e.Kind, e.Reason, e.MaybeSent, tt.kind, tt.reason)
			}
		})
	}
}

func TestChatOpenConversationID(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	got, err := c.Chats.OpenConversationID(context.Background(), sandbox.SeedChatID)
	if err != nil || got != sandbox.SeedOpenConversationID {
		t.Errorf("OpenConversationID(seed chat) = %q, %v", got, err)
	}
	_, err = c.Chats.OpenConversationID(context.Background(), "chatnosuchgroup")
	if e := asError(t, err); e.Code != "invalideChatId" || e.Kind != dingtalk.KindInvalid {
		t.Errorf("unknown chatid: %v (kind %v)", e, e.Kind)
	}
}
