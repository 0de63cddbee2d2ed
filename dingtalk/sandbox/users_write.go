package sandbox

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// moreUserRoutes registers the user APIs beyond get, getbymobile and
// search: create, count, lookup by unionId and the department list.
func (s *Server) moreUserRoutes() {
	s.legacy("POST /topapi/v2/user/create", "qyapi_manage_addresslist", s.userCreate)
	s.legacy("POST /topapi/user/count", "qyapi_get_member", s.userCount)
	s.legacy("POST /topapi/user/getbyunionid", "qyapi_get_member", s.userGetByUnionID)
	s.legacy("POST /topapi/v2/user/list", "qyapi_get_department_member", s.userList)
}

var (
	mainlandMobile = lazyRegexp(`^1[3-9][0-9]{9}$`)
	foreignMobile  = lazyRegexp(`^\+[0-9]{1,4}-[0-9]{4,15}$`)
)

// normalizeMobile returns the mobile number as the directory stores it, or
// false when DingTalk would refuse its format (60103). Mainland numbers
// may come bare or as +86-…; others must be +xx-xxxxxx.
func normalizeMobile(m string) (string, bool) {
	m = strings.TrimSpace(m)
	if after, ok := strings.CutPrefix(m, "+86-"); ok {
		m = after
	}
	switch {
	case mainlandMobile().MatchString(m):
		return m, true
	case foreignMobile().MatchString(m):
		return m, true
	}
	return "", false
}

// userCreate answers /topapi/v2/user/create. It checks what DingTalk
// documents (required fields, lengths, unique userid and mobile, known
// departments) and adds the member, who has not activated DingTalk yet.
func (s *Server) userCreate(x *exchange, p params) (map[string]any, *legacyError) {
	d := s.state.dir
	name := strings.TrimSpace(p.str("name"))
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return nil, errLegacy(40035, "不合法的参数：name不能为空且长度不能超过80")
	}
	if !p.has("mobile") || strings.TrimSpace(p.str("mobile")) == "" {
		return nil, errLegacy(40035, "不合法的参数：mobile不能为空")
	}
	mobile, ok := normalizeMobile(p.str("mobile"))
	if !ok {
		return nil, errLegacy(60103, "手机号码不合法，如果是国际号码，请使用+xx-xxxxxx的格式")
	}
	if d.userByMobile(mobile) != nil {
		return nil, errLegacy(60104, "手机号码在公司中已存在")
	}
	userID := strings.TrimSpace(p.str("userid"))
	if utf8.RuneCountInString(userID) > 64 {
		return nil, errLegacy(40035, "不合法的参数：userid长度不能超过64")
	}
	if userID != "" && d.users[userID] != nil {
		return nil, errLegacy(60102, "UserID在公司中已存在")
	}
	deptIDs := splitList(p.str("dept_id_list"))
	if len(deptIDs) == 0 {
		return nil, errLegacy(40035, "不合法的参数：dept_id_list不能为空")
	}
	if len(deptIDs) > 100 {
		return nil, errLegacy(40035, "不合法的参数：dept_id_list最多100个")
	}
	var depts []int64
	for _, v := range deptIDs {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return nil, errLegacy(40009, "不合法的部门id")
		}
		if d.depts[id] == nil {
			return nil, errLegacy(60003, "部门不存在")
		}
		if !slices.Contains(depts, id) {
			depts = append(depts, id)
		}
	}
	for _, f := range []struct {
		key  string
		max  int
		code int
	}{{"job_number", 50, 60123}, {"title", 200, 40035}, {"email", 50, 40035}, {"work_place", 100, 40035}, {"remark", 2000, 40035}} {
		if utf8.RuneCountInString(p.str(f.key)) > f.max {
			return nil, errLegacy(f.code, "不合法的参数："+f.key+"长度不能超过"+strconv.Itoa(f.max))
		}
	}
	// extension is JSON object text; the official SDK's client turns it
	// into an object, so both arrive.
	var extension string
	switch v := p["extension"].(type) {
	case map[string]any:
		b, _ := json.Marshal(v)
		extension = string(b)
	case string:
		var obj map[string]any
		if v != "" && json.Unmarshal([]byte(v), &obj) != nil {
			return nil, errLegacy(60122, "extattr格式不正确")
		}
		extension = v
	}
	if utf8.RuneCountInString(extension) > 2000 {
		return nil, errLegacy(60122, "extattr长度不能超过2000")
	}
	if userID == "" {
		// DingTalk generates numeric userids for members created without one.
		for userID == "" || d.users[userID] != nil {
			userID = randomString(18, "0123456789")
		}
	}
	u := &user{UserID: userID, Name: name, Mobile: mobile, DeptIDList: depts, JobNumber: p.str("job_number"),
		Title: p.str("title"), Email: p.str("email"), WorkPlace: p.str("work_place"), Remark: p.str("remark"),
		Extension: extension, created: s.now()}
	if !strings.HasPrefix(mobile, "+") {
		u.StateCode = "86"
	}
	d.insert(u)
	return map[string]any{"result": map[string]any{"userid": u.UserID, "unionId": u.UnionID}}, nil
}

