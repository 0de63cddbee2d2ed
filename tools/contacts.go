package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

func contactsTools() []Declaration {
	return []Declaration{createUser, getUser, getUserCount, getUseridByUnionid, getDeptUsers, searchUsers, getDeptDetail, getDeptList, searchDepartments}
}

// userNotFoundHint is the Hint for a userId or mobile that names nobody.
const userNotFoundHint = "No such user in the organisation: call search_users with their name to find the UserId."

// GetUserIn is the input of get_user.
type GetUserIn struct {
	UserId string `json:"UserId,omitempty" jsonschema:"maxLength=64" jsonschema_description:"userId, from search_users or get_dept_users."`
	Mobile string `json:"Mobile,omitempty" jsonschema:"maxLength=20" jsonschema_description:"Mobile number, e.g. 13800000001."`
}

// GetUserOut is the result of get_user.
type GetUserOut struct {
	UserData *dingtalk.User `json:"UserData,omitempty" jsonschema_description:"The user's profile in DingTalk's field names; unionid is what OperatorId takes."`
	Envelope
}

var getUser = &Tool[GetUserIn, GetUserOut]{
	Name:        "get_user",
	Title:       "Get user",
	Description: "Get a member's profile (name, title, departments, mobile, email, unionid) by UserId or Mobile; give one.",
	Toolset:     Contacts,
	ReadOnly:    true,
	Validate: func(in *GetUserIn) error {
		in.UserId, in.Mobile = strings.TrimSpace(in.UserId), strings.TrimSpace(in.Mobile)
		switch {
		case in.UserId != "" && in.Mobile != "":
			return invalid("UserId", "give UserId or Mobile, not both")
		case in.UserId == "" && in.Mobile == "":
			return &InputError{Field: "UserId", Message: i18n.Msg("UserId or Mobile is required"), Hint: i18n.Msg("To find a user by name, call search_users first.")}
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
		out.Summary = env.Lang.Textf("Found %s (userId %s).", u.Name, u.UserID)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{dingtalk.KindNotFound: userNotFoundHint},
}

// SearchUsersIn is the input of search_users.
type SearchUsersIn struct {
	QueryWord string `json:"QueryWord" jsonschema:"minLength=1,maxLength=100" jsonschema_description:"Name, pinyin, mobile or email."`
	Offset    int    `json:"Offset,omitempty" jsonschema:"minimum=0,maximum=100000,default=0" jsonschema_description:"NextOffset of the previous page."`
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
	Name:        "search_users",
	Title:       "Search users",
	Description: "Find members by name, pinyin, mobile or email; returns userIds, a page at a time.",
	Toolset:     Contacts,
	ReadOnly:    true,
	Run: func(ctx context.Context, env *Env, in *SearchUsersIn) (out SearchUsersOut, err error) {
		r, err := env.Client.Users.Search(ctx, dingtalk.SearchRequest{QueryWord: in.QueryWord, Offset: in.Offset, Size: in.Size})
		if err != nil {
			return out, err
		}
		out.SearchResult = &SearchResult[string]{HasMore: r.HasMore, TotalCount: r.TotalCount, List: r.List}
		out.Summary = env.Lang.Textf("%d of %d matching user(s) for %q.", len(r.List), r.TotalCount, in.QueryWord)
		if r.HasMore {
			out.NextOffset = in.Offset + len(r.List)
			out.Summary += env.Lang.Textf(" More follow: call again with Offset %d.", out.NextOffset)
		}
		return out, nil
	},
}

// deptNotFoundHint is the Hint for a department id that names nothing.
const deptNotFoundHint = "No such department: find department ids with get_dept_list (starting from the root, 1) or search_departments."

// CreateUserIn is the input of create_user.
type CreateUserIn struct {
	Name       string     `json:"Name" jsonschema:"maxLength=64" jsonschema_description:"Full name."`
	Mobile     string     `json:"Mobile" jsonschema:"maxLength=20" jsonschema_description:"Mobile, unique in the organisation: 13800001234, or +852-61234567 outside mainland China."`
	DeptIdList StringList `json:"DeptIdList" jsonschema:"minItems=1,maxItems=100" jsonschema_description:"Department ids, from get_dept_list or search_departments; 1 is the root."`
	JobNumber  string     `json:"JobNumber,omitempty" jsonschema:"maxLength=50" jsonschema_description:"Employee number."`
	Email      string     `json:"Email,omitempty" jsonschema:"maxLength=50" jsonschema_description:"Email, unique in the organisation."`
	Title      string     `json:"Title,omitempty" jsonschema:"maxLength=200" jsonschema_description:"Job title."`
	WorkPlace  string     `json:"WorkPlace,omitempty" jsonschema:"maxLength=100" jsonschema_description:"Work location."`
	Remark     string     `json:"Remark,omitempty" jsonschema:"maxLength=2000" jsonschema_description:"Remarks."`
	Extension  string     `json:"Extension,omitempty" jsonschema:"maxLength=2000" jsonschema_description:"Custom fields as JSON object text; each must exist in the admin console."`
	Idempotency
	Confirmation

	deptIDs []int64 // DeptIdList parsed by Validate
}

// CreateUserOut is the result of create_user.
type CreateUserOut struct {
	UserData *dingtalk.CreatedUser `json:"UserData,omitempty" jsonschema_description:"The new member's userid and unionId, in DingTalk's field names."`
	Envelope
	Replay
}

// mobilePattern accepts what DingTalk documents: a bare number, or
// +country-number for numbers outside mainland China. DingTalk itself
// judges the rest (60103).
var mobilePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\+[0-9]{1,4}-)?[0-9]{4,15}$`) })

var createUser = &Tool[CreateUserIn, CreateUserOut]{
	Name:        "create_user",
	Title:       "Create user",
	Description: "Add a member to the directory; returns userId and unionId. Check first with get_user by Mobile. Not idempotent.",
	Toolset:     Contacts,
	Validate: func(in *CreateUserIn) error {
		in.Name = strings.TrimSpace(in.Name)
		in.Mobile = strings.ReplaceAll(strings.TrimSpace(in.Mobile), " ", "")
		in.Email, in.Extension = strings.TrimSpace(in.Email), strings.TrimSpace(in.Extension)
		if in.Name == "" {
			return invalid("Name", "Name must not be blank")
		}
		if !mobilePattern().MatchString(in.Mobile) {
			return invalid("Mobile", "Mobile %q is not a mobile number: use 11 digits for mainland China (13800001234) or +country code-number (+852-61234567)", truncate(in.Mobile, 40))
		}
		in.deptIDs = nil
		for _, v := range in.DeptIdList {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id < 1 {
				return invalid("DeptIdList", "DeptIdList item %q is not a department id: ids are positive whole numbers, from get_dept_list or search_departments", truncate(v, 40))
			}
			if !slices.Contains(in.deptIDs, id) {
				in.deptIDs = append(in.deptIDs, id)
			}
		}
		if in.Email != "" && !strings.Contains(in.Email, "@") {
			return invalid("Email", "Email %q is not an email address", truncate(in.Email, 40))
		}
		if in.Extension != "" {
			var obj map[string]any
			if json.Unmarshal([]byte(in.Extension), &obj) != nil {
				return invalid("Extension", `Extension must be a JSON object of custom fields, e.g. {"Hobby":"Travel"}`)
			}
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *CreateUserIn) string {
		p := l.Textf("create the user %q with mobile %s in department(s) %s", in.Name, in.Mobile, joinInts(in.deptIDs))
		var extra []string
		for _, f := range []struct{ name, v string }{
			{l.Text("job number"), in.JobNumber}, {l.Text("email"), in.Email}, {l.Text("title"), in.Title},
			{l.Text("work place"), in.WorkPlace}, {l.Text("remark"), in.Remark}, {l.Text("extension"), in.Extension},
		} {
			if f.v != "" {
				extra = append(extra, f.name+" "+quoteShort(f.v))
			}
		}
		if len(extra) > 0 {
			p += l.Textf(" (%s)", strings.Join(extra, l.Text(", ")))
		}
		return p
	},
	Run: func(ctx context.Context, env *Env, in *CreateUserIn) (out CreateUserOut, err error) {
		u, err := env.Client.Users.Create(ctx, dingtalk.NewUser{Name: in.Name, Mobile: in.Mobile, DeptIDList: in.deptIDs,
			JobNumber: in.JobNumber, Email: in.Email, Title: in.Title, WorkPlace: in.WorkPlace, Remark: in.Remark, Extension: in.Extension})
		if err != nil {
			return out, err
		}
		out.UserData = u
		out.Summary = env.Lang.Textf("Created user %s (userId %s, unionId %s) in department(s) %s.", in.Name, u.UserID, u.UnionID, joinInts(in.deptIDs))
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindConflict: "A member with this Mobile (or userId) already exists: call get_user with this Mobile to find them instead of creating a duplicate.",
		dingtalk.KindNotFound: "A department in DeptIdList does not exist: find department ids with get_dept_list (starting from the root, 1) or search_departments.",
		dingtalk.KindInvalid:  "DingTalk refused a field as its message says: check Mobile (11 digits for mainland China, +country code-number otherwise), the lengths of Name, JobNumber and Email, and that Extension's fields are defined in the admin console.",
		dingtalk.ReasonInvited: "DingTalk invited this person instead of adding them: they join once they accept the invitation in DingTalk. " +
			"Do not call create_user again; check later with get_user and this Mobile.",
		Uncertain: "The user may have been created: call get_user with this Mobile to check before calling create_user again.",
	},
}

// GetUserCountIn is the input of get_user_count.
type GetUserCountIn struct {
	OnlyActive bool `json:"OnlyActive,omitempty" jsonschema:"default=true" jsonschema_description:"false counts members who have not activated DingTalk too."`
}

// GetUserCountOut is the result of get_user_count.
type GetUserCountOut struct {
	UserCount int64 `json:"UserCount" jsonschema_description:"How many members the organisation has."`
	Envelope
}

var getUserCount = &Tool[GetUserCountIn, GetUserCountOut]{
	Name:        "get_user_count",
	Title:       "Count users",
	Description: "Count the organisation's members (by default only those who activated DingTalk).",
	Toolset:     Contacts,
	ReadOnly:    true,
	Run: func(ctx context.Context, env *Env, in *GetUserCountIn) (out GetUserCountOut, err error) {
		n, err := env.Client.Users.Count(ctx, in.OnlyActive)
		if err != nil {
			return out, err
		}
		out.UserCount = n
		if in.OnlyActive {
			out.Summary = env.Lang.Textf("The organisation has %d member(s) who have activated DingTalk.", n)
		} else {
			out.Summary = env.Lang.Textf("The organisation has %d member(s), including those who have not activated DingTalk.", n)
		}
		return out, nil
	},
}

// GetUseridByUnionidIn is the input of get_userid_by_unionid.
type GetUseridByUnionidIn struct {
	UnionId string `json:"UnionId" jsonschema:"maxLength=100" jsonschema_description:"The unionId, e.g. from a DingTalk login."`
}

// GetUseridByUnionidOut is the result of get_userid_by_unionid.
type GetUseridByUnionidOut struct {
	UserId      string `json:"UserId" jsonschema_description:"The userId of the user with this unionId."`
	ContactType int    `json:"ContactType" jsonschema_description:"0 an employee, 1 an external contact."`
	Envelope
}

var getUseridByUnionid = &Tool[GetUseridByUnionidIn, GetUseridByUnionidOut]{
	Name:        "get_userid_by_unionid",
	Title:       "Get userId by unionId",
	Description: "Get the userId of a unionId, and whether it is an employee or an external contact.",
	Toolset:     Contacts,
	ReadOnly:    true,
	Validate: func(in *GetUseridByUnionidIn) error {
		if in.UnionId = strings.TrimSpace(in.UnionId); in.UnionId == "" {
			return invalid("UnionId", "UnionId must not be blank")
		}
		return nil
	},
	Run: func(ctx context.Context, env *Env, in *GetUseridByUnionidIn) (out GetUseridByUnionidOut, err error) {
		u, err := env.Client.Users.UserIDByUnionID(ctx, in.UnionId)
		if err != nil {
			return out, err
		}
		out.UserId, out.ContactType = u.UserID, u.ContactType
		out.Summary = env.Lang.Textf("unionId %s is userId %s, an employee.", in.UnionId, u.UserID)
		if u.ContactType == 1 {
			out.Summary = env.Lang.Textf("unionId %s is userId %s, an external contact.", in.UnionId, u.UserID)
		}
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound: "No member of this organisation has this unionId (a unionId from another organisation or app login does not work): call search_users with the person's name to find the UserId.",
	},
}

// GetDeptUsersIn is the input of get_dept_users.
type GetDeptUsersIn struct {
	Cursor int64 `json:"Cursor,omitempty" jsonschema:"minimum=0,maximum=100000,default=0" jsonschema_description:"NextCursor of the previous page."`
	Size   int   `json:"Size,omitempty" jsonschema:"minimum=1,maximum=100,default=50" jsonschema_description:"Page size."`
	DeptId int64 `json:"DeptId,omitempty" jsonschema:"minimum=1,default=1" jsonschema_description:"Department id, from get_dept_list or search_departments; 1 is the root."`
}

// GetDeptUsersOut is the result of get_dept_users.
type GetDeptUsersOut struct {
	Users      []dingtalk.DeptUser `json:"Users" jsonschema_description:"The department's members on this page, in DingTalk's field names (leader: leads this department)."`
	HasMore    bool                `json:"HasMore" jsonschema_description:"Whether more members follow this page."`
	NextCursor int64               `json:"NextCursor,omitempty" jsonschema_description:"The Cursor of the next page, when HasMore."`
	Envelope
}

var getDeptUsers = &Tool[GetDeptUsersIn, GetDeptUsersOut]{
	Name:        "get_dept_users",
	Title:       "List department users",
	Description: "List a department's direct members (not sub-departments') with profiles, a page at a time.",
	Toolset:     Contacts,
	ReadOnly:    true,
	Run: func(ctx context.Context, env *Env, in *GetDeptUsersIn) (out GetDeptUsersOut, err error) {
		p, err := env.Client.Users.ListByDept(ctx, dingtalk.DeptUsersRequest{DeptID: in.DeptId, Cursor: in.Cursor, Size: in.Size})
		if err != nil {
			return out, err
		}
		out.Users, out.HasMore = p.List, p.HasMore
		out.Summary = env.Lang.Textf("%d member(s) of department %d from Cursor %d.", len(p.List), in.DeptId, in.Cursor)
		if p.HasMore {
			// DingTalk's cursor counts records; fall back to that if it
			// ever leaves next_cursor out while saying there is more.
			out.NextCursor = p.NextCursor
			if out.NextCursor <= in.Cursor {
				out.NextCursor = in.Cursor + int64(len(p.List))
			}
			out.Summary += env.Lang.Textf(" More follow: call get_dept_users again with DeptId %d and Cursor %d.", in.DeptId, out.NextCursor)
		} else {
			out.Summary += env.Lang.Text(" This is the last page.")
		}
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{dingtalk.KindNotFound: deptNotFoundHint},
}

// GetDeptDetailIn is the input of get_dept_detail.
type GetDeptDetailIn struct {
	DeptId   int64  `json:"DeptId" jsonschema:"minimum=1" jsonschema_description:"Department id, from search_departments or get_dept_list; 1 is the root."`
	Language string `json:"Language,omitempty" jsonschema:"enum=zh_CN,enum=en_US,default=zh_CN" jsonschema_description:"Language of the names."`
}

// GetDeptDetailOut is the result of get_dept_detail.
type GetDeptDetailOut struct {
	DeptDetail *dingtalk.Department `json:"DeptDetail,omitempty" jsonschema_description:"The department in DingTalk's field names: parent_id, dept_manager_userid_list (its leaders), dept_group_chat_id (its group chat, for get_chat_info), member_count (with sub-departments)."`
	Envelope
}

var getDeptDetail = &Tool[GetDeptDetailIn, GetDeptDetailOut]{
	Name:        "get_dept_detail",
	Title:       "Get department",
	Description: "Get a department's name, parent, leaders, member count and group chat id.",
	Toolset:     Contacts,
	ReadOnly:    true,
	Run: func(ctx context.Context, env *Env, in *GetDeptDetailIn) (out GetDeptDetailOut, err error) {
		d, err := env.Client.Departments.Get(ctx, in.DeptId, in.Language)
		if err != nil {
			return out, err
		}
		out.DeptDetail = d
		out.Summary = env.Lang.Textf("Department %s (id %d) has %d member(s) including its sub-departments.", d.Name, d.DeptID, d.MemberCount)
		if d.ParentID != 0 {
			out.Summary = env.Lang.Textf("Department %s (id %d, under %d) has %d member(s) including its sub-departments.", d.Name, d.DeptID, d.ParentID, d.MemberCount)
		}
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{dingtalk.KindNotFound: deptNotFoundHint},
}

// GetDeptListIn is the input of get_dept_list.
type GetDeptListIn struct {
	DeptId   int64  `json:"DeptId,omitempty" jsonschema:"minimum=1,default=1" jsonschema_description:"Parent department id; 1 is the root."`
	Language string `json:"Language,omitempty" jsonschema:"enum=zh_CN,enum=en_US,default=zh_CN" jsonschema_description:"Language of the names."`
}

// GetDeptListOut is the result of get_dept_list.
type GetDeptListOut struct {
	Departments []dingtalk.SubDepartment `json:"Departments" jsonschema_description:"The sub-departments one level below DeptId, in DingTalk's field names."`
	TotalCount  int                      `json:"TotalCount" jsonschema_description:"How many sub-departments were returned."`
	Envelope
}

var getDeptList = &Tool[GetDeptListIn, GetDeptListOut]{
	Name:        "get_dept_list",
	Title:       "List sub-departments",
	Description: "List all sub-departments one level below a department; walk the tree down from the root.",
	Toolset:     Contacts,
	ReadOnly:    true,
	Run: func(ctx context.Context, env *Env, in *GetDeptListIn) (out GetDeptListOut, err error) {
		l, err := env.Client.Departments.ListSub(ctx, in.DeptId, in.Language)
		if err != nil {
			return out, err
		}
		out.Departments, out.TotalCount = l, len(l)
		if len(l) == 0 {
			out.Summary = env.Lang.Textf("Department %d has no sub-departments.", in.DeptId)
			return out, nil
		}
		names := make([]string, len(l))
		for i, d := range l {
			names[i] = fmt.Sprintf("%s (%d)", d.Name, d.DeptID)
		}
		out.Summary = env.Lang.Textf("%d sub-department(s) under department %d: %s.", len(l), in.DeptId, listShort(env.Lang, names))
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{dingtalk.KindNotFound: deptNotFoundHint},
}

// SearchDepartmentsIn is the input of search_departments.
type SearchDepartmentsIn struct {
	QueryWord string `json:"QueryWord" jsonschema:"minLength=1,maxLength=100" jsonschema_description:"Name, part of it, or pinyin."`
	Offset    int    `json:"Offset,omitempty" jsonschema:"minimum=0,maximum=100000,default=0" jsonschema_description:"NextOffset of the previous page."`
	Size      int    `json:"Size,omitempty" jsonschema:"minimum=1,maximum=20,default=10" jsonschema_description:"Page size."`
}

// SearchDepartmentsOut is the result of search_departments.
type SearchDepartmentsOut struct {
	SearchResult *SearchResult[int64] `json:"SearchResult,omitempty" jsonschema_description:"Matching department ids; call get_dept_detail for a department's name and details."`
	NextOffset   int                  `json:"NextOffset,omitempty" jsonschema_description:"The Offset of the next page, when hasMore."`
	Envelope
}

var searchDepartments = &Tool[SearchDepartmentsIn, SearchDepartmentsOut]{
	Name:        "search_departments",
	Title:       "Search departments",
	Description: "Find departments by name; returns department ids, a page at a time.",
	Toolset:     Contacts,
	ReadOnly:    true,
	Run: func(ctx context.Context, env *Env, in *SearchDepartmentsIn) (out SearchDepartmentsOut, err error) {
		r, err := env.Client.Departments.Search(ctx, dingtalk.SearchRequest{QueryWord: in.QueryWord, Offset: in.Offset, Size: in.Size})
		if err != nil {
			return out, err
		}
		out.SearchResult = &SearchResult[int64]{HasMore: r.HasMore, TotalCount: r.TotalCount, List: r.List}
		out.Summary = env.Lang.Textf("%d of %d matching department(s) for %q.", len(r.List), r.TotalCount, in.QueryWord)
		if r.HasMore {
			out.NextOffset = in.Offset + len(r.List)
			out.Summary += env.Lang.Textf(" More follow: call again with Offset %d.", out.NextOffset)
		}
		return out, nil
	},
}

// joinInts shows ids as "2, 3".
func joinInts(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
