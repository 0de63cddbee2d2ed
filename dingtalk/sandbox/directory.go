package sandbox

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// user is a directory member in DingTalk's wire form (/topapi/v2/user/get).
type user struct {
	UserID        string  `json:"userid"`
	UnionID       string  `json:"unionid"`
	Name          string  `json:"name"`
	Avatar        string  `json:"avatar,omitempty"`
	StateCode     string  `json:"state_code,omitempty"`
	ManagerUserID string  `json:"manager_userid,omitempty"`
	Mobile        string  `json:"mobile,omitempty"`
	HideMobile    bool    `json:"hide_mobile"`
	Telephone     string  `json:"telephone,omitempty"`
	JobNumber     string  `json:"job_number,omitempty"`
	Title         string  `json:"title,omitempty"`
	Email         string  `json:"email,omitempty"`
	WorkPlace     string  `json:"work_place,omitempty"`
	Remark        string  `json:"remark,omitempty"`
	DeptIDList    []int64 `json:"dept_id_list"`
	Extension     string  `json:"extension,omitempty"`
	HiredDate     int64   `json:"hired_date,omitempty"`
	Active        bool    `json:"active"`
	RealAuthed    bool    `json:"real_authed"`
	Senior        bool    `json:"senior"`
	Admin         bool    `json:"admin"`
	Boss          bool    `json:"boss"`
	// leads lists the departments this user leads.
	leads []int64
	// external marks an external contact (contact_type 1).
	external bool
	created  time.Time
}

// dept is a department in DingTalk's wire form (/topapi/v2/department/get).
type dept struct {
	DeptID          int64  `json:"dept_id"`
	Name            string `json:"name"`
	ParentID        int64  `json:"parent_id,omitempty"`
	Order           int64  `json:"order"`
	CreateDeptGroup bool   `json:"create_dept_group"`
	AutoAddUser     bool   `json:"auto_add_user"`
	// nameEn is the department's English name, for language=en_US.
	nameEn string
}

// directory holds the organisation's users and departments.
type directory struct {
	users     map[string]*user
	byUnionID map[string]*user
	order     []string // userids in creation order: the default list order
	depts     map[int64]*dept
	nextDept  int64
}

// Seeded identities that tests and the README refer to.
const (
	SeedManagerID = "manager4220" // the boss, in the root department
	SeedSalesDept = 2
	SeedEngDept   = 3 // holds more than one page (50) of users
)

