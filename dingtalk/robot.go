package dingtalk

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// RobotService posts into group chats as the app's robot, reads who has
// read those messages and recalls them.
//
// The robot of an internal app is identified by the app's AppKey (its
// robotCode), and it works only in internal groups it has been added to.
// DingTalk's robot API cannot @ anyone: a mention needs a webhook, which
// this service does not use.
type RobotService service

// Group message templates (msgKey) and the limits DingTalk documents for
// them.
const (
	RobotText     = "sampleText"
	RobotMarkdown = "sampleMarkdown"
	// MaxRobotParamBytes bounds msgParam, the message serialised as a JSON
	// string.
	MaxRobotParamBytes = 15000
	// MaxRecallKeys is how many messages one recall takes.
	MaxRecallKeys = 20
	// MaxReadStatusPage is the largest page of readers one query returns.
	MaxReadStatusPage = 200
)

// GroupMessage is a message for the app's robot to post.
type GroupMessage struct {
	OpenConversationID string
	// MsgKey is RobotText or RobotMarkdown.
	MsgKey string
	// Title is shown in the conversation list (Markdown only).
	Title string
	// Text is the text or the Markdown body.
	Text string
}

// Param returns msgParam: the message's template parameters serialised as
// a JSON document inside a string, as DingTalk wants them.
func (m *GroupMessage) Param() (string, error) {
	p := m.params()
	if p == nil {
		return "", &InvalidArgumentError{Field: "msgKey", Message: fmt.Sprintf("%q is neither %s nor %s", m.MsgKey, RobotText, RobotMarkdown)}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", &InvalidArgumentError{Field: "msgParam", Message: err.Error()}
	}
	if len(b) > MaxRobotParamBytes {
		return "", &InvalidArgumentError{Field: "msgParam", Message: fmt.Sprintf("the message is %d bytes as DingTalk counts it, more than its limit of %d", len(b), MaxRobotParamBytes)}
	}
	return string(b), nil
}

// ParamSize is the length in bytes of msgParam, which DingTalk bounds by
// MaxRobotParamBytes: the text JSON-escaped, with the title.
func (m *GroupMessage) ParamSize() int {
	b, _ := json.Marshal(m.params()) // a map of strings always marshals
	return len(b)
}

// params are the message's template parameters; nil for an unknown MsgKey.
func (m *GroupMessage) params() map[string]string {
	switch m.MsgKey {
	case RobotText:
		return map[string]string{"content": m.Text}
	case RobotMarkdown:
		return map[string]string{"title": m.Title, "text": m.Text}
	}
	return nil
}

// ReadStatus is one page of who has read a robot message.
type ReadStatus struct {
	SendStatus  string   `json:"sendStatus" jsonschema_description:"SUCCESS, RECALLED or PROCESSING."`
	ReadUserIDs []string `json:"readUserIds" jsonschema_description:"userIds of the members who have read it."`
	NextToken   string   `json:"nextToken" jsonschema_description:"Fetches the next page of readers; empty on the last one."`
	HasMore     bool     `json:"hasMore" jsonschema_description:"Whether more readers follow."`
}

// RecallResult says which messages a recall withdrew.
type RecallResult struct {
	Recalled []string `json:"successResult"`
	// Failed maps a processQueryKey to DingTalk's reason, e.g. SYSTEM_ERROR.
	Failed map[string]string `json:"failedResult"`
}

// GroupRobot is a robot installed in a group.
type GroupRobot struct {
	RobotCode string `json:"robotCode"`
	Name      string `json:"name"`
	// OpenRobotType: 1 public template (e.g. a custom robot), 2 an
	// internal app's robot, 3 a third-party robot, 4 a scene-group robot.
	OpenRobotType int `json:"openRobotType"`
}

var (
	robotSendEndpoint   = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/robot/groupMessages/send"}
	robotQueryEndpoint  = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/robot/groupMessages/query", idempotent: true}
	robotRecallEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/robot/groupMessages/recall", idempotent: true}
	groupRobotsEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/robot/groups/robots/query", idempotent: true}
)

// Code returns the robotCode of the app's robot: an internal app's robot
// is known by the app's AppKey.
func (s *RobotService) Code() string { return s.client.tokens.appKey }

