package prompts_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// These tests play the model: each renders a prompt, in every language,
// then makes the calls its text prescribes, with the values a model would
// take from the results, and checks that DingTalk (the sandbox) ends in
// the state the workflow is for. st.followed then checks that every call made is one
// the prompt names, with parameters it names, in its order, and that each
// guarded write was previewed before it was confirmed.

// sheetLink is the link of the seeded demo workbook.
const sheetLink = "https://alidocs.dingtalk.com/i/nodes/" + sandbox.SeedWorkbookID

// findDepartment does what the prompts' "find the department" step says:
// search, then read each match and keep the one with the name.
func findDepartment(st *stack, name string) (id float64, detail map[string]any) {
	st.t.Helper()
	r := st.callOK("search_departments", map[string]any{"QueryWord": name})
	for _, v := range dig(r, "SearchResult", "list").([]any) {
		d := st.callOK("get_dept_detail", map[string]any{"DeptId": v})
		if dig(d, "DeptDetail", "name") == name {
			return v.(float64), d["DeptDetail"].(map[string]any)
		}
	}
	st.t.Fatalf("no department named %s", name)
	return 0, nil
}

// deptMembers lists a department's members page by page.
func deptMembers(st *stack, deptID float64) []string {
	st.t.Helper()
	var ids []string
	args := map[string]any{"DeptId": deptID, "Size": 100}
	for {
		r := st.callOK("get_dept_users", args)
		for _, u := range r["Users"].([]any) {
			ids = append(ids, dig(u, "userid").(string))
		}
		if r["HasMore"] != true {
			return ids
		}
		args = map[string]any{"DeptId": deptID, "Size": 100, "Cursor": r["NextCursor"]}
	}
}

// unread returns the recipients of a notice who have not read it, sorted.
func unread(st *stack, task any) []string {
	st.t.Helper()
	r := st.callOK("get_message_status", map[string]any{"TaskId": task})
	ids := strs(dig(r, "MessageStatus", "unread_user_id_list"))
	slices.Sort(ids)
	return ids
}

func TestNotifyDepartmentWorkflow(t *testing.T) {
	t.Parallel()
	engineers := []string{"dev001"}
	for i := 2; i <= 60; i++ {
		engineers = append(engineers, fmt.Sprintf("dev%03d", i))
	}
	for _, tc := range []struct {
		name, department, title, sub string
		want                         []string // the seeded members who must receive it
	}{
		// The seeded Sales department: its direct members and 赵磊 of its
		// sub-department East China Sales; the external contact is no member.
		{name: "with sub-departments, as Markdown", department: "销售部", title: "Q3 close", sub: "yes",
			want: []string{"alice.wu", "chenjing", "lina", "liuyang", "zhangwei", "zhaolei"}},
		// Engineering's 60 direct members, without Platform's Grace Ho.
		{name: "direct members, as text", department: "研发部", want: engineers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachLang(t, func(t *testing.T, l i18n.Lang) {
				st := newStack(t, withLang(l))
				const message = "Please submit all Q3 orders by Friday 17:00."
				args := map[string]string{"department": tc.department, "message": message}
				if tc.title != "" {
					args["title"] = tc.title
				}
				if tc.sub != "" {
					args["include_sub_departments"] = tc.sub
				}
				text := st.mustPrompt("notify_department", args)

				deptID, _ := findDepartment(st, tc.department)
				depts := []float64{deptID}
				for i := 0; tc.sub == "yes" && i < len(depts); i++ {
					r := st.callOK("get_dept_list", map[string]any{"DeptId": depts[i]})
					for _, d := range r["Departments"].([]any) {
						depts = append(depts, dig(d, "dept_id").(float64))
					}
				}
				var recipients []string
				for _, d := range depts {
					for _, id := range deptMembers(st, d) {
						if !slices.Contains(recipients, id) {
							recipients = append(recipients, id)
						}
					}
				}
				notice := map[string]any{"UserIds": recipients, "MsgType": "text", "Content": message}
				if tc.title != "" {
					notice["MsgType"], notice["Title"] = "markdown", tc.title
				}
				sent := st.write("send_work_notice", notice)

				if diff := cmp.Diff(tc.want, unread(st, dig(sent, "MessageData", "task_id"))); diff != "" {
					t.Errorf("the notice's recipients (-want +got):\n%s", diff)
				}
				if n := len(st.sandbox.Calls("POST /topapi/message/corpconversation/asyncsend_v2")); n != 1 {
					t.Errorf("DingTalk received %d notices, want 1", n)
				}
				st.followed(text)
			})
		})
	}
}

