package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// The DingTalk routes of the directory tools, as the sandbox records them.
const (
	apiUserCreate    = "POST /topapi/v2/user/create"
	apiUserCount     = "POST /topapi/user/count"
	apiUserByUnionID = "POST /topapi/user/getbyunionid"
	apiUserList      = "POST /topapi/v2/user/list"
	apiDeptGet       = "POST /topapi/v2/department/get"
	apiDeptListSub   = "POST /topapi/v2/department/listsub"
	apiDeptSearch    = "POST /v1.0/contact/departments/search"
)

// Seeded figures: 72 employees (one of them has not activated DingTalk)
// plus one external contact, which no count includes.
const (
	seedEmployees       = 72
	seedActiveEmployees = 71
)

// dirCase is one call of a tool through the real stack and what must
// come back.
type dirCase struct {
	name  string
	args  string
	deny  string           // a permission scope to withdraw first
	fault *sandbox.Fault   // a failure to inject first
	setup func(h *harness) // anything else to arrange first

	wantStatus float64
	wantCode   string // ErrorCode
	wantHint   string // a substring of Hint
	wantCalls  int    // requests to api; -1 skips the check
	check      func(t *testing.T, h *harness, out map[string]any)
}

// runDirCases runs each case on a fresh sandbox, in parallel.
func runDirCases(t *testing.T, tool, api string, cases []dirCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			if tc.deny != "" {
				h.sandbox.Deny(tc.deny)
			}
			if tc.fault != nil {
				h.sandbox.Inject(*tc.fault)
			}
			if tc.setup != nil {
				tc.setup(h)
			}
			out, _ := h.call(tool, tc.args)
			if out["StatusCode"] != tc.wantStatus {
				t.Fatalf("StatusCode = %v, want %v: %v", out["StatusCode"], tc.wantStatus, out)
			}
			if out["ErrorCode"] != tc.wantCode {
				t.Errorf("ErrorCode = %q, want %q", out["ErrorCode"], tc.wantCode)
			}
			if hint, _ := out["Hint"].(string); !strings.Contains(hint, tc.wantHint) {
				t.Errorf("Hint = %q, want it to mention %q", hint, tc.wantHint)
			}
			if tc.wantStatus == 200 && (out["Summary"] == "" || out["Hint"] != "") {
				t.Errorf("success needs a Summary and no Hint: %v", out)
			}
			if tc.wantStatus != 200 && (out["ErrorMessage"] == "" || out["Hint"] == "") {
				t.Errorf("failure needs an ErrorMessage and a Hint: %v", out)
			}
			if tc.wantCalls >= 0 {
				if got := h.upstreamCalls(api); got != tc.wantCalls {
					t.Errorf("%s received %d calls, want %d", api, got, tc.wantCalls)
				}
			}
			if tc.check != nil {
				tc.check(t, h, out)
			}
		})
	}
}

// dirSentBody decodes the body of the i-th request recorded for api.
func dirSentBody(t *testing.T, h *harness, api string, i int) map[string]any {
	t.Helper()
	calls := h.sandbox.Calls(api)
	if i >= len(calls) {
		t.Fatalf("%s: %d calls recorded, want call %d", api, len(calls), i+1)
	}
	var m map[string]any
	if err := json.Unmarshal(calls[i].Body, &m); err != nil {
		t.Fatalf("%s body is not JSON: %s", api, calls[i].Body)
	}
	return m
}

func dirWantEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	const ok = `{"Name":"Zoe Tan","Mobile":"13912345678","DeptIdList":"3,7","Title":"SRE","Extension":"{\"Hobby\":\"Go\"}","Confirm":true}`
	runDirCases(t, "create_user", apiUserCreate, []dirCase{
		{name: "created", args: ok, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			id, _ := dig(out, "UserData", "userid").(string)
			if id == "" || dig(out, "UserData", "unionId") != h.sandbox.UnionID(id) {
				t.Fatalf("UserData = %v, want the new member's userid and unionId", out["UserData"])
			}
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiUserCreate, 0), map[string]any{
				"name": "Zoe Tan", "mobile": "13912345678", "dept_id_list": "3,7", "title": "SRE", "extension": `{"Hobby":"Go"}`})
			// The member really is in the directory now.
			got := h.callOK("get_user", `{"Mobile":"13912345678"}`)
			dirWantEqual(t, "stored user", []any{dig(got, "UserData", "userid"), dig(got, "UserData", "name"), dig(got, "UserData", "dept_id_list")},
				[]any{id, "Zoe Tan", []any{float64(3), float64(7)}})
			if s := out["Summary"].(string); !strings.Contains(s, id) || !strings.Contains(s, "Zoe Tan") {
				t.Errorf("Summary %q does not name the new user", s)
			}
		}},
		{name: "array of numeric department ids", args: `{"Name":"Li Ming","Mobile":"+852-61234567","DeptIdList":[2],"Confirm":true}`, wantStatus: 200, wantCalls: 1,
			check: func(t *testing.T, h *harness, out map[string]any) {
				dirWantEqual(t, "dept_id_list sent", dirSentBody(t, h, apiUserCreate, 0)["dept_id_list"], "2")
			}},
		{name: "preview without Confirm", args: `{"Name":"Zoe Tan","Mobile":"13912345678","DeptIdList":["3"],"Title":"SRE"}`, wantStatus: -1, wantCalls: 0,
			wantHint: `create the user "Zoe Tan" with mobile 13912345678 in department(s) 3 (title "SRE")`},
		{name: "mobile already in use", args: `{"Name":"Someone","Mobile":"13800000001","DeptIdList":"3","Confirm":true}`,
			wantStatus: 409, wantCode: "60104", wantHint: "get_user with this Mobile", wantCalls: 1},
		{name: "mobile DingTalk refuses", args: `{"Name":"Someone","Mobile":"12345","DeptIdList":"3","Confirm":true}`,
			wantStatus: 400, wantCode: "60103", wantHint: "check Mobile", wantCalls: 1},
		{name: "unknown department", args: `{"Name":"Someone","Mobile":"13912345678","DeptIdList":"3,999","Confirm":true}`,
			wantStatus: 404, wantCode: "60003", wantHint: "get_dept_list", wantCalls: 1},
		{name: "missing permission", args: ok, deny: "qyapi_manage_addresslist",
			wantStatus: 403, wantCode: "88/60011", wantHint: "Grant the app the qyapi_manage_addresslist permission", wantCalls: 1},
		{name: "busy: may have been created", args: ok, fault: &sandbox.Fault{API: apiUserCreate, Errcode: -1},
			wantStatus: 500, wantCode: "-1", wantHint: "get_user with this Mobile to check", wantCalls: 1,
			check: func(t *testing.T, h *harness, out map[string]any) {
				if out["Retryable"] != false {
					t.Error("a write that may have been made must not be marked retryable")
				}
			}},
		{name: "name too long", args: `{"Name":"` + strings.Repeat("名", 65) + `","Mobile":"13912345678","DeptIdList":"3","Confirm":true}`, wantStatus: -1, wantHint: "create_user", wantCalls: 0},
		{name: "blank name", args: `{"Name":"  ","Mobile":"13912345678","DeptIdList":"3","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "not a mobile number", args: `{"Name":"A","Mobile":"call me","DeptIdList":"3","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "missing mobile", args: `{"Name":"A","DeptIdList":"3","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "department id not a number", args: `{"Name":"A","Mobile":"13912345678","DeptIdList":"Sales","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "no departments", args: `{"Name":"A","Mobile":"13912345678","DeptIdList":[],"Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "extension not a JSON object", args: `{"Name":"A","Mobile":"13912345678","DeptIdList":"3","Extension":"hobby=go","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "email without @", args: `{"Name":"A","Mobile":"13912345678","DeptIdList":"3","Email":"zoe","Confirm":true}`, wantStatus: -1, wantCalls: 0},
	})
}

