package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

func (s *Server) userRoutes() {
	s.legacy("POST /topapi/v2/user/get", "qyapi_get_member", s.userGet)
	s.legacy("POST /topapi/v2/user/getbymobile", "qyapi_get_member_by_mobile", s.userGetByMobile)
	s.api("POST /v1.0/contact/users/search", "qyapi_addresslist_search", s.userSearch)
	s.moreUserRoutes()
}

// userGet answers /topapi/v2/user/get.
func (s *Server) userGet(x *exchange, p params) (map[string]any, *legacyError) {
	id := p.str("userid")
	if id == "" {
		return nil, errLegacy(400002, "参数错误：userid不能为空")
	}
	u := s.state.dir.users[id]
	if u == nil || u.external {
		return nil, errLegacy(60121, "找不到该用户")
	}
	return map[string]any{"result": s.userView(u)}, nil
}

// userView is the user as /topapi/v2/user/get shows it, with the
// per-department leadership DingTalk adds. It is a copy: the answer is
// encoded after the server's lock is released.
func (s *Server) userView(u *user) any {
	type leader struct {
		DeptID int64 `json:"dept_id"`
		Leader bool  `json:"leader"`
	}
	type deptOrder struct {
		DeptID int64 `json:"dept_id"`
		Order  int64 `json:"order"`
	}
	view := struct {
		user
		LeaderInDept  []leader    `json:"leader_in_dept"`
		DeptOrderList []deptOrder `json:"dept_order_list"`
	}{user: *u}
	view.DeptIDList = slices.Clone(u.DeptIDList)
	for _, d := range u.DeptIDList {
		view.LeaderInDept = append(view.LeaderInDept, leader{DeptID: d, Leader: slices.Contains(u.leads, d)})
		view.DeptOrderList = append(view.DeptOrderList, deptOrder{DeptID: d, Order: 176362921372512})
	}
	return view
}

// userGetByMobile answers /topapi/v2/user/getbymobile.
func (s *Server) userGetByMobile(x *exchange, p params) (map[string]any, *legacyError) {
	m := p.str("mobile")
	if m == "" {
		return nil, errLegacy(400002, "参数错误：mobile不能为空")
	}
	u := s.state.dir.userByMobile(m)
	if u == nil {
		return nil, errLegacy(60121, "找不到该用户")
	}
	return map[string]any{"result": map[string]any{"userid": u.UserID}}, nil
}

// searchRequest is the body of both directory searches.
type searchRequest struct {
	QueryWord      *string `json:"queryWord"`
	Offset         *int    `json:"offset"`
	Size           *int    `json:"size"`
	FullMatchField int     `json:"fullMatchField"`
}

// check validates a search body. offset is a record offset here;
// DingTalk's "Address book search user ID" page calls it a page number
// (UNVERIFIED).
// The largest size DingTalk accepts is UNVERIFIED: 100 is assumed.
func (r *searchRequest) check() *apiError {
	switch {
	case r.QueryWord == nil || strings.TrimSpace(*r.QueryWord) == "":
		return errAPI(http.StatusBadRequest, "parameter.error", "queryWord不能为空")
	case r.Offset == nil || *r.Offset < 0:
		return errAPI(http.StatusBadRequest, "parameter.error", "offset参数错误")
	case r.Size == nil || *r.Size < 1 || *r.Size > 100:
		return errAPI(http.StatusBadRequest, "parameter.error", "size参数错误")
	}
	return nil
}

func page[T any](all []T, offset, size int) (items []T, hasMore bool) {
	if offset >= len(all) {
		return []T{}, false
	}
	end := min(offset+size, len(all))
	return all[offset:end], end < len(all)
}

// userSearch answers POST /v1.0/contact/users/search: userIds whose name,
// mobile or email contains the query word (the whole name with
// fullMatchField 1).
func (s *Server) userSearch(x *exchange) (any, *apiError) {
	var req searchRequest
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	if err := req.check(); err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(*req.QueryWord))
	var ids []string
	for _, id := range s.state.dir.order {
		u := s.state.dir.users[id]
		if u.external {
			continue
		}
		name := strings.ToLower(u.Name)
		match := strings.Contains(name, q) || strings.Contains(u.Mobile, q) || strings.Contains(strings.ToLower(u.Email), q)
		if req.FullMatchField == 1 {
			match = name == q
		}
		if match {
			ids = append(ids, id)
		}
	}
	list, more := page(ids, *req.Offset, *req.Size)
	return map[string]any{"hasMore": more, "totalCount": len(ids), "list": list}, nil
}