func TestOnboardEmployeeWorkflow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, owner string // owner: the chat_owner argument, by name
		wantOwner   string
	}{
		{name: "the department's leader owns the group", wantOwner: "zhangwei"},
		{name: "a named owner", owner: "李娜", wantOwner: "lina"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachLang(t, func(t *testing.T, l i18n.Lang) {
				st := newStack(t, withLang(l))
				args := map[string]string{"name": "周杰", "mobile": "13912345678", "department": "销售部", "job_title": "Account Manager"}
				if tc.owner != "" {
					args["chat_owner"] = tc.owner
				}
				text := st.mustPrompt("onboard_employee", args)

				if r := st.call("get_user", map[string]any{"Mobile": "13912345678"}); r["StatusCode"] != float64(404) {
					t.Fatalf("get_user of a new mobile: want 404, got %v", r)
				}
				deptID, detail := findDepartment(st, "销售部")
				created := st.write("create_user", map[string]any{
					"Name": "周杰", "Mobile": "13912345678", "DeptIdList": []string{strconv.FormatFloat(deptID, 'f', -1, 64)}, "Title": "Account Manager",
				})
				newID := dig(created, "UserData", "userid").(string)
				team := deptMembers(st, deptID)
				if !slices.Contains(team, newID) {
					t.Errorf("the new member %s is not listed in the department: %v", newID, team)
				}
				owner := strs(detail["dept_manager_userid_list"])[0]
				if tc.owner != "" {
					found := strs(dig(st.callOK("search_users", map[string]any{"QueryWord": tc.owner}), "SearchResult", "list"))
					owner = found[0]
				}
				members := append([]string{newID, owner}, team...)
				slices.Sort(members)
				members = slices.Compact(members)
				chat := st.write("create_chat", map[string]any{"Name": "销售部 team", "Owner": owner, "UserIds": members})
				chatID := dig(chat, "ChatData", "chatid").(string)

				info := st.callOK("get_chat_info", map[string]any{"ChatId": chatID})
				gotMembers := strs(dig(info, "ChatInfo", "useridlist"))
				slices.Sort(gotMembers)
				if diff := cmp.Diff(members, gotMembers); diff != "" {
					t.Errorf("the group's members (-want +got):\n%s", diff)
				}
				if got := dig(info, "ChatInfo", "owner"); got != tc.wantOwner {
					t.Errorf("the group's owner is %v, want %s", got, tc.wantOwner)
				}
				sent := st.write("send_work_notice", map[string]any{"UserIds": []string{newID}, "MsgType": "text",
					"Content": "Welcome to 销售部, 周杰! Your team's group chat is 销售部 team."})
				if diff := cmp.Diff([]string{newID}, unread(st, dig(sent, "MessageData", "task_id"))); diff != "" {
					t.Errorf("the welcome notice's recipients (-want +got):\n%s", diff)
				}

				// The directory now holds them, once, in the department.
				u := st.callOK("get_user", map[string]any{"Mobile": "13912345678"})
				if dig(u, "UserData", "userid") != newID || dig(u, "UserData", "title") != "Account Manager" {
					t.Errorf("get_user after onboarding: %v", u["UserData"])
				}
				st.followed(text)
			})
		})
	}
}

