package dingtalk

import (
	"context"
	"strings"
)

// UsersService reads and creates members of the organisation's directory.
type UsersService service

// User is a member of the directory as DingTalk's /topapi/v2/user/get
// returns it. Empty fields are omitted, as DingTalk omits them.
type User struct {
	UserID           string          `json:"userid"`
	UnionID          string          `json:"unionid,omitempty"`
	Name             string          `json:"name"`
	Avatar           string          `json:"avatar,omitempty"`
	StateCode        string          `json:"state_code,omitempty"`
	ManagerUserID    string          `json:"manager_userid,omitempty"`
	Mobile           string          `json:"mobile,omitempty"`
	HideMobile       bool            `json:"hide_mobile,omitempty"`
	Telephone        string          `json:"telephone,omitempty"`
	JobNumber        string          `json:"job_number,omitempty"`
	Title            string          `json:"title,omitempty"`
	Email            string          `json:"email,omitempty"`
	WorkPlace        string          `json:"work_place,omitempty"`
	Remark           string          `json:"remark,omitempty"`
	OrgEmail         string          `json:"org_email,omitempty"`
	DeptIDList       []int64         `json:"dept_id_list,omitempty"`
	DeptOrderList    []DeptOrder     `json:"dept_order_list,omitempty"`
	Extension        string          `json:"extension,omitempty"`
	HiredDate        int64           `json:"hired_date,omitempty"`
	Active           bool            `json:"active"`
	RealAuthed       bool            `json:"real_authed,omitempty"`
	Senior           bool            `json:"senior,omitempty"`
	Admin            bool            `json:"admin,omitempty"`
	Boss             bool            `json:"boss,omitempty"`
	ExclusiveAccount bool            `json:"exclusive_account,omitempty"`
	LeaderInDept     []DeptLeader    `json:"leader_in_dept,omitempty"`
	RoleList         []Role          `json:"role_list,omitempty"`
	DeptPositionList []DeptPosition  `json:"dept_position_list,omitempty"`
	UnionEmpExt      *UnionEmpExtend `json:"union_emp_ext,omitempty"`
}

// DeptOrder is a user's sort order within one department.
type DeptOrder struct {
	DeptID int64 `json:"dept_id"`
	Order  int64 `json:"order"`
}

// DeptLeader says whether a user leads one of their departments.
type DeptLeader struct {
	DeptID int64 `json:"dept_id"`
	Leader bool  `json:"leader"`
}

// Role is an administrative role held by a user.
type Role struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	GroupName string `json:"group_name,omitempty"`
}

// DeptPosition is a user's title and workplace in one department.
type DeptPosition struct {
	DeptID    int64  `json:"dept_id"`
	IsMain    bool   `json:"is_main,omitempty"`
	Title     string `json:"title,omitempty"`
	WorkPlace string `json:"work_place,omitempty"`
}

// UnionEmpExtend links a user to the same person in associated organisations.
type UnionEmpExtend struct {
	UserID          string          `json:"userid,omitempty"`
	CorpID          string          `json:"corp_id,omitempty"`
	UnionEmpMapList []UnionEmpEntry `json:"union_emp_map_list,omitempty"`
}

// UnionEmpEntry is one associated organisation's identity of a user.
type UnionEmpEntry struct {
	UserID string `json:"userid,omitempty"`
	CorpID string `json:"corp_id,omitempty"`
}

var (
	userGetEndpoint         = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/v2/user/get", idempotent: true}
	userGetByMobileEndpoint = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/v2/user/getbymobile", idempotent: true}
	userSearchEndpoint      = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/contact/users/search", idempotent: true}
)

// Get returns the user with the given userId, with text fields in language
// ("zh_CN" or "en_US"; empty means DingTalk's default, zh_CN).
//
// DingTalk: POST /topapi/v2/user/get. Idempotent.
func (s *UsersService) Get(ctx context.Context, userID, language string) (*User, error) {
	body := map[string]any{"userid": userID}
	if language != "" {
		body["language"] = language
	}
	return legacyResult[User](ctx, s.client, &call{ep: userGetEndpoint, body: body})
}

