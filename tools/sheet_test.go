package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// The sandbox routes of the workbook APIs.
const (
	sheetCreateAPI     = "POST /v1.0/doc/workbooks/{workbookId}/sheets"
	sheetListAPI       = "GET /v1.0/doc/workbooks/{workbookId}/sheets"
	sheetGetAPI        = "GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}"
	sheetDeleteAPI     = "DELETE /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}"
	deleteColumnsAPI   = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteColumns"
	setColumnsVisAPI   = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/setColumnsVisibility"
	insertColumnsAPI   = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertColumnsBefore"
	deleteRowsAPI      = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteRows"
	setRowsVisAPI      = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/setRowsVisibility"
	insertRowsAPI      = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertRowsBefore"
	rangeGetAPI        = "GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"
	rangePutAPI        = "PUT /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"
	rangeClearAPI      = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}/clear"
	rangeClearDataAPI  = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}/clearData"
	workbookWriteScope = "Document.Workbook.Write"
	workbookReadScope  = "Document.Workbook.Read"
)

// sheetAPIs are every workbook route, for asserting that nothing was sent.
var sheetAPIs = []string{sheetCreateAPI, sheetListAPI, sheetGetAPI, sheetDeleteAPI, deleteColumnsAPI, setColumnsVisAPI,
	insertColumnsAPI, deleteRowsAPI, setRowsVisAPI, insertRowsAPI, rangeGetAPI, rangePutAPI, rangeClearAPI, rangeClearDataAPI}

// salesValues is the Sales sheet of a demo workbook as the sandbox seeds it.
var salesValues = [][]string{
	{"Region", "Rep", "Product", "Units", "Revenue"},
	{"East", "张伟", "Laptop", "12", "96000"},
	{"East", "李娜", "Monitor", "30", "45000"},
	{"North", "刘洋", "Laptop", "8", "64000"},
	{"South", "陈静", "Keyboard", "120", "24000"},
	{"West", "Alice Wu", "Monitor", "18", "27000"},
}

// sheetCase is one call of a sheet tool on a fresh demo workbook. In args,
// {wb} stands for the workbook's id.
type sheetCase struct {
	name   string
	setup  func(h *harness, wb string)
	args   string
	status float64
	// calls are the workbook APIs the call must have reached, and how
	// often; every API not listed must not have been called.
	calls map[string]int
	text  string // a fragment of ErrorMessage or Summary
	hint  string // a fragment of Hint
	check func(t *testing.T, h *harness, wb string, out map[string]any)
}

func runSheetCases(t *testing.T, tool string, cases []sheetCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			wb := h.sandbox.NewDemoWorkbook("Demo")
			if tc.setup != nil {
				tc.setup(h, wb)
			}
			h.sandbox.ResetLog()
			out, _ := h.call(tool, strings.ReplaceAll(tc.args, "{wb}", wb))
			if out["StatusCode"] != tc.status {
				t.Fatalf("StatusCode = %v, want %v: %v", out["StatusCode"], tc.status, out)
			}
			for _, api := range sheetAPIs {
				if got := h.upstreamCalls(api); got != tc.calls[api] {
					t.Errorf("%s called %d times, want %d", api, got, tc.calls[api])
				}
			}
			if text := fmt.Sprint(out["ErrorMessage"], out["Summary"]); !strings.Contains(text, tc.text) {
				t.Errorf("result %q does not say %q", text, tc.text)
			}
			hint, _ := out["Hint"].(string)
			if !strings.Contains(hint, tc.hint) {
				t.Errorf("Hint %q does not say %q", hint, tc.hint)
			}
			if tc.status != 200 && hint == "" {
				t.Errorf("a failure without a Hint: %v", out)
			}
			if tc.status == 200 && (out["Summary"] == "" || out["ErrorMessage"] != "") {
				t.Errorf("a success needs a Summary and no ErrorMessage: %v", out)
			}
			if tc.check != nil {
				tc.check(t, h, wb, out)
			}
		})
	}
}

