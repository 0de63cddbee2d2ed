package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// economy is every tool's DingTalk bill: the calls one successful tool call
// makes (token requests excluded) and the DingTalk APIs they go to. Each
// count is the fewest the tool can make; a row's note says why a tool needs
// more than one. {union}, {task}, {key} and {sheet} are filled in by the
// test: the seeded manager's unionId, a notice and a group message sent for
// the row, a sheet to delete.
var economy = []struct {
	tool, args string
	apis       []string // in the order sent
	note       string
}{
	{tool: "create_chat", args: `{"Name":"Bench","Owner":"` + sandbox.SeedManagerID + `","UserIds":["` + sandbox.SeedManagerID + `"],"Confirm":true}`,
		apis: []string{"POST /v1.0/im/group/create", "POST /v1.0/robot/groups/robots/query"},
		note: "the Summary says whether the app's robot is in the new group, which send_chat_message needs and DingTalk does not say on creation"},
	{tool: "get_chat_info", args: `{"ChatId":"` + sandbox.SeedChatID + `"}`, apis: []string{"GET /chat/get"}},
	{tool: "get_chat_info", args: `{"ChatId":"` + sandbox.SeedOpenConversationID + `"}`, apis: []string{"POST /v1.0/im/groups/baseInfos/query"}},
	{tool: "send_chat_message", args: `{"ChatId":"` + sandbox.SeedOpenConversationID + `","MsgType":"text","Content":"economy","Confirm":true}`,
		apis: []string{"POST /v1.0/robot/groupMessages/send"}},
	{tool: "send_chat_message", args: `{"ChatId":"` + sandbox.SeedChatID + `","MsgType":"text","Content":"economy","Confirm":true}`,
		apis: []string{"POST /v1.0/im/chat/{chatId}/convertToOpenConversationId", "POST /v1.0/robot/groupMessages/send"},
		note: "the robot API takes only the openConversationId; a chatid is converted first"},
	{tool: "get_chat_message_status", args: `{"ChatId":"` + sandbox.SeedOpenConversationID + `","ProcessQueryKey":"{key}"}`,
		apis: []string{"POST /v1.0/robot/groupMessages/query"}},
	{tool: "recall_chat_message", args: `{"ChatId":"` + sandbox.SeedOpenConversationID + `","ProcessQueryKeys":["{key}"],"Confirm":true}`,
		apis: []string{"POST /v1.0/robot/groupMessages/recall"}},

	{tool: "create_user", args: `{"Name":"Bench","Mobile":"13900000077","DeptIdList":[2],"Confirm":true}`, apis: []string{"POST /topapi/v2/user/create"}},
	{tool: "get_user", args: `{"UserId":"` + sandbox.SeedManagerID + `"}`, apis: []string{"POST /topapi/v2/user/get"}},
	{tool: "get_user", args: `{"Mobile":"13800000001"}`, apis: []string{"POST /topapi/v2/user/getbymobile", "POST /topapi/v2/user/get"},
		note: "DingTalk answers a mobile number with a userId only; the profile is a second call"},
	{tool: "get_user_count", args: `{}`, apis: []string{"POST /topapi/user/count"}},
	{tool: "get_userid_by_unionid", args: `{"UnionId":"{union}"}`, apis: []string{"POST /topapi/user/getbyunionid"}},
	{tool: "get_dept_users", args: `{"DeptId":2}`, apis: []string{"POST /topapi/v2/user/list"}},
	{tool: "search_users", args: `{"QueryWord":"王"}`, apis: []string{"POST /v1.0/contact/users/search"}},
	{tool: "get_dept_detail", args: `{"DeptId":2}`, apis: []string{"POST /topapi/v2/department/get"}},
	{tool: "get_dept_list", args: `{}`, apis: []string{"POST /topapi/v2/department/listsub"}},
	{tool: "search_departments", args: `{"QueryWord":"Sales"}`, apis: []string{"POST /v1.0/contact/departments/search"}},

	{tool: "create_workspace", args: `{"Name":"Bench","Confirm":true}`, apis: []string{"POST /v2.0/wiki/workspaces"}},
	{tool: "get_workspace", args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, apis: []string{"GET /v2.0/wiki/workspaces/{workspaceId}"}},
	{tool: "get_workspaces", args: `{}`, apis: []string{"GET /v2.0/wiki/workspaces"}},
	{tool: "batch_get_workspaces", args: `{"WorkspaceIds":["` + sandbox.SeedWorkspaceID + `"]}`, apis: []string{"POST /v2.0/wiki/workspaces/batchQuery"}},
	{tool: "create_doc", args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `","Name":"Bench","DocType":"DOC","Confirm":true}`, apis: []string{"POST /v1.0/doc/workspaces/{workspaceId}/docs"}},
	{tool: "get_node_list", args: `{"ParentNodeId":"` + sandbox.SeedFolderNodeID + `"}`, apis: []string{"GET /v2.0/wiki/nodes"}},
	{tool: "get_node_list", args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, apis: []string{"GET /v2.0/wiki/workspaces/{workspaceId}", "GET /v2.0/wiki/nodes"},
		note: "listing a workspace's top level needs its rootNodeId, which only the workspace has"},
	{tool: "get_workspace_node", args: `{"NodeId":"` + sandbox.SeedDocNodeID + `"}`, apis: []string{"GET /v2.0/wiki/nodes/{nodeId}"}},
	{tool: "batch_get_nodes", args: `{"NodeIds":["` + sandbox.SeedDocNodeID + `"]}`, apis: []string{"POST /v2.0/wiki/nodes/batchQuery"}},
	{tool: "get_node_by_link", args: `{"NodeUrl":"https://alidocs.dingtalk.com/i/nodes/` + sandbox.SeedDocNodeID + `"}`, apis: []string{"POST /v2.0/wiki/nodes/queryByUrl"}},
	{tool: "get_doc_content", args: `{"NodeId":"` + sandbox.SeedDocNodeID + `"}`, apis: []string{"GET /v1.0/doc/suites/documents/{docKey}/blocks"}},
	{tool: "get_doc_content", args: `{"DocUrl":"https://alidocs.dingtalk.com/i/nodes/` + sandbox.SeedDocNodeID + `"}`, apis: []string{"GET /v1.0/doc/suites/documents/{docKey}/blocks"}},
	{tool: "append_doc_content", args: `{"NodeId":"` + sandbox.SeedDocNodeID + `","Markdown":"economy","Confirm":true}`,
		apis: []string{"POST /v1.0/doc/suites/documents/{docKey}/content"}},
	{tool: "overwrite_doc_content", args: `{"DocUrl":"https://alidocs.dingtalk.com/i/nodes/` + sandbox.SeedDocNodeID + `","Markdown":"economy","Confirm":true}`,
		apis: []string{"POST /v1.0/doc/suites/documents/{docKey}/overwriteContent"}},

	{tool: "create_worksheet", args: sheetArgs(`"SheetName":"Bench","Confirm":true`, false), apis: []string{"POST /v1.0/doc/workbooks/{workbookId}/sheets"}},
	{tool: "delete_worksheet", args: sheetArgs(`"Confirm":true`, true), apis: []string{"DELETE /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}"}},
	{tool: "get_worksheet", args: sheetArgs(``, true), apis: []string{"GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}"}},
	{tool: "get_worksheets", args: sheetArgs(``, false), apis: []string{"GET /v1.0/doc/workbooks/{workbookId}/sheets"}},
	{tool: "delete_columns", args: sheetArgs(`"Column":2,"Confirm":true`, true),
		apis: []string{"GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}", "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteColumns"},
		note: "the sheet's size is read first: DingTalk's answer to a delete past the last column is undocumented, and a partial delete must not happen"},
	{tool: "set_columns_visibility", args: sheetArgs(`"Column":2,"Visibility":"hidden"`, true),
		apis: []string{"POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/setColumnsVisibility"}},
	{tool: "insert_columns_before", args: sheetArgs(`"Column":2,"Confirm":true`, true),
		apis: []string{"POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertColumnsBefore"}},
	{tool: "delete_rows", args: sheetArgs(`"Row":2,"Confirm":true`, true),
		apis: []string{"GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}", "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteRows"},
		note: "as delete_columns: the size check prevents a partial delete"},
	{tool: "set_rows_visibility", args: sheetArgs(`"Row":2,"Visibility":"hidden"`, true),
		apis: []string{"POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/setRowsVisibility"}},
	{tool: "insert_rows_before", args: sheetArgs(`"Row":2,"Confirm":true`, true),
		apis: []string{"POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertRowsBefore"}},
	{tool: "append_rows", args: sheetArgs(`"RangeAddress":"A:C","Values":[["a","b","c"]],"Confirm":true`, true),
		apis: []string{"GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}", "PUT /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"},
		note: "one read finds the last non-empty row of the columns, one write puts the rows below it"},
	{tool: "insert_rows_before_with_data", args: sheetArgs(`"Row":2,"Values":[["a","b"]],"Confirm":true`, true),
		apis: []string{"GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}", "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertRowsBefore", "PUT /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"},
		note: "the size check keeps a write that cannot fit from leaving blank inserted rows; then insert, then write"},
	{tool: "get_range_data", args: sheetArgs(`"RangeAddress":"A1:C3"`, true), apis: []string{"GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"}},
	{tool: "update_range_data", args: sheetArgs(`"RangeAddress":"A1:B1","Values":[["a","b"]],"Confirm":true`, true),
		apis: []string{"PUT /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"}},
	{tool: "clear_range_content", args: sheetArgs(`"RangeAddress":"A1:B2","Confirm":true`, true),
		apis: []string{"POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}/clear"}},
	{tool: "clear_range_data", args: sheetArgs(`"RangeAddress":"A1:B2","Confirm":true`, true),
		apis: []string{"POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}/clearData"}},

	{tool: "send_work_notice", args: `{"UserIds":["` + sandbox.SeedManagerID + `"],"MsgType":"text","Content":"economy","Confirm":true}`,
		apis: []string{"POST /topapi/message/corpconversation/asyncsend_v2"}},
	{tool: "get_message_status", args: `{"TaskId":{task}}`, apis: []string{"POST /topapi/message/corpconversation/getsendresult"}},
	{tool: "recall_message", args: `{"MsgTaskId":{task},"Confirm":true}`, apis: []string{"POST /topapi/message/corpconversation/recall"}},
}

