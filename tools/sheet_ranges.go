package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

// maxReadCells bounds what one get_range_data call may ask for, so that a
// careless range does not flood the conversation; larger blocks are read in
// parts.
const maxReadCells = 20000

// parseRange reads a RangeAddress with the product's one A1 parser.
func parseRange(field, s string) (dingtalk.Range, error) {
	r, err := dingtalk.ParseRange(s)
	if err != nil {
		return r, invalid(field, "%s: %v", field, err)
	}
	return r, nil
}

// block is the range from row and column (1-based) holding a matrix of
// height rows and width columns.
func block(row, col, height, width int) dingtalk.Range {
	return dingtalk.Range{StartRow: row, EndRow: row + height - 1, StartCol: col, EndCol: col + width - 1}
}

// rowsText says "row 3" or "rows 3-5".
func rowsText(first, count int) string {
	return (&RowSpan{Row: first, RowCount: count}).numbers()
}

// CellRange is the RangeAddress of the tools that take any range: a block,
// a cell, whole columns or whole rows.
type CellRange struct {
	RangeAddress string `json:"RangeAddress" jsonschema:"maxLength=40" jsonschema_description:"A1 range: A1:C3, B2, A:C or 3:5."`
}

// GetRangeDataIn is the input of get_range_data.
type GetRangeDataIn struct {
	SheetTarget
	CellRange
	Select StringList `json:"Select,omitempty" jsonschema:"minItems=1,maxItems=8,enum=values,enum=formulas,enum=displayValues,enum=backgroundColors,enum=fontSizes,enum=fontWeights,enum=horizontalAlignments,enum=verticalAlignments,default=values,default=formulas,default=displayValues" jsonschema_description:"Properties to return; formatting makes the answer large."`
	Operator

	rng dingtalk.Range
}

// GetRangeDataOut is the result of get_range_data.
type GetRangeDataOut struct {
	RangeData *dingtalk.RangeData `json:"RangeData,omitempty" jsonschema_description:"The cells in DingTalk's field names: each property is a list of rows, each a list of cells, starting at the range's top-left cell."`
	Envelope
}

var getRangeData = &Tool[GetRangeDataIn, GetRangeDataOut]{
	Name:        "get_range_data",
	Title:       "Get range data",
	Description: "Read a worksheet range's values, formulas and, on request, formatting. Whole columns or rows stop where the data ends.",
	Toolset:     Sheet,
	ReadOnly:    true,
	Validate: func(in *GetRangeDataIn) (err error) {
		if err := in.clean(); err != nil {
			return err
		}
		if in.rng, err = parseRange("RangeAddress", in.RangeAddress); err != nil {
			return err
		}
		if n := in.rng.Cells(); n > maxReadCells {
			rows := max(maxReadCells/in.rng.Width(), 1)
			part := block(in.rng.StartRow, in.rng.StartCol, min(rows, in.rng.Height()), in.rng.Width())
			return invalid("RangeAddress", "RangeAddress %s covers %d cells; read at most %d at a time, e.g. %s first", in.rng, n, maxReadCells, part)
		}
		in.Select = slices.Compact(slices.Sorted(slices.Values(in.Select)))
		return nil
	},
	Run: func(ctx context.Context, env *Env, in *GetRangeDataIn) (out GetRangeDataOut, err error) {
		data, err := env.Client.Sheets.GetRange(ctx, in.ref(in.Operator), in.rng, in.Select...)
		if err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.RangeData = data
		rows, cols := valuesSize(data.Values)
		note := ""
		switch {
		case in.rng.IsWholeColumns():
			last := lastFilledRow(data.Values)
			trimRangeData(data, last, -1)
			switch {
			case last == 0 && rows > 0:
				note = " These columns hold no data."
			case last < rows:
				note = fmt.Sprintf(" Only rows 1-%d hold data in these columns; the %d empty rows after them are left out.", last, rows-last)
			}
		case in.rng.IsWholeRows():
			last := lastFilledColumn(data.Values)
			trimRangeData(data, -1, last)
			switch {
			case last == 0 && cols > 0:
				note = " These rows hold no data."
			case last < cols:
				note = fmt.Sprintf(" Only columns A-%s hold data in these rows; the %d empty columns after them are left out.", dingtalk.ColumnName(last), cols-last)
			}
		}
		rows, cols = valuesSize(data.Values)
		out.Summary = fmt.Sprintf("Read %s of %s: %d row(s) × %d column(s), %d non-empty cell(s).%s",
			in.rng, in.label(), rows, cols, filledCells(data.Values), note)
		return out, nil
	},
}

