package tools

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// The group-message tools post as the app's robot: DingTalk's only server
// API that writes into a group chat.

// checkChatID trims a ChatId and refuses what is neither a chatid nor an
// openConversationId.
func checkChatID(id *string) error {
	*id = strings.TrimSpace(*id)
	if !strings.HasPrefix(*id, "chat") && !strings.HasPrefix(*id, "cid") {
		return invalid("ChatId", "ChatId %q is neither a chatid (starting with chat) nor an openConversationId (starting with cid); use an id that create_chat returned", truncate(*id, 40))
	}
	return nil
}

// openConversationID returns the openConversationId of chatID, asking
// DingTalk only when it is a chatid.
func openConversationID(ctx context.Context, env *Env, chatID string) (string, error) {
	if strings.HasPrefix(chatID, "cid") {
		return chatID, nil
	}
	return env.Client.Chats.OpenConversationID(ctx, chatID)
}

// Hints of the robot's refusals.
const (
	robotAddHint     = "a group member adds it in DingTalk: group settings > 群管理 (Group management) > 机器人 (Robots) > 添加机器人 (Add robot), picking this app's robot"
	robotPublishHint = "the app needs the robot capability, published: in the DingTalk developer console add the robot to the app and publish a new version"
	chatNotFoundHint = "No group has this ChatId, or it was disbanded: use the chatid or openConversationId that create_chat returned, or get_dept_detail's dept_group_chat_id."
	messageKeyHint   = "Check ProcessQueryKey (from send_chat_message) and that ChatId is the group it was posted in."
)

// robotHints are the Hints every group-message tool gives for the robot's
// refusals; ReasonRobotMissing is explained per call by explainRobot.
var robotHints = map[dingtalk.Cause]string{
	dingtalk.ReasonRobotOfOtherApp: "DingTalk says the robot belongs to another app than this server's DINGTALK_APP_KEY: the robot posts only with the token of the app that owns it.",
	dingtalk.ReasonRobotDisabled:   "The app's robot is stopped, or this group does not let it post (muted, or not an internal group): a group admin or the app's admin must allow it.",
}

// explainRobot gives DingTalk's "robot missing" the Hint that fixes it: the
// group's robot list tells whether the robot is absent from the group or
// unknown to DingTalk (not published).
func explainRobot(ctx context.Context, env *Env, cid string, err error) error {
	var de *dingtalk.Error
	if !errors.As(err, &de) || de.Reason != dingtalk.ReasonRobotMissing {
		return err
	}
	in, lerr := env.Client.Robot.AppRobotInGroup(ctx, cid)
	l := env.Lang
	switch {
	case lerr != nil:
		return explain(err, "", l.Textf("The app's robot cannot post in this group: it is not in the group (%s), or %s.", l.Text(robotAddHint), l.Text(robotPublishHint)))
	case in:
		return explain(err, "", l.Textf("The app's robot is in the group but DingTalk does not know it by this app's AppKey: %s.", l.Text(robotPublishHint)))
	}
	return explain(err, "", l.Textf("The app's robot is not in this group: %s; if it is not offered there, %s.", l.Text(robotAddHint), l.Text(robotPublishHint)))
}

// ---- send_chat_message ----

// SendChatMessageIn is the input of send_chat_message.
type SendChatMessageIn struct {
	ChatId  string `json:"ChatId" jsonschema:"maxLength=128" jsonschema_description:"chatid or openConversationId, from create_chat or get_dept_detail."`
	MsgType string `json:"MsgType" jsonschema:"enum=text,enum=markdown" jsonschema_description:"Format."`
	Content string `json:"Content" jsonschema:"maxLength=15000" jsonschema_description:"The message."`
	Title   string `json:"Title,omitempty" jsonschema:"maxLength=100" jsonschema_description:"Chat-list title (markdown); default: first line."`
	Idempotency
	Confirmation

	msg dingtalk.GroupMessage
}

// ChatMessage identifies a posted message.
type ChatMessage struct {
	ProcessQueryKey    string `json:"ProcessQueryKey" jsonschema_description:"The message's key: ProcessQueryKey of get_chat_message_status, ProcessQueryKeys of recall_chat_message."`
	OpenConversationId string `json:"OpenConversationId" jsonschema_description:"The group it was posted in."`
}

