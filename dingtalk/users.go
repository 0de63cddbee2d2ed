package dingtalk

import (
	"context"
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
	var out struct {
		Result User `json:"result"`
	}
	if err := s.client.do(ctx, &call{ep: userGetEndpoint, body: body}, &out); err != nil {
		return nil, err
	}
	return &out.Result, nil
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