func isBlank(v any) bool { return v == nil || v == "" }

func valuesSize(v [][]any) (rows, cols int) {
	if len(v) == 0 {
		return 0, 0
	}
	return len(v), len(v[0])
}

// lastFilledRow returns the 1-based number, within v, of the last row with
// a non-empty cell, or 0.
func lastFilledRow(v [][]any) int {
	for i := len(v) - 1; i >= 0; i-- {
		if slices.ContainsFunc(v[i], func(c any) bool { return !isBlank(c) }) {
			return i + 1
		}
	}
	return 0
}

// lastFilledColumn returns the 1-based number, within v, of the last column
// with a non-empty cell, or 0.
func lastFilledColumn(v [][]any) int {
	last := 0
	for _, row := range v {
		for j := len(row) - 1; j >= last; j-- {
			if !isBlank(row[j]) {
				last = j + 1
				break
			}
		}
	}
	return last
}

func filledCells(v [][]any) int {
	n := 0
	for _, row := range v {
		for _, c := range row {
			if !isBlank(c) {
				n++
			}
		}
	}
	return n
}

// trimRangeData cuts every property of d to rows rows and cols columns; -1
// keeps that side.
func trimRangeData(d *dingtalk.RangeData, rows, cols int) {
	d.Values = trim(d.Values, rows, cols)
	d.Formulas = trim(d.Formulas, rows, cols)
	d.DisplayValues = trim(d.DisplayValues, rows, cols)
	d.BackgroundColors = trim(d.BackgroundColors, rows, cols)
	d.FontSizes = trim(d.FontSizes, rows, cols)
	d.FontWeights = trim(d.FontWeights, rows, cols)
	d.HorizontalAlignments = trim(d.HorizontalAlignments, rows, cols)
	d.VerticalAlignments = trim(d.VerticalAlignments, rows, cols)
	d.Hyperlinks = trim(d.Hyperlinks, rows, cols)
	d.ComplexValues = trim(d.ComplexValues, rows, cols)
}

func trim[T any](m [][]T, rows, cols int) [][]T {
	if m == nil {
		return nil
	}
	if rows >= 0 && len(m) > rows {
		m = m[:rows]
	}
	if cols >= 0 {
		for i, row := range m {
			if len(row) > cols {
				m[i] = row[:cols]
			}
		}
	}
	return m
}

// UpdateRangeDataIn is the input of update_range_data.
type UpdateRangeDataIn struct {
	SheetTarget
	RangeAddress string `json:"RangeAddress" jsonschema:"maxLength=40" jsonschema_description:"Block the size of Values, e.g. A1:C2 for 2 rows of 3."`
	Values       Matrix `json:"Values" jsonschema_description:"Rows of cell values; \"\" empties a cell."`
	Operator
	Confirmation

	rng dingtalk.Range
}

// UpdateRangeDataOut is the result of update_range_data.
type UpdateRangeDataOut struct {
	UpdateResult *dingtalk.RangeResult `json:"UpdateResult,omitempty" jsonschema_description:"The range DingTalk wrote."`
	Envelope
}

var updateRangeData = &Tool[UpdateRangeDataIn, UpdateRangeDataOut]{
	Name:        "update_range_data",
	Title:       "Update range data",
	Description: "Overwrite the values of a block of cells, keeping formatting; the old values are lost. To add rows use append_rows.",
	Toolset:     Sheet,
	Destructive: true,
	Idempotent:  true,
	Validate: func(in *UpdateRangeDataIn) (err error) {
		if err := in.clean(); err != nil {
			return err
		}
		if in.rng, err = parseRange("RangeAddress", in.RangeAddress); err != nil {
			return err
		}
		return checkBlock(in.Values, in.rng)
	},
	Preview: func(in *UpdateRangeDataIn) string {
		return fmt.Sprintf("overwrite %s of %s with %d row(s) × %d column(s) of values, replacing what those cells hold",
			in.rng, in.label(), in.rng.Height(), in.rng.Width())
	},
	Run: func(ctx context.Context, env *Env, in *UpdateRangeDataIn) (out UpdateRangeDataOut, err error) {
		res, err := env.Client.Sheets.UpdateRange(ctx, in.ref(in.Operator), in.rng, in.Values)
		if err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.UpdateResult = res
		out.Summary = fmt.Sprintf("Wrote %d row(s) × %d column(s) to %s of %s.", in.rng.Height(), in.rng.Width(), res.A1Notation, in.label())
		return out, nil
	},
}

