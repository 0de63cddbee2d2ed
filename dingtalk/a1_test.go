package dingtalk

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Range
		str  string // want.String()
	}{
		{"A1", Range{1, 1, 1, 1}, "A1"},
		{"a1", Range{1, 1, 1, 1}, "A1"},
		{"  B2\t\n", Range{2, 2, 2, 2}, "B2"},
		{"A1:C3", Range{1, 3, 1, 3}, "A1:C3"},
		{"b2:c3", Range{2, 3, 2, 3}, "B2:C3"},
		{"A1:A1", Range{1, 1, 1, 1}, "A1"},
		{"C3:A1", Range{1, 3, 1, 3}, "A1:C3"},
		{"A3:C1", Range{1, 3, 1, 3}, "A1:C3"},
		{"C1:A3", Range{1, 3, 1, 3}, "A1:C3"},
		{"A:C", Range{0, 0, 1, 3}, "A:C"},
		{"a:a", Range{0, 0, 1, 1}, "A:A"},
		{"C:A", Range{0, 0, 1, 3}, "A:C"},
		{"3:5", Range{3, 5, 0, 0}, "3:5"},
		{"1:1", Range{1, 1, 0, 0}, "1:1"},
		{"5:3", Range{3, 5, 0, 0}, "3:5"},
		{"A01", Range{1, 1, 1, 1}, "A1"},
		{"A1:ZZ99999", Range{1, 99999, 1, 702}, "A1:ZZ99999"},
		{"XFD1048576", Range{MaxRows, MaxRows, MaxColumns, MaxColumns}, "XFD1048576"},
		{"xfd:xfd", Range{0, 0, MaxColumns, MaxColumns}, "XFD:XFD"},
		{"1048576:1", Range{1, MaxRows, 0, 0}, "1:1048576"},
		{"AA10:AB12", Range{10, 12, 27, 28}, "AA10:AB12"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRange(tt.in)
			if err != nil {
				t.Fatalf("ParseRange(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseRange(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("ParseRange(%q).String() = %q, want %q", tt.in, s, tt.str)
			}
		})
	}
}

func TestParseRangeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		reason string // a part of the message that says what is wrong
	}{
		{"", "the range is empty"},
		{"   ", "the range is empty"},
		{"A0", "row numbers start at 1"},
		{"A0:B2", `start "A0": row numbers start at 1`},
		{"A1:B0", `end "B0": row numbers start at 1`},
		{"0:3", "row numbers start at 1"},
		{"B", "for whole column B write B:B"},
		{"b", "for whole column B write B:B"},
		{"3", "for whole row 3 write 3:3"},
		{"A1:C", "the start is a cell but the end is a column"},
		{"A:C3", "the start is a column but the end is a cell"},
		{"3:C", "the start is a row but the end is a column"},
		{"A1:3", "the start is a cell but the end is a row"},
		{":", "the start of the range is missing"},
		{":A1", "the start of the range is missing"},
		{"A1:", "the end of the range is missing"},
		{"A1:B2:C3", "at most one colon"},
		{"A1::B2", "at most one colon"},
		{"Sheet1!A1:B2", "a sheet name is not part of the range"},
		{"$A$1", "absolute references"},
		{"1A", "column letters must come before the row number"},
		{"A1B2", "column letters must come before the row number"},
		{"A 1", "white space is allowed only around the whole range"},
		{"A1 : B2", "white space is allowed only around the whole range"},
		{"A1-C3", `unexpected character '-'`},
		{"A1,C3", `unexpected character ','`},
		{"Ä1", `unexpected character 'Ä'`},
		{"A１", `unexpected character '１'`},
		{"XFE1", "column XFE is beyond the last column, XFD"},
		{"AAAA1", "a column name of 4 letters is beyond the last column, XFD"},
		{"zzzzzzzzzzzzzzzzzzzzzzzzzzzz1", "is beyond the last column, XFD"},
		{"A1048577", "row 1048577 is beyond the last row, 1048576"},
		{"A99999999999999999999999999999", "a row number of 29 digits is beyond the last row, 1048576"},
		{"A00001048577", "row 1048577 is beyond the last row, 1048576"},
		{"1:99999999999999999999999999999", "is beyond the last row, 1048576"},
		{"A-1", `unexpected character '-'`},
		{"A+1", `unexpected character '+'`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRange(tt.in)
			if err == nil {
				t.Fatalf("ParseRange(%q) = %+v, want an error", tt.in, got)
			}
			if diff := cmp.Diff(Range{}, got); diff != "" {
				t.Errorf("ParseRange(%q) returned a non-zero Range with its error:\n%s", tt.in, diff)
			}
			var re *RangeError
			if !errors.As(err, &re) {
				t.Fatalf("ParseRange(%q) error is %T, want *RangeError", tt.in, err)
			}
			if re.Input != tt.in {
				t.Errorf("RangeError.Input = %q, want %q", re.Input, tt.in)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "invalid range ") {
				t.Errorf("message %q does not start with %q", msg, "invalid range ")
			}
			if !strings.Contains(msg, tt.reason) {
				t.Errorf("message %q does not say %q", msg, tt.reason)
			}
			if !strings.HasSuffix(msg, "use A1 notation such as A1:C3, A:C or 3:5") {
				t.Errorf("message %q gives no example of a valid range", msg)
			}
		})
	}
}

func TestRangeErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := ParseRange("A0")
	want := `invalid range "A0": row numbers start at 1; use A1 notation such as A1:C3, A:C or 3:5`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}

	// A long input is shortened in the message but kept whole in Input.
	long := strings.Repeat("é", 100)
	_, err = ParseRange(long)
	var re *RangeError
	if !errors.As(err, &re) || re.Input != long {
		t.Fatalf("error %v does not keep the input", err)
	}
	if msg := err.Error(); len(msg) > 200 || !strings.Contains(msg, `..."`) {
		t.Errorf("message for a long input is not shortened: %q", msg)
	}
}

func TestRangeMethods(t *testing.T) {
	t.Parallel()
	type props struct {
		Width, Height, Cells       int
		IsCell, WholeRows, WholeCs bool
		String                     string
	}
	tests := []struct {
		r    Range
		want props
	}{
		{Range{1, 1, 1, 1}, props{1, 1, 1, true, false, false, "A1"}},
		{Range{2, 4, 1, 3}, props{3, 3, 9, false, false, false, "A2:C4"}},
		{Range{1, 10, 2, 2}, props{1, 10, 10, false, false, false, "B1:B10"}},
		{Range{0, 0, 1, 3}, props{3, 0, 0, false, false, true, "A:C"}},
		{Range{3, 5, 0, 0}, props{0, 3, 0, false, true, false, "3:5"}},
		{Range{}, props{0, 0, 0, false, false, false, ""}},
		{Range{1, MaxRows, 1, MaxColumns}, props{MaxColumns, MaxRows, MaxColumns * MaxRows, false, false, false, "A1:XFD1048576"}},
	}
	for _, tt := range tests {
		t.Run(tt.want.String, func(t *testing.T) {
			t.Parallel()
			got := props{
				Width: tt.r.Width(), Height: tt.r.Height(), Cells: tt.r.Cells(),
				IsCell: tt.r.IsCell(), WholeRows: tt.r.IsWholeRows(), WholeCs: tt.r.IsWholeColumns(),
				String: tt.r.String(),
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%+v mismatch (-want +got):\n%s", tt.r, diff)
			}
		})
	}
}

