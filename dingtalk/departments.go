package dingtalk

import "context"

// DepartmentsService reads the organisation's department tree.
type DepartmentsService service

// Department is a department as DingTalk's /topapi/v2/department/get
// returns it. Empty fields are omitted, as DingTalk omits them.
type Department struct {
	DeptID                int64    `json:"dept_id"`
	Name                  string   `json:"name"`
	ParentID              int64    `json:"parent_id,omitempty"`
	SourceIdentifier      string   `json:"source_identifier,omitempty"`
	CreateDeptGroup       bool     `json:"create_dept_group"`
	AutoAddUser           bool     `json:"auto_add_user"`
	AutoApproveApply      bool     `json:"auto_approve_apply,omitempty"`
	Tags                  string   `json:"tags,omitempty"`
	FromUnionOrg          bool     `json:"from_union_org,omitempty"`
	Order                 int64    `json:"order,omitempty"`
	DeptGroupChatID       string   `json:"dept_group_chat_id,omitempty"`
	GroupContainSubDept   bool     `json:"group_contain_sub_dept,omitempty"`
	OrgDeptOwner          string   `json:"org_dept_owner,omitempty"`
	DeptManagerUseridList []string `json:"dept_manager_userid_list,omitempty"`
	OuterDept             bool     `json:"outer_dept,omitempty"`
	OuterPermitDepts      []int64  `json:"outer_permit_depts,omitempty"`
	OuterPermitUsers      []string `json:"outer_permit_users,omitempty"`
	HideDept              bool     `json:"hide_dept,omitempty"`
	UserPermits           []string `json:"user_permits,omitempty"`
	DeptPermits           []int64  `json:"dept_permits,omitempty"`
	Code                  string   `json:"code,omitempty"`
	// MemberCount includes the members of sub-departments;
	// OwningMemberCount counts direct members only.
	MemberCount       int64  `json:"member_count,omitempty"`
	OwningMemberCount int64  `json:"owning_member_count,omitempty"`
	Brief             string `json:"brief,omitempty"`
	Telephone         string `json:"telephone,omitempty"`
}

// SubDepartment is a department as /topapi/v2/department/listsub lists it.
type SubDepartment struct {
	DeptID           int64  `json:"dept_id"`
	Name             string `json:"name"`
	ParentID         int64  `json:"parent_id"`
	CreateDeptGroup  bool   `json:"create_dept_group"`
	AutoAddUser      bool   `json:"auto_add_user"`
	SourceIdentifier string `json:"source_identifier,omitempty"`
	FromUnionOrg     bool   `json:"from_union_org,omitempty"`
	Tags             string `json:"tags,omitempty"`
	Ext              string `json:"ext,omitempty"`
}

// DeptSearchResult is a page of department ids matching a search.
type DeptSearchResult struct {
	HasMore    bool    `json:"hasMore"`
	TotalCount int64   `json:"totalCount"`
	List       []int64 `json:"list"`
}

var (
	deptGetEndpoint     = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/v2/department/get", idempotent: true}
	deptListSubEndpoint = &endpoint{family: legacyFamily, method: "POST", path: "/topapi/v2/department/listsub", idempotent: true}
	deptSearchEndpoint  = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/contact/departments/search", idempotent: true}
)

// Get returns the department with the given id (1 is the root), with its
// name in language ("zh_CN" or "en_US"; empty means zh_CN).
//
// DingTalk: POST /topapi/v2/department/get. Idempotent.
func (s *DepartmentsService) Get(ctx context.Context, deptID int64, language string) (*Department, error) {
	body := map[string]any{"dept_id": deptID}
	if language != "" {
		body["language"] = language
	}
	return legacyResult[Department](ctx, s.client, &call{ep: deptGetEndpoint, body: body})
}

// ListSub returns the departments one level below deptID, all at once:
// DingTalk neither recurses nor pages this list.
//
// DingTalk: POST /topapi/v2/department/listsub. Idempotent.
func (s *DepartmentsService) ListSub(ctx context.Context, deptID int64, language string) ([]SubDepartment, error) {
	body := map[string]any{"dept_id": deptID}
	if language != "" {
		body["language"] = language
	}
	subs, err := legacyResult[[]SubDepartment](ctx, s.client, &call{ep: deptListSubEndpoint, body: body})
	if err != nil {
		return nil, err
	}
	if *subs == nil {
		return []SubDepartment{}, nil
	}
	return *subs, nil
}

// Search finds departments by name or its pinyin and returns their ids.
// Offset is a record offset, as for UsersService.Search (UNVERIFIED).
//
// DingTalk: POST /v1.0/contact/departments/search. Idempotent.
func (s *DepartmentsService) Search(ctx context.Context, req SearchRequest) (*DeptSearchResult, error) {
	var out DeptSearchResult
	if err := s.client.do(ctx, &call{ep: deptSearchEndpoint, body: req}, &out); err != nil {
		return nil, err
	}
	if out.List == nil {
		out.List = []int64{}
	}
	return &out, nil
}
