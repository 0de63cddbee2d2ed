package sandbox

import (
	"errors"
	"fmt"
	"slices"
)

// Size of a new worksheet. DingTalk does not document it (UNVERIFIED): its
// GetSheet example shows 200×40; the sandbox uses 1000 rows by 26 columns
// (A..Z), which is what a new sheet shows in DingTalk's editor.
const (
	defaultGridRows    = 1000
	defaultGridColumns = 26
)

// Errors of grid operations, wrapped with details. The emulator decides
// the wire answer: errGridArgument is a bad count, index or shape (400
// invalidRequest.inputArgs.invalid); errGridOutside is a range that
// reaches past the sheet (DingTalk's FAQ says such an address gives 404
// invalidRequest.resource.notFound; UNVERIFIED which of the two).
var (
	errGridArgument = errors.New("invalid argument")
	errGridOutside  = errors.New("range is outside the sheet")
)

// cellFormat is the formatting of one cell, as UpdateRange sets it
// (DingTalk's "Update range" page). The zero value is an unformatted cell.
type cellFormat struct {
	BackgroundColor     string // "#ff0000"
	FontColor           string
	FontSize            int
	FontWeight          string // bold | normal
	HorizontalAlignment string // left | center | right | general
	VerticalAlignment   string // top | middle | bottom
	NumberFormat        string // "@", "#,##0.00", ...
	WordWrap            string // overflow | clip | autoWrap
}

// gridCell is a stored cell. The emulator keeps every value as the string
// it was given.
type gridCell struct {
	value  string
	format cellFormat
}

// empty reports whether c holds nothing worth storing.
func (c gridCell) empty() bool { return c.value == "" && c.format == cellFormat{} }

// cellPos is a 0-based cell position.
type cellPos struct{ row, col int }

// rect is a block of cells: 0-based top-left corner and size. A parsed
// address becomes one with a1Range.rect, which keeps every field within
// the sheet limits, so sums of its fields cannot overflow.
type rect struct{ row, col, rows, cols int }

// cells returns the number of cells in r. Callers compare it with their
// limit before values or setValues, so that a huge range is refused before
// anything is allocated.
func (r rect) cells() int { return max(r.rows, 0) * max(r.cols, 0) }

func (r rect) has(p cellPos) bool {
	return r.row <= p.row && p.row < r.row+r.rows && r.col <= p.col && p.col < r.col+r.cols
}

// grid is the cell grid of one worksheet: its dimension, sparse cells and
// hidden rows and columns, all 0-based as on DingTalk's wire. Only cells
// holding a value or a format are stored, so a large empty sheet costs
// nothing. A grid is not safe for concurrent use; the server's lock guards
// it.
type grid struct {
	rows, cols int
	cells      map[cellPos]gridCell
	hiddenRows map[int]bool
	hiddenCols map[int]bool
}

// newGrid returns an empty grid of the given dimension, clamped to
// 1..maxGridRows and 1..maxGridColumns.
func newGrid(rowCount, columnCount int) *grid {
	return &grid{
		rows:       min(max(rowCount, 1), maxGridRows),
		cols:       min(max(columnCount, 1), maxGridColumns),
		cells:      map[cellPos]gridCell{},
		hiddenRows: map[int]bool{},
		hiddenCols: map[int]bool{},
	}
}

// rowCount returns the number of rows of the sheet (GetSheet's rowCount).
func (g *grid) rowCount() int { return g.rows }

// columnCount returns the number of columns (GetSheet's columnCount).
func (g *grid) columnCount() int { return g.cols }

// contains reports whether r is a non-empty block wholly inside the sheet.
func (g *grid) contains(r rect) bool {
	return r.rows > 0 && r.cols > 0 && r.row >= 0 && r.col >= 0 &&
		r.row <= g.rows-r.rows && r.col <= g.cols-r.cols
}

// gridSpan checks a block of count rows or columns from index at against a
// side of size n.
func gridSpan(what string, at, count, n int) error {
	if count < 1 {
		return fmt.Errorf("%w: %s count %d must be at least 1", errGridArgument, what, count)
	}
	if at < 0 || at >= n || count > n-at {
		return fmt.Errorf("%w: %d %ss from %d do not fit in the sheet's %ss 0..%d", errGridArgument, count, what, at, what, n-1)
	}
	return nil
}

// gridGrowth checks an insertion of count rows or columns before index at on
// a side of size n, which may grow to limit.
//
// UNVERIFIED: at == n (inserting after the last row or column) is allowed
// here; whether DingTalk accepts it is unknown, and the emulator may refuse
// it before calling.
func gridGrowth(what string, at, count, n, limit int) error {
	if count < 1 {
		return fmt.Errorf("%w: %s count %d must be at least 1", errGridArgument, what, count)
	}
	if at < 0 || at > n {
		return fmt.Errorf("%w: %s %d is outside the sheet's 0..%d", errGridArgument, what, at, n-1)
	}
	if count > limit-n {
		return fmt.Errorf("%w: %d more %ss would pass the limit of %d", errGridArgument, count, what, limit)
	}
	return nil
}