func TestColumnName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int
		want string
	}{
		{-1, ""}, {0, ""}, {1, "A"}, {2, "B"}, {26, "Z"}, {27, "AA"}, {28, "AB"}, {52, "AZ"},
		{53, "BA"}, {702, "ZZ"}, {703, "AAA"}, {16384, "XFD"}, {18278, "ZZZ"},
	}
	for _, tt := range tests {
		if got := ColumnName(tt.n); got != tt.want {
			t.Errorf("ColumnName(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestColumnIndex(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int
		wantErr string
	}{
		{in: "A", want: 1},
		{in: "z", want: 26},
		{in: "AA", want: 27},
		{in: "aB", want: 28},
		{in: " ZZ ", want: 702},
		{in: "XFD", want: MaxColumns},
		{in: "", wantErr: `invalid column "": the column name is empty; use column letters from A to XFD`},
		{in: "  ", wantErr: "the column name is empty"},
		{in: "A1", wantErr: `unexpected character '1'`},
		{in: "A B", wantErr: `unexpected character ' '`},
		{in: "É", wantErr: `unexpected character 'É'`},
		{in: "XFE", wantErr: "column XFE is beyond the last column, XFD"},
		{in: strings.Repeat("Z", 1000), wantErr: "is beyond the last column, XFD"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ColumnIndex(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ColumnIndex(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
				}
				return
			}
			var re *RangeError
			if !errors.As(err, &re) {
				t.Fatalf("ColumnIndex(%q) = %d, %v; want a *RangeError", tt.in, got, err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "invalid column ") || !strings.Contains(msg, tt.wantErr) {
				t.Errorf("ColumnIndex(%q) error %q does not say %q", tt.in, msg, tt.wantErr)
			}
		})
	}
}

// TestColumnNameIndexRoundTrip checks every column of a sheet both ways.
func TestColumnNameIndexRoundTrip(t *testing.T) {
	t.Parallel()
	for n := 1; n <= MaxColumns; n++ {
		name := ColumnName(n)
		got, err := ColumnIndex(strings.ToLower(name))
		if err != nil || got != n {
			t.Fatalf("ColumnIndex(ColumnName(%d) = %q) = %d, %v", n, name, got, err)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{
		"A1", "a1", "A1:C3", "C3:A1", "A:C", "C:A", "3:5", "5:3", " B2 ", "A0", "B", "3",
		"A1:C", "A:C3", "XFD1048576", "XFE1", "A1048577", "Sheet1!A1", "$A$1", "A1:B2:C3",
		"A01:b0002", "99999999999999999999:1", "ZZZZZZZZZZZZZZZZZZZZ1", "\xff", "A\x001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRange(s)
		if err != nil {
			var re *RangeError
			if !errors.As(err, &re) {
				t.Fatalf("ParseRange(%q) error is %T, want *RangeError", s, err)
			}
			if r != (Range{}) {
				t.Fatalf("ParseRange(%q) = %+v with error %v", s, r, err)
			}
			// The message names the input but stays short whatever the input.
			if msg := err.Error(); !strings.HasPrefix(msg, "invalid range ") || len(msg) > 600 {
				t.Fatalf("ParseRange(%q) message %q", s, msg)
			}
			return
		}
		checkRangeSide(t, s, r.StartRow, r.EndRow, MaxRows)
		checkRangeSide(t, s, r.StartCol, r.EndCol, MaxColumns)
		if r.StartRow == 0 && r.StartCol == 0 {
			t.Fatalf("ParseRange(%q) = %+v has no bounded side", s, r)
		}
		str := r.String()
		if str != strings.ToUpper(str) {
			t.Fatalf("ParseRange(%q).String() = %q is not upper case", s, str)
		}
		back, err := ParseRange(str)
		if err != nil {
			t.Fatalf("ParseRange(%q).String() = %q does not parse: %v", s, str, err)
		}
		if back != r {
			t.Fatalf("ParseRange(%q) = %+v, but its String %q parses to %+v", s, r, str, back)
		}
		if lower, err := ParseRange(strings.ToLower(str)); err != nil || lower != r {
			t.Fatalf("ParseRange(%q) = %+v, %v; want %+v", strings.ToLower(str), lower, err, r)
		}
	})
}

// checkRangeSide checks one side of a parsed range: either unbounded (both 0)
// or 1 <= start <= end <= limit.
func checkRangeSide(t *testing.T, in string, start, end, limit int) {
	t.Helper()
	if start == 0 && end == 0 {
		return
	}
	if start < 1 || start > end || end > limit {
		t.Fatalf("ParseRange(%q): side %d..%d is outside 1..%d or reversed", in, start, end, limit)
	}
}