// Send posts m into its group as the app's robot and returns the message's
// processQueryKey, which ReadStatus and Recall take. m is checked against
// DingTalk's size limit before anything is sent.
//
// DingTalk: POST /v1.0/robot/groupMessages/send (OrgGroupSend). Not
// idempotent: sending twice posts twice.
func (s *RobotService) Send(ctx context.Context, m GroupMessage) (string, error) {
	param, err := m.Param()
	if err != nil {
		return "", err
	}
	body := map[string]string{"robotCode": s.Code(), "openConversationId": m.OpenConversationID, "msgKey": m.MsgKey, "msgParam": param}
	var out struct {
		ProcessQueryKey string `json:"processQueryKey"`
	}
	if err := s.client.do(ctx, &call{ep: robotSendEndpoint, body: body}, &out); err != nil {
		return "", err
	}
	if out.ProcessQueryKey == "" {
		// DingTalk is known to answer 200 to a send that failed; without a
		// key nobody can tell whether the message went out.
		return "", (&Error{Endpoint: robotSendEndpoint.name(), HTTPStatus: 200, Kind: KindUnknown, MaybeSent: true}).
			describe(phrasef("DingTalk answered without a processQueryKey, so whether the message was posted is unknown"))
	}
	return out.ProcessQueryKey, nil
}

// ReadStatus returns one page of the members who have read the message
// processQueryKey in the group openConversationID. maxResults is at most
// MaxReadStatusPage (0 means DingTalk's default); nextToken is empty for
// the first page.
//
// DingTalk: POST /v1.0/robot/groupMessages/query (OrgGroupQuery).
// Idempotent.
func (s *RobotService) ReadStatus(ctx context.Context, openConversationID, processQueryKey string, maxResults int, nextToken string) (*ReadStatus, error) {
	body := map[string]any{"robotCode": s.Code(), "openConversationId": openConversationID, "processQueryKey": processQueryKey}
	if maxResults > 0 {
		body["maxResults"] = maxResults
	}
	if nextToken != "" {
		body["nextToken"] = nextToken
	}
	var out ReadStatus
	if err := s.client.do(ctx, &call{ep: robotQueryEndpoint, body: body}, &out); err != nil {
		return nil, err
	}
	if out.ReadUserIDs == nil {
		out.ReadUserIDs = []string{}
	}
	return &out, nil
}

// Recall withdraws the messages with the given processQueryKeys (at most
// MaxRecallKeys) from the group openConversationID. The chat shows no
// notice of it.
//
// DingTalk: POST /v1.0/robot/groupMessages/recall (OrgGroupRecall).
// Idempotent: a recalled message stays recalled.
func (s *RobotService) Recall(ctx context.Context, openConversationID string, processQueryKeys []string) (*RecallResult, error) {
	if n := len(processQueryKeys); n == 0 || n > MaxRecallKeys {
		return nil, &InvalidArgumentError{Field: "processQueryKeys", Message: "between 1 and " + strconv.Itoa(MaxRecallKeys) + " keys, got " + strconv.Itoa(n)}
	}
	body := map[string]any{"robotCode": s.Code(), "openConversationId": openConversationID, "processQueryKeys": processQueryKeys}
	var out RecallResult
	if err := s.client.do(ctx, &call{ep: robotRecallEndpoint, body: body}, &out); err != nil {
		return nil, err
	}
	if out.Recalled == nil {
		out.Recalled = []string{}
	}
	if out.Failed == nil {
		out.Failed = map[string]string{}
	}
	return &out, nil
}

// InGroup lists the robots installed in the group openConversationID.
//
// DingTalk: POST /v1.0/robot/groups/robots/query (GetBotListInGroup).
// Idempotent.
func (s *RobotService) InGroup(ctx context.Context, openConversationID string) ([]GroupRobot, error) {
	var out struct {
		Robots []GroupRobot `json:"chatbotInstanceVOList"`
	}
	if err := s.client.do(ctx, &call{ep: groupRobotsEndpoint, body: map[string]string{"openConversationId": openConversationID}}, &out); err != nil {
		return nil, err
	}
	if out.Robots == nil {
		out.Robots = []GroupRobot{}
	}
	return out.Robots, nil
}

// AppRobotInGroup reports whether the app's own robot is installed in the
// group openConversationID, so that Send can post there.
func (s *RobotService) AppRobotInGroup(ctx context.Context, openConversationID string) (bool, error) {
	robots, err := s.InGroup(ctx, openConversationID)
	if err != nil {
		return false, err
	}
	for _, r := range robots {
		if r.RobotCode == s.Code() {
			return true, nil
		}
	}
	return false, nil
}
