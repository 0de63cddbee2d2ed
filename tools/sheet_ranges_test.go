package tools_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

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
		{name: "Values as the seed's JSON string, lower-case range", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"a1:e1","Values":` +
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

func jsonString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
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

func TestGetRangeData(t *testing.T) {
	t.Parallel()
	values := func(v [][]string) []any {
		out := []any{}
		for _, row := range v {
			r := []any{}
			for _, c := range row {
				r = append(r, c)
			}
			out = append(out, r)
		}
		return out
	}
	runSheetCases(t, "get_range_data", []sheetCase{
		{name: "a block", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:C2"}`, status: 200, calls: once(rangeGetAPI),
			text: "Read A1:C2 of sheet \"Sales\" of workbook",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				want := map[string]any{
					"values":        values(rowsOf("Region|Rep|Product", "East|张伟|Laptop")),
					"displayValues": values(rowsOf("Region|Rep|Product", "East|张伟|Laptop")),
					"formulas":      values(rowsOf("||", "||")),
				}
				if diff := cmp.Diff(want, out["RangeData"]); diff != "" {
					t.Errorf("RangeData (-want +got):\n%s", diff)
				}
				if got := h.sandbox.Calls(rangeGetAPI)[0].Query.Get("select"); got != "displayValues,formulas,values" {
					t.Errorf("select=%q", got)
				}
			}},
		{name: "reversed corners, lower case", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"e6:d5","Select":["values"]}`, status: 200,
			calls: once(rangeGetAPI), text: "Read D5:E6",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if diff := cmp.Diff(map[string]any{"values": values(rowsOf("120|24000", "18|27000"))}, out["RangeData"]); diff != "" {
					t.Errorf("RangeData (-want +got):\n%s", diff)
				}
				if p := h.sandbox.Calls(rangeGetAPI)[0].Path; !strings.HasSuffix(p, "/ranges/D5:E6") {
					t.Errorf("sent %s", p)
				}
			}},
		{name: "whole columns stop at the data", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"B:C","Select":"values"}`, status: 200,
			calls: once(rangeGetAPI), text: "the 994 empty rows after them are left out",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				want := values(rowsOf("Rep|Product", "张伟|Laptop", "李娜|Monitor", "刘洋|Laptop", "陈静|Keyboard", "Alice Wu|Monitor"))
				if diff := cmp.Diff(want, dig(out, "RangeData", "values")); diff != "" {
					t.Errorf("values (-want +got):\n%s", diff)
				}
			}},
		{name: "whole rows stop at the data", args: `{"WorkbookId":"{wb}","SheetId":"Targets","RangeAddress":"1:2","Select":["values","fontWeights"]}`, status: 200,
			calls: once(rangeGetAPI), text: "Only columns A-C hold data in these rows",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				want := map[string]any{
					"values":      values(rowsOf("Region|Q1 Target|Q2 Target", "East|150000|180000")),
					"fontWeights": values(rowsOf("bold|bold|bold", "normal|normal|normal")),
				}
				if diff := cmp.Diff(want, out["RangeData"]); diff != "" {
					t.Errorf("RangeData (-want +got):\n%s", diff)
				}
			}},
		{name: "formatting on request", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1","Select":["backgroundColors"]}`, status: 200,
			calls: once(rangeGetAPI),
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if got := dig(out, "RangeData", "backgroundColors", 0, 0, "hexString"); got != "#DDEBF7" {
					t.Errorf("header colour %v", got)
				}
			}},
		{name: "an empty sheet", setup: func(h *harness, wb string) {
			h.callOK("create_worksheet", `{"WorkbookId":"`+wb+`","SheetName":"Blank","Confirm":true}`)
		}, args: `{"WorkbookId":"{wb}","SheetId":"Blank","RangeAddress":"A:C","Select":["values"]}`, status: 200, calls: once(rangeGetAPI),
			text: "0 row(s) × 0 column(s), 0 non-empty cell(s). These columns hold no data.",
			check: func(t *testing.T, _ *harness, _ string, out map[string]any) {
				if diff := cmp.Diff([]any{}, dig(out, "RangeData", "values")); diff != "" {
					t.Errorf("values (-want +got):\n%s", diff)
				}
			}},
		{name: "past the sheet", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:AA2"}`, status: 404, calls: once(rangeGetAPI),
			hint: "get_worksheet gives rowCount and columnCount"},
		{name: "too many cells at once", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:Z1000"}`, status: -1,
			text: "RangeAddress A1:Z1000 covers 26000 cells; read at most 20000 at a time, e.g. A1:Z769 first"},
		{name: "not A1 notation", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"R1C1"}`, status: -1,
			text: "RangeAddress: invalid range \"R1C1\""},
		{name: "a field DingTalk does not have", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1","Select":["colour"]}`, status: -1,
			text: "Select[0] must be one of values, formulas"},
	})
}