// sheetValues returns the values the sandbox holds for a sheet, from A1 to
// its last non-empty cell.
func sheetValues(t *testing.T, h *harness, wb, sheet string) [][]string {
	t.Helper()
	snap, ok := h.sandbox.Sheet(wb, sheet)
	if !ok {
		t.Fatalf("no sheet %s", sheet)
	}
	return snap.Values
}

// sentBody decodes the body of the only request sent to api.
func sentBody(t *testing.T, h *harness, api string) map[string]any {
	t.Helper()
	calls := h.sandbox.Calls(api)
	if len(calls) != 1 {
		t.Fatalf("%s called %d times", api, len(calls))
	}
	var body map[string]any
	if err := json.Unmarshal(calls[0].Body, &body); err != nil {
		t.Fatalf("%s body %q: %v", api, calls[0].Body, err)
	}
	return body
}

func once(apis ...string) map[string]int {
	m := map[string]int{}
	for _, a := range apis {
		m[a]++
	}
	return m
}

func TestCreateWorksheet(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "create_worksheet", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetName":"Q4"}`, status: -1,
			text: "Confirm must be true", hint: `add a worksheet named "Q4" to workbook`},
		{name: "created", args: `{"WorkbookId":"{wb}","SheetName":"Q4","Confirm":true}`, status: 200, calls: once(sheetCreateAPI),
			text: `Created worksheet "Q4"`,
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if diff := cmp.Diff([]string{"Sales", "Targets", "Q4"}, h.sandbox.SheetNames(wb)); diff != "" {
					t.Errorf("sheets (-want +got):\n%s", diff)
				}
				snap, _ := h.sandbox.Sheet(wb, "Q4")
				if out["SheetId"] != snap.ID || out["SheetName"] != "Q4" || out["Created"] != true {
					t.Errorf("result %v, sheet %+v", out, snap)
				}
				if q := h.sandbox.Calls(sheetCreateAPI)[0].Query.Get("operatorId"); !strings.HasSuffix(q, "iEiE") {
					t.Errorf("operatorId %q is not the operator's unionId", q)
				}
			}},
		{name: "a taken name is renamed", args: `{"WorkbookId":"{wb}","SheetName":"Sales","Confirm":true}`, status: 200, calls: once(sheetCreateAPI),
			text: `DingTalk named it "Sales (2)"`,
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["SheetName"] != "Sales (2)" {
					t.Errorf("SheetName = %v", out["SheetName"])
				}
			}},
		{name: "blank name", args: `{"WorkbookId":"{wb}","SheetName":"  ","Confirm":true}`, status: -1, text: "SheetName must not be blank"},
		{name: "name too long", args: `{"WorkbookId":"{wb}","SheetName":"` + strings.Repeat("x", 101) + `","Confirm":true}`, status: -1, text: "at most 100"},
		{name: "missing workbook", args: `{"SheetName":"Q4","Confirm":true}`, status: -1, text: "WorkbookId is required"},
		{name: "unknown workbook", args: `{"WorkbookId":"NoSuchWorkbook","SheetName":"Q4","Confirm":true}`, status: 404, calls: once(sheetCreateAPI),
			text: "invalidRequest.resource.notFound", hint: "get_node_list"},
		{name: "service busy: may have been created, not resent", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: sheetCreateAPI, Status: 503, Code: "serviceBusy", Message: "The server is busy.", Times: 5})
		}, args: `{"WorkbookId":"{wb}","SheetName":"Q4","Confirm":true}`, status: 500, calls: once(sheetCreateAPI),
			text: "may have been made", hint: "get_worksheets",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if out["Retryable"] != false {
					t.Errorf("a create that may have happened is not Retryable: %v", out)
				}
			}},
	})
}