// checkBlock checks that values fill r exactly, naming the row at fault and
// the range that would fit.
func checkBlock(values Matrix, r dingtalk.Range) error {
	if err := values.Check("Values", 0); err != nil {
		return err
	}
	h, w := len(values), len(values[0])
	fit := block(max(r.StartRow, 1), max(r.StartCol, 1), h, w)
	if r.IsWholeColumns() || r.IsWholeRows() {
		return invalid("RangeAddress", "RangeAddress %s names whole %s; give the exact block to write, e.g. %s for these %d row(s) of %d value(s)",
			r, map[bool]string{true: "columns", false: "rows"}[r.IsWholeColumns()], fit, h, w)
	}
	if w != r.Width() {
		return invalid("Values", "Values row 1 has %d cells but RangeAddress %s is %d column(s) wide: every row must have exactly %d (for these Values use %s)", w, r, r.Width(), r.Width(), fit)
	}
	if h != r.Height() {
		return invalid("Values", "Values has %d row(s) but RangeAddress %s has %d: give one row of Values per row of the range (for these Values use %s)", h, r, r.Height(), fit)
	}
	return nil
}

// ClearRangeIn is the input of clear_range_content and clear_range_data.
type ClearRangeIn struct {
	SheetTarget
	CellRange
	Operator
	Confirmation

	rng dingtalk.Range
}

// ClearRangeOut is the result of clear_range_content and clear_range_data.
type ClearRangeOut struct {
	ClearResult *dingtalk.RangeResult `json:"ClearResult,omitempty" jsonschema_description:"The range DingTalk cleared."`
	Envelope
}

func validateClear(in *ClearRangeIn) (err error) {
	if err := in.clean(); err != nil {
		return err
	}
	in.rng, err = parseRange("RangeAddress", in.RangeAddress)
	return err
}

var clearRangeContent = &Tool[ClearRangeIn, ClearRangeOut]{
	Name:        "clear_range_content",
	Title:       "Clear range content",
	Description: "Clear the values and formatting of a worksheet range; rows and columns stay. To keep formatting use clear_range_data.",
	Toolset:     Sheet,
	Destructive: true,
	Idempotent:  true,
	Validate:    validateClear,
	Preview: func(in *ClearRangeIn) string {
		return fmt.Sprintf("clear the values and the formatting of %s of %s", in.rng, in.label())
	},
	Run: func(ctx context.Context, env *Env, in *ClearRangeIn) (out ClearRangeOut, err error) {
		res, err := env.Client.Sheets.Clear(ctx, in.ref(in.Operator), in.rng)
		if err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.ClearResult = res
		out.Summary = fmt.Sprintf("Cleared the values and formatting of %s of %s.", res.A1Notation, in.label())
		return out, nil
	},
}

var clearRangeData = &Tool[ClearRangeIn, ClearRangeOut]{
	Name:        "clear_range_data",
	Title:       "Clear range data",
	Description: "Empty the values of a worksheet range, keeping its formatting; rows and columns stay.",
	Toolset:     Sheet,
	Destructive: true,
	Idempotent:  true,
	Validate:    validateClear,
	Preview: func(in *ClearRangeIn) string {
		return fmt.Sprintf("clear the values of %s of %s (formatting is kept)", in.rng, in.label())
	},
	Run: func(ctx context.Context, env *Env, in *ClearRangeIn) (out ClearRangeOut, err error) {
		res, err := env.Client.Sheets.ClearData(ctx, in.ref(in.Operator), in.rng)
		if err != nil {
			return out, sheetError(err, &in.WorkbookTarget)
		}
		out.ClearResult = res
		out.Summary = fmt.Sprintf("Cleared the values of %s of %s; its formatting is kept.", res.A1Notation, in.label())
		return out, nil
	},
}

