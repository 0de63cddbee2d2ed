package dingtalk

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of A1 notation. DingTalk does not document the largest row or
// column a sheet may have (UNVERIFIED), so the parser uses Excel's limits:
// column XFD (16384) and row 1048576. An address beyond them cannot name a
// cell in any spreadsheet the product works with.
const (
	MaxColumns = 16384   // the last column, XFD
	MaxRows    = 1048576 // the last row
)

const (
	a1MaxLetters = 3 // len("XFD")
	a1MaxDigits  = 7 // len("1048576")
)

// A Range is a rectangle of a worksheet addressed in A1 notation.
//
// Rows and columns are 1-based and inclusive, as in A1 notation (DingTalk's
// JSON bodies are 0-based; convert where a body is built). A side that is
// not bounded is 0: whole columns such as A:C have StartRow and EndRow 0,
// whole rows such as 3:5 have StartCol and EndCol 0. A Range returned by
// ParseRange always has Start <= End on each bounded side.
type Range struct {
	StartRow, EndRow int
	StartCol, EndCol int
}

// A RangeError reports an address that is not valid A1 notation, or a
// column name that is not valid.
type RangeError struct {
	Input   string // the text as given
	Problem Phrase // what is wrong with it
	Column  bool   // from ColumnIndex rather than ParseRange
}

// A Phrase is an English text as a format and its arguments (some of
// which may be Phrases), so that a caller can say it in another language:
// the format is the key of its translation.
type Phrase struct {
	Format string
	Args   []any
}

func phrasef(format string, args ...any) Phrase { return Phrase{Format: format, Args: args} }

func (p Phrase) isZero() bool { return p.Format == "" }

// String renders p in English.
func (p Phrase) String() string { return fmt.Sprintf(p.Format, p.Args...) }

// Quoted is the input as an error message repeats it: cut short.
func (e *RangeError) Quoted() string { return a1Shorten(e.Input) }

// a1MaxQuoted is how much of a bad input an error message repeats.
const a1MaxQuoted = 40

// Error returns a message that names the input, says what is wrong and
// shows valid examples, for instance:
//
//	invalid range "A0": row numbers start at 1; use A1 notation such as A1:C3, A:C or 3:5
func (e *RangeError) Error() string {
	if e.Column {
		return fmt.Sprintf("invalid column %q: %s; use column letters from A to XFD", e.Quoted(), e.Problem)
	}
	return fmt.Sprintf("invalid range %q: %s; use A1 notation such as A1:C3, A:C or 3:5", e.Quoted(), e.Problem)
}