// SendChatMessageOut is the result of send_chat_message.
type SendChatMessageOut struct {
	ChatMessage *ChatMessage `json:"ChatMessage,omitempty" jsonschema_description:"The posted message."`
	Envelope
	Replay
}

var sendChatMessage = &Tool[SendChatMessageIn, SendChatMessageOut]{
	Name:        "send_chat_message",
	Title:       "Post in group chat",
	Description: "Post text or Markdown in a group chat as the app's robot (it must be in the group); cannot @mention anyone. Not idempotent.",
	Toolset:     Chat,
	Validate: func(in *SendChatMessageIn) error {
		if err := checkChatID(&in.ChatId); err != nil {
			return err
		}
		if strings.TrimSpace(in.Content) == "" {
			return invalid("Content", "Content must not be blank")
		}
		in.msg = dingtalk.GroupMessage{MsgKey: dingtalk.RobotText, Text: in.Content}
		if in.MsgType == "markdown" {
			in.msg.MsgKey, in.msg.Title = dingtalk.RobotMarkdown, markdownTitle(in.Title, in.Content)
		}
		if n := in.msg.ParamSize(); n > dingtalk.MaxRobotParamBytes {
			return invalid("Content", "Content is too long for one message: it is %d bytes as DingTalk counts them (JSON-escaped, with the title), more than its limit of %d; split it into several messages",
				n, dingtalk.MaxRobotParamBytes)
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *SendChatMessageIn) string {
		return l.Textf("post the %s message %s in group %s as the app's robot", in.MsgType, quoteShort(in.Content), in.ChatId)
	},
	Run: func(ctx context.Context, env *Env, in *SendChatMessageIn) (out SendChatMessageOut, err error) {
		cid, err := openConversationID(ctx, env, in.ChatId)
		if err != nil {
			return out, err
		}
		in.msg.OpenConversationID = cid
		key, err := env.Client.Robot.Send(ctx, in.msg)
		if err != nil {
			return out, explainRobot(ctx, env, cid, err)
		}
		out.ChatMessage = &ChatMessage{ProcessQueryKey: key, OpenConversationId: cid}
		out.Summary = env.Lang.Textf("Posted the message in group %s; get_chat_message_status with ProcessQueryKey %s shows who has read it.", cid, key)
		return out, nil
	},
	Hints: withHints(robotHints, map[dingtalk.Cause]string{
		dingtalk.KindNotFound: chatNotFoundHint,
		dingtalk.KindInvalid:  "DingTalk refused the message as its message says: check ChatId (from create_chat) and Content (no unsafe links or forbidden words).",
		Uncertain:             "The message may have been posted: ask a group member whether it appeared before sending it again, or it will be there twice.",
	}),
}

// markdownTitle is a Markdown message's title: the given one, or the
// message's first line without its heading marks.
func markdownTitle(title, content string) string {
	if title = strings.TrimSpace(title); title != "" {
		return title
	}
	first, _, _ := strings.Cut(strings.TrimSpace(content), "\n")
	first = strings.TrimSpace(strings.TrimLeft(first, "#>-* "))
	if utf8.RuneCountInString(first) > 100 {
		first = truncate(first, 100)
	}
	if first == "" {
		return "消息"
	}
	return first
}

// ---- get_chat_message_status ----

// GetChatMessageStatusIn is the input of get_chat_message_status.
type GetChatMessageStatusIn struct {
	ChatId          string `json:"ChatId" jsonschema:"maxLength=128" jsonschema_description:"The group, as given to send_chat_message."`
	ProcessQueryKey string `json:"ProcessQueryKey" jsonschema:"maxLength=256" jsonschema_description:"From send_chat_message."`
	NextToken       string `json:"NextToken,omitempty" jsonschema:"maxLength=2048" jsonschema_description:"From the previous page."`
}

// GetChatMessageStatusOut is the result of get_chat_message_status.
type GetChatMessageStatusOut struct {
	ReadStatus *dingtalk.ReadStatus `json:"ReadStatus,omitempty" jsonschema_description:"The message's state and one page of its readers, in DingTalk's field names."`
	Envelope
}

var getChatMessageStatus = &Tool[GetChatMessageStatusIn, GetChatMessageStatusOut]{
	Name:        "get_chat_message_status",
	Title:       "Get group message status",
	Description: "Show who has read a message from send_chat_message, and whether it was recalled.",
	Toolset:     Chat,
	ReadOnly:    true,
	Validate: func(in *GetChatMessageStatusIn) error {
		in.ProcessQueryKey, in.NextToken = strings.TrimSpace(in.ProcessQueryKey), strings.TrimSpace(in.NextToken)
		if in.ProcessQueryKey == "" {
			return invalid("ProcessQueryKey", "ProcessQueryKey must not be blank: pass the one send_chat_message returned")
		}
		return checkChatID(&in.ChatId)
	},
	Run: func(ctx context.Context, env *Env, in *GetChatMessageStatusIn) (out GetChatMessageStatusOut, err error) {
		cid, err := openConversationID(ctx, env, in.ChatId)
		if err != nil {
			return out, err
		}
		st, err := env.Client.Robot.ReadStatus(ctx, cid, in.ProcessQueryKey, dingtalk.MaxReadStatusPage, in.NextToken)
		if err != nil {
			return out, explainRobot(ctx, env, cid, err)
		}
		out.ReadStatus = st
		out.Summary = env.Lang.Textf("Message %s is %s; %d member(s) on this page have read it.", in.ProcessQueryKey, st.SendStatus, len(st.ReadUserIDs))
		if st.HasMore {
			out.Summary += env.Lang.Text(" More readers follow: call again with NextToken.")
		}
		return out, nil
	},
	Hints: withHints(robotHints, map[dingtalk.Cause]string{
		dingtalk.ReasonReadStatusPending: "DingTalk has no read data for this message yet, or the key has expired: try again in a minute; if it persists, the message is too old to query.",
		dingtalk.KindNotFound:            messageKeyHint,
		dingtalk.KindInvalid:             messageKeyHint + " NextToken must come from the previous page.",
	}),
}

// ---- recall_chat_message ----

// RecallChatMessageIn is the input of recall_chat_message.
type RecallChatMessageIn struct {
	ChatId           string     `json:"ChatId" jsonschema:"maxLength=128" jsonschema_description:"The group, as given to send_chat_message."`
	ProcessQueryKeys StringList `json:"ProcessQueryKeys" jsonschema:"minItems=1,maxItems=20" jsonschema_description:"From send_chat_message."`
	Confirmation
}

// RecallChatMessageOut is the result of recall_chat_message.
type RecallChatMessageOut struct {
	Recalled []string          `json:"Recalled" jsonschema_description:"Keys of the messages recalled (a message recalled before counts)."`
	Failed   map[string]string `json:"Failed" jsonschema_description:"Keys not recalled, each with DingTalk's reason."`
	Envelope
}

var recallChatMessage = &Tool[RecallChatMessageIn, RecallChatMessageOut]{
	Name:        "recall_chat_message",
	Title:       "Recall group messages",
	Description: "Withdraw messages send_chat_message posted in a group; the chat shows no notice.",
	Toolset:     Chat,
	Destructive: true,
	Idempotent:  true,
	Validate: func(in *RecallChatMessageIn) error {
		return checkChatID(&in.ChatId)
	},
	Preview: func(l i18n.Lang, in *RecallChatMessageIn) string {
		return l.Textf("recall %d message(s) (%s) from group %s", len(in.ProcessQueryKeys), listShort(l, in.ProcessQueryKeys), in.ChatId)
	},
	Run: func(ctx context.Context, env *Env, in *RecallChatMessageIn) (out RecallChatMessageOut, err error) {
		cid, err := openConversationID(ctx, env, in.ChatId)
		if err != nil {
			return out, err
		}
		r, err := env.Client.Robot.Recall(ctx, cid, in.ProcessQueryKeys)
		if err != nil {
			return out, explainRobot(ctx, env, cid, err)
		}
		out.Recalled, out.Failed = r.Recalled, r.Failed
		out.Summary = env.Lang.Textf("Recalled %d of %d message(s) from group %s.", len(r.Recalled), len(in.ProcessQueryKeys), cid)
		if len(r.Failed) > 0 {
			var failed []string
			for _, k := range in.ProcessQueryKeys {
				if reason, ok := r.Failed[k]; ok {
					failed = append(failed, k+" ("+reason+")")
				}
			}
			out.Summary += env.Lang.Textf(" Not recalled: %s; check the keys and that they were posted in this group.", listShort(env.Lang, failed))
		}
		return out, nil
	},
	Hints: withHints(robotHints, map[dingtalk.Cause]string{
		dingtalk.KindNotFound: chatNotFoundHint,
		dingtalk.KindInvalid:  messageKeyHint,
	}),
}