func TestCreateUserElicitation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action   mcp.ElicitationResponseAction
		wantSent int
	}{
		{mcp.ElicitationResponseActionAccept, 1},
		{mcp.ElicitationResponseActionDecline, 0},
	} {
		t.Run(string(tc.action), func(t *testing.T) {
			t.Parallel()
			var asked string
			h := newHarness(t, withElicitation(elicitFunc(func(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
				asked = req.Params.Message
				return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: tc.action, Content: map[string]any{"confirm": true}}}, nil
			})))
			out, _ := h.call("create_user", `{"Name":"Zoe Tan","Mobile":"13912345678","DeptIdList":"3"}`)
			if !strings.Contains(asked, `create the user "Zoe Tan" with mobile 13912345678 in department(s) 3`) {
				t.Errorf("question %q does not say what will be created", asked)
			}
			if got := h.upstreamCalls(apiUserCreate); got != tc.wantSent {
				t.Fatalf("sent %d, want %d: %v", got, tc.wantSent, out)
			}
			if want := map[int]float64{1: 200, 0: -1}[tc.wantSent]; out["StatusCode"] != want {
				t.Errorf("StatusCode = %v, want %v", out["StatusCode"], want)
			}
		})
	}
}

func TestGetUserCount(t *testing.T) {
	t.Parallel()
	count := func(want float64, onlyActive bool) func(*testing.T, *harness, map[string]any) {
		return func(t *testing.T, h *harness, out map[string]any) {
			if out["UserCount"] != want {
				t.Errorf("UserCount = %v, want %v", out["UserCount"], want)
			}
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiUserCount, 0), map[string]any{"only_active": onlyActive})
		}
	}
	runDirCases(t, "get_user_count", apiUserCount, []dirCase{
		{name: "default counts active members", args: `{}`, wantStatus: 200, wantCalls: 1, check: count(seedActiveEmployees, true)},
		{name: "everyone", args: `{"OnlyActive":false}`, wantStatus: 200, wantCalls: 1, check: count(seedEmployees, false)},
		{name: "a created member counts once they are in the directory", args: `{"OnlyActive":false}`, wantStatus: 200, wantCalls: 1,
			setup: func(h *harness) {
				h.callOK("create_user", `{"Name":"Zoe Tan","Mobile":"13912345678","DeptIdList":"3","Confirm":true}`)
			},
			check: count(seedEmployees+1, false)},
		{name: "busy then answered: retried", args: `{}`, fault: &sandbox.Fault{API: apiUserCount, Errcode: -1}, wantStatus: 200, wantCalls: 2},
		{name: "missing permission", args: `{}`, deny: "qyapi_get_member", wantStatus: 403, wantCode: "88/60011", wantHint: "qyapi_get_member permission", wantCalls: 1},
		{name: "not a boolean", args: `{"OnlyActive":"yes"}`, wantStatus: -1, wantCalls: 0},
		{name: "unknown parameter", args: `{"onlyActive":true}`, wantStatus: -1, wantCalls: 0},
	})
}

func TestGetUseridByUnionid(t *testing.T) {
	t.Parallel()
	user := func(id string, contactType float64) func(*testing.T, *harness, map[string]any) {
		return func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "UserId, ContactType", []any{out["UserId"], out["ContactType"]}, []any{id, contactType})
		}
	}
	// The harness's sandboxes are all seeded alike, so one tells the ids.
	ids := sandbox.New()
	runDirCases(t, "get_userid_by_unionid", apiUserByUnionID, []dirCase{
		{name: "employee", args: `{"UnionId":"` + ids.UnionID("zhangwei") + `"}`, wantStatus: 200, wantCalls: 1, check: user("zhangwei", 0)},
		{name: "external contact", args: `{"UnionId":"` + ids.UnionID("ext.partner") + `"}`, wantStatus: 200, wantCalls: 1, check: user("ext.partner", 1)},
		{name: "unknown unionId", args: `{"UnionId":"nosuchunionid0000000000iEiE"}`, wantStatus: 404, wantCode: "60121", wantHint: "search_users", wantCalls: 1},
		{name: "missing permission", args: `{"UnionId":"x"}`, deny: "qyapi_get_member", wantStatus: 403, wantCode: "88/60011", wantHint: "qyapi_get_member permission", wantCalls: 1},
		{name: "blank", args: `{"UnionId":"   "}`, wantStatus: -1, wantCalls: 0},
		{name: "missing", args: `{}`, wantStatus: -1, wantCalls: 0},
		{name: "too long", args: `{"UnionId":"` + strings.Repeat("u", 101) + `"}`, wantStatus: -1, wantCalls: 0},
	})
}

func TestGetUseridByUnionidRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := h.callOK("get_user", `{"UserId":"lina"}`)
	out := h.callOK("get_userid_by_unionid", fmt.Sprintf(`{"UnionId":%q}`, dig(u, "UserData", "unionid")))
	if out["UserId"] != "lina" {
		t.Errorf("UserId = %v, want lina", out["UserId"])
	}
}

func TestGetDeptUsers(t *testing.T) {
	t.Parallel()
	runDirCases(t, "get_dept_users", apiUserList, []dirCase{
		{name: "defaults: root department, first page of 50", args: `{}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiUserList, 0), map[string]any{"dept_id": float64(1), "cursor": float64(0), "size": float64(50)})
			dirWantEqual(t, "root members", []any{dig(out, "Users", 0, "userid"), dig(out, "Users", 0, "name"), dig(out, "Users", 0, "boss"), len(out["Users"].([]any))},
				[]any{sandbox.SeedManagerID, "王芳", true, 1})
			if out["HasMore"] != false || out["NextCursor"] != nil || !strings.Contains(out["Summary"].(string), "last page") {
				t.Errorf("a single page must say it is the last: %v", out)
			}
		}},
		{name: "first page of a big department", args: fmt.Sprintf(`{"DeptId":%d}`, sandbox.SeedEngDept), wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "page", []any{len(out["Users"].([]any)), out["HasMore"], out["NextCursor"], dig(out, "Users", 0, "userid"), dig(out, "Users", 0, "leader")},
				[]any{50, true, float64(50), "dev001", true})
			if s := out["Summary"].(string); !strings.Contains(s, "Cursor 50") {
				t.Errorf("Summary %q does not say how to get the next page", s)
			}
		}},
		{name: "external contacts are not members", args: fmt.Sprintf(`{"DeptId":%d}`, sandbox.SeedSalesDept), wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			var ids []string
			for _, u := range out["Users"].([]any) {
				ids = append(ids, u.(map[string]any)["userid"].(string))
			}
			dirWantEqual(t, "sales members", ids, []string{"zhangwei", "lina", "liuyang", "chenjing", "alice.wu"})
		}},
		{name: "past the end", args: `{"DeptId":3,"Cursor":500}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "page", []any{out["Users"], out["HasMore"]}, []any{[]any{}, false})
		}},
		{name: "unknown department", args: `{"DeptId":999}`, wantStatus: 404, wantCode: "60003", wantHint: "get_dept_list", wantCalls: 1},
		{name: "missing permission", args: `{"DeptId":3}`, deny: "qyapi_get_department_member",
			wantStatus: 403, wantCode: "88/60011", wantHint: "qyapi_get_department_member permission", wantCalls: 1},
		{name: "outside the contact scope", args: `{"DeptId":3}`, fault: &sandbox.Fault{API: apiUserList, Errcode: 50004, Errmsg: "部门不在权限范围内"},
			wantStatus: 403, wantCode: "50004", wantHint: "contact scope", wantCalls: 1},
		{name: "size over 100", args: `{"Size":101}`, wantStatus: -1, wantCalls: 0},
		{name: "size 0", args: `{"Size":0}`, wantStatus: -1, wantCalls: 0},
		{name: "negative cursor", args: `{"Cursor":-1}`, wantStatus: -1, wantCalls: 0},
		{name: "department 0", args: `{"DeptId":0}`, wantStatus: -1, wantCalls: 0},
		{name: "department as text", args: `{"DeptId":"Engineering"}`, wantStatus: -1, wantCalls: 0},
	})
}

