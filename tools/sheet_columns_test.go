package tools_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// withoutColumns returns salesValues without the 0-based columns from..to.
func salesWithoutColumns(from, to int) [][]string {
	out := make([][]string, len(salesValues))
	for i, row := range salesValues {
		out[i] = append(append([]string{}, row[:from]...), row[to+1:]...)
	}
	return out
}

func TestDeleteColumns(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "delete_columns", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"ColumnCount":2}`, status: -1,
			text: "Confirm must be true", hint: `delete columns B:C (2 column(s)) with their data from sheet "Sales"`},
		{name: "two columns", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"ColumnCount":2,"Confirm":true}`, status: 200,
			calls: once(sheetGetAPI, deleteColumnsAPI), text: "Deleted columns B:C (2 column(s))",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["Success"] != true || out["DeletedColumnCount"] != 2.0 {
					t.Errorf("result %v", out)
				}
				if diff := cmp.Diff(map[string]any{"column": 1.0, "columnCount": 2.0}, sentBody(t, h, deleteColumnsAPI)); diff != "" {
					t.Errorf("body: 1-based Column 2 is DingTalk's 0-based column 1 (-want +got):\n%s", diff)
				}
				wantSheet(t, h, wb, "Sales", 1000, 24, []int{}, []int{}, salesWithoutColumns(1, 2))
			}},
		{name: "ColumnCount defaults to 1", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":5,"Confirm":true}`, status: 200,
			calls: once(sheetGetAPI, deleteColumnsAPI), text: "Deleted column E (1 column(s))",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["DeletedColumnCount"] != 1.0 {
					t.Errorf("result %v", out)
				}
				wantSheet(t, h, wb, "Sales", 1000, 25, []int{}, []int{}, salesWithoutColumns(4, 4))
			}},
		{name: "past the last column is refused, not cut short", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":25,"ColumnCount":3,"Confirm":true}`,
			status: -1, calls: once(sheetGetAPI),
			text: `sheet "Sales" of workbook`, hint: "within the sheet's 26 columns",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if want := "has 26 columns (A to Z), so 3 column(s) from column Y would reach past its last column; nothing was deleted"; !mentions(out["ErrorMessage"], want) {
					t.Errorf("ErrorMessage %q does not say %q", out["ErrorMessage"], want)
				}
				wantSheet(t, h, wb, "Sales", 1000, 26, []int{}, []int{}, salesValues)
			}},
		{name: "a column that does not exist", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":30,"Confirm":true}`,
			status: -1, calls: once(sheetGetAPI), text: "from column AD would reach past"},
		{name: "Column 0", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":0,"Confirm":true}`, status: -1, text: "Column must be at least 1"},
		{name: "past column XFD", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":16384,"ColumnCount":2,"Confirm":true}`, status: -1,
			text: "past the last possible column 16384"},
		{name: "Column as text", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":"B","Confirm":true}`, status: -1, text: "Column must be a whole number"},
		{name: "reading the sheet fails: nothing deleted, not uncertain", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: sheetGetAPI, Status: 500, Code: "internalError", Message: "The server encountered an internal error.", Times: 10})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"Confirm":true}`, status: 500, calls: map[string]int{sheetGetAPI: 4},
			hint: "call delete_columns again",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if mentions(out["ErrorMessage"], "may have been made") || out["Retryable"] != true {
					t.Errorf("a failed read changed nothing and may be retried: %v", out)
				}
			}},
		{name: "the delete fails uncertainly: not resent", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: deleteColumnsAPI, ResetAfterApply: true})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"Confirm":true}`, status: 500, calls: once(sheetGetAPI, deleteColumnsAPI),
			text: "may have been made", hint: "before calling delete_columns again"},
	})
}

func TestSetColumnsVisibility(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "set_columns_visibility", []sheetCase{
		{name: "hide without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":4,"ColumnCount":2,"Visibility":"hidden"}`, status: 200,
			calls: once(setColumnsVisAPI), text: "Hid columns D:E of sheet",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["Success"] != true || out["AffectedColumnCount"] != 2.0 || out["Visibility"] != "hidden" {
					t.Errorf("result %v", out)
				}
				if diff := cmp.Diff(map[string]any{"column": 3.0, "columnCount": 2.0, "visibility": "hidden"}, sentBody(t, h, setColumnsVisAPI)); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				wantSheet(t, h, wb, "Sales", 1000, 26, []int{}, []int{4, 5}, salesValues)
			}},
		{name: "show again", setup: func(h *harness, wb string) {
			h.callOK("set_columns_visibility", `{"WorkbookId":"`+wb+`","SheetId":"Sales","Column":1,"ColumnCount":3,"Visibility":"hidden"}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"Visibility":"visible"}`, status: 200, calls: once(setColumnsVisAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				wantSheet(t, h, wb, "Sales", 1000, 26, []int{}, []int{1, 3}, salesValues)
			}},
		{name: "Visibility missing", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2}`, status: -1, text: "Visibility is required"},
		{name: "Visibility unknown", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"Visibility":"invisible"}`, status: -1,
			text: "Visibility must be one of visible, hidden"},
		{name: "past the last column", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":26,"ColumnCount":2,"Visibility":"hidden"}`, status: 400,
			calls: once(setColumnsVisAPI), text: "invalidRequest.inputArgs.invalid", hint: "columnCount from get_worksheet"},
	})
}

func TestInsertColumnsBefore(t *testing.T) {
	t.Parallel()
	shifted := make([][]string, len(salesValues))
	for i, row := range salesValues {
		shifted[i] = append([]string{row[0], "", ""}, row[1:]...)
	}
	runSheetCases(t, "insert_columns_before", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"ColumnCount":2}`, status: -1,
			hint: `insert 2 empty column(s) before column B of sheet "Sales"`},
		{name: "two before B", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"ColumnCount":2,"Confirm":true}`, status: 200,
			calls: once(insertColumnsAPI), text: "they are columns B:C",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if diff := cmp.Diff(map[string]any{"column": 1.0, "columnCount": 2.0}, sentBody(t, h, insertColumnsAPI)); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				wantSheet(t, h, wb, "Sales", 1000, 28, []int{}, []int{}, shifted)
			}},
		{name: "past the end", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":40,"Confirm":true}`, status: 400, calls: once(insertColumnsAPI),
			hint: "new columns go before an existing column"},
		{name: "service busy: not resent", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: insertColumnsAPI, Status: 503, Code: "serviceBusy", Message: "busy", Times: 5})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Column":2,"Confirm":true}`, status: 500, calls: once(insertColumnsAPI),
			hint: "before calling insert_columns_before again"},
	})
}