// UserIDByMobile returns the userId of the current employee with the given
// mobile number. Departed employees are not found.
//
// DingTalk: POST /topapi/v2/user/getbymobile. Idempotent.
func (s *UsersService) UserIDByMobile(ctx context.Context, mobile string) (string, error) {
	var out struct {
		Result struct {
			UserID string `json:"userid"`
		} `json:"result"`
	}
	if err := s.client.do(ctx, &call{ep: userGetByMobileEndpoint, body: map[string]any{"mobile": mobile}}, &out); err != nil {
		return "", err
	}
	return out.Result.UserID, nil
}

// SearchRequest is a directory search by keyword.
type SearchRequest struct {
	QueryWord string `json:"queryWord"`
	// Offset is where the page starts. DingTalk's documentation calls it a
	// page number but its examples and clients use it as a record offset;
	// this client sends a record offset (UNVERIFIED).
	Offset int `json:"offset"`
	Size   int `json:"size"`
	// FullMatchField set to 1 asks for an exact match on the name.
	FullMatchField int `json:"fullMatchField,omitempty"`
}

// UserSearchResult is a page of userIds matching a search.
type UserSearchResult struct {
	HasMore    bool     `json:"hasMore"`
	TotalCount int64    `json:"totalCount"`
	List       []string `json:"list"`
}

// Search finds users by name, pinyin or English name.
//
// DingTalk: POST /v1.0/contact/users/search. Idempotent.
func (s *UsersService) Search(ctx context.Context, req SearchRequest) (*UserSearchResult, error) {
	var out UserSearchResult
	if err := s.client.do(ctx, &call{ep: userSearchEndpoint, body: req}, &out); err != nil {
		return nil, err
	}
	if out.List == nil {
		out.List = []string{}
	}
	return &out, nil
}

// NewUser is a member to add to the directory. Name, Mobile and DeptIDList
// are required by DingTalk; empty optional fields are not sent.
type NewUser struct {
	// UserID is the new member's userId; DingTalk generates one when empty.
	UserID     string
	Name       string
	Mobile     string
	DeptIDList []int64
	JobNumber  string
	Email      string
	Title      string
	WorkPlace  string
	Remark     string
	// Extension is the custom profile fields as JSON object text, e.g.
	// {"爱好":"旅游"}; each field must first be defined in the admin console.
	Extension string
}

// CreatedUser identifies a member that Create added. DingTalk spells the
// unionId key in camelCase here, unlike every other user API.
type CreatedUser struct {
	UserID  string `json:"userid"`
	UnionID string `json:"unionId"`
}

// UnionIDUser is the member behind a unionId.
type UnionIDUser struct {
	UserID string `json:"userid"`
	// ContactType is 0 for an employee, 1 for an external contact.
	ContactType int `json:"contact_type"`
}

// DeptUser is a member as DingTalk's /topapi/v2/user/list shows them: the
// profile plus their order and leadership in the listed department.
type DeptUser struct {
	UserID               string  `json:"userid"`
	UnionID              string  `json:"unionid,omitempty"`
	Name                 string  `json:"name"`
	Avatar               string  `json:"avatar,omitempty"`
	StateCode            string  `json:"state_code,omitempty"`
	Mobile               string  `json:"mobile,omitempty"`
	HideMobile           bool    `json:"hide_mobile,omitempty"`
	Telephone            string  `json:"telephone,omitempty"`
	JobNumber            string  `json:"job_number,omitempty"`
	Title                string  `json:"title,omitempty"`
	Email                string  `json:"email,omitempty"`
	OrgEmail             string  `json:"org_email,omitempty"`
	WorkPlace            string  `json:"work_place,omitempty"`
	Remark               string  `json:"remark,omitempty"`
	DeptIDList           []int64 `json:"dept_id_list,omitempty"`
	DeptOrder            int64   `json:"dept_order,omitempty"`
	Extension            string  `json:"extension,omitempty"`
	HiredDate            int64   `json:"hired_date,omitempty"`
	Active               bool    `json:"active"`
	Admin                bool    `json:"admin,omitempty"`
	Boss                 bool    `json:"boss,omitempty"`
	Leader               bool    `json:"leader,omitempty"`
	ExclusiveAccount     bool    `json:"exclusive_account,omitempty"`
	ExclusiveAccountType string  `json:"exclusive_account_type,omitempty"`
	LoginID              string  `json:"login_id,omitempty"`
}

