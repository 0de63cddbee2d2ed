package dingtalk

import (
	"context"
	"strings"
)

// MessagesService sends, tracks and recalls work notices: messages an app
// sends to members of the organisation.
type MessagesService service

// WorkNotice is a work notice to send. At least one of UserIDs, DeptIDs or
// ToAllUser names the recipients.
type WorkNotice struct {
	AgentID   int64
	UserIDs   []string
	DeptIDs   []int64
	ToAllUser bool
	Msg       Msg
}

// Msg is a work notice's content: exactly one of Text or Markdown.
type Msg struct {
	MsgType  string       `json:"msgtype"`
	Text     *TextMsg     `json:"text,omitempty"`
	Markdown *MarkdownMsg `json:"markdown,omitempty"`
}

// TextMsg is a plain-text message.
type TextMsg struct {
	Content string `json:"content"`
}

// MarkdownMsg is a Markdown message; Title is shown in the conversation list.
type MarkdownMsg struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// SendResult is the delivery state of a work notice, per recipient.
type SendResult struct {
	InvalidUserIDList   []string        `json:"invalid_user_id_list"`
	ForbiddenUserIDList []string        `json:"forbidden_user_id_list"`
	FailedUserIDList    []string        `json:"failed_user_id_list"`
	ReadUserIDList      []string        `json:"read_user_id_list"`
	UnreadUserIDList    []string        `json:"unread_user_id_list"`
	InvalidDeptIDList   []int64         `json:"invalid_dept_id_list"`
	ForbiddenList       []ForbiddenItem `json:"forbidden_list"`
}

// ForbiddenItem is a recipient that DingTalk's delivery limits held back.
type ForbiddenItem struct {
	Code   string `json:"code"`
	Count  int64  `json:"count"`
	UserID string `json:"userid"`
}

var (
	noticeSendEndpoint   = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/message/corpconversation/asyncsend_v2"}
	noticeResultEndpoint = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/message/corpconversation/getsendresult", idempotent: true}
	noticeRecallEndpoint = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/message/corpconversation/recall", idempotent: true}
)

// Send creates the asynchronous task that delivers n and returns its task
// id. Success means the task exists, not that anyone received the notice.
//
// DingTalk: POST /topapi/message/corpconversation/asyncsend_v2. Not
// idempotent: sending twice delivers twice.
func (s *MessagesService) Send(ctx context.Context, n WorkNotice) (int64, error) {
	body := map[string]any{"agent_id": n.AgentID, "msg": n.Msg}
	if len(n.UserIDs) > 0 {
		body["userid_list"] = strings.Join(n.UserIDs, ",")
	}
	if len(n.DeptIDs) > 0 {
		ids := make([]string, len(n.DeptIDs))
		for i, id := range n.DeptIDs {
			ids[i] = formatInt(id)
		}
		body["dept_id_list"] = strings.Join(ids, ",")
	}
	if n.ToAllUser {
		body["to_all_user"] = true
	}
	var out struct {
		TaskID int64 `json:"task_id"`
	}
	if err := s.client.do(ctx, &call{ep: noticeSendEndpoint, body: body}, &out); err != nil {
		return 0, err
	}
	return out.TaskID, nil
}

// Result returns the delivery state of the notice task taskID. DingTalk
// keeps it for 24 hours.
//
// DingTalk: POST /topapi/message/corpconversation/getsendresult. Idempotent.
func (s *MessagesService) Result(ctx context.Context, agentID, taskID int64) (*SendResult, error) {
	var out struct {
		SendResult SendResult `json:"send_result"`
	}
	body := map[string]any{"agent_id": agentID, "task_id": taskID}
	if err := s.client.do(ctx, &call{ep: noticeResultEndpoint, body: body}, &out); err != nil {
		return nil, err
	}
	r := &out.SendResult
	for _, l := range []*[]string{&r.InvalidUserIDList, &r.ForbiddenUserIDList, &r.FailedUserIDList, &r.ReadUserIDList, &r.UnreadUserIDList} {
		if *l == nil {
			*l = []string{}
		}
	}
	if r.InvalidDeptIDList == nil {
		r.InvalidDeptIDList = []int64{}
	}
	if r.ForbiddenList == nil {
		r.ForbiddenList = []ForbiddenItem{}
	}
	return r, nil
}

// Recall withdraws the notice task taskID from its recipients. Only notices
// from the last 24 hours can be recalled.
//
// DingTalk: POST /topapi/message/corpconversation/recall. Idempotent: a
// recalled notice stays recalled.
func (s *MessagesService) Recall(ctx context.Context, agentID, taskID int64) error {
	body := map[string]any{"agent_id": agentID, "msg_task_id": taskID}
	return s.client.do(ctx, &call{ep: noticeRecallEndpoint, body: body}, nil)
}
