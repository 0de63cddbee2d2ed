package tools_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

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
			calls: once(setColumnsVisAPI), text: "Made columns D:E of sheet",
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

func TestDeleteRows(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "delete_rows", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"RowCount":2}`, status: -1,
			hint: `delete rows 2-3 (2 row(s)) with their data from sheet "Sales"`},
		{name: "two rows", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"RowCount":2,"Confirm":true}`, status: 200,
			calls: once(sheetGetAPI, deleteRowsAPI), text: "Deleted rows 2-3 (2 row(s))",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["Success"] != true || out["DeletedRowCount"] != 2.0 {
					t.Errorf("result %v", out)
				}
				if diff := cmp.Diff(map[string]any{"row": 1.0, "rowCount": 2.0}, sentBody(t, h, deleteRowsAPI)); diff != "" {
					t.Errorf("body: 1-based Row 2 is DingTalk's 0-based row 1 (-want +got):\n%s", diff)
				}
				wantSheet(t, h, wb, "Sales", 998, 26, []int{}, []int{}, [][]string{salesValues[0], salesValues[3], salesValues[4], salesValues[5]})
			}},
		{name: "RowCount defaults to 1", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":6,"Confirm":true}`, status: 200,
			calls: once(sheetGetAPI, deleteRowsAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				wantSheet(t, h, wb, "Sales", 999, 26, []int{}, []int{}, salesValues[:5])
			}},
		{name: "past the last row is refused, not cut short", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":999,"RowCount":5,"Confirm":true}`,
			status: -1, calls: once(sheetGetAPI), text: "has 1000 rows (1 to 1000), so 5 row(s) from row 999 would reach past its last row; nothing was deleted",
			hint: "Give Row and RowCount within the sheet's 1000 rows"},
		{name: "RowCount 0", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"RowCount":0,"Confirm":true}`, status: -1, text: "RowCount must be at least 1"},
		{name: "past the last possible row", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":1048576,"RowCount":2,"Confirm":true}`, status: -1,
			text: "past the last possible row"},
		{name: "hidden rows move with the rows", setup: func(h *harness, wb string) {
			h.callOK("set_rows_visibility", `{"WorkbookId":"`+wb+`","SheetId":"Sales","Row":5,"Visibility":"hidden"}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"Confirm":true}`, status: 200, calls: once(sheetGetAPI, deleteRowsAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				wantSheet(t, h, wb, "Sales", 999, 26, []int{4}, []int{}, append([][]string{salesValues[0]}, salesValues[2:]...))
			}},
	})
}

func TestSetRowsVisibility(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "set_rows_visibility", []sheetCase{
		{name: "hide two rows", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"RowCount":2,"Visibility":"hidden"}`, status: 200,
			calls: once(setRowsVisAPI), text: "Made rows 3-4 of sheet",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["Success"] != true || out["AffectedRowCount"] != 2.0 || out["Visibility"] != "hidden" {
					t.Errorf("result %v", out)
				}
				if diff := cmp.Diff(map[string]any{"row": 2.0, "rowCount": 2.0, "visibility": "hidden"}, sentBody(t, h, setRowsVisAPI)); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				wantSheet(t, h, wb, "Sales", 1000, 26, []int{3, 4}, []int{}, salesValues)
			}},
		{name: "show one again", setup: func(h *harness, wb string) {
			h.callOK("set_rows_visibility", `{"WorkbookId":"`+wb+`","SheetId":"Sales","Row":3,"RowCount":2,"Visibility":"hidden"}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":4,"Visibility":"visible"}`, status: 200, calls: once(setRowsVisAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				wantSheet(t, h, wb, "Sales", 1000, 26, []int{3}, []int{}, salesValues)
			}},
		{name: "repeating is harmless", setup: func(h *harness, wb string) {
			h.callOK("set_rows_visibility", `{"WorkbookId":"`+wb+`","SheetId":"Sales","Row":2,"Visibility":"hidden"}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"Visibility":"hidden"}`, status: 200, calls: once(setRowsVisAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				wantSheet(t, h, wb, "Sales", 1000, 26, []int{2}, []int{}, salesValues)
			}},
		{name: "past the last row", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":1000,"RowCount":2,"Visibility":"hidden"}`, status: 400,
			calls: once(setRowsVisAPI), hint: "rowCount from get_worksheet"},
		{name: "Confirm is not a parameter", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"Visibility":"hidden","Confirm":true}`, status: -1,
			text: `unknown parameter "Confirm"`},
		{name: "busy once, then retried", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: setRowsVisAPI, Status: 503, Code: "serviceBusy", Message: "busy"})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"Visibility":"hidden"}`, status: 200, calls: map[string]int{setRowsVisAPI: 2}},
	})
}

func TestInsertRowsBefore(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "insert_rows_before", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"RowCount":3}`, status: -1,
			hint: `insert 3 empty row(s) above row 2 of sheet "Sales" of workbook`},
		{name: "above the first data row", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"RowCount":2,"Confirm":true}`, status: 200,
			calls: once(insertRowsAPI), text: "they are rows 2-3",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if diff := cmp.Diff(map[string]any{"row": 1.0, "rowCount": 2.0}, sentBody(t, h, insertRowsAPI)); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				blank := []string{"", "", "", "", ""}
				wantSheet(t, h, wb, "Sales", 1002, 26, []int{}, []int{}, append([][]string{salesValues[0], blank, blank}, salesValues[1:]...))
			}},
		{name: "RowCount defaults to 1", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":1,"Confirm":true}`, status: 200, calls: once(insertRowsAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				wantSheet(t, h, wb, "Sales", 1001, 26, []int{}, []int{}, append([][]string{{"", "", "", "", ""}}, salesValues...))
			}},
		{name: "past the end", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":1500,"Confirm":true}`, status: 400, calls: once(insertRowsAPI),
			hint: "new rows go above an existing row"},
		{name: "reset after it was applied: not resent", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: insertRowsAPI, ResetAfterApply: true})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"Confirm":true}`, status: 500, calls: once(insertRowsAPI),
			text: "may have been made", hint: "before calling insert_rows_before again",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if snap, _ := h.sandbox.Sheet(wb, "Sales"); snap.RowCount != 1001 {
					t.Errorf("the row was inserted once: %d rows", snap.RowCount)
				}
			}},
	})
}

// mentions reports whether v is a string containing s.
func mentions(v any, s string) bool {
	text, _ := v.(string)
	return strings.Contains(text, s)
}
