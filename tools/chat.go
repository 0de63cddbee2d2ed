package tools

import (
	"context"
	"slices"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

func chatTools() []Declaration {
	return []Declaration{createChat, getChatInfo, sendChatMessage, getChatMessageStatus, recallChatMessage}
}

// maxChatMembers is the most members create_chat may name: DingTalk's
// limit for one create call.
const maxChatMembers = 40

// CreateChatIn is the input of create_chat.
type CreateChatIn struct {
	Name                string     `json:"Name" jsonschema:"maxLength=20" jsonschema_description:"Group name."`
	Owner               string     `json:"Owner" jsonschema:"maxLength=64" jsonschema_description:"Owner's userId; added as a member if missing."`
	UserIds             StringList `json:"UserIds" jsonschema:"minItems=1,maxItems=40" jsonschema_description:"Members' userIds, from search_users or get_dept_users; the owner counts toward the 40."`
	ShowHistoryType     int        `json:"ShowHistoryType,omitempty" jsonschema:"enum=0,enum=1,default=0" jsonschema_description:"1: new members see recent history."`
	Searchable          int        `json:"Searchable,omitempty" jsonschema:"enum=0,enum=1,default=0" jsonschema_description:"1: findable by search."`
	ValidationType      int        `json:"ValidationType,omitempty" jsonschema:"enum=0,enum=1,default=0" jsonschema_description:"1: joining needs approval."`
	MentionAllAuthority int        `json:"MentionAllAuthority,omitempty" jsonschema:"enum=0,enum=1,default=0" jsonschema_description:"1: only the owner may @all."`
	ManagementType      int        `json:"ManagementType,omitempty" jsonschema:"enum=0,enum=1,default=0" jsonschema_description:"1: only the owner manages it."`
	ChatBannedType      int        `json:"ChatBannedType,omitempty" jsonschema:"enum=0,enum=1,default=0" jsonschema_description:"1: all but the owner muted."`
	Idempotency
	Confirmation

	members []string // UserIds without repeats, the owner first if added
}

// CreateChatOut is the result of create_chat.
type CreateChatOut struct {
	ChatData *dingtalk.CreatedChat `json:"ChatData,omitempty" jsonschema_description:"The new group's ids in DingTalk's field names: chatid and openConversationId (the durable one); either works with get_chat_info."`
	Envelope
	Replay
}

var createChat = &Tool[CreateChatIn, CreateChatOut]{
	Name:        "create_chat",
	Title:       "Create group chat",
	Description: "Create a group chat of the organisation; returns its chatid and openConversationId. Not idempotent.",
	Toolset:     Chat,
	Validate: func(in *CreateChatIn) error {
		in.Name, in.Owner = strings.TrimSpace(in.Name), strings.TrimSpace(in.Owner)
		if in.Name == "" {
			return invalid("Name", "Name must not be blank")
		}
		if in.Owner == "" {
			return invalid("Owner", "Owner must not be blank: give the owner's userId (from search_users)")
		}
		in.members = nil
		for _, id := range in.UserIds {
			if !slices.Contains(in.members, id) {
				in.members = append(in.members, id)
			}
		}
		// DingTalk wants the owner among the members; adding them is what
		// the caller means by naming them owner.
		if !slices.Contains(in.members, in.Owner) {
			in.members = append([]string{in.Owner}, in.members...)
		}
		if len(in.members) > maxChatMembers {
			return invalid("UserIds", "UserIds has %d members and Owner %s is not among them: with the owner the group would have %d members, more than the %d allowed; leave one out or include the owner in UserIds",
				len(in.UserIds), in.Owner, len(in.members), maxChatMembers)
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *CreateChatIn) string {
		p := l.Textf("create the group chat %q owned by %s with %d member(s) (%s)", in.Name, in.Owner, len(in.members), listShort(l, in.members))
		if s := chatSettings(l, in); len(s) > 0 {
			p += l.Textf(", where %s", strings.Join(s, l.Text(", ")))
		}
		return p
	},
	Run: func(ctx context.Context, env *Env, in *CreateChatIn) (out CreateChatOut, err error) {
		c, err := env.Client.Chats.Create(ctx, dingtalk.NewChat{Name: in.Name, Owner: in.Owner, UserIDList: in.members, Options: dingtalk.ChatOptions{
			MentionAllAuthority: in.MentionAllAuthority, ShowHistoryType: in.ShowHistoryType, ValidationType: in.ValidationType,
			Searchable: in.Searchable, ChatBannedType: in.ChatBannedType, ManagementType: in.ManagementType,
		}})
		if err != nil {
			return out, err
		}
		out.ChatData = c
		out.Summary = env.Lang.Textf("Created the group chat %q (chatid %s, openConversationId %s) owned by %s with %d member(s); pass either id to get_chat_info.",
			in.Name, c.ChatID, c.OpenConversationID, in.Owner, len(in.members)) + robotReach(ctx, env, c.OpenConversationID)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "DingTalk refused the group as its message says: check Name (1-20 characters), and that Owner and every UserIds entry is the userId of a current employee (find them with search_users).",
		Uncertain:            "The group may have been created: ask the owner whether it appeared in their DingTalk before calling create_chat again, or it will exist twice.",
	},
}

// robotReach says whether send_chat_message can post in a new group: the
// app's robot must be in it, and DingTalk does not say whether a group
// made through the API gets it.
func robotReach(ctx context.Context, env *Env, cid string) string {
	in, err := env.Client.Robot.AppRobotInGroup(ctx, cid)
	l := env.Lang
	switch {
	case err != nil:
		return l.Text(" Whether the app's robot is in it, so that send_chat_message can post there, could not be checked.")
	case in:
		return l.Text(" The app's robot is in it: send_chat_message can post there.")
	}
	return l.Textf(" The app's robot is not in it, so send_chat_message cannot post there until %s.", l.Text(robotAddHint))
}

// chatSettings describes the settings that differ from DingTalk's defaults.
func chatSettings(l i18n.Lang, in *CreateChatIn) []string {
	var s []string
	for _, o := range []struct {
		on   int
		text string
	}{
		{in.ShowHistoryType, l.Text("new members see the chat history")},
		{in.Searchable, l.Text("the group can be found by search")},
		{in.ValidationType, l.Text("joining needs approval")},
		{in.MentionAllAuthority, l.Text("only the owner may @all")},
		{in.ManagementType, l.Text("only the owner manages the group")},
		{in.ChatBannedType, l.Text("everyone but the owner is muted")},
	} {
		if o.on == 1 {
			s = append(s, o.text)
		}
	}
	return s
}

// GetChatInfoIn is the input of get_chat_info.
type GetChatInfoIn struct {
	ChatId string `json:"ChatId" jsonschema:"maxLength=128" jsonschema_description:"chatid or openConversationId from create_chat, or get_dept_detail's dept_group_chat_id."`
}

// GetChatInfoOut is the result of get_chat_info.
type GetChatInfoOut struct {
	ChatInfo *dingtalk.ChatInfo `json:"ChatInfo,omitempty" jsonschema_description:"The group in DingTalk's field names. By chatid: name, owner, useridlist (the members) and the settings. By openConversationId: title, icon and memberCount."`
	Envelope
}

var getChatInfo = &Tool[GetChatInfoIn, GetChatInfoOut]{
	Name:        "get_chat_info",
	Title:       "Get group chat",
	Description: "Get a group chat: by chatid its name, owner, members and settings; by openConversationId only title, icon and member count.",
	Toolset:     Chat,
	ReadOnly:    true,
	Validate:    func(in *GetChatInfoIn) error { return checkChatID(&in.ChatId) },
	Run: func(ctx context.Context, env *Env, in *GetChatInfoIn) (out GetChatInfoOut, err error) {
		var c *dingtalk.ChatInfo
		if strings.HasPrefix(in.ChatId, "cid") {
			// DingTalk documents no full read by openConversationId for
			// ordinary groups; see ChatsService.BaseInfo.
			if c, err = env.Client.Chats.BaseInfo(ctx, in.ChatId); err != nil {
				return out, err
			}
			out.Summary = env.Lang.Textf("Group %q (openConversationId %s) has %d member(s).", c.Title, in.ChatId, c.MemberCount)
		} else {
			if c, err = env.Client.Chats.Get(ctx, in.ChatId); err != nil {
				return out, err
			}
			out.Summary = env.Lang.Textf("Group %q (chatid %s) is owned by %s and has %d member(s).", c.Name, in.ChatId, c.Owner, len(c.UserIDList))
		}
		if c.Status != nil && *c.Status == 2 {
			out.Summary += env.Lang.Text(" It has been disbanded.")
		}
		out.ChatInfo = c
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound: "No group has this ChatId: use the chatid or openConversationId that create_chat returned, or a dept_group_chat_id from get_dept_detail (chatids from the DingTalk client's JSAPI do not work here).",
		dingtalk.KindInvalid:  "DingTalk could not read this ChatId: use the chatid or openConversationId exactly as create_chat returned it.",
		// baseInfos/query is undocumented (see ChatsService.BaseInfo); the
		// chatid path is the documented one.
		dingtalk.KindUnknown: "DingTalk gave no details for this openConversationId: call get_chat_info with the group's chatid instead (create_chat returns both ids).",
	},
}