func TestAppendToSheetWorkflow(t *testing.T) {
	t.Parallel()
	eachLang(t, func(t *testing.T, l i18n.Lang) {
		st := newStack(t, withLang(l))
		text := st.mustPrompt("append_to_sheet", map[string]string{
			"sheet_link": sheetLink, "sheet_name": "Sales",
			"records": "Rep: 赵磊, Region: North, Product: Laptop, Units: 5, Revenue: 40000\nRep: 李娜, Region: East, Product: Mouse, Units: 50, Revenue: 5000",
		})

		node := st.callOK("get_node_by_link", map[string]any{"NodeUrl": sheetLink})
		if ext := dig(node, "NodeData", "extension"); ext != "axls" {
			t.Fatalf("the link is not a spreadsheet: extension %v", ext)
		}
		wb := dig(node, "NodeData", "nodeId").(string)
		var sheetID string
		for _, s := range st.callOK("get_worksheets", map[string]any{"WorkbookId": wb})["SheetList"].([]any) {
			if dig(s, "name") == "Sales" {
				sheetID = dig(s, "id").(string)
			}
		}
		sheet := st.callOK("get_worksheet", map[string]any{"WorkbookId": wb, "SheetId": sheetID})
		last := string(rune('A' + int(dig(sheet, "SheetData", "lastNonEmptyColumn").(float64))))
		header := strs(dig(st.callOK("get_range_data", map[string]any{"WorkbookId": wb, "SheetId": sheetID, "RangeAddress": "A1:" + last + "1"}), "RangeData", "values", 0))

		// Step 4: the records in the header's order, as the prompt asks.
		records := []map[string]string{
			{"Rep": "赵磊", "Region": "North", "Product": "Laptop", "Units": "5", "Revenue": "40000"},
			{"Rep": "李娜", "Region": "East", "Product": "Mouse", "Units": "50", "Revenue": "5000"},
		}
		var rows [][]string
		for _, r := range records {
			row := make([]string, len(header))
			for i, h := range header {
				row[i] = r[h]
			}
			rows = append(rows, row)
		}
		appended := st.write("append_rows", map[string]any{"WorkbookId": wb, "SheetId": sheetID, "RangeAddress": "A:" + last, "Values": rows})
		if got := dig(appended, "AppendResult", "appendedRange"); got != "A7:E8" {
			t.Errorf("appendedRange = %v, want A7:E8 (below the 6 rows of the seeded sheet)", got)
		}
		check := st.callOK("get_range_data", map[string]any{"WorkbookId": wb, "SheetId": sheetID, "RangeAddress": dig(appended, "AppendResult", "appendedRange")})
		if got := strs(dig(check, "RangeData", "values", 1)); !slices.Equal(got, rows[1]) {
			t.Errorf("read back %v, want %v", got, rows[1])
		}

		snap, _ := st.sandbox.Sheet(sandbox.SeedWorkbookID, "Sales")
		want := [][]string{{"North", "赵磊", "Laptop", "5", "40000"}, {"East", "李娜", "Mouse", "50", "5000"}}
		if len(snap.Values) != 8 {
			t.Fatalf("the sheet has %d rows, want 8", len(snap.Values))
		}
		if diff := cmp.Diff(want, snap.Values[6:]); diff != "" {
			t.Errorf("the sheet's last rows (-want +got):\n%s", diff)
		}
		st.followed(text)
	})
}

// listAll lists every node of a folder, page by page.
func listAll(st *stack, args map[string]any) []any {
	st.t.Helper()
	var nodes []any
	for {
		r := st.callOK("get_node_list", args)
		nodes = append(nodes, r["NodeList"].([]any)...)
		if r["NextToken"] == "" {
			return nodes
		}
		next := map[string]any{"NextToken": r["NextToken"]}
		for k, v := range args {
			if k != "NextToken" {
				next[k] = v
			}
		}
		args = next
	}
}

