package tools

import (
	"context"
	"errors"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// RowSpan is a block of whole rows, numbered from 1 as in A1 notation.
type RowSpan struct {
	Row      int `json:"Row" jsonschema:"minimum=1,maximum=1048576" jsonschema_description:"First row, 1-based."`
	RowCount int `json:"RowCount,omitempty" jsonschema:"minimum=1,maximum=1048576,default=1" jsonschema_description:"Number of rows."`
}

func (r *RowSpan) span() span { return span{&rowAxis, r.Row, r.RowCount} }

// DeleteRowsIn is the input of delete_rows.
type DeleteRowsIn struct {
	SheetTarget
	RowSpan
	Operator
	Idempotency
	Confirmation
}

// DeleteRowsOut is the result of delete_rows.
type DeleteRowsOut struct {
	Success         bool `json:"Success" jsonschema_description:"Whether the rows were deleted."`
	DeletedRowCount int  `json:"DeletedRowCount" jsonschema_description:"How many rows were deleted."`
	Envelope
	Replay
}

var deleteRows = &Tool[DeleteRowsIn, DeleteRowsOut]{
	Name:        "delete_rows",
	Title:       "Delete rows",
	Description: "Delete whole rows and their data; the rows below move up. Not idempotent. To empty cells use clear_range_data.",
	Toolset:     Sheet,
	Destructive: true,
	Validate:    func(in *DeleteRowsIn) error { return checkSpan(&in.SheetTarget, in.span()) },
	Preview:     func(l i18n.Lang, in *DeleteRowsIn) string { return deletePreview(l, &in.SheetTarget, in.span()) },
	Run: func(ctx context.Context, env *Env, in *DeleteRowsIn) (out DeleteRowsOut, err error) {
		if out.Summary, err = deleteSpan(ctx, env, &in.SheetTarget, in.Operator, in.span()); err == nil {
			out.Success, out.DeletedRowCount = true, in.RowCount
		}
		return out, err
	},
	Hints: map[dingtalk.Cause]string{
		Uncertain: "The rows may have been deleted: check with get_range_data or get_worksheet (rowCount) before calling delete_rows again, which would delete the next rows.",
	},
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
	Validate:    func(in *SetRowsVisibilityIn) error { return checkSpan(&in.SheetTarget, in.span()) },
	Run: func(ctx context.Context, env *Env, in *SetRowsVisibilityIn) (out SetRowsVisibilityOut, err error) {
		if out.Summary, err = setSpanVisibility(ctx, env, &in.SheetTarget, in.Operator, in.span(), in.Visibility); err == nil {
			out.Success, out.AffectedRowCount, out.Visibility = true, in.RowCount, in.Visibility
		}
		return out, err
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "Check Row and RowCount against the sheet's rowCount from get_worksheet.",
	},
}

// InsertRowsBeforeIn is the input of insert_rows_before.
type InsertRowsBeforeIn struct {
	SheetTarget
	Row      int `json:"Row" jsonschema:"minimum=1,maximum=1048576" jsonschema_description:"Row to insert above, 1-based."`
	RowCount int `json:"RowCount,omitempty" jsonschema:"minimum=1,maximum=1048576,default=1" jsonschema_description:"Number of rows to insert."`
	Operator
	Idempotency
	Confirmation
}

func (in *InsertRowsBeforeIn) span() span { return span{&rowAxis, in.Row, in.RowCount} }

// InsertRowsBeforeOut is the result of insert_rows_before.
type InsertRowsBeforeOut struct {
	Success bool `json:"Success" jsonschema_description:"Whether the rows were inserted."`
	Envelope
	Replay
}

var insertRowsBefore = &Tool[InsertRowsBeforeIn, InsertRowsBeforeOut]{
	Name:        "insert_rows_before",
	Title:       "Insert rows",
	Description: "Insert empty rows above Row; it and the rows below move down. Not idempotent. To insert filled rows use insert_rows_before_with_data.",
	Toolset:     Sheet,
	Validate:    func(in *InsertRowsBeforeIn) error { return checkSpan(&in.SheetTarget, in.span()) },
	Preview:     func(l i18n.Lang, in *InsertRowsBeforeIn) string { return insertPreview(l, &in.SheetTarget, in.span()) },
	Run: func(ctx context.Context, env *Env, in *InsertRowsBeforeIn) (out InsertRowsBeforeOut, err error) {
		out.Summary, err = insertSpan(ctx, env, &in.SheetTarget, in.Operator, in.span())
		out.Success = err == nil
		return out, err
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "Check Row against the sheet's rowCount from get_worksheet: new rows go above an existing row.",
		Uncertain:            "The rows may have been inserted: check with get_worksheet (rowCount) or get_range_data before calling insert_rows_before again.",
	},
}

// AppendRowsIn is the input of append_rows.
type AppendRowsIn struct {
	SheetTarget
	RangeAddress string `json:"RangeAddress" jsonschema:"maxLength=40" jsonschema_description:"Columns as wide as Values, e.g. A:C; A3:C3 starts at row 3 or below."`
	Values       Matrix `json:"Values" jsonschema_description:"Rows to append, one value per column."`
	Operator
	Idempotency
	Confirmation

	rng dingtalk.Range
}

// AppendResult is where append_rows wrote.
type AppendResult struct {
	A1Notation    string `json:"a1Notation" jsonschema_description:"The range DingTalk reports it wrote."`
	AppendedRange string `json:"appendedRange" jsonschema_description:"The rows appended, in A1 notation, e.g. A6:C7."`
	AppendedRows  int    `json:"appendedRows" jsonschema_description:"How many rows were appended."`
}

// AppendRowsOut is the result of append_rows.
type AppendRowsOut struct {
	AppendResult *AppendResult `json:"AppendResult,omitempty" jsonschema_description:"Where the rows were written."`
	Envelope
	Replay
}

var appendRows = &Tool[AppendRowsIn, AppendRowsOut]{
	Name:        "append_rows",
	Title:       "Append rows",
	Description: "Append rows below the last non-empty row of the given columns, overwriting nothing. Not idempotent.",
	Toolset:     Sheet,
	Validate: func(in *AppendRowsIn) (err error) {
		if err := in.clean(); err != nil {
			return err
		}
		if in.rng, err = parseRange("RangeAddress", in.RangeAddress); err != nil {
			return err
		}
		if in.rng.IsWholeRows() {
			return invalid("RangeAddress", "RangeAddress %s names rows; give the columns to append to, e.g. A:C", in.rng)
		}
		if err := in.Values.Check("Values", in.rng.Width()); err != nil {
			return err
		}
		if last := max(in.rng.StartRow, 1) + len(in.Values) - 1; last > dingtalk.MaxRows {
			return invalid("Values", "Values has %d rows, more than a sheet can hold below row %d", len(in.Values), max(in.rng.StartRow, 1))
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *AppendRowsIn) string {
		cols := dingtalk.Range{StartCol: in.rng.StartCol, EndCol: in.rng.EndCol}
		from := ""
		if in.rng.StartRow > 1 {
			from = l.Textf(", at row %d or below", in.rng.StartRow)
		}
		return l.Textf("append %d row(s) of %d value(s) to columns %s of %s, below the last non-empty row of those columns%s",
			len(in.Values), in.rng.Width(), cols, in.label(l), from)
	},
	Run: func(ctx context.Context, env *Env, in *AppendRowsIn) (out AppendRowsOut, err error) {
		ref := in.ref(in.Operator)
		cols := dingtalk.Range{StartCol: in.rng.StartCol, EndCol: in.rng.EndCol}
		// One read finds the last non-empty row of these columns (GetSheet's
		// lastNonEmptyRow covers every column, which would leave a gap below
		// a shorter table); one write puts the rows below it.
		data, err := env.Client.Sheets.GetRange(ctx, ref, cols, "values")
		if err != nil {
			return out, readFailed(err)
		}
		last := lastFilledRow(data.Values)
		n := len(in.Values)
		target := block(max(last+1, in.rng.StartRow, 1), in.rng.StartCol, n, in.rng.Width())
		if target.EndRow > dingtalk.MaxRows {
			return out, &InputError{Field: "Values", Message: i18n.Msg("columns %s are filled down to row %d: %d more rows would pass the last possible row %d", cols, last, n, dingtalk.MaxRows)}
		}
		res, err := env.Client.Sheets.WriteRangeOnce(ctx, ref, target, in.Values)
		if err != nil {
			return out, appendError(env.Lang, err, target, len(data.Values))
		}
		out.AppendResult = &AppendResult{A1Notation: res.A1Notation, AppendedRange: target.String(), AppendedRows: n}
		if last > 0 {
			out.Summary = env.Lang.Textf("Appended %d row(s) to %s at %s (below row %d, the last non-empty row of columns %s).", n, in.label(env.Lang), target, last, cols)
		} else {
			out.Summary = env.Lang.Textf("Appended %d row(s) to %s at %s (the columns were empty).", n, in.label(env.Lang), target)
		}
		return out, nil
	},
}

// appendError explains a failed append write. sheetRows is how many rows
// the read returned, the sheet's rowCount when DingTalk does not trim empty
// rows from a whole-column read (UNVERIFIED whether it does).
func appendError(l i18n.Lang, err error, target dingtalk.Range, sheetRows int) error {
	var de *dingtalk.Error
	if !errors.As(err, &de) {
		return err
	}
	if de.MaybeSent {
		return explain(err, "", l.Textf("The rows may have been written at %s: call get_range_data with RangeAddress %s to check before appending again, as appending twice duplicates rows.", target, target))
	}
	if (de.Kind == dingtalk.KindNotFound || de.Kind == dingtalk.KindInvalid) && target.EndRow > sheetRows {
		return explain(err, "", l.Textf("The sheet seems to end above row %d, where the rows would go (get_worksheet gives its rowCount): add empty rows with insert_rows_before, then call append_rows again. Nothing was written.", target.EndRow))
	}
	return err
}

// InsertRowsBeforeWithDataIn is the input of insert_rows_before_with_data.
type InsertRowsBeforeWithDataIn struct {
	SheetTarget
	Row         int    `json:"Row" jsonschema:"minimum=1,maximum=1048576" jsonschema_description:"Row to insert above, 1-based."`
	Values      Matrix `json:"Values" jsonschema_description:"The new rows' values."`
	StartColumn string `json:"StartColumn,omitempty" jsonschema:"maxLength=3,pattern=^[A-Za-z]+$,default=A" jsonschema_description:"Column letters where the values start."`
	Operator
	Idempotency
	Confirmation

	rng dingtalk.Range
}

// InsertRowsBeforeWithDataOut is the result of insert_rows_before_with_data.
type InsertRowsBeforeWithDataOut struct {
	InsertedRows int                  `json:"InsertedRows" jsonschema_description:"How many rows were inserted (the rows of Values); 0 when the insert failed. More than 0 on failure means blank rows were left: see Hint."`
	UpdateResult dingtalk.RangeResult `json:"UpdateResult" jsonschema_description:"The range the values were written to; an empty object when the write failed."`
	Envelope
	Replay
}

var insertRowsBeforeWithData = &Tool[InsertRowsBeforeWithDataIn, InsertRowsBeforeWithDataOut]{
	Name:        "insert_rows_before_with_data",
	Title:       "Insert rows with data",
	Description: "Insert one row per row of Values above Row and fill them; it and the rows below move down. Not idempotent.",
	Toolset:     Sheet,
	Validate: func(in *InsertRowsBeforeWithDataIn) error {
		if err := in.clean(); err != nil {
			return err
		}
		if err := in.Values.Check("Values", 0); err != nil {
			return err
		}
		col, err := dingtalk.ColumnIndex(in.StartColumn)
		if err != nil {
			return badRange("StartColumn", err)
		}
		in.StartColumn = dingtalk.ColumnName(col)
		in.rng = block(in.Row, col, len(in.Values), len(in.Values[0]))
		if in.rng.EndCol > dingtalk.MaxColumns {
			return invalid("Values", "Values rows have %d cells: from column %s they would pass the last possible column XFD", len(in.Values[0]), in.StartColumn)
		}
		if in.rng.EndRow > dingtalk.MaxRows {
			return invalid("Values", "Values has %d rows: inserted above row %d they would pass the last possible row %d", len(in.Values), in.Row, dingtalk.MaxRows)
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *InsertRowsBeforeWithDataIn) string {
		return l.Textf("insert %d row(s) above row %d of %s and write the values into %s; row %d and those below move down",
			len(in.Values), in.Row, in.label(l), in.rng, in.Row)
	},
	Run: func(ctx context.Context, env *Env, in *InsertRowsBeforeWithDataIn) (out InsertRowsBeforeWithDataOut, err error) {
		ref := in.ref(in.Operator)
		n := len(in.Values)
		// Read the sheet first: a write that cannot fit would otherwise fail
		// only after the rows were inserted, leaving them blank.
		sh, err := env.Client.Sheets.Get(ctx, ref)
		if err != nil {
			return out, readFailed(err)
		}
		if in.Row > int(sh.RowCount)+1 {
			return out, &InputError{Field: "Row", Message: i18n.Msg("%s has %d rows: Row %d is past its end; nothing was inserted", in.label(env.Lang), sh.RowCount, in.Row),
				Hint: i18n.Msg("Give a Row from 1 to %d, or use append_rows to add rows after the data.", sh.RowCount)}
		}
		if in.rng.EndCol > int(sh.ColumnCount) {
			return out, &InputError{Field: "Values", Message: i18n.Msg("%s has %d columns (A to %s): values from column %s reaching column %s do not fit; nothing was inserted",
				in.label(env.Lang), sh.ColumnCount, dingtalk.ColumnName(int(sh.ColumnCount)), in.StartColumn, dingtalk.ColumnName(in.rng.EndCol)),
				Hint: i18n.Msg("Use fewer values per row or an earlier StartColumn, or add columns first with insert_columns_before.")}
		}
		rows := span{&rowAxis, in.Row, n}.name(env.Lang)
		if err := env.Client.Sheets.InsertSpanBefore(ctx, ref, dingtalk.Rows, in.Row, n); err != nil {
			if isMaybeSent(err) {
				return out, explain(err, "", env.Lang.Textf("Blank %s may have been inserted: compare get_worksheet's rowCount with %d (before this call) or read %s with get_range_data before calling insert_rows_before_with_data again; remove them with delete_rows if they are there.",
					rows, sh.RowCount, in.rng))
			}
			return out, err
		}
		// Sent once, like every step of a non-idempotent tool: after an
		// uncertain failure the Hint says how to finish by hand.
		res, err := env.Client.Sheets.WriteRangeOnce(ctx, ref, in.rng, in.Values)
		if err != nil {
			out.InsertedRows = n
			next := env.Lang.Textf("%s of %s are blank: fill them with update_range_data (RangeAddress %s, the same Values) or remove them with delete_rows (Row %d, RowCount %d). Do not call insert_rows_before_with_data again: it would insert more rows.",
				rows, in.label(env.Lang), in.rng, in.Row, n)
			if isMaybeSent(err) {
				next = env.Lang.Textf("%s of %s may or may not hold the values (check with get_range_data, RangeAddress %s): fill them with update_range_data (RangeAddress %[3]s, the same Values) or remove them with delete_rows (Row %d, RowCount %d). Do not call insert_rows_before_with_data again: it would insert more rows.",
					rows, in.label(env.Lang), in.rng, in.Row, n)
			}
			return out, explain(err,
				env.Lang.Textf("Inserted %d row(s) above the old row %d (now %s) but writing the values into %s failed", n, in.Row, rows, in.rng),
				capitalize(next))
		}
		out.InsertedRows, out.UpdateResult = n, *res
		out.Summary = env.Lang.Textf("Inserted %d row(s) above the old row %d of %s and wrote the values into %s.", n, in.Row, in.label(env.Lang), res.A1Notation)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		Uncertain: "The rows may have been inserted: check with get_range_data or get_worksheet (rowCount) before calling insert_rows_before_with_data again.",
	},
}

func isMaybeSent(err error) bool {
	var de *dingtalk.Error
	return errors.As(err, &de) && de.MaybeSent
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
