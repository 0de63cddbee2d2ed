package tools

import (
	"context"
	"fmt"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

// ColumnSpan is a block of whole columns, numbered from 1 as in A1
// notation (1 is A). The client converts to DingTalk's 0-based cursors.
type ColumnSpan struct {
	Column      int `json:"Column" jsonschema:"minimum=1,maximum=16384" jsonschema_description:"First column, 1-based (1 is A)."`
	ColumnCount int `json:"ColumnCount,omitempty" jsonschema:"minimum=1,maximum=16384,default=1" jsonschema_description:"Number of columns."`
}

func (c *ColumnSpan) check() error {
	if last := c.Column + c.ColumnCount - 1; last > dingtalk.MaxColumns {
		return invalid("ColumnCount", "Column %d with ColumnCount %d ends at column %d, past the last possible column %d (XFD)", c.Column, c.ColumnCount, last, dingtalk.MaxColumns)
	}
	return nil
}

// letters names the span in A1 terms: "column C" or "columns C:E".
func (c *ColumnSpan) letters() string {
	first := dingtalk.ColumnName(c.Column)
	if c.ColumnCount == 1 {
		return "column " + first
	}
	return fmt.Sprintf("columns %s:%s", first, dingtalk.ColumnName(c.Column+c.ColumnCount-1))
}

// RowSpan is a block of whole rows, numbered from 1 as in A1 notation.
type RowSpan struct {
	Row      int `json:"Row" jsonschema:"minimum=1,maximum=1048576" jsonschema_description:"First row, 1-based."`
	RowCount int `json:"RowCount,omitempty" jsonschema:"minimum=1,maximum=1048576,default=1" jsonschema_description:"Number of rows."`
}

func (r *RowSpan) check() error {
	if last := r.Row + r.RowCount - 1; last > dingtalk.MaxRows {
		return invalid("RowCount", "Row %d with RowCount %d ends at row %d, past the last possible row %d", r.Row, r.RowCount, last, dingtalk.MaxRows)
	}
	return nil
}

// numbers names the span: "row 3" or "rows 3-5".
func (r *RowSpan) numbers() string {
	if r.RowCount == 1 {
		return fmt.Sprintf("row %d", r.Row)
	}
	return fmt.Sprintf("rows %d-%d", r.Row, r.Row+r.RowCount-1)
}

// SheetVisibility is the visibility parameter of the two visibility tools.
type SheetVisibility struct {
	Visibility string `json:"Visibility" jsonschema:"enum=visible,enum=hidden" jsonschema_description:"Show or hide."`
}

// fitsSheet reads the sheet and refuses a delete that reaches past its
// last row or column: DingTalk's answer to one is not documented, and a
// silent partial delete must not happen. Nothing has been deleted when it
// refuses.
func fitsSheet(ctx context.Context, env *Env, t *SheetTarget, op Operator, what string, first, count int) error {
	sh, err := env.Client.Sheets.Get(ctx, t.ref(op))
	if err != nil {
		return sheetError(readFailed(err), &t.WorkbookTarget)
	}
	size, firstField, countField, name := int(sh.RowCount), "Row", "RowCount", func(n int) string { return fmt.Sprint(n) }
	if what == "column" {
		size, firstField, countField, name = int(sh.ColumnCount), "Column", "ColumnCount", dingtalk.ColumnName
	}
	if first+count-1 <= size {
		return nil
	}
	field := countField
	if first > size {
		field = firstField
	}
	return &InputError{Field: field,
		Message: fmt.Sprintf("%s has %d %ss (%s to %s), so %d %s(s) from %s %s would reach past its last %s; nothing was deleted",
			t.label(), size, what, name(1), name(size), count, what, what, name(first), what),
		Hint: fmt.Sprintf("Give %s and %s within the sheet's %d %ss (get_worksheet shows its size), then call again.", firstField, countField, size, what),
	}
}

// DeleteColumnsIn is the input of delete_columns.
type DeleteColumnsIn struct {
	SheetTarget
	ColumnSpan
	Operator
	Confirmation
}

// DeleteColumnsOut is the result of delete_columns.
type DeleteColumnsOut struct {
	Success            bool `json:"Success" jsonschema_description:"Whether the columns were deleted."`
	DeletedColumnCount int  `json:"DeletedColumnCount" jsonschema_description:"How many columns were deleted."`
	Envelope
}

var deleteColumns = &Tool[DeleteColumnsIn, DeleteColumnsOut]{
	Name:        "delete_columns",
	Title:       "Delete columns",
	Description: "Delete whole columns and their data; columns to the right move left. Not idempotent. To empty cells use clear_range_data.",
	Toolset:     Sheet,
	Destructive: true,
	Validate: func(in *DeleteColumnsIn) error {
		if err := in.clean(); err != nil {
			return err
		}
		return in.ColumnSpan.check()
	},
	Preview: func(in *DeleteColumnsIn) string {
		return fmt.Sprintf("delete %s (%d column(s)) with their data from %s; the columns to their right move left", in.letters(), in.ColumnCount, in.label())
	},
	Run: func(ctx context.Context, env *Env, in *DeleteColumnsIn) (out DeleteColumnsOut, err error) {
		if err := fitsSheet(ctx, env, &in.SheetTarget, in.Operator, "column", in.Column, in.ColumnCount); err != nil {
			return out, err
		}
		if err := env.Client.Sheets.DeleteColumns(ctx, in.ref(in.Operator), in.Column, in.ColumnCount); err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.Success, out.DeletedColumnCount = true, in.ColumnCount
		out.Summary = fmt.Sprintf("Deleted %s (%d column(s)) of %s; the columns to their right moved left.", in.letters(), in.ColumnCount, in.label())
		return out, nil
	},
	UncertainHint: "The columns may have been deleted: check with get_worksheet (columnCount) or get_range_data before calling delete_columns again, which would delete the next columns.",
}

// SetColumnsVisibilityIn is the input of set_columns_visibility.
type SetColumnsVisibilityIn struct {
	SheetTarget
	ColumnSpan
	SheetVisibility
	Operator
}

// SetColumnsVisibilityOut is the result of set_columns_visibility.
type SetColumnsVisibilityOut struct {
	Success             bool   `json:"Success" jsonschema_description:"Whether the visibility was set."`
	AffectedColumnCount int    `json:"AffectedColumnCount" jsonschema_description:"How many columns were shown or hidden."`
	Visibility          string `json:"Visibility" jsonschema_description:"The visibility set: visible or hidden."`
	Envelope
}

var setColumnsVisibility = &Tool[SetColumnsVisibilityIn, SetColumnsVisibilityOut]{
	Name:        "set_columns_visibility",
	Title:       "Show or hide columns",
	Description: "Show or hide whole columns of a worksheet; their data is kept.",
	Toolset:     Sheet,
	Idempotent:  true,
	Validate: func(in *SetColumnsVisibilityIn) error {
		if err := in.clean(); err != nil {
			return err
		}
		return in.ColumnSpan.check()
	},
	Run: func(ctx context.Context, env *Env, in *SetColumnsVisibilityIn) (out SetColumnsVisibilityOut, err error) {
		if err := env.Client.Sheets.SetColumnsVisibility(ctx, in.ref(in.Operator), in.Column, in.ColumnCount, in.Visibility); err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.Success, out.AffectedColumnCount, out.Visibility = true, in.ColumnCount, in.Visibility
		out.Summary = fmt.Sprintf("Made %s of %s %s.", in.letters(), in.label(), in.Visibility)
		return out, nil
	},
	Hints: map[dingtalk.Kind]string{
		dingtalk.KindInvalid: "Check Column and ColumnCount against the sheet's columnCount from get_worksheet.",
	},
}

// InsertColumnsBeforeIn is the input of insert_columns_before.
type InsertColumnsBeforeIn struct {
	SheetTarget
	Column      int `json:"Column" jsonschema:"minimum=1,maximum=16384" jsonschema_description:"Column to insert before, 1-based (1 is A)."`
	ColumnCount int `json:"ColumnCount,omitempty" jsonschema:"minimum=1,maximum=16384,default=1" jsonschema_description:"Number of columns to insert."`
	Operator
	Confirmation
}

// InsertColumnsBeforeOut is the result of insert_columns_before.
type InsertColumnsBeforeOut struct {
	Success bool `json:"Success" jsonschema_description:"Whether the columns were inserted."`
	Envelope
}

var insertColumnsBefore = &Tool[InsertColumnsBeforeIn, InsertColumnsBeforeOut]{
	Name:        "insert_columns_before",
	Title:       "Insert columns",
	Description: "Insert empty columns before Column; it and the columns right of it move right. Not idempotent.",
	Toolset:     Sheet,
	Validate: func(in *InsertColumnsBeforeIn) error {
		if err := in.clean(); err != nil {
			return err
		}
		return (&ColumnSpan{in.Column, in.ColumnCount}).check()
	},
	Preview: func(in *InsertColumnsBeforeIn) string {
		return fmt.Sprintf("insert %d empty column(s) before column %s of %s; column %s and those to its right move right",
			in.ColumnCount, dingtalk.ColumnName(in.Column), in.label(), dingtalk.ColumnName(in.Column))
	},
	Run: func(ctx context.Context, env *Env, in *InsertColumnsBeforeIn) (out InsertColumnsBeforeOut, err error) {
		if err := env.Client.Sheets.InsertColumnsBefore(ctx, in.ref(in.Operator), in.Column, in.ColumnCount); err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.Success = true
		span := ColumnSpan{in.Column, in.ColumnCount}
		out.Summary = fmt.Sprintf("Inserted %d empty column(s) before column %s of %s: they are %s.", in.ColumnCount, dingtalk.ColumnName(in.Column), in.label(), span.letters())
		return out, nil
	},
	Hints: map[dingtalk.Kind]string{
		dingtalk.KindInvalid: "Check Column against the sheet's columnCount from get_worksheet: new columns go before an existing column.",
	},
	UncertainHint: "The columns may have been inserted: check with get_worksheet (columnCount) before calling insert_columns_before again.",
}

// DeleteRowsIn is the input of delete_rows.
type DeleteRowsIn struct {
	SheetTarget
	RowSpan
	Operator
	Confirmation
}

// DeleteRowsOut is the result of delete_rows.
type DeleteRowsOut struct {
	Success         bool `json:"Success" jsonschema_description:"Whether the rows were deleted."`
	DeletedRowCount int  `json:"DeletedRowCount" jsonschema_description:"How many rows were deleted."`
	Envelope
}

var deleteRows = &Tool[DeleteRowsIn, DeleteRowsOut]{
	Name:        "delete_rows",
	Title:       "Delete rows",
	Description: "Delete whole rows and their data; the rows below move up. Not idempotent. To empty cells use clear_range_data.",
	Toolset:     Sheet,
	Destructive: true,
	Validate: func(in *DeleteRowsIn) error {
		if err := in.clean(); err != nil {
			return err
		}
		return in.RowSpan.check()
	},
	Preview: func(in *DeleteRowsIn) string {
		return fmt.Sprintf("delete %s (%d row(s)) with their data from %s; the rows below move up", in.numbers(), in.RowCount, in.label())
	},
	Run: func(ctx context.Context, env *Env, in *DeleteRowsIn) (out DeleteRowsOut, err error) {
		if err := fitsSheet(ctx, env, &in.SheetTarget, in.Operator, "row", in.Row, in.RowCount); err != nil {
			return out, err
		}
		if err := env.Client.Sheets.DeleteRows(ctx, in.ref(in.Operator), in.Row, in.RowCount); err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.Success, out.DeletedRowCount = true, in.RowCount
		out.Summary = fmt.Sprintf("Deleted %s (%d row(s)) of %s; the rows below moved up.", in.numbers(), in.RowCount, in.label())
		return out, nil
	},
	UncertainHint: "The rows may have been deleted: check with get_range_data or get_worksheet (rowCount) before calling delete_rows again, which would delete the next rows.",
}

// SetRowsVisibilityIn is the input of set_rows_visibility.
type SetRowsVisibilityIn struct {
	SheetTarget
	RowSpan
	SheetVisibility
	Operator
}

// SetRowsVisibilityOut is the result of set_rows_visibility.
type SetRowsVisibilityOut struct {
	Success          bool   `json:"Success" jsonschema_description:"Whether the visibility was set."`
	AffectedRowCount int    `json:"AffectedRowCount" jsonschema_description:"How many rows were shown or hidden."`
	Visibility       string `json:"Visibility" jsonschema_description:"The visibility set: visible or hidden."`
	Envelope
}

var setRowsVisibility = &Tool[SetRowsVisibilityIn, SetRowsVisibilityOut]{
	Name:        "set_rows_visibility",
	Title:       "Show or hide rows",
	Description: "Show or hide whole rows of a worksheet; their data is kept.",
	Toolset:     Sheet,
	Idempotent:  true,
	Validate: func(in *SetRowsVisibilityIn) error {
		if err := in.clean(); err != nil {
			return err
		}
		return in.RowSpan.check()
	},
	Run: func(ctx context.Context, env *Env, in *SetRowsVisibilityIn) (out SetRowsVisibilityOut, err error) {
		if err := env.Client.Sheets.SetRowsVisibility(ctx, in.ref(in.Operator), in.Row, in.RowCount, in.Visibility); err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.Success, out.AffectedRowCount, out.Visibility = true, in.RowCount, in.Visibility
		out.Summary = fmt.Sprintf("Made %s of %s %s.", in.numbers(), in.label(), in.Visibility)
		return out, nil
	},
	Hints: map[dingtalk.Kind]string{
		dingtalk.KindInvalid: "Check Row and RowCount against the sheet's rowCount from get_worksheet.",
	},
}

// InsertRowsBeforeIn is the input of insert_rows_before.
type InsertRowsBeforeIn struct {
	SheetTarget
	Row      int `json:"Row" jsonschema:"minimum=1,maximum=1048576" jsonschema_description:"Row to insert above, 1-based."`
	RowCount int `json:"RowCount,omitempty" jsonschema:"minimum=1,maximum=1048576,default=1" jsonschema_description:"Number of rows to insert."`
	Operator
	Confirmation
}

// InsertRowsBeforeOut is the result of insert_rows_before.
type InsertRowsBeforeOut struct {
	Success bool `json:"Success" jsonschema_description:"Whether the rows were inserted."`
	Envelope
}

var insertRowsBefore = &Tool[InsertRowsBeforeIn, InsertRowsBeforeOut]{
	Name:        "insert_rows_before",
	Title:       "Insert rows",
	Description: "Insert empty rows above Row; it and the rows below move down. Not idempotent. To insert filled rows use insert_rows_before_with_data.",
	Toolset:     Sheet,
	Validate: func(in *InsertRowsBeforeIn) error {
		if err := in.clean(); err != nil {
			return err
		}
		return (&RowSpan{in.Row, in.RowCount}).check()
	},
	Preview: func(in *InsertRowsBeforeIn) string {
		return fmt.Sprintf("insert %d empty row(s) above row %d of %s; row %d and those below move down", in.RowCount, in.Row, in.label(), in.Row)
	},
	Run: func(ctx context.Context, env *Env, in *InsertRowsBeforeIn) (out InsertRowsBeforeOut, err error) {
		if err := env.Client.Sheets.InsertRowsBefore(ctx, in.ref(in.Operator), in.Row, in.RowCount); err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.Success = true
		span := RowSpan{in.Row, in.RowCount}
		out.Summary = fmt.Sprintf("Inserted %d empty row(s) above row %d of %s: they are %s.", in.RowCount, in.Row, in.label(), span.numbers())
		return out, nil
	},
	Hints: map[dingtalk.Kind]string{
		dingtalk.KindInvalid: "Check Row against the sheet's rowCount from get_worksheet: new rows go above an existing row.",
	},
	UncertainHint: "The rows may have been inserted: check with get_worksheet (rowCount) or get_range_data before calling insert_rows_before again.",
}