// TestGetDeptUsersWalksEveryPageOnce follows NextCursor through the
// seeded Engineering department and gets each member exactly once.
func TestGetDeptUsersWalksEveryPageOnce(t *testing.T) {
	t.Parallel()
	var want []string
	for i := range 60 {
		want = append(want, fmt.Sprintf("dev%03d", i+1))
	}
	for _, size := range []int{50, 7, 60, 100} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			var got []string
			cursor, pages := 0.0, 0
			for {
				out := h.callOK("get_dept_users", fmt.Sprintf(`{"DeptId":%d,"Size":%d,"Cursor":%v}`, sandbox.SeedEngDept, size, cursor))
				pages++
				for _, u := range out["Users"].([]any) {
					got = append(got, u.(map[string]any)["userid"].(string))
				}
				if out["HasMore"] != true {
					break
				}
				cursor = out["NextCursor"].(float64)
				if pages > 20 {
					t.Fatal("paging does not end")
				}
			}
			slices.Sort(got)
			dirWantEqual(t, "members over all pages", got, want)
			if wantPages := (60 + size - 1) / size; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
		})
	}
}

func TestGetDeptDetail(t *testing.T) {
	t.Parallel()
	runDirCases(t, "get_dept_detail", apiDeptGet, []dirCase{
		{name: "engineering", args: `{"DeptId":3}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			d := out["DeptDetail"].(map[string]any)
			// 60 members directly, one more in its sub-department Platform.
			dirWantEqual(t, "detail", []any{d["dept_id"], d["name"], d["parent_id"], d["dept_manager_userid_list"], d["member_count"]},
				[]any{float64(3), "研发部", float64(1), []any{"dev001"}, float64(61)})
			if id, _ := d["dept_group_chat_id"].(string); !strings.HasPrefix(id, "chat") {
				t.Errorf("dept_group_chat_id = %v, want the department group's chatid", d["dept_group_chat_id"])
			}
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiDeptGet, 0), map[string]any{"dept_id": float64(3), "language": "zh_CN"})
		}},
		{name: "in English", args: `{"DeptId":3,"Language":"en_US"}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "name", dig(out, "DeptDetail", "name"), "Engineering")
		}},
		{name: "root has no parent", args: `{"DeptId":1}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "root", []any{dig(out, "DeptDetail", "parent_id"), dig(out, "DeptDetail", "member_count")}, []any{nil, float64(seedEmployees)})
		}},
		{name: "unknown department", args: `{"DeptId":999}`, wantStatus: 404, wantCode: "60003", wantHint: "search_departments", wantCalls: 1},
		{name: "missing permission", args: `{"DeptId":3}`, deny: "qyapi_get_department_list",
			wantStatus: 403, wantCode: "88/60011", wantHint: "qyapi_get_department_list permission", wantCalls: 1},
		{name: "missing DeptId", args: `{}`, wantStatus: -1, wantCalls: 0},
		{name: "DeptId 0", args: `{"DeptId":0}`, wantStatus: -1, wantCalls: 0},
		{name: "unknown language", args: `{"DeptId":3,"Language":"fr_FR"}`, wantStatus: -1, wantCalls: 0},
	})
}

func TestGetDeptList(t *testing.T) {
	t.Parallel()
	depts := func(want ...string) func(*testing.T, *harness, map[string]any) {
		return func(t *testing.T, h *harness, out map[string]any) {
			var got []string
			for _, d := range out["Departments"].([]any) {
				got = append(got, fmt.Sprintf("%v %v", d.(map[string]any)["dept_id"], d.(map[string]any)["name"]))
			}
			dirWantEqual(t, "departments", got, want)
			if out["TotalCount"] != float64(len(want)) {
				t.Errorf("TotalCount = %v, want %d", out["TotalCount"], len(want))
			}
		}
	}
	runDirCases(t, "get_dept_list", apiDeptListSub, []dirCase{
		{name: "root by default", args: `{}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			depts("2 销售部", "3 研发部", "4 市场部", "5 财务部")(t, h, out)
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiDeptListSub, 0), map[string]any{"dept_id": float64(1), "language": "zh_CN"})
		}},
		{name: "in English", args: `{"DeptId":2,"Language":"en_US"}`, wantStatus: 200, wantCalls: 1, check: depts("6 East China Sales")},
		{name: "leaf", args: `{"DeptId":7}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "departments", out["Departments"], []any{})
			if s := out["Summary"].(string); !strings.Contains(s, "no sub-departments") {
				t.Errorf("Summary = %q", s)
			}
		}},
		{name: "unknown department", args: `{"DeptId":999}`, wantStatus: 404, wantCode: "60003", wantHint: "get_dept_list", wantCalls: 1},
		{name: "missing permission", args: `{}`, deny: "qyapi_get_department_list",
			wantStatus: 403, wantCode: "88/60011", wantHint: "qyapi_get_department_list permission", wantCalls: 1},
		{name: "unknown language", args: `{"Language":"de"}`, wantStatus: -1, wantCalls: 0},
		{name: "negative DeptId", args: `{"DeptId":-7}`, wantStatus: -1, wantCalls: 0},
	})
}

func TestSearchDepartments(t *testing.T) {
	t.Parallel()
	result := func(list []any, hasMore bool, total float64) func(*testing.T, *harness, map[string]any) {
		return func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "SearchResult", out["SearchResult"], map[string]any{"list": list, "hasMore": hasMore, "totalCount": total})
		}
	}
	runDirCases(t, "search_departments", apiDeptSearch, []dirCase{
		{name: "by English name", args: `{"QueryWord":"sales"}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			result([]any{float64(2), float64(6)}, false, 2)(t, h, out)
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiDeptSearch, 0), map[string]any{"queryWord": "sales", "offset": float64(0), "size": float64(10)})
		}},
		{name: "by Chinese name", args: `{"QueryWord":"组"}`, wantStatus: 200, wantCalls: 1, check: result([]any{float64(6), float64(7)}, false, 2)},
		{name: "first page", args: `{"QueryWord":"部","Size":3}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			result([]any{float64(2), float64(3), float64(4)}, true, 4)(t, h, out)
			if out["NextOffset"] != float64(3) || !strings.Contains(out["Summary"].(string), "Offset 3") {
				t.Errorf("NextOffset = %v, Summary = %q: want the next page's Offset 3", out["NextOffset"], out["Summary"])
			}
		}},
		{name: "last page", args: `{"QueryWord":"部","Size":3,"Offset":3}`, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			result([]any{float64(5)}, false, 4)(t, h, out)
			if out["NextOffset"] != nil {
				t.Errorf("NextOffset = %v on the last page", out["NextOffset"])
			}
		}},
		{name: "no match", args: `{"QueryWord":"Legal"}`, wantStatus: 200, wantCalls: 1, check: result([]any{}, false, 0)},
		{name: "missing permission", args: `{"QueryWord":"sales"}`, deny: "qyapi_addresslist_search",
			wantStatus: 403, wantCode: "Forbidden.AccessDenied.AccessTokenPermissionDenied", wantHint: "qyapi_addresslist_search permission", wantCalls: 1},
		{name: "throttled", args: `{"QueryWord":"sales"}`, fault: &sandbox.Fault{API: apiDeptSearch, Status: 403, Code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", Times: 10},
			wantStatus: 429, wantCode: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", wantHint: "wait", wantCalls: -1},
		{name: "size over 20", args: `{"QueryWord":"sales","Size":21}`, wantStatus: -1, wantCalls: 0},
		{name: "empty query", args: `{"QueryWord":""}`, wantStatus: -1, wantCalls: 0},
		{name: "missing query", args: `{"Offset":0}`, wantStatus: -1, wantCalls: 0},
	})
}

func TestCreateUserInvitationSent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sandbox.Inject(sandbox.Fault{API: apiUserCreate, Errcode: 40103, Errmsg: "已发出邀请，对方同意后即可加入组织"})
	out, _ := h.call("create_user", `{"Name":"Zoe Tan","Mobile":"13912345678","DeptIdList":"3","Confirm":true}`)
	if out["ErrorCode"] != "40103" || out["Retryable"] != false || !strings.Contains(out["Hint"].(string), "Do not call create_user again") {
		t.Errorf("invitation: %v", out)
	}
	if n := h.upstreamCalls(apiUserCreate); n != 1 {
		t.Errorf("create requests = %d, want 1", n)
	}
}