// gridShift moves index i for an insertion (delta > 0) or a deletion (delta <
// 0) at index at. It reports false for an index that a deletion removes.
func gridShift(i, at, delta int) (int, bool) {
	switch {
	case i < at:
		return i, true
	case delta < 0 && i < at-delta:
		return 0, false
	}
	return i + delta, true
}

// moveRows shifts cells and hidden rows for an insertion or deletion.
func (g *grid) moveRows(at, delta int) {
	cells := make(map[cellPos]gridCell, len(g.cells))
	for p, c := range g.cells {
		if row, ok := gridShift(p.row, at, delta); ok {
			cells[cellPos{row, p.col}] = c
		}
	}
	g.cells = cells
	g.hiddenRows = gridShiftSet(g.hiddenRows, at, delta)
	g.rows += delta
}

// moveColumns shifts cells and hidden columns for an insertion or
// deletion.
func (g *grid) moveColumns(at, delta int) {
	cells := make(map[cellPos]gridCell, len(g.cells))
	for p, c := range g.cells {
		if col, ok := gridShift(p.col, at, delta); ok {
			cells[cellPos{p.row, col}] = c
		}
	}
	g.cells = cells
	g.hiddenCols = gridShiftSet(g.hiddenCols, at, delta)
	g.cols += delta
}

func gridShiftSet(set map[int]bool, at, delta int) map[int]bool {
	out := make(map[int]bool, len(set))
	for i := range set {
		if j, ok := gridShift(i, at, delta); ok {
			out[j] = true
		}
	}
	return out
}

// insertRowsBefore inserts count empty, visible, unformatted rows above
// row (InsertRowsBefore); the rows from row down move down with their
// cells, formats and hidden flags.
//
// UNVERIFIED: new rows take no format from their neighbours.
func (g *grid) insertRowsBefore(row, count int) error {
	if err := gridGrowth("row", row, count, g.rows, maxGridRows); err != nil {
		return err
	}
	g.moveRows(row, count)
	return nil
}

// deleteRows removes count rows from row (DeleteRows) and moves the rows
// below up.
//
// UNVERIFIED: a block reaching past the last row is refused rather than
// cut, and so is deleting every row, as Google Sheets does.
func (g *grid) deleteRows(row, count int) error {
	if err := gridSpan("row", row, count, g.rows); err != nil {
		return err
	}
	if count == g.rows {
		return fmt.Errorf("%w: a sheet keeps at least one row", errGridArgument)
	}
	g.moveRows(row, -count)
	return nil
}

// insertColumnsBefore inserts count empty, visible, unformatted columns
// left of col (InsertColumnsBefore); the columns from col on move right.
func (g *grid) insertColumnsBefore(col, count int) error {
	if err := gridGrowth("column", col, count, g.cols, maxGridColumns); err != nil {
		return err
	}
	g.moveColumns(col, count)
	return nil
}

// deleteColumns removes count columns from col (DeleteColumns) and moves
// the columns right of them left. As for rows, a block past the last
// column and deleting every column are refused (UNVERIFIED).
func (g *grid) deleteColumns(col, count int) error {
	if err := gridSpan("column", col, count, g.cols); err != nil {
		return err
	}
	if count == g.cols {
		return fmt.Errorf("%w: a sheet keeps at least one column", errGridArgument)
	}
	g.moveColumns(col, -count)
	return nil
}

// setRowsHidden hides or shows count rows from row (SetRowsVisibility).
func (g *grid) setRowsHidden(row, count int, hidden bool) error {
	if err := gridSpan("row", row, count, g.rows); err != nil {
		return err
	}
	gridSetFlags(g.hiddenRows, row, count, hidden)
	return nil
}

// setColumnsHidden hides or shows count columns from col
// (SetColumnsVisibility).
func (g *grid) setColumnsHidden(col, count int, hidden bool) error {
	if err := gridSpan("column", col, count, g.cols); err != nil {
		return err
	}
	gridSetFlags(g.hiddenCols, col, count, hidden)
	return nil
}

func gridSetFlags(set map[int]bool, at, count int, on bool) {
	for i := at; i < at+count; i++ {
		if on {
			set[i] = true
		} else {
			delete(set, i)
		}
	}
}

// hiddenRowList returns the hidden rows in order, or an empty slice.
func (g *grid) hiddenRowList() []int { return gridSortedKeys(g.hiddenRows) }