func TestDeleteWorksheet(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "delete_worksheet", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Targets"}`, status: -1,
			hint: `delete sheet "Targets" of workbook`},
		{name: "by name", args: `{"WorkbookId":"{wb}","SheetId":"Targets","Confirm":true}`, status: 200, calls: once(sheetDeleteAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["Deleted"] != true || !cmp.Equal(h.sandbox.SheetNames(wb), []string{"Sales"}) {
					t.Errorf("result %v, sheets %v", out, h.sandbox.SheetNames(wb))
				}
			}},
		{name: "by id", args: `{"WorkbookId":"{wb}","SheetId":"` + sandbox.SeedSalesSheetID + `","Confirm":true}`, status: 200, calls: once(sheetDeleteAPI),
			check: func(t *testing.T, h *harness, wb string, _ map[string]any) {
				if !cmp.Equal(h.sandbox.SheetNames(wb), []string{"Targets"}) {
					t.Errorf("sheets %v", h.sandbox.SheetNames(wb))
				}
			}},
		{name: "unknown sheet", args: `{"WorkbookId":"{wb}","SheetId":"Nope","Confirm":true}`, status: 404, calls: once(sheetDeleteAPI),
			hint: "get_worksheets"},
		{name: "the last sheet", setup: func(h *harness, wb string) {
			h.callOK("delete_worksheet", `{"WorkbookId":"`+wb+`","SheetId":"Targets","Confirm":true}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Confirm":true}`, status: 403, calls: once(sheetDeleteAPI),
			text: "forbidden.operationIllegal", hint: "keeps at least one sheet"},
		{name: "busy once, then retried", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: sheetDeleteAPI, Status: 503, Code: "serviceBusy", Message: "The server is busy."})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Targets","Confirm":true}`, status: 200, calls: map[string]int{sheetDeleteAPI: 2}},
		{name: "blank SheetId", args: `{"WorkbookId":"{wb}","SheetId":" ","Confirm":true}`, status: -1, text: "SheetId must not be blank"},
		{name: "a dot segment would address the sheet list", args: `{"WorkbookId":"{wb}","SheetId":".","Confirm":true}`, status: -1,
			text: `SheetId "." is not an id or a name DingTalk can address`},
	})
}

func TestGetWorksheet(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "get_worksheet", []sheetCase{
		{name: "by name", args: `{"WorkbookId":"{wb}","SheetId":"Sales"}`, status: 200, calls: once(sheetGetAPI),
			text: "its data lies within A1:E6 (last non-empty row 6, column E), so append_rows would start at row 7",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				want := map[string]any{"id": sandbox.SeedSalesSheetID, "name": "Sales", "visibility": "visible", "rowCount": 1000.0,
					"columnCount": 26.0, "lastNonEmptyRow": 5.0, "lastNonEmptyColumn": 4.0}
				if diff := cmp.Diff(want, out["SheetData"]); diff != "" {
					t.Errorf("SheetData (-want +got):\n%s", diff)
				}
			}},
		{name: "by id", args: `{"WorkbookId":"{wb}","SheetId":"` + sandbox.SeedTargetsSheetID + `"}`, status: 200, calls: once(sheetGetAPI),
			text: "A1:C5"},
		{name: "empty sheet", setup: func(h *harness, wb string) {
			h.callOK("create_worksheet", `{"WorkbookId":"`+wb+`","SheetName":"Blank","Confirm":true}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Blank"}`, status: 200, calls: once(sheetGetAPI),
			text: "holds no data, so append_rows would start at row 1",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if dig(out, "SheetData", "lastNonEmptyRow") != -1.0 {
					t.Errorf("an empty sheet's lastNonEmptyRow is -1: %v", out["SheetData"])
				}
			}},
		{name: "sheet name with a space and a slash", setup: func(h *harness, wb string) {
			h.callOK("create_worksheet", `{"WorkbookId":"`+wb+`","SheetName":"Q1 / Q2","Confirm":true}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Q1 / Q2"}`, status: 200, calls: once(sheetGetAPI), text: `"Q1 / Q2"`},
		{name: "unknown sheet", args: `{"WorkbookId":"{wb}","SheetId":"Nope"}`, status: 404, calls: once(sheetGetAPI), hint: "SheetId"},
		{name: "unknown parameter", args: `{"WorkbookId":"{wb}","SheetName":"Sales"}`, status: -1, text: `unknown parameter "SheetName"`},
	})
}

func TestGetWorksheets(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "get_worksheets", []sheetCase{
		{name: "demo workbook", args: `{"WorkbookId":"{wb}"}`, status: 200, calls: once(sheetListAPI),
			text: `2 worksheet(s): "Sales" (` + sandbox.SeedSalesSheetID + `), "Targets"`,
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				want := []any{
					map[string]any{"id": sandbox.SeedSalesSheetID, "name": "Sales"},
					map[string]any{"id": sandbox.SeedTargetsSheetID, "name": "Targets"},
				}
				if diff := cmp.Diff(want, out["SheetList"]); diff != "" || out["SheetCount"] != 2.0 {
					t.Errorf("SheetCount %v, SheetList (-want +got):\n%s", out["SheetCount"], diff)
				}
			}},
		{name: "the seeded knowledge-base workbook", args: `{"WorkbookId":"` + sandbox.SeedWorkbookID + `"}`, status: 200, calls: once(sheetListAPI),
			text: `"Sales"`},
		{name: "a document is not a workbook", args: `{"WorkbookId":"` + sandbox.SeedDocNodeID + `"}`, status: 400, calls: once(sheetListAPI),
			text: "invalidRequest.resource.notWorkbook", hint: "not a spreadsheet"},
		{name: "blank WorkbookId", args: `{"WorkbookId":"   "}`, status: -1, text: "WorkbookId must not be blank"},
		{name: "WorkbookId ..", args: `{"WorkbookId":".."}`, status: -1, text: `WorkbookId ".." is not an id`},
	})
}