// DeptUsersRequest asks for one page of a department's direct members.
type DeptUsersRequest struct {
	DeptID int64 `json:"dept_id"`
	// Cursor is 0 for the first page, then the previous page's NextCursor.
	Cursor int64 `json:"cursor"`
	// Size is the page size, 1 to 100.
	Size int `json:"size"`
	// OrderField is entry_asc, entry_desc, modify_asc, modify_desc or
	// custom; empty means DingTalk's default, custom.
	OrderField string `json:"order_field,omitempty"`
	// Language is zh_CN or en_US; empty means zh_CN.
	Language string `json:"language,omitempty"`
}

// DeptUserPage is one page of a department's members.
type DeptUserPage struct {
	HasMore bool `json:"has_more"`
	// NextCursor is the Cursor of the next page; meaningful only when
	// HasMore, since DingTalk may leave it out on the last page.
	NextCursor int64      `json:"next_cursor"`
	List       []DeptUser `json:"list"`
}

var (
	userCreateEndpoint    = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/v2/user/create"}
	userCountEndpoint     = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/user/count", idempotent: true}
	userByUnionIDEndpoint = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/user/getbyunionid", idempotent: true}
	userListEndpoint      = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/v2/user/list", idempotent: true}
)

// Create adds a member to the directory and returns their userId and
// unionId.
//
// DingTalk: POST /topapi/v2/user/create. Not idempotent: a repeat after an
// unanswered call fails with "mobile already in use" at best.
func (s *UsersService) Create(ctx context.Context, u NewUser) (*CreatedUser, error) {
	depts := make([]string, len(u.DeptIDList))
	for i, id := range u.DeptIDList {
		depts[i] = formatInt(id)
	}
	// dept_id_list is a comma-separated string on this API, not an array.
	body := map[string]any{"name": u.Name, "mobile": u.Mobile, "dept_id_list": strings.Join(depts, ",")}
	for k, v := range map[string]string{"userid": u.UserID, "job_number": u.JobNumber, "email": u.Email, "title": u.Title,
		"work_place": u.WorkPlace, "remark": u.Remark, "extension": u.Extension} {
		if v != "" {
			body[k] = v
		}
	}
	return legacyResult[CreatedUser](ctx, s.client, &call{ep: userCreateEndpoint, body: body})
}

// Count returns how many members the organisation has: only those who
// have activated DingTalk when onlyActive is true, everyone otherwise.
//
// DingTalk: POST /topapi/user/count. Idempotent.
func (s *UsersService) Count(ctx context.Context, onlyActive bool) (int64, error) {
	var out struct {
		Result struct {
			Count int64 `json:"count"`
		} `json:"result"`
	}
	if err := s.client.do(ctx, &call{ep: userCountEndpoint, body: map[string]any{"only_active": onlyActive}}, &out); err != nil {
		return 0, err
	}
	return out.Result.Count, nil
}

// UserIDByUnionID returns the userId of the member with the given unionId,
// and whether they are an employee or an external contact.
//
// DingTalk: POST /topapi/user/getbyunionid. Idempotent.
func (s *UsersService) UserIDByUnionID(ctx context.Context, unionID string) (*UnionIDUser, error) {
	return legacyResult[UnionIDUser](ctx, s.client, &call{ep: userByUnionIDEndpoint, body: map[string]any{"unionid": unionID}})
}

// ListByDept returns one page of the members placed directly in a
// department (not those of its sub-departments).
//
// DingTalk: POST /topapi/v2/user/list. Idempotent.
func (s *UsersService) ListByDept(ctx context.Context, req DeptUsersRequest) (*DeptUserPage, error) {
	page, err := legacyResult[DeptUserPage](ctx, s.client, &call{ep: userListEndpoint, body: req})
	if err != nil {
		return nil, err
	}
	if page.List == nil {
		page.List = []DeptUser{}
	}
	return page, nil
}