// hiddenColumnList returns the hidden columns in order, or an empty slice.
func (g *grid) hiddenColumnList() []int { return gridSortedKeys(g.hiddenCols) }

func gridSortedKeys(set map[int]bool) []int {
	out := make([]int, 0, len(set))
	for i := range set {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// setValues writes v into r (UpdateRange's values), keeping each cell's
// format. v must have exactly r.rows rows of r.cols values; an empty
// string empties a cell. r must lie inside the sheet (errGridOutside):
// whether DingTalk grows the sheet instead is UNVERIFIED, and a caller
// that wants growth inserts rows or columns first.
func (g *grid) setValues(r rect, v [][]string) error {
	if err := g.check(r); err != nil {
		return err
	}
	if len(v) != r.rows {
		return fmt.Errorf("%w: %d rows of values for a range of %d rows", errGridArgument, len(v), r.rows)
	}
	for i, row := range v {
		if len(row) != r.cols {
			return fmt.Errorf("%w: row %d of the values has %d values for a range of %d columns", errGridArgument, i, len(row), r.cols)
		}
	}
	for i, row := range v {
		for j, s := range row {
			p := cellPos{r.row + i, r.col + j}
			c := g.cells[p]
			c.value = s
			g.put(p, c)
		}
	}
	return nil
}

// setFormat gives every cell of r the format f, keeping values. The
// emulator uses it for seeding and for UpdateRange's formatting fields
// (one cell at a time where they differ per cell).
func (g *grid) setFormat(r rect, f cellFormat) error {
	if err := g.check(r); err != nil {
		return err
	}
	for i := r.row; i < r.row+r.rows; i++ {
		for j := r.col; j < r.col+r.cols; j++ {
			p := cellPos{i, j}
			c := g.cells[p]
			c.format = f
			g.put(p, c)
		}
	}
	return nil
}

func (g *grid) check(r rect) error {
	if r.rows < 1 || r.cols < 1 {
		return fmt.Errorf("%w: the range is empty (%d×%d)", errGridArgument, r.rows, r.cols)
	}
	if !g.contains(r) {
		return fmt.Errorf("%w: rows %d..%d, columns %d..%d of a sheet of %d×%d",
			errGridOutside, r.row, r.row+r.rows-1, r.col, r.col+r.cols-1, g.rows, g.cols)
	}
	return nil
}

func (g *grid) put(p cellPos, c gridCell) {
	if c.empty() {
		delete(g.cells, p)
		return
	}
	g.cells[p] = c
}

// values returns the values of r, r.rows rows of r.cols strings, "" for an
// empty cell or one outside the sheet. It allocates r.cells() strings:
// callers bound that first.
func (g *grid) values(r rect) [][]string {
	return gridBlock(r, func(p cellPos) string { return g.cells[p].value })
}

// formats returns the formats of r, shaped like values.
func (g *grid) formats(r rect) [][]cellFormat {
	return gridBlock(r, func(p cellPos) cellFormat { return g.cells[p].format })
}

func gridBlock[T any](r rect, at func(cellPos) T) [][]T {
	if r.rows < 1 || r.cols < 1 {
		return [][]T{}
	}
	out := make([][]T, r.rows)
	for i := range out {
		out[i] = make([]T, r.cols)
		for j := range out[i] {
			out[i][j] = at(cellPos{r.row + i, r.col + j})
		}
	}
	return out
}

// clear empties the cells of r of values and formats (Clear). Cells past
// the sheet are ignored, so r may be larger than the sheet.
func (g *grid) clear(r rect) {
	for p := range g.cells {
		if r.has(p) {
			delete(g.cells, p)
		}
	}
}

// clearData empties the values of r and keeps their formats (ClearData).
// Cells past the sheet are ignored.
func (g *grid) clearData(r rect) {
	for p, c := range g.cells {
		if r.has(p) {
			c.value = ""
			g.put(p, c)
		}
	}
}

// lastNonEmptyRow returns the 0-based index of the last row holding a
// value, or -1 when no cell does (GetSheet's lastNonEmptyRow).
//
// UNVERIFIED: a cell with a format and no value does not count.
func (g *grid) lastNonEmptyRow() int {
	last := -1
	for p, c := range g.cells {
		if c.value != "" {
			last = max(last, p.row)
		}
	}
	return last
}

// lastNonEmptyColumn returns the 0-based index of the last column holding
// a value, or -1 when no cell does (GetSheet's lastNonEmptyColumn).
func (g *grid) lastNonEmptyColumn() int {
	last := -1
	for p, c := range g.cells {
		if c.value != "" {
			last = max(last, p.col)
		}
	}
	return last
}