func seedDirectory(now time.Time) *directory {
	d := &directory{users: map[string]*user{}, byUnionID: map[string]*user{}, depts: map[int64]*dept{}, nextDept: 100}
	for i, dp := range []struct {
		id, parent int64
		name, en   string
	}{
		{1, 0, "沙箱演示科技有限公司", "Sandbox Demo Co."},
		{2, 1, "销售部", "Sales"},
		{3, 1, "研发部", "Engineering"},
		{4, 1, "市场部", "Marketing"},
		{5, 1, "财务部", "Finance"},
		{6, 2, "华东销售组", "East China Sales"},
		{7, 3, "平台组", "Platform"},
	} {
		d.depts[dp.id] = &dept{DeptID: dp.id, ParentID: dp.parent, Name: dp.name, nameEn: dp.en, Order: int64(i + 1), CreateDeptGroup: true, AutoAddUser: true}
	}
	add := func(id, name, title, mobile string, depts ...int64) *user {
		u := &user{UserID: id, Name: name, Title: title, Mobile: mobile, StateCode: "86", DeptIDList: depts,
			Email:     strings.ToLower(strings.ReplaceAll(id, " ", "")) + "@sandbox.example.com",
			JobNumber: fmt.Sprintf("%05d", len(d.order)+1), WorkPlace: "Hangzhou", Active: true, RealAuthed: true,
			HiredDate: now.AddDate(0, 0, -30*(len(d.order)+1)).UnixMilli(), created: now}
		d.insert(u)
		return u
	}
	boss := add(SeedManagerID, "王芳", "CEO", "13800000001", 1)
	boss.Boss, boss.Admin, boss.leads = true, true, []int64{1}
	sales := []struct{ id, name, title string }{
		{"zhangwei", "张伟", "Sales Director"}, {"lina", "李娜", "Account Manager"}, {"liuyang", "刘洋", "Account Manager"},
		{"chenjing", "陈静", "Sales Engineer"}, {"alice.wu", "Alice Wu", "Account Manager"},
	}
	for i, s := range sales {
		u := add(s.id, s.name, s.title, fmt.Sprintf("1380000%04d", 10+i), SeedSalesDept)
		u.ManagerUserID = "zhangwei"
		if i == 0 {
			u.ManagerUserID, u.leads = SeedManagerID, []int64{SeedSalesDept}
		}
	}
	add("zhaolei", "赵磊", "Sales Representative", "13800000020", 6).ManagerUserID = "zhangwei"
	first := []string{"Wei", "Min", "Jie", "Lei", "Yan", "Hao", "Ting", "Bo", "Xin", "Yu"}
	last := []string{"Zhou", "Sun", "Ma", "Hu", "Guo", "Lin"}
	for i := range 60 {
		name := first[i%len(first)] + " " + last[i/len(first)]
		id := fmt.Sprintf("dev%03d", i+1)
		u := add(id, name, "Software Engineer", fmt.Sprintf("1390000%04d", i+1), SeedEngDept)
		u.ManagerUserID = "dev001"
		if i == 0 {
			u.Title, u.ManagerUserID, u.leads = "Head of Engineering", SeedManagerID, []int64{SeedEngDept}
		}
	}
	add("platform01", "Grace Ho", "Platform Engineer", "13900001001", 7).ManagerUserID = "dev001"
	add("yangxue", "杨雪", "Marketing Manager", "13700000001", 4)
	add("bob.li", "Bob Li", "Content Lead", "13700000002", 4)
	add("huangmin", "黄敏", "Accountant", "13600000001", 5)
	inactive := add("xuqiang", "徐强", "Accountant", "13600000002", 5)
	inactive.Active = false
	ext := add("ext.partner", "Partner Liaison", "External Partner", "13500000001", 2)
	ext.external = true
	return d
}

func (d *directory) insert(u *user) {
	if u.UnionID == "" {
		u.UnionID = unionIDFor(u.UserID)
	}
	d.users[u.UserID] = u
	d.byUnionID[u.UnionID] = u
	d.order = append(d.order, u.UserID)
}

// unionIDFor derives a stable unionId shaped like DingTalk's
// (27 characters ending in "iEiE").
func unionIDFor(userID string) string {
	h := fnv.New64a()
	h.Write([]byte(userID))
	x := h.Sum64()
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	for range 23 {
		b.WriteByte(letters[x%uint64(len(letters))])
		x = x*6364136223846793005 + 1442695040888963407
	}
	return b.String() + "iEiE"
}

// members returns the users directly in dept, in list order.
func (d *directory) members(deptID int64) []*user {
	var out []*user
	for _, id := range d.order {
		if u := d.users[id]; slices.Contains(u.DeptIDList, deptID) {
			out = append(out, u)
		}
	}
	return out
}

// subtree returns deptID and all departments below it.
func (d *directory) subtree(deptID int64) []int64 {
	out := []int64{deptID}
	for i := 0; i < len(out); i++ {
		for _, dp := range d.depts {
			if dp.ParentID == out[i] && dp.DeptID != out[i] {
				out = append(out, dp.DeptID)
			}
		}
	}
	return out
}

func (d *directory) userByMobile(mobile string) *user {
	m := strings.TrimPrefix(strings.TrimPrefix(mobile, "+86-"), "+86")
	for _, id := range d.order {
		if u := d.users[id]; u.Mobile == m && !u.external {
			return u
		}
	}
	return nil
}
