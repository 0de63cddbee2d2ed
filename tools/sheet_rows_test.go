package tools_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

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
			calls: once(setRowsVisAPI), text: "Hid rows 3-4 of sheet",
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

func TestAppendRows(t *testing.T) {
	t.Parallel()
	twoRows := `[["North","周杰","Tablet","5","15000"],["South","吴敏","Laptop","2","16000"]]`
	appended := append(append([][]string{}, salesValues...), rowsOf("North|周杰|Tablet|5|15000", "South|吴敏|Laptop|2|16000")...)
	runSheetCases(t, "append_rows", []sheetCase{
		{name: "preview without Confirm reads nothing", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:E","Values":` + twoRows + `}`, status: -1,
			text: "Confirm must be true", hint: `append 2 row(s) of 5 value(s) to columns A:E of sheet "Sales"`},
		{name: "below the data", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:E","Values":` + twoRows + `,"Confirm":true}`, status: 200,
			calls: once(rangeGetAPI, rangePutAPI), text: `Appended 2 row(s) to sheet "Sales" of workbook`,
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				want := map[string]any{"a1Notation": "A7:E8", "appendedRange": "A7:E8", "appendedRows": 2.0}
				if diff := cmp.Diff(want, out["AppendResult"]); diff != "" {
					t.Errorf("AppendResult (-want +got):\n%s", diff)
				}
				if !mentions(out["Summary"], "at A7:E8 (below row 6, the last non-empty row of columns A:E)") {
					t.Errorf("Summary %q", out["Summary"])
				}
				if diff := cmp.Diff(appended, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
				if got := h.sandbox.Calls(rangeGetAPI)[0]; !strings.HasSuffix(got.Path, "/ranges/A:E") || got.Query.Get("select") != "values" {
					t.Errorf("read %s?%s, want the columns' values", got.Path, got.Query.Encode())
				}
			}},
		{name: "Values as a JSON string, lower-case range", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"a1:e1","Values":` +
			jsonString(twoRows) + `,"Confirm":true}`, status: 200, calls: once(rangeGetAPI, rangePutAPI),
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if dig(out, "AppendResult", "appendedRange") != "A7:E8" {
					t.Errorf("AppendResult %v", out["AppendResult"])
				}
				if diff := cmp.Diff(appended, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "an empty sheet starts at row 1", setup: func(h *harness, wb string) {
			h.callOK("create_worksheet", `{"WorkbookId":"`+wb+`","SheetName":"Log","Confirm":true}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Log","RangeAddress":"A:B","Values":[["when","what"],["09:00","start"]],"Confirm":true}`, status: 200,
			calls: once(rangeGetAPI, rangePutAPI), text: "at A1:B2 (the columns were empty)",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if diff := cmp.Diff(rowsOf("when|what", "09:00|start"), sheetValues(t, h, wb, "Log")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "only the given columns count", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"G:H","Values":[["note","ok"]],"Confirm":true}`,
			status: 200, calls: once(rangeGetAPI, rangePutAPI), text: "at G1:H1",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				want := padded(salesValues, 6, 8)
				want[0][6], want[0][7] = "note", "ok"
				if diff := cmp.Diff(want, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "a shorter table below a longer one", setup: func(h *harness, wb string) {
			h.sandbox.SetCells(wb, "Sales", "G1:G2", [][]string{{"Notes"}, {"check Q3"}})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"G:G","Values":[["call back"]],"Confirm":true}`,
			status: 200, calls: once(rangeGetAPI, rangePutAPI), text: "at G3 (below row 2, the last non-empty row of columns G:G)"},
		{name: "the range's first row is the floor", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"G3:H3","Values":[["x","y"]],"Confirm":true}`,
			status: 200, calls: once(rangeGetAPI, rangePutAPI), text: "at G3:H3"},
		{name: "ragged Values name the row", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:C","Values":[["a","b","c"],["d","e"]],"Confirm":true}`,
			status: -1, text: "Values row 2 has 2 cells but the range is 3 columns wide"},
		{name: "Values narrower than the range", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:E","Values":[["a","b"]],"Confirm":true}`,
			status: -1, text: "Values row 1 has 2 cells but the range is 5 columns wide"},
		{name: "empty Values", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:B","Values":[],"Confirm":true}`,
			status: -1, text: "Values must have at least one row"},
		{name: "Values not a matrix", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:B","Values":"a,b","Confirm":true}`,
			status: -1, text: "Values: must be a 2D array of strings"},
		{name: "whole rows", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"3:5","Values":[["a"]],"Confirm":true}`,
			status: -1, text: "RangeAddress 3:5 names rows; give the columns to append to, e.g. A:C"},
		{name: "not A1 notation", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"Sales!A:B","Values":[["a","b"]],"Confirm":true}`,
			status: -1, text: "a sheet name is not part of the range"},
		{name: "the write fails uncertainly: not resent", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: rangePutAPI, Status: 500, Code: "internalError", Message: "internal error", Times: 5})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:E","Values":` + twoRows + `,"Confirm":true}`, status: 500,
			calls: once(rangeGetAPI, rangePutAPI), text: "may have been made",
			hint: "The rows may have been written at A7:E8: call get_range_data with RangeAddress A7:E8 to check before appending again",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if out["Retryable"] != false {
					t.Errorf("an append that may have happened is not Retryable: %v", out)
				}
			}},
		{name: "reset after the write landed: not resent", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: rangePutAPI, ResetAfterApply: true})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:E","Values":` + twoRows + `,"Confirm":true}`, status: 500,
			calls: once(rangeGetAPI, rangePutAPI), hint: "before appending again",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if diff := cmp.Diff(appended, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("the rows were written exactly once (-want +got):\n%s", diff)
				}
			}},
		{name: "the read fails: nothing written, not uncertain", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: rangeGetAPI, Status: 503, Code: "serviceBusy", Message: "busy", Times: 10})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:E","Values":` + twoRows + `,"Confirm":true}`, status: 500,
			calls: map[string]int{rangeGetAPI: 4}, hint: "call append_rows again in a few seconds",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if mentions(out["ErrorMessage"], "may have been made") || out["Retryable"] != true {
					t.Errorf("nothing was written, so the append may be retried: %v", out)
				}
			}},
		{name: "no room below the data", setup: func(h *harness, wb string) {
			h.sandbox.SetCells(wb, "Sales", "A1000", [][]string{{"end"}})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:A","Values":[["x"]],"Confirm":true}`, status: 404,
			calls: once(rangeGetAPI, rangePutAPI), hint: "The sheet seems to end above row 1001, where the rows would go",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if !mentions(out["Hint"], "insert_rows_before") || out["Retryable"] != false {
					t.Errorf("result %v", out)
				}
			}},
		{name: "columns past the sheet", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"Z:AA","Values":[["x","y"]],"Confirm":true}`,
			status: 404, calls: once(rangeGetAPI), hint: "columnCount"},
	})
}

func TestInsertRowsBeforeWithData(t *testing.T) {
	t.Parallel()
	twoRows := `[["East","周杰","Tablet"],["West","吴敏","Phone"]]`
	inserted := append([][]string{salesValues[0], salesValues[1]},
		append([][]string{{"East", "周杰", "Tablet", "", ""}, {"West", "吴敏", "Phone", "", ""}}, salesValues[2:]...)...)
	blank := []string{"", "", "", "", ""}
	withBlank := append([][]string{salesValues[0], salesValues[1], blank, blank}, salesValues[2:]...)
	runSheetCases(t, "insert_rows_before_with_data", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":` + twoRows + `}`, status: -1,
			hint: `insert 2 row(s) above row 3 of sheet "Sales" of workbook`},
		{name: "two rows above row 3", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":` + twoRows + `,"Confirm":true}`, status: 200,
			calls: once(sheetGetAPI, insertRowsAPI, rangePutAPI), text: "wrote the values into A3:C4",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["InsertedRows"] != 2.0 || dig(out, "UpdateResult", "a1Notation") != "A3:C4" {
					t.Errorf("result %v", out)
				}
				if diff := cmp.Diff(map[string]any{"row": 2.0, "rowCount": 2.0}, sentBody(t, h, insertRowsAPI)); diff != "" {
					t.Errorf("insert body (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(inserted, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "StartColumn in lower case, Values as a JSON string", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":7,"StartColumn":"c","Values":` +
			jsonString(`[["Pen","3"]]`) + `,"Confirm":true}`, status: 200, calls: once(sheetGetAPI, insertRowsAPI, rangePutAPI), text: "into C7:D7",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				want := append(append([][]string{}, salesValues...), []string{"", "", "Pen", "3", ""})
				if diff := cmp.Diff(want, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "StartColumn AA and beyond", setup: func(h *harness, wb string) {
			h.callOK("insert_columns_before", `{"WorkbookId":"`+wb+`","SheetId":"Sales","Column":26,"ColumnCount":4,"Confirm":true}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"StartColumn":"AB","Values":[["x","y"]],"Confirm":true}`, status: 200,
			calls: once(sheetGetAPI, insertRowsAPI, rangePutAPI), text: "into AB2:AC2",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				got := sheetValues(t, h, wb, "Sales")
				if got[1][27] != "x" || got[1][28] != "y" || got[2][0] != "East" {
					t.Errorf("row 2: %q; row 3 starts %q", got[1], got[2][0])
				}
			}},
		{name: "values wider than the sheet: nothing inserted", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":2,"StartColumn":"Z","Values":[["x","y"]],"Confirm":true}`,
			status: -1, calls: once(sheetGetAPI), text: "values from column Z reaching column AA do not fit; nothing was inserted", hint: "insert_columns_before"},
		{name: "Row past the end: nothing inserted", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":1002,"Values":[["x"]],"Confirm":true}`,
			status: -1, calls: once(sheetGetAPI), text: "Row 1002 is past its end", hint: "append_rows"},
		{name: "the write fails after the insert: blank rows named", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: rangePutAPI, Status: 403, Code: "forbidden.operationIllegal", Message: "The range is locked."})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":` + twoRows + `,"Confirm":true}`, status: 403,
			calls: once(sheetGetAPI, insertRowsAPI, rangePutAPI),
			text:  "Inserted 2 row(s) above the old row 3 (now rows 3-4) but writing the values into A3:C4 failed",
			hint:  `Rows 3-4 of sheet "Sales" of workbook`,
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				for _, want := range []string{"are blank", "update_range_data (RangeAddress A3:C4, the same Values)", "delete_rows (Row 3, RowCount 2)", "Do not call insert_rows_before_with_data again"} {
					if !mentions(out["Hint"], want) {
						t.Errorf("Hint %q does not say %q", out["Hint"], want)
					}
				}
				if out["InsertedRows"] != 2.0 || !cmp.Equal(out["UpdateResult"], map[string]any{}) || out["Retryable"] != false {
					t.Errorf("result %v", out)
				}
				if diff := cmp.Diff(withBlank, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "the write is throttled after the insert: still not Retryable", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: rangePutAPI, Status: 403, Code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", Message: "throttled", Times: 5})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":` + twoRows + `,"Confirm":true}`, status: 429,
			calls: once(sheetGetAPI, insertRowsAPI, rangePutAPI), hint: "are blank",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if out["Retryable"] != false || out["InsertedRows"] != 2.0 {
					t.Errorf("calling again would insert the rows again: %v", out)
				}
			}},
		{name: "the write may have landed", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: rangePutAPI, ResetAfterApply: true})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":` + twoRows + `,"Confirm":true}`, status: 500,
			calls: once(sheetGetAPI, insertRowsAPI, rangePutAPI), hint: "may or may not hold the values (check with get_range_data, RangeAddress A3:C4)",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if out["InsertedRows"] != 2.0 {
					t.Errorf("result %v", out)
				}
				if diff := cmp.Diff(inserted, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "the insert fails uncertainly: nothing written", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: insertRowsAPI, Status: 503, Code: "serviceBusy", Message: "busy"})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":` + twoRows + `,"Confirm":true}`, status: 500,
			calls: once(sheetGetAPI, insertRowsAPI), hint: "Blank rows 3-4 may have been inserted: compare get_worksheet's rowCount with 1000",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if out["InsertedRows"] != 0.0 || out["Retryable"] != false {
					t.Errorf("result %v", out)
				}
			}},
		{name: "the insert is refused", setup: func(h *harness, wb string) {
			h.sandbox.SetWorkbookRole(wb, sandbox.SeedManagerID, sandbox.RoleReader)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":` + twoRows + `,"Confirm":true}`, status: 403,
			calls: once(sheetGetAPI, insertRowsAPI), text: "forbidden.accessDenied", hint: "OperatorId",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if out["InsertedRows"] != 0.0 || mentions(out["ErrorMessage"], "Inserted") {
					t.Errorf("result %v", out)
				}
			}},
		{name: "ragged Values name the row", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"Values":[["a","b"],["c"]],"Confirm":true}`,
			status: -1, text: "Values row 2 has 1 cells but row 1 has 2"},
		{name: "StartColumn with a digit", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"StartColumn":"A1","Values":[["a"]],"Confirm":true}`,
			status: -1, text: "StartColumn has an invalid format"},
		{name: "StartColumn past XFD", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":3,"StartColumn":"XFE","Values":[["a"]],"Confirm":true}`,
			status: -1, text: "beyond the last column, XFD"},
		{name: "Row 0", args: `{"WorkbookId":"{wb}","SheetId":"Sales","Row":0,"Values":[["a"]],"Confirm":true}`, status: -1, text: "Row must be at least 1"},
	})
}