func sheetArgs(more string, sheet bool) string {
	s := `{"WorkbookId":"` + sandbox.SeedWorkbookID + `"`
	if sheet {
		s += `,"SheetId":"{sheet}"`
	}
	if more != "" {
		s += "," + more
	}
	return s + "}"
}

// TestUpstreamEconomy calls every registered tool once, successfully, and
// compares the DingTalk calls it made with its row in economy. A tool that
// starts making an extra call, or a registered tool with no row, fails.
func TestUpstreamEconomy(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, row := range economy {
		covered[row.tool] = true
	}
	for _, d := range tools.All() {
		if name := d.Spec().Name; !covered[name] {
			t.Errorf("%s has no row in economy: add its arguments and the DingTalk calls one call of it makes", name)
		}
	}
	for _, row := range economy {
		t.Run(row.tool+" "+row.args, func(t *testing.T) {
			t.Parallel()
			st, vars := economyStack(t)
			args := row.args
			for k, v := range vars {
				args = strings.ReplaceAll(args, "{"+k+"}", v)
			}
			st.Sandbox.ResetLog()
			out := callTool(t, st, row.tool, args)
			if out["StatusCode"] != float64(200) {
				t.Fatalf("%s failed, so its calls say nothing: %v", row.tool, out)
			}
			var got []string
			for _, r := range st.Sandbox.Requests() {
				got = append(got, r.API)
			}
			if diff := cmp.Diff(row.apis, got); diff != "" {
				t.Errorf("%s made %d DingTalk call(s), its budget is %d (-want +got):\n%s", row.tool, len(got), len(row.apis), diff)
			}
			if n := st.Sandbox.TokensIssued(); n != 1 {
				t.Errorf("%d access tokens issued for one client, want 1", n)
			}
		})
	}
}

