package tools_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gridModel is what a worksheet should hold after a sequence of tool
// calls, kept by the test itself: values by 1-based row and column, the
// hidden rows and the sheet's size.
type gridModel struct {
	cells      map[[2]int]string
	hiddenRows []int
	rows, cols int
}

func (m *gridModel) write(row, col int, values [][]string) {
	for i, r := range values {
		for j, v := range r {
			m.cells[[2]int{row + i, col + j}] = v
		}
	}
}

func (m *gridModel) insertRows(before, n int) {
	moved := map[[2]int]string{}
	for p, v := range m.cells {
		if p[0] >= before {
			p[0] += n
		}
		moved[p] = v
	}
	m.cells, m.rows = moved, m.rows+n
	for i, r := range m.hiddenRows {
		if r >= before {
			m.hiddenRows[i] = r + n
		}
	}
}

func (m *gridModel) deleteColumn(col int) {
	moved := map[[2]int]string{}
	for p, v := range m.cells {
		switch {
		case p[1] == col:
			continue
		case p[1] > col:
			p[1]--
		}
		moved[p] = v
	}
	m.cells, m.cols = moved, m.cols-1
}

// block returns the values from A1 to the last non-empty row and column.
func (m *gridModel) block() [][]string {
	rows, cols := 0, 0
	for p, v := range m.cells {
		if v != "" {
			rows, cols = max(rows, p[0]), max(cols, p[1])
		}
	}
	out := make([][]string, rows)
	for i := range out {
		out[i] = make([]string, cols)
		for j := range out[i] {
			out[i][j] = m.cells[[2]int{i + 1, j + 1}]
		}
	}
	return out
}

// TestSheetScenario drives a worksheet the way an agent keeping an order
// log would, then compares the sheet cell by cell with the model.
func TestSheetScenario(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	wb := h.sandbox.NewDemoWorkbook("Orders workbook")
	m := &gridModel{cells: map[[2]int]string{}, rows: 1000, cols: 26}
	call := func(tool, format string, args ...any) map[string]any {
		t.Helper()
		return h.callOK(tool, fmt.Sprintf(format, args...))
	}

	created := call("create_worksheet", `{"WorkbookId":%q,"SheetName":"Orders","Confirm":true}`, wb)
	sheet := created["SheetId"].(string)

	// The header and two orders go to an empty sheet: rows 1-3.
	out := call("append_rows", `{"WorkbookId":%q,"SheetId":%q,"RangeAddress":"A:C","Values":[["Item","Qty","Price"],["Pen","2","1.50"],["Ink","5","3.20"]],"Confirm":true}`, wb, sheet)
	if got := dig(out, "AppendResult", "appendedRange"); got != "A1:C3" {
		t.Fatalf("first append at %v", got)
	}
	m.write(1, 1, [][]string{{"Item", "Qty", "Price"}, {"Pen", "2", "1.50"}, {"Ink", "5", "3.20"}})

	// A third order, by sheet name this time, lands below: row 4.
	out = call("append_rows", `{"WorkbookId":%q,"SheetId":"Orders","RangeAddress":"a1:c1","Values":"[[\"Pad\",\"1\",\"4.00\"]]","Confirm":true}`, wb)
	if got := dig(out, "AppendResult", "appendedRange"); got != "A4:C4" {
		t.Fatalf("second append at %v", got)
	}
	m.write(4, 1, [][]string{{"Pad", "1", "4.00"}})

	// An order placed earlier goes in above Pen, as row 2.
	out = call("insert_rows_before_with_data", `{"WorkbookId":%q,"SheetId":%q,"Row":2,"Values":[["Cap","3","0.80"]],"Confirm":true}`, wb, sheet)
	if out["InsertedRows"] != 1.0 || dig(out, "UpdateResult", "a1Notation") != "A2:C2" {
		t.Fatalf("insert: %v", out)
	}
	m.insertRows(2, 1)
	m.write(2, 1, [][]string{{"Cap", "3", "0.80"}})

	// Pen's row, now row 3, is hidden; the Qty column is deleted.
	call("set_rows_visibility", `{"WorkbookId":%q,"SheetId":%q,"Row":3,"Visibility":"hidden"}`, wb, sheet)
	m.hiddenRows = append(m.hiddenRows, 3)
	out = call("delete_columns", `{"WorkbookId":%q,"SheetId":%q,"Column":2,"Confirm":true}`, wb, sheet)
	if out["DeletedColumnCount"] != 1.0 {
		t.Fatalf("delete: %v", out)
	}
	m.deleteColumn(2)

	// A total under the two remaining columns lands after Pad: row 6.
	out = call("append_rows", `{"WorkbookId":%q,"SheetId":%q,"RangeAddress":"A:B","Values":[["Total","9.50"]],"Confirm":true}`, wb, sheet)
	if got := dig(out, "AppendResult", "appendedRange"); got != "A6:B6" {
		t.Fatalf("third append at %v", got)
	}
	m.write(6, 1, [][]string{{"Total", "9.50"}})

	want := m.block()
	if diff := cmp.Diff([][]string{
		{"Item", "Price"}, {"Cap", "0.80"}, {"Pen", "1.50"}, {"Ink", "3.20"}, {"Pad", "4.00"}, {"Total", "9.50"},
	}, want); diff != "" {
		t.Fatalf("the model itself is wrong (-want +got):\n%s", diff)
	}

	// Read back through the tools, cell by cell.
	read := call("get_range_data", `{"WorkbookId":%q,"SheetId":%q,"RangeAddress":"A1:C7","Select":["values"]}`, wb, sheet)
	got := dig(read, "RangeData", "values").([]any)
	for r := 1; r <= 7; r++ {
		for c := 1; c <= 3; c++ {
			cell := dig(got, r-1, c-1)
			if cell != m.cells[[2]int{r, c}] {
				t.Errorf("get_range_data %s%d = %q, want %q", string(rune('A'+c-1)), r, cell, m.cells[[2]int{r, c}])
			}
		}
	}
	sheetInfo := call("get_worksheet", `{"WorkbookId":%q,"SheetId":"Orders"}`, wb)
	if dig(sheetInfo, "SheetData", "lastNonEmptyRow") != 5.0 || dig(sheetInfo, "SheetData", "lastNonEmptyColumn") != 1.0 ||
		dig(sheetInfo, "SheetData", "rowCount") != float64(m.rows) || dig(sheetInfo, "SheetData", "columnCount") != float64(m.cols) {
		t.Errorf("get_worksheet: %v", sheetInfo["SheetData"])
	}

	// And in the sandbox itself, hidden rows included.
	snap, _ := h.sandbox.Sheet(wb, sheet)
	if diff := cmp.Diff(want, snap.Values); diff != "" {
		t.Errorf("sheet values (-want +got):\n%s", diff)
	}
	slices.Sort(m.hiddenRows)
	if diff := cmp.Diff(m.hiddenRows, snap.HiddenRows); diff != "" || snap.RowCount != m.rows || snap.ColumnCount != m.cols {
		t.Errorf("hidden rows (-want +got):\n%s; size %d×%d, want %d×%d", diff, snap.RowCount, snap.ColumnCount, m.rows, m.cols)
	}
	// The demo sheets were not touched.
	if got := sheetValues(t, h, wb, "Sales"); !cmp.Equal(got, salesValues) {
		t.Errorf("Sales changed: %v", got)
	}
}