func findNode(nodes []any, name, typ string) string {
	for _, n := range nodes {
		if dig(n, "name") == name && dig(n, "type") == typ {
			return dig(n, "nodeId").(string)
		}
	}
	return ""
}

func TestFileDocumentWorkflow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, folder string
	}{
		{"an existing folder", "项目周报"},
		{"a folder to create inside it", "项目周报/2025"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachLang(t, func(t *testing.T, l i18n.Lang) {
				st := newStack(t, withLang(l))
				text := st.mustPrompt("file_document", map[string]string{
					"knowledge_base": "产品知识库", "folder": tc.folder, "document_name": "周报 第56周", "doc_type": "DOC",
				})

				var ws string
				args := map[string]any{}
				for ws == "" {
					r := st.callOK("get_workspaces", args)
					for _, w := range r["WorkspaceList"].([]any) {
						if dig(w, "name") == "产品知识库" {
							ws = dig(w, "workspaceId").(string)
						}
					}
					if r["NextToken"] == "" {
						break
					}
					args = map[string]any{"NextToken": r["NextToken"]}
				}
				if ws != sandbox.SeedWorkspaceID {
					t.Fatalf("knowledge base 产品知识库 found as %q, want %s", ws, sandbox.SeedWorkspaceID)
				}
				parts := strings.Split(tc.folder, "/")
				folder := findNode(listAll(st, map[string]any{"WorkspaceId": ws}), parts[0], "FOLDER")
				for _, part := range parts[1:] {
					child := findNode(listAll(st, map[string]any{"ParentNodeId": folder}), part, "FOLDER")
					if child == "" {
						made := st.write("create_doc", map[string]any{"WorkspaceId": ws, "Name": part, "DocType": "FOLDER", "ParentNodeId": folder})
						child = made["NodeId"].(string)
					}
					folder = child
				}
				if findNode(listAll(st, map[string]any{"ParentNodeId": folder}), "周报 第56周.adoc", "FILE") != "" {
					t.Fatal("the document exists before it is created")
				}
				doc := st.write("create_doc", map[string]any{"WorkspaceId": ws, "ParentNodeId": folder, "Name": "周报 第56周", "DocType": "DOC"})
				node := st.callOK("get_workspace_node", map[string]any{"NodeId": doc["NodeId"]})
				if url, _ := dig(node, "NodeData", "url").(string); !strings.HasSuffix(url, doc["NodeId"].(string)) {
					t.Errorf("the document's link %q does not lead to it", url)
				}

				// It is in the folder the user named, and nowhere else.
				if findNode(listAll(st, map[string]any{"ParentNodeId": folder}), "周报 第56周.adoc", "FILE") != doc["NodeId"] {
					t.Errorf("the document is not in folder %s", tc.folder)
				}
				if findNode(listAll(st, map[string]any{"WorkspaceId": ws}), "周报 第56周.adoc", "FILE") != "" {
					t.Error("the document was created at the top level")
				}
				st.followed(text)
			})
		})
	}
}