// AppendRowsIn is the input of append_rows.
type AppendRowsIn struct {
	SheetTarget
	RangeAddress string `json:"RangeAddress" jsonschema:"maxLength=40" jsonschema_description:"Columns as wide as Values, e.g. A:C; A3:C3 starts at row 3 or below."`
	Values       Matrix `json:"Values" jsonschema_description:"Rows to append, one value per column."`
	Operator
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
	Preview: func(in *AppendRowsIn) string {
		cols := dingtalk.Range{StartCol: in.rng.StartCol, EndCol: in.rng.EndCol}
		from := ""
		if in.rng.StartRow > 1 {
			from = fmt.Sprintf(", at row %d or below", in.rng.StartRow)
		}
		return fmt.Sprintf("append %d row(s) of %d value(s) to columns %s of %s, below the last non-empty row of those columns%s",
			len(in.Values), in.rng.Width(), cols, in.label(), from)
	},
	Run: func(ctx context.Context, env *Env, in *AppendRowsIn) (out AppendRowsOut, err error) {
		ref := in.ref(in.Operator)
		cols := dingtalk.Range{StartCol: in.rng.StartCol, EndCol: in.rng.EndCol}
		// One read finds the last non-empty row of these columns (GetSheet's
		// lastNonEmptyRow covers every column, which would leave a gap below
		// a shorter table); one write puts the rows below it.
		data, err := env.Client.Sheets.GetRange(ctx, ref, cols, "values")
		if err != nil {
			return out, sheetError(readFailed(err), &in.WorkbookTarget)
		}
		last := lastFilledRow(data.Values)
		n := len(in.Values)
		target := block(max(last+1, in.rng.StartRow, 1), in.rng.StartCol, n, in.rng.Width())
		if target.EndRow > dingtalk.MaxRows {
			return out, &InputError{Field: "Values", Message: fmt.Sprintf("columns %s are filled down to row %d: %d more rows would pass the last possible row %d", cols, last, n, dingtalk.MaxRows)}
		}
		res, err := env.Client.Sheets.WriteRangeOnce(ctx, ref, target, in.Values)
		if err != nil {
			return out, appendError(err, in, target, len(data.Values))
		}
		out.AppendResult = &AppendResult{A1Notation: res.A1Notation, AppendedRange: target.String(), AppendedRows: n}
		after := "the columns were empty"
		if last > 0 {
			after = fmt.Sprintf("below row %d, the last non-empty row of columns %s", last, cols)
		}
		out.Summary = fmt.Sprintf("Appended %d row(s) to %s at %s (%s).", n, in.label(), target, after)
		return out, nil
	},
}

// appendError explains a failed append write. sheetRows is how many rows
// the read returned, the sheet's rowCount when DingTalk does not trim empty
// rows from a whole-column read (UNVERIFIED whether it does).
func appendError(err error, in *AppendRowsIn, target dingtalk.Range, sheetRows int) error {
	var de *dingtalk.Error
	if !errors.As(err, &de) {
		return err
	}
	if de.MaybeSent {
		return explain(err, "", fmt.Sprintf("The rows may have been written at %s: call get_range_data with RangeAddress %s to check before appending again, as appending twice duplicates rows.", target, target))
	}
	if (de.Kind == dingtalk.KindNotFound || de.Kind == dingtalk.KindInvalid) && target.EndRow > sheetRows {
		return explain(err, "", fmt.Sprintf("The sheet seems to end above row %d, where the rows would go (get_worksheet gives its rowCount): add empty rows with insert_rows_before, then call append_rows again. Nothing was written.", target.EndRow))
	}
	return sheetError(err, &in.WorkbookTarget)
}

// InsertRowsBeforeWithDataIn is the input of insert_rows_before_with_data.
type InsertRowsBeforeWithDataIn struct {
	SheetTarget
	Row         int    `json:"Row" jsonschema:"minimum=1,maximum=1048576" jsonschema_description:"Row to insert above, 1-based."`
	Values      Matrix `json:"Values" jsonschema_description:"The new rows' values."`
	StartColumn string `json:"StartColumn,omitempty" jsonschema:"maxLength=3,pattern=^[A-Za-z]+$,default=A" jsonschema_description:"Column letters where the values start."`
	Operator
	Confirmation

	rng dingtalk.Range
}