// economyStack is a stack whose server acts as the seeded manager given by
// unionId, as a configured DINGTALK_OPERATOR_ID would be: a userId costs one
// lookup per process, measured by TestOperatorResolvedOnce.
func economyStack(t *testing.T) (*Stack, map[string]string) {
	t.Helper()
	st := startStack(t, StackOptions{Upstream: Memory})
	ctx := context.Background()
	u, err := st.Env.Client.Users.Get(ctx, sandbox.SeedManagerID, "")
	if err != nil {
		t.Fatal(err)
	}
	st.Env.OperatorID = u.UnionID
	task, err := st.Env.Client.Messages.Send(ctx, dingtalk.WorkNotice{AgentID: sandbox.AgentID, UserIDs: []string{sandbox.SeedManagerID},
		Msg: dingtalk.Msg{MsgType: "text", Text: &dingtalk.TextMsg{Content: "setup"}}})
	if err != nil {
		t.Fatal(err)
	}
	key, err := st.Env.Client.Robot.Send(ctx, dingtalk.GroupMessage{OpenConversationID: sandbox.SeedOpenConversationID, MsgKey: dingtalk.RobotText, Text: "setup"})
	if err != nil {
		t.Fatal(err)
	}
	return st, map[string]string{"union": u.UnionID, "task": fmt.Sprint(task), "key": key, "sheet": sandbox.SeedTargetsSheetID}
}