func TestWeeklyReportWorkflow(t *testing.T) {
	t.Parallel()
	eachLang(t, func(t *testing.T, l i18n.Lang) {
		st := newStack(t, withLang(l))
		text := st.mustPrompt("weekly_report", map[string]string{
			"sheet_link": sheetLink, "sheet_name": "Sales", "range": "A1:E6", "recipients": "张伟, 李娜", "week": "2025-W47",
		})

		wb := dig(st.callOK("get_node_by_link", map[string]any{"NodeUrl": sheetLink}), "NodeData", "nodeId").(string)
		var sheetID string
		for _, s := range st.callOK("get_worksheets", map[string]any{"WorkbookId": wb})["SheetList"].([]any) {
			if dig(s, "name") == "Sales" {
				sheetID = dig(s, "id").(string)
			}
		}
		data := st.callOK("get_range_data", map[string]any{"WorkbookId": wb, "SheetId": sheetID, "RangeAddress": "A1:E6"})
		rows := dig(data, "RangeData", "values").([]any)
		var total float64
		var bullets []string
		for _, r := range rows[1:] {
			cells := r.([]any)
			rev, err := strconv.ParseFloat(fmt.Sprint(cells[4]), 64)
			if err != nil {
				t.Fatalf("revenue cell %v: %v", cells[4], err)
			}
			total += rev
			bullets = append(bullets, fmt.Sprintf("- %v %v: %v units of %v, revenue %v", cells[0], cells[1], cells[3], cells[2], cells[4]))
		}
		report := fmt.Sprintf("### Weekly report 2025-W47\n\nRevenue this week: %.0f.\n\n%s", total, strings.Join(bullets, "\n"))

		var recipients []string
		for _, name := range []string{"张伟", "李娜"} {
			for _, id := range strs(dig(st.callOK("search_users", map[string]any{"QueryWord": name}), "SearchResult", "list")) {
				if u := st.callOK("get_user", map[string]any{"UserId": id}); dig(u, "UserData", "name") == name {
					recipients = append(recipients, id)
				}
			}
		}
		sent := st.write("send_work_notice", map[string]any{"UserIds": recipients, "MsgType": "markdown", "Title": "Weekly report 2025-W47", "Content": report})
		if diff := cmp.Diff([]string{"lina", "zhangwei"}, unread(st, dig(sent, "MessageData", "task_id"))); diff != "" {
			t.Errorf("the report's recipients (-want +got):\n%s", diff)
		}
		// The seeded Sales sheet's revenues add up to 256000: what DingTalk
		// received is the sheet's data, not an invented figure.
		calls := st.sandbox.Calls("POST /topapi/message/corpconversation/asyncsend_v2")
		if len(calls) != 1 || !strings.Contains(string(calls[0].Body), "Revenue this week: 256000") {
			t.Errorf("DingTalk received %d notice(s); want one carrying the total 256000", len(calls))
		}
		st.followed(text)
	})
}

func TestFindColleagueWorkflow(t *testing.T) {
	t.Parallel()
	eachLang(t, func(t *testing.T, l i18n.Lang) {
		st := newStack(t, withLang(l))
		text := st.mustPrompt("find_colleague", map[string]string{"name": "李娜"})

		ids := strs(dig(st.callOK("search_users", map[string]any{"QueryWord": "李娜"}), "SearchResult", "list"))
		if len(ids) != 1 {
			t.Fatalf("search_users 李娜 found %v, want one", ids)
		}
		u := st.callOK("get_user", map[string]any{"UserId": ids[0]})
		var path []string
		var leaders []string
		for _, d := range dig(u, "UserData", "dept_id_list").([]any) {
			detail := st.callOK("get_dept_detail", map[string]any{"DeptId": d})
			leaders = append(leaders, strs(dig(detail, "DeptDetail", "dept_manager_userid_list"))...)
			path = []string{dig(detail, "DeptDetail", "name").(string)}
			for parent := dig(detail, "DeptDetail", "parent_id"); parent != nil; parent = dig(detail, "DeptDetail", "parent_id") {
				detail = st.callOK("get_dept_detail", map[string]any{"DeptId": parent})
				path = append([]string{dig(detail, "DeptDetail", "name").(string)}, path...)
			}
		}
		manager := st.callOK("get_user", map[string]any{"UserId": dig(u, "UserData", "manager_userid")})

		got := fmt.Sprintf("%s, %s, %s, leaders %v, manager %s", dig(u, "UserData", "name"), dig(u, "UserData", "title"),
			strings.Join(path, " / "), leaders, dig(manager, "UserData", "name"))
		if want := "李娜, Account Manager, 沙箱演示科技有限公司 / 销售部, leaders [zhangwei], manager 张伟"; got != want {
			t.Errorf("the answer's facts:\n got %s\nwant %s", got, want)
		}
		st.followed(text)
	})
}