// userCount answers /topapi/user/count: employees (not external contacts),
// only those who activated DingTalk when only_active is true.
func (s *Server) userCount(x *exchange, p params) (map[string]any, *legacyError) {
	if !p.has("only_active") {
		return nil, errLegacy(400002, "参数为空：only_active")
	}
	onlyActive, ok := p.boolean("only_active")
	if !ok {
		return nil, errLegacy(40035, "不合法的参数：only_active")
	}
	n := 0
	for _, u := range s.state.dir.users {
		if !u.external && (u.Active || !onlyActive) {
			n++
		}
	}
	return map[string]any{"result": map[string]any{"count": n}}, nil
}

// userGetByUnionID answers /topapi/user/getbyunionid.
func (s *Server) userGetByUnionID(x *exchange, p params) (map[string]any, *legacyError) {
	id := strings.TrimSpace(p.str("unionid"))
	if id == "" {
		return nil, errLegacy(400002, "参数为空：unionid")
	}
	u := s.state.dir.byUnionID[id]
	if u == nil {
		return nil, errLegacy(60121, "找不到该用户")
	}
	contactType := 0
	if u.external {
		contactType = 1
	}
	return map[string]any{"result": map[string]any{"contact_type": contactType, "userid": u.UserID}}, nil
}

// listUser is a member as /topapi/v2/user/list shows them.
type listUser struct {
	UserID     string  `json:"userid"`
	UnionID    string  `json:"unionid"`
	Name       string  `json:"name"`
	StateCode  string  `json:"state_code,omitempty"`
	Mobile     string  `json:"mobile,omitempty"`
	HideMobile bool    `json:"hide_mobile"`
	JobNumber  string  `json:"job_number,omitempty"`
	Title      string  `json:"title,omitempty"`
	Email      string  `json:"email,omitempty"`
	WorkPlace  string  `json:"work_place,omitempty"`
	Remark     string  `json:"remark,omitempty"`
	DeptIDList []int64 `json:"dept_id_list"`
	DeptOrder  int64   `json:"dept_order"`
	Extension  string  `json:"extension,omitempty"`
	HiredDate  int64   `json:"hired_date,omitempty"`
	Active     bool    `json:"active"`
	Admin      bool    `json:"admin"`
	Boss       bool    `json:"boss"`
	Leader     bool    `json:"leader"`
	// exclusive_account is always present in DingTalk's example.
	ExclusiveAccount bool `json:"exclusive_account"`
}

var userOrderFields = []string{"entry_asc", "entry_desc", "modify_asc", "modify_desc", "custom"}

// userList answers /topapi/v2/user/list: one page of a department's direct
// members. cursor is a record offset, as DingTalk's example suggests
// (size 10 → next_cursor 10); next_cursor is sent only while has_more
// (whether DingTalk sends it on the last page is UNVERIFIED).
func (s *Server) userList(x *exchange, p params) (map[string]any, *legacyError) {
	deptID, ok := p.int64("dept_id")
	if !ok || deptID < 1 {
		return nil, errLegacy(40035, "参数非法：dept_id")
	}
	cursor, ok := p.int64("cursor")
	if !ok || cursor < 0 || cursor > 100000 {
		return nil, errLegacy(40035, "参数非法：cursor")
	}
	size, ok := p.int64("size")
	if !ok || size < 1 || size > 100 {
		return nil, errLegacy(40035, "参数非法：size")
	}
	order := p.str("order_field")
	if order != "" && !slices.Contains(userOrderFields, order) {
		return nil, errLegacy(40035, "参数非法：order_field")
	}
	if lang := p.str("language"); lang != "" && lang != "zh_CN" && lang != "en_US" {
		return nil, errLegacy(40035, "参数非法：language")
	}
	d := s.state.dir
	if d.depts[deptID] == nil {
		// UNVERIFIED for this API: the department APIs answer 60003.
		return nil, errLegacy(60003, "部门不存在")
	}
	var members []*user
	for _, u := range d.members(deptID) {
		if !u.external {
			members = append(members, u)
		}
	}
	custom := slices.Clone(members) // custom order: the order members were placed in
	switch order {
	case "entry_asc", "entry_desc":
		slices.SortStableFunc(members, func(a, b *user) int { return cmp.Compare(a.HiredDate, b.HiredDate) })
	case "modify_asc", "modify_desc":
		slices.SortStableFunc(members, func(a, b *user) int { return a.created.Compare(b.created) })
	}
	if strings.HasSuffix(order, "_desc") {
		slices.Reverse(members)
	}
	items, more := page(members, int(cursor), int(size))
	list := make([]listUser, len(items))
	for i, u := range items {
		list[i] = listUser{UserID: u.UserID, UnionID: u.UnionID, Name: u.Name, StateCode: u.StateCode, Mobile: u.Mobile,
			HideMobile: u.HideMobile, JobNumber: u.JobNumber, Title: u.Title, Email: u.Email, WorkPlace: u.WorkPlace,
			Remark: u.Remark, DeptIDList: u.DeptIDList, DeptOrder: int64(slices.Index(custom, u) + 1), Extension: u.Extension,
			HiredDate: u.HiredDate, Active: u.Active, Admin: u.Admin, Boss: u.Boss, Leader: slices.Contains(u.leads, deptID)}
	}
	result := map[string]any{"has_more": more, "list": list}
	if more {
		result["next_cursor"] = cursor + int64(len(items))
	}
	return map[string]any{"result": result}, nil
}

// UnionID returns the unionId of the user with this userId, or "" if there
// is none. Tests use it for ids no API reveals, such as an external
// contact's.
func (s *Server) UnionID(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.state.dir.users[userID]; u != nil {
		return u.UnionID
	}
	return ""
}
