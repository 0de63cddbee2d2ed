package tools

import (
	"context"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// axis is a dingtalk.Axis with the parameters that name a span of it: the
// row tools and the column tools differ in nothing else. Their texts are
// whole sentences per axis, not sentences assembled from words, because
// the words of a sentence do not translate one by one.
type axis struct {
	dingtalk.Axis
	first, count string // the parameters that name a span: Row and RowCount
	sep          string // between a span's first and last names: rows 3-5, columns C:E
}

var (
	rowAxis    = axis{Axis: dingtalk.Rows, first: "Row", count: "RowCount", sep: "-"}
	columnAxis = axis{Axis: dingtalk.Columns, first: "Column", count: "ColumnCount", sep: ":"}
)

// pick returns the text of a's axis: rows or columns.
func (a *axis) pick(rows, columns string) string {
	if a.Axis == dingtalk.Columns {
		return columns
	}
	return rows
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
		if a.Axis == dingtalk.Columns {
			return invalid(a.count, "Column %d with ColumnCount %d ends at column %d, past the last possible column %d (%s)", s.first, s.count, last, a.Max(), a.Name(a.Max()))
		}
		return invalid(a.count, "Row %d with RowCount %d ends at row %d, past the last possible row %d", s.first, s.count, last, a.Max())
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
		Message: i18n.Msg(a.pick(
			"%s has %d rows (%s to %s), so %d row(s) from row %s would reach past its last row; nothing was deleted",
			"%s has %d columns (%s to %s), so %d column(s) from column %s would reach past its last column; nothing was deleted"),
			t.labelMsg(), size, a.Name(1), a.Name(size), s.count, a.Name(s.first)),
		Hint: i18n.Msg(a.pick(
			"Give Row and RowCount within the sheet's %d rows (get_worksheet shows its size), then call again.",
			"Give Column and ColumnCount within the sheet's %d columns (get_worksheet shows its size), then call again."), size),
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
	return env.Lang.Textf(s.axis.pick("Deleted %s (%d row(s)) of %s; the rows below moved up.", "Deleted %s (%d column(s)) of %s; the columns to their right moved left."),
		s.name(env.Lang), s.count, t.label(env.Lang)), nil
}

// setSpanVisibility shows or hides s and returns the Summary.
func setSpanVisibility(ctx context.Context, env *Env, t *SheetTarget, op Operator, s span, visibility string) (string, error) {
	if err := env.Client.Sheets.SetSpanVisibility(ctx, t.ref(op), s.axis.Axis, s.first, s.count, visibility); err != nil {
		return "", err
	}
	if visibility == "hidden" {
		return env.Lang.Textf("Hid %s of %s.", s.name(env.Lang), t.label(env.Lang)), nil
	}
	return env.Lang.Textf("Showed %s of %s.", s.name(env.Lang), t.label(env.Lang)), nil
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
	return env.Lang.Textf(a.pick("Inserted %d empty row(s) above row %s of %s: they are %s.", "Inserted %d empty column(s) before column %s of %s: they are %s."),
		s.count, a.Name(s.first), t.label(env.Lang), s.name(env.Lang)), nil
}
