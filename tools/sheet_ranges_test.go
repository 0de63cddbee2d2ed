package tools_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

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
