package tools_test

import (
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// examples holds, for every tool, a valid call against the seeded sandbox,
// as an agent would send it. Guarded tools carry Confirm. Tests that must
// cover every tool (faults, hostile input, upstream economy) start here.
var examples = map[string]string{
	"get_user":           `{"UserId":"zhangwei"}`,
	"search_users":       `{"QueryWord":"Wei","Size":5}`,
	"send_work_notice":   `{"UserIds":["zhangwei","lina"],"MsgType":"text","Content":"Meeting moved to 3pm","Confirm":true}`,
	"get_message_status": `{"TaskId":256271667526}`,
	"recall_message":     `{"MsgTaskId":256271667526,"Confirm":true}`,

	// Directory and group chat.
	"create_user":           `{"Name":"Zoe Tan","Mobile":"13912345678","DeptIdList":"3","Title":"SRE","Confirm":true}`,
	"get_user_count":        `{}`,
	"get_userid_by_unionid": `{"UnionId":"izwhetgHutEXG1qxSL2NCJmiEiE"}`,
	"get_dept_users":        `{"DeptId":3,"Size":20}`,
	"get_dept_detail":       `{"DeptId":3}`,
	"get_dept_list":         `{"DeptId":1}`,
	"search_departments":    `{"QueryWord":"Sales"}`,
	"create_chat":           `{"Name":"Launch team","Owner":"zhangwei","UserIds":["lina","liuyang"],"Confirm":true}`,
	"get_chat_info":         `{"ChatId":"chat5d1f0b9a7c3e48e2a6b4f1d0c9e8a7b6"}`,

	// Group messages, in the seeded all-staff group, whose first message
	// the sandbox keys sandbox.GroupMessageKey(1).
	"send_chat_message":       `{"ChatId":"cidSbXq7Lk2vN9pR4tW8yZ1aGg==","MsgType":"markdown","Content":"## 演示改到下午 3 点\n地点不变","Confirm":true}`,
	"get_chat_message_status": `{"ChatId":"cidSbXq7Lk2vN9pR4tW8yZ1aGg==","ProcessQueryKey":"` + sandbox.GroupMessageKey(1) + `"}`,
	"recall_chat_message":     `{"ChatId":"chat5d1f0b9a7c3e48e2a6b4f1d0c9e8a7b6","ProcessQueryKeys":["` + sandbox.GroupMessageKey(1) + `"],"Confirm":true}`,

	// Knowledge base.
	"create_workspace":     `{"Name":"市场活动","Description":"活动策划与复盘","Confirm":true}`,
	"get_workspace":        `{"WorkspaceId":"MJ0pDSKMV9dO20E4"}`,
	"get_workspaces":       `{"MaxResults":10}`,
	"batch_get_workspaces": `{"WorkspaceIds":"MJ0pDSKMV9dO20E4,By8jQS1ZYjGn5b0M"}`,
	"create_doc":           `{"WorkspaceId":"MJ0pDSKMV9dO20E4","Name":"Q3 计划","DocType":"WORKBOOK","Confirm":true}`,
	"get_node_list":        `{"WorkspaceId":"MJ0pDSKMV9dO20E4","MaxResults":20}`,
	"get_workspace_node":   `{"NodeId":"EpGBa2Lm8aZxe5myC1gN7R35yQbA6pMz"}`,
	"batch_get_nodes":      `{"NodeIds":["EpGBa2Lm8aZxe5myC1gN7R35yQbA6pMz","r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo"]}`,
	"get_node_by_link":     `{"NodeUrl":"https://alidocs.dingtalk.com/i/nodes/r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo?utm_scene=team_space"}`,

	// Document content: the seeded document (sandbox.SeedDocNodeID).
	"get_doc_content":       `{"NodeId":"EpGBa2Lm8aZxe5myC1gN7R35yQbA6pMz","MaxChars":2000}`,
	"append_doc_content":    `{"DocUrl":"https://alidocs.dingtalk.com/i/nodes/EpGBa2Lm8aZxe5myC1gN7R35yQbA6pMz","Markdown":"## 更新记录\n\n- 新增机器人消息","Confirm":true}`,
	"overwrite_doc_content": `{"NodeId":"EpGBa2Lm8aZxe5myC1gN7R35yQbA6pMz","Markdown":"# 产品介绍\n\n新版介绍。","Confirm":true}`,

	// Smart spreadsheets: the seeded workbook (sandbox.SeedWorkbookID).
	"create_worksheet":             `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetName":"Q3 预测","Confirm":true}`,
	"delete_worksheet":             `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Targets","Confirm":true}`,
	"get_worksheet":                `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales"}`,
	"get_worksheets":               `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo"}`,
	"delete_columns":               `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","Column":4,"ColumnCount":1,"Confirm":true}`,
	"set_columns_visibility":       `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","Column":2,"ColumnCount":2,"Visibility":"hidden"}`,
	"insert_columns_before":        `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","Column":2,"ColumnCount":1,"Confirm":true}`,
	"delete_rows":                  `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","Row":6,"RowCount":1,"Confirm":true}`,
	"set_rows_visibility":          `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","Row":2,"RowCount":2,"Visibility":"hidden"}`,
	"insert_rows_before":           `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","Row":2,"RowCount":1,"Confirm":true}`,
	"append_rows":                  `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","RangeAddress":"A:E","Values":[["West","赵磊","Laptop","4","32000"]],"Confirm":true}`,
	"insert_rows_before_with_data": `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","Row":2,"Values":[["East","王芳","Tablet","6","18000"]],"Confirm":true}`,
	"get_range_data":               `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","RangeAddress":"A1:E6"}`,
	"update_range_data":            `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","RangeAddress":"D2:E2","Values":[["14","112000"]],"Confirm":true}`,
	"clear_range_content":          `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","RangeAddress":"A6:E6","Confirm":true}`,
	"clear_range_data":             `{"WorkbookId":"r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo","SheetId":"Sales","RangeAddress":"E2:E6","Confirm":true}`,
}

// prepare runs what a tool's example needs first (e.g. a notice to read
// the status of).
var prepare = map[string][]string{
	"get_message_status": {"send_work_notice"},
	"recall_message":     {"send_work_notice"},

	"get_chat_message_status": {"send_chat_message"},
	"recall_chat_message":     {"send_chat_message"},
}

// runExample calls tool with its example after its preparations.
func runExample(h *harness, tool string) (map[string]any, bool) {
	h.t.Helper()
	for _, p := range prepare[tool] {
		h.callOK(p, examples[p])
	}
	return h.call(tool, examples[tool])
}

func TestEveryToolHasAWorkingExample(t *testing.T) {
	t.Parallel()
	for _, d := range tools.All() {
		name := d.Spec().Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, ok := examples[name]; !ok {
				t.Fatalf("no example call for %s in examples_test.go", name)
			}
			h := newHarness(t)
			if out, isErr := runExample(h, name); isErr {
				t.Fatalf("example failed: %v", out)
			}
		})
	}
}