// InsertRowsBeforeWithDataOut is the result of insert_rows_before_with_data.
type InsertRowsBeforeWithDataOut struct {
	InsertedRows int                  `json:"InsertedRows" jsonschema_description:"How many rows were inserted (the rows of Values); 0 when the insert failed. More than 0 on failure means blank rows were left: see Hint."`
	UpdateResult dingtalk.RangeResult `json:"UpdateResult" jsonschema_description:"The range the values were written to; an empty object when the write failed."`
	Envelope
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
			return invalid("StartColumn", "StartColumn: %v", err)
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
	Preview: func(in *InsertRowsBeforeWithDataIn) string {
		return fmt.Sprintf("insert %d row(s) above row %d of %s and write the values into %s; row %d and those below move down",
			len(in.Values), in.Row, in.label(), in.rng, in.Row)
	},
	Run: func(ctx context.Context, env *Env, in *InsertRowsBeforeWithDataIn) (out InsertRowsBeforeWithDataOut, err error) {
		ref := in.ref(in.Operator)
		n := len(in.Values)
		// Read the sheet first: a write that cannot fit would otherwise fail
		// only after the rows were inserted, leaving them blank.
		sh, err := env.Client.Sheets.Get(ctx, ref)
		if err != nil {
			return out, sheetError(readFailed(err), &in.WorkbookTarget)
		}
		if in.Row > int(sh.RowCount)+1 {
			return out, &InputError{Field: "Row", Message: fmt.Sprintf("%s has %d rows: Row %d is past its end; nothing was inserted", in.label(), sh.RowCount, in.Row),
				Hint: fmt.Sprintf("Give a Row from 1 to %d, or use append_rows to add rows after the data.", sh.RowCount)}
		}
		if in.rng.EndCol > int(sh.ColumnCount) {
			return out, &InputError{Field: "Values", Message: fmt.Sprintf("%s has %d columns (A to %s): values from column %s reaching column %s do not fit; nothing was inserted",
				in.label(), sh.ColumnCount, dingtalk.ColumnName(int(sh.ColumnCount)), in.StartColumn, dingtalk.ColumnName(in.rng.EndCol)),
				Hint: "Use fewer values per row or an earlier StartColumn, or add columns first with insert_columns_before."}
		}
		rows := rowsText(in.Row, n)
		if err := env.Client.Sheets.InsertRowsBefore(ctx, ref, in.Row, n); err != nil {
			if isMaybeSent(err) {
				return out, explain(err, "", fmt.Sprintf("Blank %s may have been inserted: compare get_worksheet's rowCount with %d (before this call) or read %s with get_range_data before calling insert_rows_before_with_data again; remove them with delete_rows if they are there.",
					rows, sh.RowCount, in.rng))
			}
			return out, sheetError(err, &in.WorkbookTarget)
		}
		// Sent once, like every step of a non-idempotent tool: after an
		// uncertain failure the Hint says how to finish by hand.
		res, err := env.Client.Sheets.WriteRangeOnce(ctx, ref, in.rng, in.Values)
		if err != nil {
			out.InsertedRows = n
			state := "are blank"
			if isMaybeSent(err) {
				state = fmt.Sprintf("may or may not hold the values (check with get_range_data, RangeAddress %s)", in.rng)
			}
			return out, explain(err,
				fmt.Sprintf("Inserted %d row(s) above the old row %d (now %s) but writing the values into %s failed", n, in.Row, rows, in.rng),
				fmt.Sprintf("%s of %s %s: fill them with update_range_data (RangeAddress %s, the same Values) or remove them with delete_rows (Row %d, RowCount %d). Do not call insert_rows_before_with_data again: it would insert more rows.",
					capitalize(rows), in.label(), state, in.rng, in.Row, n))
		}
		out.InsertedRows, out.UpdateResult = n, *res
		out.Summary = fmt.Sprintf("Inserted %d row(s) above the old row %d of %s and wrote the values into %s.", n, in.Row, in.label(), res.A1Notation)
		return out, nil
	},
	UncertainHint: "The rows may have been inserted: check with get_range_data or get_worksheet (rowCount) before calling insert_rows_before_with_data again.",
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