func TestUpdateRangeData(t *testing.T) {
	t.Parallel()
	runSheetCases(t, "update_range_data", []sheetCase{
		{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"B2:C3","Values":[["a","b"],["c","d"]]}`, status: -1,
			hint: `overwrite B2:C3 of sheet "Sales" of workbook`},
		{name: "a block", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"b2:c3","Values":[["王芳","Phone"],["赵磊",""]],"Confirm":true}`, status: 200,
			calls: once(rangePutAPI), text: "Wrote 2 row(s) × 2 column(s) to B2:C3",
			check: func(t *testing.T, h *harness, wb string, out map[string]any) {
				if dig(out, "UpdateResult", "a1Notation") != "B2:C3" {
					t.Errorf("result %v", out)
				}
				want := append([][]string{}, salesValues...)
				want[1] = []string{"East", "王芳", "Phone", "12", "96000"}
				want[2] = []string{"East", "赵磊", "", "30", "45000"}
				if diff := cmp.Diff(want, sheetValues(t, h, wb, "Sales")); diff != "" {
					t.Errorf("sheet (-want +got):\n%s", diff)
				}
			}},
		{name: "formatting is kept", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1","Values":"[[\"Area\"]]","Confirm":true}`, status: 200,
			calls: once(rangePutAPI),
			check: func(t *testing.T, h *harness, wb string, _ map[string]any) {
				out := h.callOK("get_range_data", `{"WorkbookId":"`+wb+`","SheetId":"Sales","RangeAddress":"A1","Select":["values","fontWeights"]}`)
				if dig(out, "RangeData", "values", 0, 0) != "Area" || dig(out, "RangeData", "fontWeights", 0, 0) != "bold" {
					t.Errorf("A1 %v", out["RangeData"])
				}
			}},
		{name: "busy once, then retried", setup: func(h *harness, _ string) {
			h.sandbox.Inject(sandbox.Fault{API: rangePutAPI, Status: 503, Code: "serviceBusy", Message: "busy"})
		}, args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A2","Values":[["West"]],"Confirm":true}`, status: 200,
			calls: map[string]int{rangePutAPI: 2}},
		{name: "too wide", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:B2","Values":[["a","b","c"],["d","e","f"]],"Confirm":true}`, status: -1,
			text: "Values row 1 has 3 cells but RangeAddress A1:B2 is 2 column(s) wide: every row must have exactly 2 (for these Values use A1:C2)"},
		{name: "too many rows", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:B1","Values":[["a","b"],["c","d"]],"Confirm":true}`, status: -1,
			text: "Values has 2 row(s) but RangeAddress A1:B1 has 1: give one row of Values per row of the range (for these Values use A1:B2)"},
		{name: "ragged", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:B3","Values":[["a","b"],["c","d"],["e"]],"Confirm":true}`, status: -1,
			text: "Values row 3 has 1 cells but row 1 has 2"},
		{name: "an empty row", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1","Values":[[]],"Confirm":true}`, status: -1,
			text: "Values row 1 is empty"},
		{name: "whole columns", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A:B","Values":[["a","b"]],"Confirm":true}`, status: -1,
			text: "RangeAddress A:B names whole columns; give the exact block to write, e.g. A1:B1"},
		{name: "missing Values", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1","Confirm":true}`, status: -1, text: "Values is required"},
		{name: "past the sheet", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1000:A1001","Values":[["a"],["b"]],"Confirm":true}`, status: 404,
			calls: once(rangePutAPI), text: "out of the sheet"},
	})
}

func TestClearRange(t *testing.T) {
	t.Parallel()
	header := func(t *testing.T, h *harness, wb string) (values, weights any) {
		out := h.callOK("get_range_data", `{"WorkbookId":"`+wb+`","SheetId":"Sales","RangeAddress":"A1:B1","Select":["values","fontWeights"]}`)
		return dig(out, "RangeData", "values", 0), dig(out, "RangeData", "fontWeights", 0)
	}
	for _, tc := range []struct {
		tool, api   string
		wantWeights []any
		summary     string
		preview     string
	}{
		{"clear_range_content", rangeClearAPI, []any{"normal", "normal"}, "Cleared the values and formatting of A1:B1", "clear the values and the formatting of A1:B1"},
		{"clear_range_data", rangeClearDataAPI, []any{"bold", "bold"}, "its formatting is kept", "clear the values of A1:B1 of sheet \"Sales\" of workbook"},
	} {
		t.Run(tc.tool, func(t *testing.T) {
			t.Parallel()
			runSheetCases(t, tc.tool, []sheetCase{
				{name: "preview without Confirm", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"a1:b1"}`, status: -1, hint: tc.preview},
				{name: "the header", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"b1:a1","Confirm":true}`, status: 200,
					calls: once(tc.api), text: tc.summary,
					check: func(t *testing.T, h *harness, wb string, out map[string]any) {
						if dig(out, "ClearResult", "a1Notation") != "A1:B1" {
							t.Errorf("result %v", out)
						}
						values, weights := header(t, h, wb)
						if diff := cmp.Diff([]any{"", ""}, values); diff != "" {
							t.Errorf("values (-want +got):\n%s", diff)
						}
						if diff := cmp.Diff(tc.wantWeights, weights); diff != "" {
							t.Errorf("formatting (-want +got):\n%s", diff)
						}
					}},
				{name: "whole columns", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"D:E","Confirm":true}`, status: 200, calls: once(tc.api),
					check: func(t *testing.T, h *harness, wb string, out map[string]any) {
						want := make([][]string, len(salesValues))
						for i, row := range salesValues {
							want[i] = append(append([]string{}, row[:3]...), "", "")
						}
						snap, _ := h.sandbox.Sheet(wb, "Sales")
						if diff := cmp.Diff(padded(want, 6, 3), snap.Values); diff != "" {
							t.Errorf("sheet (-want +got):\n%s", diff)
						}
					}},
				{name: "unknown sheet", args: `{"WorkbookId":"{wb}","SheetId":"Nope","RangeAddress":"A1","Confirm":true}`, status: 404, calls: once(tc.api),
					hint: "get_worksheets"},
				{name: "not A1 notation", args: `{"WorkbookId":"{wb}","SheetId":"Sales","RangeAddress":"A1:B2:C3","Confirm":true}`, status: -1,
					text: "a range has at most one colon"},
			})
		})
	}
}
