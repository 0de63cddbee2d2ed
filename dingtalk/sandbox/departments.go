package sandbox

import (
	"cmp"
	"slices"
	"strings"
)

func (s *Server) departmentRoutes() {
	s.legacy("POST /topapi/v2/department/get", "qyapi_get_department_list", s.deptGet)
	s.legacy("POST /topapi/v2/department/listsub", "qyapi_get_department_list", s.deptListSub)
	s.api("POST /v1.0/contact/departments/search", "qyapi_addresslist_search", s.deptSearch)
}

// deptParam reads a legacy dept_id: absent gives def (or 400002 when there
// is no default), malformed or below 1 gives 40009, unknown gives 60003.
func (s *Server) deptParam(p params, def int64) (*dept, *legacyError) {
	id := def
	if p.has("dept_id") {
		n, ok := p.int64("dept_id")
		if !ok || n < 1 {
			return nil, errLegacy(40009, "不合法的部门id")
		}
		id = n
	} else if def == 0 {
		return nil, errLegacy(400002, "参数错误：dept_id不能为空")
	}
	d := s.state.dir.depts[id]
	if d == nil {
		return nil, errLegacy(60003, "未找到对应部门")
	}
	return d, nil
}

// language reads the optional language parameter: zh_CN (default) or en_US.
func language(p params) (en bool, err *legacyError) {
	switch p.str("language") {
	case "", "zh_CN":
		return false, nil
	case "en_US":
		return true, nil
	}
	return false, errLegacy(40035, "不合法的参数：language")
}

func (d *dept) displayName(en bool) string {
	if en && d.nameEn != "" {
		return d.nameEn
	}
	return d.Name
}

// deptDetail is a department as /topapi/v2/department/get shows it. The
// empty lists are present, as in a real capture.
type deptDetail struct {
	DeptID                int64    `json:"dept_id"`
	Name                  string   `json:"name"`
	ParentID              int64    `json:"parent_id,omitempty"`
	Order                 int64    `json:"order"`
	CreateDeptGroup       bool     `json:"create_dept_group"`
	AutoAddUser           bool     `json:"auto_add_user"`
	DeptGroupChatID       string   `json:"dept_group_chat_id,omitempty"`
	GroupContainSubDept   bool     `json:"group_contain_sub_dept"`
	OrgDeptOwner          string   `json:"org_dept_owner,omitempty"`
	DeptManagerUseridList []string `json:"dept_manager_userid_list"`
	OuterDept             bool     `json:"outer_dept"`
	OuterPermitDepts      []int64  `json:"outer_permit_depts"`
	OuterPermitUsers      []string `json:"outer_permit_users"`
	HideDept              bool     `json:"hide_dept"`
	UserPermits           []string `json:"user_permits"`
	DeptPermits           []int64  `json:"dept_permits"`
	MemberCount           int      `json:"member_count"`
	OwningMemberCount     int      `json:"owning_member_count"`
	Brief                 string   `json:"brief"`
}

// deptGet answers /topapi/v2/department/get.
func (s *Server) deptGet(x *exchange, p params) (map[string]any, *legacyError) {
	d, lerr := s.deptParam(p, 0)
	if lerr != nil {
		return nil, lerr
	}
	en, lerr := language(p)
	if lerr != nil {
		return nil, lerr
	}
	dir := s.state.dir
	v := deptDetail{DeptID: d.DeptID, Name: d.displayName(en), ParentID: d.ParentID, Order: d.Order,
		CreateDeptGroup: d.CreateDeptGroup, AutoAddUser: d.AutoAddUser, DeptManagerUseridList: []string{},
		OuterPermitDepts: []int64{}, OuterPermitUsers: []string{}, UserPermits: []string{}, DeptPermits: []int64{}}
	if c := s.state.chats.deptGroup(d.DeptID); c != nil {
		v.DeptGroupChatID, v.OrgDeptOwner, v.GroupContainSubDept = c.chatID, c.owner, d.DeptID == 1
	}
	for _, id := range dir.order {
		if u := dir.users[id]; slices.Contains(u.leads, d.DeptID) {
			v.DeptManagerUseridList = append(v.DeptManagerUseridList, id)
		}
	}
	subtree := dir.subtree(d.DeptID)
	for _, id := range dir.order {
		u := dir.users[id]
		if u.external {
			continue
		}
		if slices.Contains(u.DeptIDList, d.DeptID) {
			v.OwningMemberCount++
		}
		if slices.ContainsFunc(u.DeptIDList, func(x int64) bool { return slices.Contains(subtree, x) }) {
			v.MemberCount++
		}
	}
	return map[string]any{"result": v}, nil
}

// subDept is a department as /topapi/v2/department/listsub lists it.
type subDept struct {
	DeptID          int64  `json:"dept_id"`
	Name            string `json:"name"`
	ParentID        int64  `json:"parent_id"`
	CreateDeptGroup bool   `json:"create_dept_group"`
	AutoAddUser     bool   `json:"auto_add_user"`
}

// deptListSub answers /topapi/v2/department/listsub: the next level only,
// unpaged. Without dept_id it lists the root's children (UNVERIFIED: the
// documentation does not say what an omitted dept_id means).
func (s *Server) deptListSub(x *exchange, p params) (map[string]any, *legacyError) {
	parent, lerr := s.deptParam(p, 1)
	if lerr != nil {
		return nil, lerr
	}
	en, lerr := language(p)
	if lerr != nil {
		return nil, lerr
	}
	var children []*dept
	for _, d := range s.state.dir.depts {
		if d.ParentID == parent.DeptID && d.DeptID != parent.DeptID {
			children = append(children, d)
		}
	}
	slices.SortFunc(children, func(a, b *dept) int { return cmp.Compare(a.Order, b.Order) })
	out := make([]subDept, len(children))
	for i, d := range children {
		out[i] = subDept{DeptID: d.DeptID, Name: d.displayName(en), ParentID: d.ParentID, CreateDeptGroup: d.CreateDeptGroup, AutoAddUser: d.AutoAddUser}
	}
	return map[string]any{"result": out}, nil
}

// deptSearch answers POST /v1.0/contact/departments/search: ids of the
// departments whose Chinese or English name contains the query word (is
// it, with fullMatchField 1), in the tree's order. offset is a record
// offset, as for the user search.
func (s *Server) deptSearch(x *exchange) (any, *apiError) {
	var req searchRequest
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	if err := req.check(); err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(*req.QueryWord))
	var all []*dept
	for _, d := range s.state.dir.depts {
		zh, en := strings.ToLower(d.Name), strings.ToLower(d.nameEn)
		match := strings.Contains(zh, q) || strings.Contains(en, q)
		if req.FullMatchField == 1 {
			match = zh == q || en == q
		}
		if match {
			all = append(all, d)
		}
	}
	slices.SortFunc(all, func(a, b *dept) int { return cmp.Compare(a.Order, b.Order) })
	ids := make([]int64, len(all))
	for i, d := range all {
		ids[i] = d.DeptID
	}
	list, more := page(ids, *req.Offset, *req.Size)
	return map[string]any{"hasMore": more, "totalCount": len(ids), "list": list}, nil
}
