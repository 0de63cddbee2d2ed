package sandbox

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseA1(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want a1Range
		str  string
	}{
		{"A1", a1Range{0, 0, 0, 0}, "A1"},
		{"a1", a1Range{0, 0, 0, 0}, "A1"},
		{"B2:C3", a1Range{1, 2, 1, 2}, "B2:C3"},
		{"b2:C3", a1Range{1, 2, 1, 2}, "B2:C3"},
		{"A1:A1", a1Range{0, 0, 0, 0}, "A1"},
		{"A:A", a1Range{-1, -1, 0, 0}, "A:A"},
		{"a:c", a1Range{-1, -1, 0, 2}, "A:C"},
		{"1:1", a1Range{0, 0, -1, -1}, "1:1"},
		{"3:5", a1Range{2, 4, -1, -1}, "3:5"},
		{"A1:ZZ99999", a1Range{0, 99998, 0, 701}, "A1:ZZ99999"},
		{"AA10:AB12", a1Range{9, 11, 26, 27}, "AA10:AB12"},
		{"XFD1048576", a1Range{maxGridRows - 1, maxGridRows - 1, maxGridColumns - 1, maxGridColumns - 1}, "XFD1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseA1(tt.in)
			if err != nil {
				t.Fatalf("parseA1(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(a1Range{})); diff != "" {
				t.Errorf("parseA1(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("parseA1(%q).String() = %q, want %q", tt.in, s, tt.str)
			}
		})
	}
}

func TestParseA1Errors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", " A1", "A1 ", "A", "3", "A0", "A01", "A1:C", "A:C3", "3:C", ":", "A1:", ":B2",
		"A1:B2:C3", "C3:A1", "A3:C1", "C1:A3", "C:A", "5:3", "XFE1", "AAAA1", "A1048577",
		"A99999999999999999999", "Sheet1!A1", "$A$1", "1A", "A1-B2", "ſ1", "ı1", "Ａ1",
		"A1:XFE1", "A1:A1048577", "A:XFE", "XFE:A", "1:1048577", "0:1",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			got, err := parseA1(in)
			if !errors.Is(err, errA1Invalid) {
				t.Fatalf("parseA1(%q) = %+v, %v; want an error wrapping errA1Invalid", in, got, err)
			}
			if !strings.Contains(err.Error(), "invalid range address") {
				t.Errorf("parseA1(%q) error %q", in, err)
			}
		})
	}
}

func TestA1ColumnName(t *testing.T) {
	t.Parallel()
	for col, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := a1ColumnName(col); got != want {
			t.Errorf("a1ColumnName(%d) = %q, want %q", col, got, want)
		}
		if got, err := a1ColumnIndex(want); err != nil || got != col {
			t.Errorf("a1ColumnIndex(%q) = %d, %v; want %d", want, got, err, col)
		}
	}
}