// TestSheetDocumentedErrors meets each error of the workbook APIs' table
// with a read, a guarded write and an unguarded write.
func TestSheetDocumentedErrors(t *testing.T) {
	t.Parallel()
	calls := []struct{ tool, args, api string }{
		{"get_range_data", `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:B2"}`, rangeGetAPI},
		{"clear_range_data", `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:B2","Confirm":true}`, rangeClearDataAPI},
		{"set_rows_visibility", `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"Visibility":"hidden"}`, setRowsVisAPI},
	}
	errs := []struct {
		name   string
		setup  func(h *harness, wb, api string)
		wb     string // replaces the workbook id when set
		status float64
		code   string
		hint   string
	}{
		{name: "not found", wb: "NoSuchWorkbook", status: 404, code: "invalidRequest.resource.notFound", hint: "get_node_list"},
		{name: "not a workbook", wb: sandbox.SeedDocNodeID, status: 400, code: "invalidRequest.resource.notWorkbook", hint: "extension axls"},
		{name: "malformed workbook id", wb: "not a node id", status: 400, code: "invalidRequest.inputArgs.workbookIdIllegal", hint: "WorkbookId is malformed"},
		{name: "operator without access", setup: func(h *harness, wb, _ string) {
			h.sandbox.SetWorkbookRole(wb, sandbox.SeedManagerID, sandbox.RoleNone)
		}, status: 403, code: "forbidden.accessDenied", hint: "OperatorId"},
		{name: "app without the permission scope", setup: func(h *harness, _, api string) {
			h.sandbox.Deny(map[bool]string{true: workbookReadScope, false: workbookWriteScope}[api == rangeGetAPI])
		}, status: 403, code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", hint: "developer console"},
		{name: "still initializing", setup: func(h *harness, _, api string) {
			h.sandbox.Inject(sandbox.Fault{API: api, Status: 400, Code: "invalidRequest.document.stillInitializing",
				Message: "The document is still initializing. Please try again later.", Times: 10})
		}, status: 500, code: "invalidRequest.document.stillInitializing", hint: "few seconds"},
		{name: "size over limit", setup: func(h *harness, _, api string) {
			h.sandbox.Inject(sandbox.Fault{API: api, Status: 403, Code: "forbidden.document.sizeOverLimit", Message: "The document size is over limit."})
		}, status: 403, code: "forbidden.document.sizeOverLimit", hint: "size limit"},
	}
	for _, c := range calls {
		for _, e := range errs {
			t.Run(c.tool+"/"+e.name, func(t *testing.T) {
				t.Parallel()
				h := newHarness(t)
				wb := h.sandbox.NewDemoWorkbook("Demo")
				if e.setup != nil {
					e.setup(h, wb, c.api)
				}
				target := wb
				if e.wb != "" {
					target = e.wb
				}
				out, _ := h.call(c.tool, strings.ReplaceAll(c.args, "{wb}", target))
				if out["StatusCode"] != e.status || out["ErrorCode"] != e.code || !strings.Contains(out["Hint"].(string), e.hint) {
					t.Errorf("got %v %v %q; want %v %v, a Hint with %q", out["StatusCode"], out["ErrorCode"], out["Hint"], e.status, e.code, e.hint)
				}
				if h.upstreamCalls(c.api) == 0 {
					t.Errorf("%s was not called", c.api)
				}
				if got := sheetValues(t, h, wb, "Sales"); !cmp.Equal(got, salesValues) {
					t.Errorf("a refused call changed the sheet: %v", got)
				}
			})
		}
	}
}

// TestSheetWritesAskTheUser confirms guarded sheet writes through
// elicitation: the question says exactly what will happen, and only a yes
// sends the write.
func TestSheetWritesAskTheUser(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tool, args, api, question string
	}{
		{"delete_rows", `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"RowCount":2}`, deleteRowsAPI,
			`delete rows 2-3 (2 row(s)) with their data from sheet "Sales"`},
		{"append_rows", `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"a:b","Values":[["x","y"]]}`, rangePutAPI,
			`append 1 row(s) of 2 value(s) to columns A:B of sheet "Sales"`},
		{"update_range_data", `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"B2","Values":[["王芳"]]}`, rangePutAPI,
			`overwrite B2 of sheet "Sales"`},
	} {
		for _, answer := range []mcp.ElicitationResponseAction{mcp.ElicitationResponseActionAccept, mcp.ElicitationResponseActionDecline} {
			t.Run(tc.tool+"/"+string(answer), func(t *testing.T) {
				t.Parallel()
				var asked string
				h := newHarness(t, withElicitation(elicitFunc(func(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
					asked = req.Params.Message
					return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: answer, Content: map[string]any{"confirm": true}}}, nil
				})))
				wb := h.sandbox.NewDemoWorkbook("Demo")
				out, _ := h.call(tc.tool, strings.ReplaceAll(tc.args, "{wb}", wb))
				if !strings.Contains(asked, tc.question) {
					t.Errorf("question %q does not say %q", asked, tc.question)
				}
				accepted := answer == mcp.ElicitationResponseActionAccept
				if got := h.upstreamCalls(tc.api); (got == 1) != accepted {
					t.Errorf("%s called %d times after %s: %v", tc.api, got, answer, out)
				}
				if (accepted && out["StatusCode"] != 200.0) || (!accepted && out["StatusCode"] != -1.0) {
					t.Errorf("after %s: %v", answer, out)
				}
				if changed := !cmp.Equal(sheetValues(t, h, wb, "Sales"), salesValues); changed != accepted {
					t.Errorf("sheet changed = %v after %s", changed, answer)
				}
			})
		}
	}
}