// callTool calls a tool through the MCP server's message handler and
// returns its structured result.
func callTool(t *testing.T, st *Stack, name, args string) map[string]any {
	t.Helper()
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call",
		"params": map[string]any{"name": name, "arguments": json.RawMessage(args)}})
	res := st.MCP.HandleMessage(context.Background(), msg)
	r, ok := res.(mcp.JSONRPCResponse)
	if !ok {
		t.Fatalf("%s: %#v", name, res)
	}
	b, err := json.Marshal(r.Result)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		StructuredContent map[string]any `json:"structuredContent"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out.StructuredContent
}

// TestOneTokenPerLifetime: 64 concurrent calls of different tools share one
// access token, and a client whose token has lived out its 7200 s asks for
// exactly one more.
func TestOneTokenPerLifetime(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	st := startStack(t, StackOptions{Upstream: Memory, Sandbox: []sandbox.Option{sandbox.WithClock(clock)}, Client: []dingtalk.Option{dingtalk.WithClock(clock)}})
	reads := []string{
		`get_user {"UserId":"` + sandbox.SeedManagerID + `"}`, `get_user_count {}`, `get_dept_list {}`,
		`get_workspace {"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, `get_worksheets {"WorkbookId":"` + sandbox.SeedWorkbookID + `"}`,
		`get_chat_info {"ChatId":"` + sandbox.SeedChatID + `"}`, `search_users {"QueryWord":"王"}`, `get_workspaces {}`,
	}
	burst := func() {
		var wg sync.WaitGroup
		for i := range 64 {
			name, args, _ := strings.Cut(reads[i%len(reads)], " ")
			wg.Go(func() {
				if out := callTool(t, st, name, args); out["StatusCode"] != float64(200) {
					t.Errorf("%s: %v", name, out)
				}
			})
		}
		wg.Wait()
	}
	burst()
	if n := st.Sandbox.TokensIssued(); n != 1 {
		t.Fatalf("64 concurrent calls fetched %d tokens, want 1", n)
	}
	mu.Lock()
	now = now.Add(7200 * time.Second)
	mu.Unlock()
	burst()
	if n := st.Sandbox.TokensIssued(); n != 2 {
		t.Fatalf("after one token lifetime: %d tokens in all, want 2", n)
	}
}

// TestOperatorResolvedOnce: an OperatorId given as a userId costs one
// profile lookup in the life of the server, not one per call.
func TestOperatorResolvedOnce(t *testing.T) {
	t.Parallel()
	st := startStack(t, StackOptions{Upstream: Memory}) // default OperatorId: the manager's userId
	const args = `{"WorkbookId":"` + sandbox.SeedWorkbookID + `"}`
	var lookups []int
	for range 3 {
		st.Sandbox.ResetLog()
		if out := callTool(t, st, "get_worksheets", args); out["StatusCode"] != float64(200) {
			t.Fatalf("get_worksheets: %v", out)
		}
		lookups = append(lookups, len(st.Sandbox.Calls("POST /topapi/v2/user/get")))
	}
	if diff := cmp.Diff([]int{1, 0, 0}, lookups); diff != "" {
		t.Errorf("userId → unionId lookups per call (-want +got):\n%s", diff)
	}
}

// TestEconomyTableIsSorted keeps the table readable: rows of one toolset
// together, in the order tools.All() lists the toolsets.
func TestEconomyTableIsSorted(t *testing.T) {
	t.Parallel()
	rank := map[tools.Toolset]int{}
	for i, ts := range tools.Toolsets {
		rank[ts] = i
	}
	set := map[string]tools.Toolset{}
	for _, d := range tools.All() {
		set[d.Spec().Name] = d.Spec().Toolset
	}
	ok := sort.SliceIsSorted(economy, func(i, j int) bool { return rank[set[economy[i].tool]] < rank[set[economy[j].tool]] })
	if !ok {
		t.Error("economy rows are not grouped by toolset in the order of tools.Toolsets")
	}
}
