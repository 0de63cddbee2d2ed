package sandbox

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The sandbox's own reading of a {rangeAddress}. It is written apart from
// the client's parser on purpose: the client normalises what a user types,
// and this side accepts only what DingTalk is documented to accept (A1,
// A1:C3, A:A, 1:1), so a client that sends anything else fails here.

// Largest sheet the sandbox models. DingTalk documents no limit
// (UNVERIFIED); these are Excel's: 1048576 rows and 16384 columns (XFD).
const (
	maxGridRows    = 1048576
	maxGridColumns = 16384
)

// errA1Invalid is wrapped by every parseA1 error. The emulator answers it
// with 400 invalidRequest.inputArgs.invalid, the code DingTalk's workbook
// API pages give for a wrong range address.
var errA1Invalid = errors.New("invalid range address")

// lazyRegexp compiles expr at its first use. The sandbox is linked into
// every server but serves only with --sandbox: compiling its patterns at
// package initialisation would slow every start-up.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// One end of an address, after upper-casing: cell (letters then digits, no
// leading zero), column (letters) or row (digits). Three letters and seven
// digits at most, so converting cannot overflow; the limits are checked
// after conversion.
var (
	a1CellPattern   = lazyRegexp(`^([A-Z]{1,3})([1-9][0-9]{0,6})$`)
	a1ColumnPattern = lazyRegexp(`^[A-Z]{1,3}$`)
	a1RowPattern    = lazyRegexp(`^[1-9][0-9]{0,6}$`)
)

// a1Range is a parsed range address, 0-based and inclusive like the grid.
// A side that the address leaves open is -1 at both ends: whole columns
// (A:C) have row0 = row1 = -1, whole rows (3:5) have col0 = col1 = -1.
type a1Range struct {
	row0, row1 int
	col0, col1 int
}

// parseA1 parses a range address as DingTalk takes it in a URL path: A1,
// A1:C3, A:C or 3:5, letters in either case.
//
// UNVERIFIED choices, each refused with errA1Invalid:
//   - reversed corners (C3:A1, C:A, 5:3): DingTalk's docs only ever show the
//     top-left corner first ("左上角单元格:右下角单元格"), so the sandbox
//     treats any other order as an invalid range rather than swapping;
//   - white space anywhere, leading zeros (A01), sheet names (Sheet1!A1) and
//     absolute references ($A$1): none appears in DingTalk's docs.
func parseA1(s string) (a1Range, error) {
	bad := func(why string) (a1Range, error) {
		return a1Range{}, fmt.Errorf("%w %q: %s", errA1Invalid, s, why)
	}
	parts := strings.Split(a1Upper(s), ":")
	if len(parts) > 2 {
		return bad("more than one colon")
	}
	if len(parts) == 1 {
		m := a1CellPattern().FindStringSubmatch(parts[0])
		if m == nil {
			return bad("expected a cell such as A1, or a range such as A1:C3, A:C or 3:5")
		}
		col, row, err := a1Cell(m)
		if err != nil {
			return bad(err.Error())
		}
		return a1Range{row0: row, row1: row, col0: col, col1: col}, nil
	}

	first, last := parts[0], parts[1]
	var r a1Range
	switch {
	case a1CellPattern().MatchString(first) && a1CellPattern().MatchString(last):
		c0, r0, err0 := a1Cell(a1CellPattern().FindStringSubmatch(first))
		c1, r1, err1 := a1Cell(a1CellPattern().FindStringSubmatch(last))
		if err := errors.Join(err0, err1); err != nil {
			return bad(err.Error())
		}
		r = a1Range{row0: r0, row1: r1, col0: c0, col1: c1}
	case a1ColumnPattern().MatchString(first) && a1ColumnPattern().MatchString(last):
		c0, err0 := a1ColumnIndex(first)
		c1, err1 := a1ColumnIndex(last)
		if err := errors.Join(err0, err1); err != nil {
			return bad(err.Error())
		}
		r = a1Range{row0: -1, row1: -1, col0: c0, col1: c1}
	case a1RowPattern().MatchString(first) && a1RowPattern().MatchString(last):
		r0, err0 := a1Row(first)
		r1, err1 := a1Row(last)
		if err := errors.Join(err0, err1); err != nil {
			return bad(err.Error())
		}
		r = a1Range{row0: r0, row1: r1, col0: -1, col1: -1}
	default:
		return bad("both ends must be cells (A1:C3), columns (A:C) or rows (3:5)")
	}
	if r.row0 > r.row1 || r.col0 > r.col1 {
		return bad("the first corner must be the top-left one")
	}
	return r, nil
}

// a1Upper upper-cases ASCII letters only. strings.ToUpper would turn
// some non-ASCII letters into ASCII ones ("ſ" into "S").
func a1Upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// a1Cell converts a match of a1CellPattern to a 0-based column and row.
func a1Cell(m []string) (col, row int, err error) {
	col, err = a1ColumnIndex(m[1])
	if err != nil {
		return 0, 0, err
	}
	row, err = a1Row(m[2])
	return col, row, err
}

// a1Row converts 1-based row digits (at most seven) to a 0-based row.
func a1Row(digits string) (int, error) {
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || n > maxGridRows {
		return 0, fmt.Errorf("row %s is outside 1..%d", digits, maxGridRows)
	}
	return n - 1, nil
}

// a1ColumnIndex converts upper-case column letters (at most three) to a
// 0-based column: A is 0, Z is 25, AA is 26.
func a1ColumnIndex(letters string) (int, error) {
	n := 0
	for _, c := range letters {
		n = n*26 + int(c-'A') + 1
	}
	if n < 1 || n > maxGridColumns {
		return 0, fmt.Errorf("column %s is outside A..XFD", letters)
	}
	return n - 1, nil
}

// a1ColumnName returns the letters of the 0-based column col.
func a1ColumnName(col int) string {
	var name []byte
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		name = append([]byte{byte('A' + (n-1)%26)}, name...)
	}
	return string(name)
}

// String returns the address in upper case: A1 for one cell, A1:C3, A:C or
// 3:5. The emulator echoes it as a1Notation.
func (r a1Range) String() string {
	switch {
	case r.row0 < 0:
		return a1ColumnName(r.col0) + ":" + a1ColumnName(r.col1)
	case r.col0 < 0:
		return strconv.Itoa(r.row0+1) + ":" + strconv.Itoa(r.row1+1)
	case r.row0 == r.row1 && r.col0 == r.col1:
		return a1ColumnName(r.col0) + strconv.Itoa(r.row0+1)
	}
	return a1ColumnName(r.col0) + strconv.Itoa(r.row0+1) + ":" + a1ColumnName(r.col1) + strconv.Itoa(r.row1+1)
}

// rect resolves r against a sheet of rowCount rows and columnCount
// columns: an open side spans the whole sheet. The result may reach past
// the sheet; see grid.contains and grid.clip.
func (r a1Range) rect(rowCount, columnCount int) rect {
	out := rect{row: r.row0, col: r.col0, rows: r.row1 - r.row0 + 1, cols: r.col1 - r.col0 + 1}
	if r.row0 < 0 {
		out.row, out.rows = 0, rowCount
	}
	if r.col0 < 0 {
		out.col, out.cols = 0, columnCount
	}
	return out
}
