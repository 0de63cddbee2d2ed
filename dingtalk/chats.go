package dingtalk

import (
	"context"
	"net/url"
)

// ChatsService creates and reads group chats.
type ChatsService service

// ChatOptions are a group's settings, each 0 or 1, as DingTalk defines
// them (0 is DingTalk's default for every one).
type ChatOptions struct {
	// MentionAllAuthority: 0 everyone may @all, 1 only the owner.
	MentionAllAuthority int `json:"mentionAllAuthority"`
	// ShowHistoryType: 1 new members see the last 100 messages, 0 they don't.
	ShowHistoryType int `json:"showHistoryType"`
	// ValidationType: 1 joining needs the owner's approval, 0 it doesn't.
	ValidationType int `json:"validationType"`
	// Searchable: 1 the group can be found by search, 0 it can't.
	Searchable int `json:"searchable"`
	// ChatBannedType: 1 everyone but the owner is muted, 0 no one is.
	ChatBannedType int `json:"chatBannedType"`
	// ManagementType: 0 every member may manage the group, 1 only the owner.
	ManagementType int `json:"managementType"`
}

// NewChat is a group chat to create: an internal group of the
// organisation, owned by an employee.
type NewChat struct {
	Name       string
	Owner      string   // the owner's userId; DingTalk wants it in UserIDList too
	UserIDList []string // members' userIds
	Options    ChatOptions
}

// CreatedChat identifies a new group. DingTalk says chatid will be phased
// out; openConversationId is the durable id.
type CreatedChat struct {
	ChatID             string `json:"chatid"`
	OpenConversationID string `json:"openConversationId"`
	// ConversationTag 2 is an internal group, 0 an ordinary one.
	ConversationTag int64 `json:"conversationTag"`
}

// ChatInfo is a group as DingTalk describes it. Read by chatid (/chat/get)
// it has the name, owner, members and settings; read by openConversationId
// (groups/baseInfos/query) it has the title, icon, member count and tag.
// Each carries DingTalk's own keys, so absent ones are left out.
type ChatInfo struct {
	ChatID             string   `json:"chatid,omitempty"`
	OpenConversationID string   `json:"openConversationId,omitempty"`
	Name               string   `json:"name,omitempty"`
	Title              string   `json:"title,omitempty"`
	Owner              string   `json:"owner,omitempty"`
	UserIDList         []string `json:"useridlist,omitempty"`
	AgentIDList        []string `json:"agentidlist,omitempty"`
	ExtIDList          []string `json:"extidlist,omitempty"`
	MemberCount        int64    `json:"memberCount,omitempty"`
	Icon               string   `json:"icon,omitempty"`
	Tag                string   `json:"tag,omitempty"`
	ConversationTag    *int64   `json:"conversationTag,omitempty"`
	// Status is 1 for a normal group, 2 for a disbanded one.
	Status              *int `json:"status,omitempty"`
	ChatBannedType      *int `json:"chatBannedType,omitempty"`
	Searchable          *int `json:"searchable,omitempty"`
	ValidationType      *int `json:"validationType,omitempty"`
	MentionAllAuthority *int `json:"mentionAllAuthority,omitempty"`
	ManagementType      *int `json:"managementType,omitempty"`
	ShowHistoryType     *int `json:"showHistoryType,omitempty"`
}

var (
	chatCreateEndpoint   = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/im/group/create"}
	chatGetEndpoint      = &endpoint{family: legacyFamily, method: "GET", path: "/chat/get", idempotent: true}
	chatBaseInfoEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/im/groups/baseInfos/query", idempotent: true}
	chatConvertEndpoint  = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/im/chat/{}/convertToOpenConversationId", idempotent: true}
)

// Create creates an internal group chat and returns both of its ids.
//
// DingTalk: POST /v1.0/im/group/create, the current replacement of the
// archived /chat/create; the settings go nested in managementOptions, as
// the official SDK sends them. Not idempotent: a repeat creates a second
// group.
func (s *ChatsService) Create(ctx context.Context, c NewChat) (*CreatedChat, error) {
	body := map[string]any{
		"name":              c.Name,
		"owner":             c.Owner,
		"useridlist":        c.UserIDList,
		"managementOptions": c.Options,
	}
	var out CreatedChat
	if err := s.client.do(ctx, &call{ep: chatCreateEndpoint, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Get returns a group's name, owner, members and settings by its chatid.
// Only chatids returned by the server-side create APIs work, not those of
// the client-side JSAPI.
//
// DingTalk: GET /chat/get. Idempotent.
func (s *ChatsService) Get(ctx context.Context, chatID string) (*ChatInfo, error) {
	var out struct {
		ChatInfo ChatInfo `json:"chat_info"`
	}
	if err := s.client.do(ctx, &call{ep: chatGetEndpoint, query: url.Values{"chatid": {chatID}}}, &out); err != nil {
		return nil, err
	}
	if out.ChatInfo.ChatID == "" {
		out.ChatInfo.ChatID = chatID
	}
	return &out.ChatInfo, nil
}

// BaseInfo returns a group's title, icon, member count and tag by its
// openConversationId.
//
// DingTalk: POST /v1.0/im/groups/baseInfos/query (QueryOpenGroupBaseInfo).
// It is in the official SDK but not in the documentation: which groups it
// covers, its permission and its errors are UNVERIFIED. It is used because
// the documented reads by openConversationId (sceneGroups/query) cover only
// groups made from a template, not the groups Create makes. Idempotent.
func (s *ChatsService) BaseInfo(ctx context.Context, openConversationID string) (*ChatInfo, error) {
	var out struct {
		Success *bool    `json:"success"`
		Result  ChatInfo `json:"result"`
	}
	err := s.client.do(ctx, &call{ep: chatBaseInfoEndpoint, body: map[string]any{"openConversationId": openConversationID}}, &out)
	if err != nil {
		return nil, err
	}
	if out.Success != nil && !*out.Success {
		return nil, (&Error{Endpoint: chatBaseInfoEndpoint.name(), HTTPStatus: 200, Kind: KindUnknown}).describe(phrasef("DingTalk answered success=false without an error code"))
	}
	if out.Result.OpenConversationID == "" {
		out.Result.OpenConversationID = openConversationID
	}
	return &out.Result, nil
}

// OpenConversationID returns the openConversationId of the group chatID,
// the id the robot APIs take.
//
// DingTalk: POST /v1.0/im/chat/{chatId}/convertToOpenConversationId
// (ChatIdToOpenConversationId), with no body. Idempotent.
func (s *ChatsService) OpenConversationID(ctx context.Context, chatID string) (string, error) {
	var out struct {
		OpenConversationID string `json:"openConversationId"`
	}
	if err := s.client.do(ctx, &call{ep: chatConvertEndpoint, pathParams: []string{chatID}}, &out); err != nil {
		return "", err
	}
	if out.OpenConversationID == "" {
		return "", (&Error{Endpoint: chatConvertEndpoint.name(), HTTPStatus: 200, Kind: KindTransient}).describe(phrasef("DingTalk answered without an openConversationId"))
	}
	return out.OpenConversationID, nil
}