func TestA1RangeRect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want rect
	}{
		{"B2:C4", rect{row: 1, col: 1, rows: 3, cols: 2}},
		{"A1", rect{row: 0, col: 0, rows: 1, cols: 1}},
		{"B:C", rect{row: 0, col: 1, rows: 1000, cols: 2}},
		{"3:5", rect{row: 2, col: 0, rows: 3, cols: 26}},
	}
	for _, tt := range tests {
		r, err := parseA1(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, r.rect(1000, 26), cmp.AllowUnexported(rect{})); diff != "" {
			t.Errorf("%s: rect mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// gridState is what a test observes of a grid.
type gridState struct {
	Rows, Cols             int
	Values                 [][]string // the top-left block given to observeGrid
	HiddenRows, HiddenCols []int
	LastRow, LastCol       int
}

func observeGrid(g *grid, block rect) gridState {
	return gridState{
		Rows: g.rowCount(), Cols: g.columnCount(),
		Values:     g.values(block),
		HiddenRows: g.hiddenRowList(), HiddenCols: g.hiddenColumnList(),
		LastRow: g.lastNonEmptyRow(), LastCol: g.lastNonEmptyColumn(),
	}
}

// seededGrid returns a 6×4 grid holding r<row>c<col> in its top-left 4×3
// block, with row 1 and column 1 hidden.
func seededGrid(t *testing.T) *grid {
	t.Helper()
	g := newGrid(6, 4)
	if err := g.setValues(rect{0, 0, 4, 3}, [][]string{
		{"r0c0", "r0c1", "r0c2"},
		{"r1c0", "r1c1", "r1c2"},
		{"r2c0", "r2c1", "r2c2"},
		{"r3c0", "r3c1", "r3c2"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := g.setRowsHidden(1, 1, true); err != nil {
		t.Fatal(err)
	}
	if err := g.setColumnsHidden(1, 1, true); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGridShifts(t *testing.T) {
	t.Parallel()
	all := rect{0, 0, 6, 4}
	tests := []struct {
		name string
		op   func(*grid) error
		view rect
		want gridState
	}{
		{
			name: "seed",
			op:   func(*grid) error { return nil },
			view: all,
			want: gridState{
				Rows: 6, Cols: 4,
				Values: [][]string{
					{"r0c0", "r0c1", "r0c2", ""},
					{"r1c0", "r1c1", "r1c2", ""},
					{"r2c0", "r2c1", "r2c2", ""},
					{"r3c0", "r3c1", "r3c2", ""},
					{"", "", "", ""},
					{"", "", "", ""},
				},
				HiddenRows: []int{1}, HiddenCols: []int{1}, LastRow: 3, LastCol: 2,
			},
		},
		{
			name: "insert 2 rows before row 1 moves the hidden row",
			op:   func(g *grid) error { return g.insertRowsBefore(1, 2) },
			view: rect{0, 0, 8, 3},
			want: gridState{
				Rows: 8, Cols: 4,
				Values: [][]string{
					{"r0c0", "r0c1", "r0c2"},
					{"", "", ""},
					{"", "", ""},
					{"r1c0", "r1c1", "r1c2"},
					{"r2c0", "r2c1", "r2c2"},
					{"r3c0", "r3c1", "r3c2"},
					{"", "", ""},
					{"", "", ""},
				},
				HiddenRows: []int{3}, HiddenCols: []int{1}, LastRow: 5, LastCol: 2,
			},
		},
		{
			name: "insert rows before row 0",
			op:   func(g *grid) error { return g.insertRowsBefore(0, 1) },
			view: rect{0, 0, 2, 1},
			want: gridState{
				Rows: 7, Cols: 4, Values: [][]string{{""}, {"r0c0"}},
				HiddenRows: []int{2}, HiddenCols: []int{1}, LastRow: 4, LastCol: 2,
			},
		},
		{
			name: "insert rows after the last row",
			op:   func(g *grid) error { return g.insertRowsBefore(6, 3) },
			view: rect{0, 0, 1, 1},
			want: gridState{
				Rows: 9, Cols: 4, Values: [][]string{{"r0c0"}},
				HiddenRows: []int{1}, HiddenCols: []int{1}, LastRow: 3, LastCol: 2,
			},
		},
		{
			name: "delete the hidden row",
			op:   func(g *grid) error { return g.deleteRows(1, 1) },
			view: rect{0, 0, 5, 3},
			want: gridState{
				Rows: 5, Cols: 4,
				Values: [][]string{
					{"r0c0", "r0c1", "r0c2"},
					{"r2c0", "r2c1", "r2c2"},
					{"r3c0", "r3c1", "r3c2"},
					{"", "", ""},
					{"", "", ""},
				},
				HiddenRows: []int{}, HiddenCols: []int{1}, LastRow: 2, LastCol: 2,
			},
		},
		{
			name: "delete row 0 moves the hidden row up",
			op:   func(g *grid) error { return g.deleteRows(0, 1) },
			view: rect{0, 0, 1, 1},
			want: gridState{
				Rows: 5, Cols: 4, Values: [][]string{{"r1c0"}},
				HiddenRows: []int{0}, HiddenCols: []int{1}, LastRow: 2, LastCol: 2,
			},
		},
		{
			name: "delete the last data rows",
			op:   func(g *grid) error { return g.deleteRows(2, 4) },
			view: rect{0, 0, 2, 3},
			want: gridState{
				Rows: 2, Cols: 4,
				Values:     [][]string{{"r0c0", "r0c1", "r0c2"}, {"r1c0", "r1c1", "r1c2"}},
				HiddenRows: []int{1}, HiddenCols: []int{1}, LastRow: 1, LastCol: 2,
			},
		},
		{
			name: "delete every data row",
			op:   func(g *grid) error { return g.deleteRows(0, 4) },
			view: rect{0, 0, 2, 4},
			want: gridState{
				Rows: 2, Cols: 4, Values: [][]string{{"", "", "", ""}, {"", "", "", ""}},
				HiddenRows: []int{}, HiddenCols: []int{1}, LastRow: -1, LastCol: -1,
			},
		},
		{
			name: "insert a column before column 1 moves the hidden column",
			op:   func(g *grid) error { return g.insertColumnsBefore(1, 1) },
			view: rect{0, 0, 2, 5},
			want: gridState{
				Rows: 6, Cols: 5,
				Values:     [][]string{{"r0c0", "", "r0c1", "r0c2", ""}, {"r1c0", "", "r1c1", "r1c2", ""}},
				HiddenRows: []int{1}, HiddenCols: []int{2}, LastRow: 3, LastCol: 3,
			},
		},
		{
			name: "delete columns 0 and 1",
			op:   func(g *grid) error { return g.deleteColumns(0, 2) },
			view: rect{0, 0, 4, 2},
			want: gridState{
				Rows: 6, Cols: 2,
				Values:     [][]string{{"r0c2", ""}, {"r1c2", ""}, {"r2c2", ""}, {"r3c2", ""}},
				HiddenRows: []int{1}, HiddenCols: []int{}, LastRow: 3, LastCol: 0,
			},
		},
		{
			name: "delete the last data column",
			op:   func(g *grid) error { return g.deleteColumns(2, 1) },
			view: rect{0, 0, 1, 3},
			want: gridState{
				Rows: 6, Cols: 3, Values: [][]string{{"r0c0", "r0c1", ""}},
				HiddenRows: []int{1}, HiddenCols: []int{1}, LastRow: 3, LastCol: 1,
			},
		},
		{
			name: "show the hidden row, hide rows 3 to 5",
			op: func(g *grid) error {
				return errors.Join(g.setRowsHidden(1, 1, false), g.setRowsHidden(3, 3, true))
			},
			view: rect{0, 0, 0, 0},
			want: gridState{
				Rows: 6, Cols: 4, Values: [][]string{},
				HiddenRows: []int{3, 4, 5}, HiddenCols: []int{1}, LastRow: 3, LastCol: 2,
			},
		},
		{
			name: "hiding keeps values",
			op:   func(g *grid) error { return g.setColumnsHidden(0, 4, true) },
			view: rect{3, 2, 1, 1},
			want: gridState{
				Rows: 6, Cols: 4, Values: [][]string{{"r3c2"}},
				HiddenRows: []int{1}, HiddenCols: []int{0, 1, 2, 3}, LastRow: 3, LastCol: 2,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := seededGrid(t)
			if err := tt.op(g); err != nil {
				t.Fatalf("operation failed: %v", err)
			}
			if diff := cmp.Diff(tt.want, observeGrid(g, tt.view)); diff != "" {
				t.Errorf("state mismatch (-want +got):\n%s", diff)
			}
			// Whatever moved, nothing is stored outside the sheet.
			for p := range g.cells {
				if !g.contains(rect{p.row, p.col, 1, 1}) {
					t.Errorf("cell %v is stored outside the %d×%d sheet", p, g.rows, g.cols)
				}
			}
		})
	}
}

func TestGridStoresOnlyWhatIsThere(t *testing.T) {
	t.Parallel()
	g := newGrid(defaultGridRows, defaultGridColumns)
	if len(g.cells) != 0 {
		t.Fatalf("a new grid stores %d cells", len(g.cells))
	}
	if err := g.setValues(rect{0, 0, 2, 2}, [][]string{{"a", ""}, {"", "d"}}); err != nil {
		t.Fatal(err)
	}
	if got := len(g.cells); got != 2 {
		t.Errorf("after writing 2 values, %d cells are stored", got)
	}
	if err := g.setValues(rect{0, 0, 1, 1}, [][]string{{""}}); err != nil {
		t.Fatal(err)
	}
	g.clearData(rect{1, 1, 1, 1})
	if len(g.cells) != 0 {
		t.Errorf("emptied cells are still stored: %v", g.cells)
	}
	if err := g.setFormat(rect{0, 0, 1, 1}, cellFormat{FontSize: 14}); err != nil {
		t.Fatal(err)
	}
	if err := g.setFormat(rect{0, 0, 1, 1}, cellFormat{}); err != nil {
		t.Fatal(err)
	}
	if len(g.cells) != 0 {
		t.Errorf("a cell reset to no format is still stored: %v", g.cells)
	}
}

func TestGridFormatsMoveWithCells(t *testing.T) {
	t.Parallel()
	red := cellFormat{BackgroundColor: "#ff0000"}
	g := newGrid(5, 5)
	if err := g.setFormat(rect{2, 2, 1, 1}, red); err != nil {
		t.Fatal(err)
	}
	if err := g.insertRowsBefore(0, 1); err != nil {
		t.Fatal(err)
	}
	if err := g.insertColumnsBefore(1, 2); err != nil {
		t.Fatal(err)
	}
	want := [][]cellFormat{{{}, {}}, {{}, red}}
	if diff := cmp.Diff(want, g.formats(rect{2, 3, 2, 2})); diff != "" {
		t.Errorf("formats after inserts (-want +got):\n%s", diff)
	}
	if err := g.deleteRows(3, 1); err != nil {
		t.Fatal(err)
	}
	if len(g.cells) != 0 {
		t.Errorf("deleting the formatted row left cells %v", g.cells)
	}
	// A format alone is not data.
	if got := g.lastNonEmptyRow(); got != -1 {
		t.Errorf("lastNonEmptyRow = %d, want -1", got)
	}
}

func TestGridClear(t *testing.T) {
	t.Parallel()
	bold := cellFormat{FontWeight: "bold", NumberFormat: "@"}
	type state struct {
		Values           [][]string
		Formats          [][]cellFormat
		LastRow, LastCol int
		Stored           int
	}
	tests := []struct {
		name string
		op   func(*grid)
		want state
	}{
		{
			name: "clear removes values and formats",
			op:   func(g *grid) { g.clear(rect{1, 1, 2, 2}) },
			want: state{
				Values:  [][]string{{"a", "b", "c"}, {"d", "", ""}, {"g", "", ""}},
				Formats: [][]cellFormat{{bold, bold, bold}, {bold, {}, {}}, {bold, {}, {}}},
				LastRow: 2, LastCol: 2, Stored: 5,
			},
		},
		{
			name: "clearData keeps formats",
			op:   func(g *grid) { g.clearData(rect{1, 1, 2, 2}) },
			want: state{
				Values:  [][]string{{"a", "b", "c"}, {"d", "", ""}, {"g", "", ""}},
				Formats: [][]cellFormat{{bold, bold, bold}, {bold, bold, bold}, {bold, bold, bold}},
				LastRow: 2, LastCol: 2, Stored: 9,
			},
		},
		{
			name: "clearData of the last rows moves lastNonEmptyRow up",
			op:   func(g *grid) { g.clearData(rect{1, 0, 2, 3}) },
			want: state{
				Values:  [][]string{{"a", "b", "c"}, {"", "", ""}, {"", "", ""}},
				Formats: [][]cellFormat{{bold, bold, bold}, {bold, bold, bold}, {bold, bold, bold}},
				LastRow: 0, LastCol: 2, Stored: 9,
			},
		},
		{
			name: "clear of the last column moves lastNonEmptyColumn left",
			op:   func(g *grid) { g.clear(rect{0, 2, 1000, 1}) },
			want: state{
				Values:  [][]string{{"a", "b", ""}, {"d", "e", ""}, {"g", "h", ""}},
				Formats: [][]cellFormat{{bold, bold, {}}, {bold, bold, {}}, {bold, bold, {}}},
				LastRow: 2, LastCol: 1, Stored: 6,
			},
		},
		{
			name: "clear past the sheet clears the whole sheet",
			op:   func(g *grid) { g.clear(rect{0, 0, 99999, 702}) },
			want: state{
				Values:  [][]string{{"", "", ""}, {"", "", ""}, {"", "", ""}},
				Formats: [][]cellFormat{{{}, {}, {}}, {{}, {}, {}}, {{}, {}, {}}},
				LastRow: -1, LastCol: -1, Stored: 0,
			},
		},
		{
			name: "writing empty strings keeps formats",
			op: func(g *grid) {
				if err := g.setValues(rect{2, 0, 1, 3}, [][]string{{"", "", ""}}); err != nil {
					panic(err)
				}
			},
			want: state{
				Values:  [][]string{{"a", "b", "c"}, {"d", "e", "f"}, {"", "", ""}},
				Formats: [][]cellFormat{{bold, bold, bold}, {bold, bold, bold}, {bold, bold, bold}},
				LastRow: 1, LastCol: 2, Stored: 9,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGrid(1000, 26)
			block := rect{0, 0, 3, 3}
			if err := errors.Join(
				g.setValues(block, [][]string{{"a", "b", "c"}, {"d", "e", "f"}, {"g", "h", "i"}}),
				g.setFormat(block, bold),
			); err != nil {
				t.Fatal(err)
			}
			tt.op(g)
			got := state{
				Values: g.values(block), Formats: g.formats(block),
				LastRow: g.lastNonEmptyRow(), LastCol: g.lastNonEmptyColumn(),
				Stored: len(g.cells),
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGridErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   func(*grid) error
		want error
	}{
		{"insert 0 rows", func(g *grid) error { return g.insertRowsBefore(0, 0) }, errGridArgument},
		{"insert before a negative row", func(g *grid) error { return g.insertRowsBefore(-1, 1) }, errGridArgument},
		{"insert past the end", func(g *grid) error { return g.insertRowsBefore(11, 1) }, errGridArgument},
		{"insert past the row limit", func(g *grid) error { return g.insertRowsBefore(0, maxGridRows) }, errGridArgument},
		{"insert a huge count", func(g *grid) error { return g.insertColumnsBefore(0, 1<<62) }, errGridArgument},
		{"insert past the column limit", func(g *grid) error { return g.insertColumnsBefore(0, maxGridColumns-4) }, errGridArgument},
		{"delete 0 rows", func(g *grid) error { return g.deleteRows(0, 0) }, errGridArgument},
		{"delete a negative count", func(g *grid) error { return g.deleteRows(0, -1) }, errGridArgument},
		{"delete past the last row", func(g *grid) error { return g.deleteRows(9, 2) }, errGridArgument},
		{"delete from the row count", func(g *grid) error { return g.deleteRows(10, 1) }, errGridArgument},
		{"delete a huge count", func(g *grid) error { return g.deleteRows(5, 1<<62) }, errGridArgument},
		{"delete every row", func(g *grid) error { return g.deleteRows(0, 10) }, errGridArgument},
		{"delete every column", func(g *grid) error { return g.deleteColumns(0, 5) }, errGridArgument},
		{"delete past the last column", func(g *grid) error { return g.deleteColumns(4, 2) }, errGridArgument},
		{"hide past the last row", func(g *grid) error { return g.setRowsHidden(8, 3, true) }, errGridArgument},
		{"hide a negative column", func(g *grid) error { return g.setColumnsHidden(-1, 1, true) }, errGridArgument},
		{"write past the sheet", func(g *grid) error { return g.setValues(rect{9, 0, 2, 1}, [][]string{{"a"}, {"b"}}) }, errGridOutside},
		{"write left of the sheet", func(g *grid) error { return g.setValues(rect{0, -1, 1, 1}, [][]string{{"a"}}) }, errGridOutside},
		{"write an empty block", func(g *grid) error { return g.setValues(rect{0, 0, 0, 0}, [][]string{}) }, errGridArgument},
		{"too few rows of values", func(g *grid) error { return g.setValues(rect{0, 0, 2, 1}, [][]string{{"a"}}) }, errGridArgument},
		{"a ragged row", func(g *grid) error { return g.setValues(rect{0, 0, 2, 2}, [][]string{{"a", "b"}, {"c"}}) }, errGridArgument},
		{"format past the sheet", func(g *grid) error { return g.setFormat(rect{0, 4, 1, 2}, cellFormat{FontSize: 14}) }, errGridOutside},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGrid(10, 5)
			err := tt.op(g)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want one wrapping %v", err, tt.want)
			}
			// A refused operation changes nothing.
			want := gridState{Rows: 10, Cols: 5, Values: [][]string{{""}}, HiddenRows: []int{}, HiddenCols: []int{}, LastRow: -1, LastCol: -1}
			if diff := cmp.Diff(want, observeGrid(g, rect{0, 0, 1, 1})); diff != "" {
				t.Errorf("state changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGridDimension(t *testing.T) {
	t.Parallel()
	g := newGrid(defaultGridRows, defaultGridColumns)
	r, err := parseA1("A1:Z1000")
	if err != nil {
		t.Fatal(err)
	}
	whole := r.rect(g.rowCount(), g.columnCount())
	if !g.contains(whole) || whole.cells() != 26000 {
		t.Errorf("A1:Z1000 = %+v (%d cells) is not the whole default sheet", whole, whole.cells())
	}
	// A caller bounds a write by its cell count before building anything.
	big, err := parseA1("A1:ZZ99999")
	if err != nil {
		t.Fatal(err)
	}
	huge := big.rect(g.rowCount(), g.columnCount())
	if got := huge.cells(); got != 99999*702 {
		t.Errorf("cells of A1:ZZ99999 = %d", got)
	}
	if g.contains(huge) {
		t.Errorf("%+v fits in a %d×%d sheet", huge, g.rowCount(), g.columnCount())
	}
	// newGrid clamps its dimension to the limits.
	for _, tt := range []struct{ rows, cols, wantRows, wantCols int }{
		{0, 0, 1, 1},
		{-5, 1 << 40, 1, maxGridColumns},
		{1 << 40, 3, maxGridRows, 3},
	} {
		g := newGrid(tt.rows, tt.cols)
		if g.rowCount() != tt.wantRows || g.columnCount() != tt.wantCols {
			t.Errorf("newGrid(%d, %d) is %d×%d, want %d×%d", tt.rows, tt.cols, g.rowCount(), g.columnCount(), tt.wantRows, tt.wantCols)
		}
	}
}
