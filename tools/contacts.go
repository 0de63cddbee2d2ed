package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

func contactsTools() []declaration {
	return []declaration{getUser, searchUsers}
}

// userNotFoundHint is the Hint for a userId or mobile that names nobody.
const userNotFoundHint = "No such user in the organisation: call search_users with their name to find the UserId."

// GetUserIn is the input of get_user.
type GetUserIn struct {
	UserId string `json:"UserId,omitempty" jsonschema:"maxLength=64" jsonschema_description:"The user's userId, from search_users or get_dept_users. Give UserId or Mobile, not both."`
	Mobile string `json:"Mobile,omitempty" jsonschema:"maxLength=20" jsonschema_description:"The user's mobile number, e.g. 13800000001 or +852-61234567. Give UserId or Mobile, not both."`
}

// GetUserOut is the result of get_user.
type GetUserOut struct {
	UserData *dingtalk.User `json:"UserData,omitempty" jsonschema_description:"The user's profile in DingTalk's field names; unionid is what OperatorId takes."`
	Envelope
}

var getUser = &Tool[GetUserIn, GetUserOut]{
	Name:  "get_user",
	Title: "Get user",
	Description: "Get a member's profile (name, title, departments, mobile, email, unionid) by userId or by mobile number; exactly one of the two. " +
		"Find a userId by name with search_users.",
	Toolset:  Contacts,
	ReadOnly: true,
	Validate: func(in *GetUserIn) error {
		in.UserId, in.Mobile = strings.TrimSpace(in.UserId), strings.TrimSpace(in.Mobile)
		switch {
		case in.UserId != "" && in.Mobile != "":
			return invalid("UserId", "give UserId or Mobile, not both")
		case in.UserId == "" && in.Mobile == "":
			return &InputError{Field: "UserId", Message: "UserId or Mobile is required", Hint: "To find a user by name, call search_users first."}
		}
		return nil
	},
	Run: func(ctx context.Context, env *Env, in *GetUserIn) (out GetUserOut, err error) {
		id := in.UserId
		if id == "" {
			if id, err = env.Client.Users.UserIDByMobile(ctx, in.Mobile); err != nil {
				return out, err
			}
		}
		u, err := env.Client.Users.Get(ctx, id, "")
		if err != nil {
			return out, err
		}
		out.UserData = u
		out.Summary = fmt.Sprintf("Found %s (userId %s).", u.Name, u.UserID)
		return out, nil
	},
	Hints: map[dingtalk.Kind]string{dingtalk.KindNotFound: userNotFoundHint},
}

// SearchUsersIn is the input of search_users.
type SearchUsersIn struct {
	QueryWord string `json:"QueryWord" jsonschema:"minLength=1,maxLength=100" jsonschema_description:"Name, pinyin, English name, mobile or email to look for."`
	Offset    int    `json:"Offset,omitempty" jsonschema:"minimum=0,maximum=100000,default=0" jsonschema_description:"Records to skip: 0 for the first page, then NextOffset."`
	Size      int    `json:"Size,omitempty" jsonschema:"minimum=1,maximum=20,default=10" jsonschema_description:"Page size."`
}

// SearchResult is one page of ids matching a directory search.
type SearchResult[T any] struct {
	HasMore    bool  `json:"hasMore" jsonschema_description:"Whether more matches follow this page."`
	TotalCount int64 `json:"totalCount" jsonschema_description:"How many match in all."`
	List       []T   `json:"list" jsonschema_description:"The matching ids."`
}

// SearchUsersOut is the result of search_users.
type SearchUsersOut struct {
	SearchResult *SearchResult[string] `json:"SearchResult,omitempty" jsonschema_description:"Matching userIds; call get_user for a profile."`
	NextOffset   int                   `json:"NextOffset,omitempty" jsonschema_description:"The Offset of the next page, when HasMore."`
	Envelope
}

var searchUsers = &Tool[SearchUsersIn, SearchUsersOut]{
	Name:  "search_users",
	Title: "Search users",
	Description: "Find members of the organisation by name, pinyin, mobile or email; returns their userIds, a page at a time. " +
		"Use get_user for a profile.",
	Toolset:  Contacts,
	ReadOnly: true,
	Run: func(ctx context.Context, env *Env, in *SearchUsersIn) (out SearchUsersOut, err error) {
		r, err := env.Client.Users.Search(ctx, dingtalk.SearchRequest{QueryWord: in.QueryWord, Offset: in.Offset, Size: in.Size})
		if err != nil {
			return out, err
		}
		out.SearchResult = &SearchResult[string]{HasMore: r.HasMore, TotalCount: r.TotalCount, List: r.List}
		out.Summary = fmt.Sprintf("%d of %d matching user(s) for %q.", len(r.List), r.TotalCount, in.QueryWord)
		if r.HasMore {
			out.NextOffset = in.Offset + len(r.List)
			out.Summary += fmt.Sprintf(" More follow: call again with Offset %d.", out.NextOffset)
		}
		return out, nil
	},
}
