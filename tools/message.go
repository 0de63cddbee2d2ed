package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

func messageTools() []Declaration {
	return []Declaration{sendWorkNotice, getMessageStatus, recallMessage}
}

// SendWorkNoticeIn is the input of send_work_notice.
type SendWorkNoticeIn struct {
	Agent
	UserIds StringList `json:"UserIds" jsonschema:"minItems=1,maxItems=100" jsonschema_description:"Recipients' userIds, from search_users or get_dept_users."`
	MsgType string     `json:"MsgType" jsonschema:"enum=text,enum=markdown" jsonschema_description:"markdown needs a Title."`
	Content string     `json:"Content" jsonschema:"minLength=1,maxLength=2000" jsonschema_description:"The message; identical content reaches a user once a day at most."`
	Title   string     `json:"Title,omitempty" jsonschema:"maxLength=100" jsonschema_description:"Title of a markdown notice."`
	Idempotency
	Confirmation
}

// MessageData is what DingTalk returned for a sent notice.
type MessageData struct {
	TaskId     int64    `json:"task_id" jsonschema_description:"The notice's task id: pass it as TaskId to get_message_status and as MsgTaskId to recall_message."`
	Recipients []string `json:"recipients" jsonschema_description:"The userIds the notice was addressed to."`
}

// SendWorkNoticeOut is the result of send_work_notice.
type SendWorkNoticeOut struct {
	MessageData *MessageData `json:"MessageData,omitempty" jsonschema_description:"The task DingTalk created."`
	Envelope
	Replay
}

var sendWorkNotice = &Tool[SendWorkNoticeIn, SendWorkNoticeOut]{
	Name:        "send_work_notice",
	Title:       "Send work notice",
	Description: "Send a work notice from the app to users; check delivery with get_message_status. Not idempotent.",
	Toolset:     Message,
	Validate: func(in *SendWorkNoticeIn) error {
		if in.MsgType == "markdown" && strings.TrimSpace(in.Title) == "" {
			return invalid("Title", "Title is required when MsgType is markdown")
		}
		if len(in.Content) > 2048-64 {
			return invalid("Content", "Content is %d bytes; DingTalk accepts a message of at most about 1,980 bytes", len(in.Content))
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *SendWorkNoticeIn) string {
		return l.Textf("send a %s work notice %s to %d user(s) (%s) as app %d", in.MsgType, quoteShort(in.Content), len(in.UserIds), listShort(l, in.UserIds), in.AgentId)
	},
	Run: func(ctx context.Context, env *Env, in *SendWorkNoticeIn) (out SendWorkNoticeOut, err error) {
		msg := dingtalk.Msg{MsgType: in.MsgType}
		if in.MsgType == "markdown" {
			msg.Markdown = &dingtalk.MarkdownMsg{Title: in.Title, Text: in.Content}
		} else {
			msg.Text = &dingtalk.TextMsg{Content: in.Content}
		}
		id, err := env.Client.Messages.Send(ctx, dingtalk.WorkNotice{AgentID: in.AgentId, UserIDs: in.UserIds, Msg: msg})
		if err != nil {
			return out, err
		}
		out.MessageData = &MessageData{TaskId: id, Recipients: in.UserIds}
		out.Summary = env.Lang.Textf("Work notice task %d created for %d user(s); call get_message_status with TaskId %d to see delivery.", id, len(in.UserIds), id)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "Check AgentId (the app's AgentId in the developer console), UserIds (from search_users) and MsgType.",
		Uncertain:            "The notice may have been sent: call get_message_status with its TaskId if you have one, or ask the recipients, before sending again.",
	},
}

// GetMessageStatusIn is the input of get_message_status.
type GetMessageStatusIn struct {
	Agent
	TaskId int64 `json:"TaskId" jsonschema:"minimum=1" jsonschema_description:"task_id from send_work_notice."`
}

// GetMessageStatusOut is the result of get_message_status.
type GetMessageStatusOut struct {
	MessageStatus *dingtalk.SendResult `json:"MessageStatus,omitempty" jsonschema_description:"Recipients by delivery state, in DingTalk's field names."`
	Envelope
}

var getMessageStatus = &Tool[GetMessageStatusIn, GetMessageStatusOut]{
	Name:        "get_message_status",
	Title:       "Get work notice status",
	Description: "Show who read, did not read, or could not receive a work notice sent in the last 24 hours.",
	Toolset:     Message,
	ReadOnly:    true,
	Run: func(ctx context.Context, env *Env, in *GetMessageStatusIn) (out GetMessageStatusOut, err error) {
		r, err := env.Client.Messages.Result(ctx, in.AgentId, in.TaskId)
		if err != nil {
			return out, err
		}
		out.MessageStatus = r
		out.Summary = env.Lang.Textf("Notice %d: %d read, %d unread, %d invalid, %d held back by DingTalk's limits, %d failed.",
			in.TaskId, len(r.ReadUserIDList), len(r.UnreadUserIDList), len(r.InvalidUserIDList), len(r.ForbiddenUserIDList), len(r.FailedUserIDList))
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "Check TaskId (from send_work_notice, less than 24 hours old) and that AgentId is the app that sent it.",
	},
}

// RecallMessageIn is the input of recall_message.
type RecallMessageIn struct {
	Agent
	MsgTaskId int64 `json:"MsgTaskId" jsonschema:"minimum=1" jsonschema_description:"task_id from send_work_notice."`
	Confirmation
}

// RecallMessageOut is the result of recall_message.
type RecallMessageOut struct {
	RecallResult bool `json:"RecallResult" jsonschema_description:"Whether the notice was recalled."`
	Envelope
}

var recallMessage = &Tool[RecallMessageIn, RecallMessageOut]{
	Name:        "recall_message",
	Title:       "Recall work notice",
	Description: "Withdraw a work notice sent in the last 24 hours from all its recipients.",
	Toolset:     Message,
	Destructive: true,
	Idempotent:  true,
	Preview: func(l i18n.Lang, in *RecallMessageIn) string {
		return l.Textf("recall work notice %d (app %d) from all its recipients", in.MsgTaskId, in.AgentId)
	},
	Run: func(ctx context.Context, env *Env, in *RecallMessageIn) (out RecallMessageOut, err error) {
		if err := env.Client.Messages.Recall(ctx, in.AgentId, in.MsgTaskId); err != nil {
			return out, err
		}
		out.RecallResult = true
		out.Summary = env.Lang.Textf("Recalled work notice %d.", in.MsgTaskId)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "Check MsgTaskId (the task_id from send_work_notice, less than 24 hours old) and that AgentId is the app that sent it.",
	},
}

// quoteShort quotes s, cut to a length that fits a one-line question.
func quoteShort(s string) string { return fmt.Sprintf("%q", truncate(s, 60)) }

// listShort shows the first few items of a list.
func listShort(lang i18n.Lang, l []string) string {
	if len(l) <= 5 {
		return strings.Join(l, ", ")
	}
	return lang.Textf("%s and %d more", strings.Join(l[:5], ", "), len(l)-5)
}