// a1Shorten cuts s to at most a1MaxQuoted bytes, on a rune boundary, marking
// the cut with "...".
func a1Shorten(s string) string {
	if len(s) <= a1MaxQuoted {
		return s
	}
	cut := a1MaxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// ParseRange parses an A1 address: a cell (A1), a rectangle (A1:C3), whole
// columns (A:C) or whole rows (3:5). Letters may be in either case and
// surrounding white space is ignored. Corners given in reverse order
// (C3:A1, C:A, 5:3) are put in order. A column or a row alone (B, 3) is
// refused, as are mixed forms (A1:C, A:C3), sheet names (Sheet1!A1) and
// absolute references ($A$1). The error is a *RangeError.
func ParseRange(s string) (Range, error) {
	t := strings.TrimSpace(s)
	fail := func(p Phrase) (Range, error) {
		return Range{}, &RangeError{Input: s, Problem: p}
	}
	if t == "" {
		return fail(phrasef("the range is empty"))
	}
	if strings.ContainsRune(t, '!') {
		return fail(phrasef("a sheet name is not part of the range; give the sheet separately"))
	}
	if strings.ContainsRune(t, '$') {
		return fail(phrasef("absolute references ($) are not used; write A1 rather than $A$1"))
	}

	first, second, isPair := strings.Cut(t, ":")
	if !isPair {
		a, problem := parseA1Ref(first)
		if !problem.isZero() {
			return fail(problem)
		}
		switch {
		case a.col == 0:
			return fail(phrasef("a row number alone is not a range; for whole row %d write %d:%d", a.row, a.row, a.row))
		case a.row == 0:
			name := ColumnName(a.col)
			return fail(phrasef("a column alone is not a range; for whole column %s write %s:%s", name, name, name))
		}
		return Range{StartRow: a.row, EndRow: a.row, StartCol: a.col, EndCol: a.col}, nil
	}
	if strings.ContainsRune(second, ':') {
		return fail(phrasef("a range has at most one colon"))
	}
	if first == "" {
		return fail(phrasef("the start of the range is missing before the colon"))
	}
	if second == "" {
		return fail(phrasef("the end of the range is missing after the colon"))
	}
	a, problem := parseA1Ref(first)
	if !problem.isZero() {
		return fail(phrasef("start %q: %s", a1Shorten(first), problem))
	}
	b, problem := parseA1Ref(second)
	if !problem.isZero() {
		return fail(phrasef("end %q: %s", a1Shorten(second), problem))
	}
	if a.kind().Format != b.kind().Format {
		return fail(phrasef("the start is %s but the end is %s; both ends must be cells (A1:C3), columns (A:C) or rows (3:5)",
			a.kind(), b.kind()))
	}
	return Range{
		StartRow: min(a.row, b.row), EndRow: max(a.row, b.row),
		StartCol: min(a.col, b.col), EndCol: max(a.col, b.col),
	}, nil
}

// a1Ref is one end of an A1 address; 0 marks a missing part.
type a1Ref struct{ row, col int }

func (r a1Ref) kind() Phrase {
	switch {
	case r.row == 0:
		return phrasef("a column")
	case r.col == 0:
		return phrasef("a row")
	}
	return phrasef("a cell")
}

// parseA1Ref parses letters followed by digits (A1), letters alone (A) or
// digits alone (1). The problem, if any, does not repeat the input.
func parseA1Ref(s string) (a1Ref, Phrase) {
	i := 0
	for i < len(s) && a1IsLetter(s[i]) {
		i++
	}
	letters := s[:i]
	j := i
	for j < len(s) && a1IsDigit(s[j]) {
		j++
	}
	digits := s[i:j]
	if j < len(s) {
		c, _ := utf8.DecodeRuneInString(s[j:])
		switch {
		case a1IsLetter(s[j]) && digits != "":
			return a1Ref{}, phrasef("column letters must come before the row number, as in A1")
		case c == ' ' || c == '\t':
			return a1Ref{}, phrasef("white space is allowed only around the whole range")
		}
		return a1Ref{}, phrasef("unexpected character %q", c)
	}
	var r a1Ref
	if letters != "" {
		col, problem := a1ColumnIndex(letters)
		if !problem.isZero() {
			return a1Ref{}, problem
		}
		r.col = col
	}
	if digits != "" {
		row, problem := a1RowNumber(digits)
		if !problem.isZero() {
			return a1Ref{}, problem
		}
		r.row = row
	}
	return r, Phrase{}
}

// a1RowNumber converts a string of ASCII digits, bounding its length before
// converting so that no input can overflow.
func a1RowNumber(digits string) (int, Phrase) {
	d := strings.TrimLeft(digits, "0")
	if d == "" {
		return 0, phrasef("row numbers start at 1")
	}
	if len(d) > a1MaxDigits {
		return 0, phrasef("a row number of %d digits is beyond the last row, %d", len(d), MaxRows)
	}
	n := 0
	for i := 0; i < len(d); i++ {
		n = n*10 + int(d[i]-'0')
	}
	if n > MaxRows {
		return 0, phrasef("row %d is beyond the last row, %d", n, MaxRows)
	}
	return n, Phrase{}
}

// a1ColumnIndex converts ASCII letters of either case, bounding their number
// before converting so that no input can overflow.
func a1ColumnIndex(letters string) (int, Phrase) {
	if len(letters) > a1MaxLetters {
		return 0, phrasef("a column name of %d letters is beyond the last column, XFD", len(letters))
	}
	up := strings.ToUpper(letters)
	n := 0
	for i := 0; i < len(up); i++ {
		n = n*26 + int(up[i]-'A'+1)
	}
	if n > MaxColumns {
		return 0, phrasef("column %s is beyond the last column, XFD", up)
	}
	return n, Phrase{}
}

func a1IsLetter(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' }
func a1IsDigit(c byte) bool  { return '0' <= c && c <= '9' }

// String returns r in upper-case A1 notation: A1 for a single cell, A1:C3
// for a rectangle, A:C for whole columns and 3:5 for whole rows. It returns
// "" when neither side is bounded.
func (r Range) String() string {
	switch {
	case r.IsWholeColumns():
		return ColumnName(r.StartCol) + ":" + ColumnName(r.EndCol)
	case r.IsWholeRows():
		return fmt.Sprintf("%d:%d", r.StartRow, r.EndRow)
	case r.StartRow == 0 || r.StartCol == 0:
		return ""
	case r.IsCell():
		return fmt.Sprintf("%s%d", ColumnName(r.StartCol), r.StartRow)
	}
	return fmt.Sprintf("%s%d:%s%d", ColumnName(r.StartCol), r.StartRow, ColumnName(r.EndCol), r.EndRow)
}

// IsCell reports whether r is a single cell.
func (r Range) IsCell() bool {
	return r.StartRow > 0 && r.StartRow == r.EndRow && r.StartCol > 0 && r.StartCol == r.EndCol
}

// IsWholeColumns reports whether r spans whole columns (A:C): its columns
// are bounded and its rows are not.
func (r Range) IsWholeColumns() bool { return r.StartRow == 0 && r.StartCol > 0 }

// IsWholeRows reports whether r spans whole rows (3:5): its rows are
// bounded and its columns are not.
func (r Range) IsWholeRows() bool { return r.StartCol == 0 && r.StartRow > 0 }

// Width returns the number of columns in r, or 0 if its columns are not
// bounded (whole rows).
func (r Range) Width() int {
	if r.StartCol == 0 {
		return 0
	}
	return r.EndCol - r.StartCol + 1
}

// Height returns the number of rows in r, or 0 if its rows are not bounded
// (whole columns).
func (r Range) Height() int {
	if r.StartRow == 0 {
		return 0
	}
	return r.EndRow - r.StartRow + 1
}

// Cells returns the number of cells in r, Width times Height, or 0 if a
// side is not bounded.
func (r Range) Cells() int { return r.Width() * r.Height() }

// ColumnName returns the letters of the 1-based column n: 1 is A, 26 is Z,
// 27 is AA and 16384 (MaxColumns) is XFD. It returns "" for n < 1.
func ColumnName(n int) string {
	if n < 1 {
		return ""
	}
	var b [16]byte // enough for any int in bijective base 26
	i := len(b)
	for n > 0 {
		n--
		i--
		b[i] = byte('A' + n%26)
		n /= 26
	}
	return string(b[i:])
}

// ColumnIndex returns the 1-based number of the column named by letters of
// either case, ignoring surrounding white space: A is 1, AA is 27 and XFD is
// 16384 (MaxColumns). The error, a *RangeError, reports an empty name, a
// character that is not a letter, or a column beyond XFD.
func ColumnIndex(name string) (int, error) {
	t := strings.TrimSpace(name)
	fail := func(p Phrase) (int, error) {
		return 0, &RangeError{Input: name, Problem: p, Column: true}
	}
	if t == "" {
		return fail(phrasef("the column name is empty"))
	}
	for _, c := range t {
		if c >= utf8.RuneSelf || !a1IsLetter(byte(c)) {
			return fail(phrasef("unexpected character %q; a column name has letters only", c))
		}
	}
	n, problem := a1ColumnIndex(t)
	if !problem.isZero() {
		return fail(problem)
	}
	return n, nil
}