// wantSheet checks the sandbox's values, row count, column count and
// hidden rows and columns of a sheet.
func wantSheet(t *testing.T, h *harness, wb, sheet string, rows, cols int, hiddenRows, hiddenCols []int, values [][]string) {
	t.Helper()
	snap, ok := h.sandbox.Sheet(wb, sheet)
	if !ok {
		t.Fatalf("no sheet %s", sheet)
	}
	want := sandbox.SheetSnapshot{ID: snap.ID, Name: snap.Name, RowCount: rows, ColumnCount: cols, HiddenRows: hiddenRows, HiddenColumns: hiddenCols, Values: values}
	if diff := cmp.Diff(want, snap); diff != "" {
		t.Errorf("sheet %s (-want +got):\n%s", sheet, diff)
	}
}

// rowsOf builds a grid of values from rows written "a|b|c".
func rowsOf(rows ...string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Split(r, "|")
	}
	return out
}

// padded returns v widened to cols columns and lengthened to rows rows
// with empty cells.
func padded(v [][]string, rows, cols int) [][]string {
	out := make([][]string, rows)
	for i := range out {
		out[i] = make([]string, cols)
		if i < len(v) {
			copy(out[i], v[i])
		}
	}
	return out
}

// mentions reports whether v is a string containing s.
func mentions(v any, s string) bool {
	text, _ := v.(string)
	return strings.Contains(text, s)
}

func jsonString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
