package tools

import (
	"context"
	"fmt"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// axis is a dingtalk.Axis with the words the row and column tools use for
// it: the row tools and the column tools differ in nothing else.
type axis struct {
	dingtalk.Axis
	first, count string // the parameters that name a span: Row and RowCount
	plural       string // "rows"
	sep          string // between a span's first and last names: rows 3-5, columns C:E
	before       string // where inserted lines go: above row 3, before column C
	deleteMoves  string // what a delete moves, in the present tense
	deleteMoved  string // and in the past tense
	insertMoves  string // what an insert moves, after the line named
}

var (
	rowAxis = axis{Axis: dingtalk.Rows, first: "Row", count: "RowCount", plural: "rows", sep: "-", before: "above",
		deleteMoves: "the rows below move up", deleteMoved: "the rows below moved up", insertMoves: "those below move down"}
	columnAxis = axis{Axis: dingtalk.Columns, first: "Column", count: "ColumnCount", plural: "columns", sep: ":", before: "before",
		deleteMoves: "the columns to their right move left", deleteMoved: "the columns to their right moved left", insertMoves: "those to its right move right"}
)

// last names the last line a sheet can have: row 1048576, column 16384 (XFD).
func (a *axis) last() string {
	if a.Axis == dingtalk.Columns {
		return fmt.Sprintf("%d (%s)", a.Max(), a.Name(a.Max()))
	}
	return fmt.Sprint(a.Max())
}

// span is a block of whole rows or columns, numbered from 1 as in A1
// notation (column 1 is A). The client converts to DingTalk's 0-based
// cursors.
type span struct {
	axis         *axis
	first, count int
}

// check refuses a span that ends past the last line a sheet can have.
func (s span) check() error {
	a := s.axis
	if last := s.first + s.count - 1; last > a.Max() {
		return invalid(a.count, "%s %d with %s %d ends at %s %d, past the last possible %s %s", a.first, s.first, a.count, s.count, a.Axis, last, a.Axis, a.last())
	}
	return nil
}

// name is String in l: "rows 3-5" is "第 3-5 行" in Chinese.
func (s span) name(l i18n.Lang) string {
	a := s.axis
	lines := a.Name(s.first)
	if s.count > 1 {
		lines += a.sep + a.Name(s.first+s.count-1)
	}
	switch {
	case a.Axis == dingtalk.Columns && s.count == 1:
		return l.Textf("column %s", lines)
	case a.Axis == dingtalk.Columns:
		return l.Textf("columns %s", lines)
	case s.count == 1:
		return l.Textf("row %s", lines)
	}
	return l.Textf("rows %s", lines)
}

// String names the span in A1 terms: "row 3", "rows 3-5", "columns C:E".
func (s span) String() string {
	a := s.axis
	if s.count == 1 {
		return a.String() + " " + a.Name(s.first)
	}
	return a.plural + " " + a.Name(s.first) + a.sep + a.Name(s.first+s.count-1)
}

// checkSpan is the Validate of the tools that act on a span of a sheet.
func checkSpan(t *SheetTarget, s span) error {
	if err := t.clean(); err != nil {
		return err
	}
	return s.check()
}

// SheetVisibility is the visibility parameter of the two visibility tools.
type SheetVisibility struct {
	Visibility string `json:"Visibility" jsonschema:"enum=visible,enum=hidden" jsonschema_description:"Show or hide."`
}

// fitsSheet reads the sheet and refuses a delete that reaches past its
// last row or column: DingTalk's answer to one is not documented, and a
// silent partial delete must not happen. Nothing has been deleted when it
// refuses.
func fitsSheet(ctx context.Context, env *Env, t *SheetTarget, op Operator, s span) error {
	sh, err := env.Client.Sheets.Get(ctx, t.ref(op))
	if err != nil {
		return readFailed(err)
	}
	a := s.axis
	size := a.Size(sh)
	if s.first+s.count-1 <= size {
		return nil
	}
	field := a.count
	if s.first > size {
		field = a.first
	}
	return &InputError{Field: field,
		Message: fmt.Sprintf("%s has %d %s (%s to %s), so %d %s(s) from %s %s would reach past its last %s; nothing was deleted",
			t.label(i18n.En), size, a.plural, a.Name(1), a.Name(size), s.count, a.Axis, a.Axis, a.Name(s.first), a.Axis),
		Hint: fmt.Sprintf("Give %s and %s within the sheet's %d %s (get_worksheet shows its size), then call again.", a.first, a.count, size, a.plural),
	}
}

func deletePreview(l i18n.Lang, t *SheetTarget, s span) string {
	if s.axis.Axis == dingtalk.Columns {
		return l.Textf("delete %s (%d column(s)) with their data from %s; the columns to their right move left", s.name(l), s.count, t.label(l))
	}
	return l.Textf("delete %s (%d row(s)) with their data from %s; the rows below move up", s.name(l), s.count, t.label(l))
}

// deleteSpan deletes s after checking that it lies within the sheet, and
// returns the Summary.
func deleteSpan(ctx context.Context, env *Env, t *SheetTarget, op Operator, s span) (string, error) {
	if err := fitsSheet(ctx, env, t, op, s); err != nil {
		return "", err
	}
	if err := env.Client.Sheets.DeleteSpan(ctx, t.ref(op), s.axis.Axis, s.first, s.count); err != nil {
		return "", err
	}
	return fmt.Sprintf("Deleted %s (%d %s(s)) of %s; %s.", s, s.count, s.axis.Axis, t.label(i18n.En), s.axis.deleteMoved), nil
}

// setSpanVisibility shows or hides s and returns the Summary.
func setSpanVisibility(ctx context.Context, env *Env, t *SheetTarget, op Operator, s span, visibility string) (string, error) {
	if err := env.Client.Sheets.SetSpanVisibility(ctx, t.ref(op), s.axis.Axis, s.first, s.count, visibility); err != nil {
		return "", err
	}
	return fmt.Sprintf("Made %s of %s %s.", s, t.label(i18n.En), visibility), nil
}

func insertPreview(l i18n.Lang, t *SheetTarget, s span) string {
	a := s.axis
	if a.Axis == dingtalk.Columns {
		return l.Textf("insert %d empty column(s) before column %s of %s; column %[2]s and those to its right move right", s.count, a.Name(s.first), t.label(l))
	}
	return l.Textf("insert %d empty row(s) above row %s of %s; row %[2]s and those below move down", s.count, a.Name(s.first), t.label(l))
}

// insertSpan inserts s.count empty lines before s.first, so that they
// become s, and returns the Summary.
func insertSpan(ctx context.Context, env *Env, t *SheetTarget, op Operator, s span) (string, error) {
	a := s.axis
	if err := env.Client.Sheets.InsertSpanBefore(ctx, t.ref(op), a.Axis, s.first, s.count); err != nil {
		return "", err
	}
	return fmt.Sprintf("Inserted %d empty %s(s) %s %s %s of %s: they are %s.", s.count, a.Axis, a.before, a.Axis, a.Name(s.first), t.label(i18n.En), s), nil
}
