package tools

import (
	"context"
	"errors"
	"slices"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// maxReadCells bounds what one get_range_data call may ask for, so that a
// careless range does not flood the conversation; larger blocks are read in
// parts.
const maxReadCells = 20000

// parseRange reads a RangeAddress with the product's one A1 parser.
func parseRange(field, s string) (dingtalk.Range, error) {
	r, err := dingtalk.ParseRange(s)
	if err != nil {
		return r, badRange(field, err)
	}
	return r, nil
}

// block is the range from row and column (1-based) holding a matrix of
// height rows and width columns.
func block(row, col, height, width int) dingtalk.Range {
	return dingtalk.Range{StartRow: row, EndRow: row + height - 1, StartCol: col, EndCol: col + width - 1}
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
			return out, err
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
				note = env.Lang.Text(" These columns hold no data.")
			case last < rows:
				note = env.Lang.Textf(" Only rows 1-%d hold data in these columns; the %d empty rows after them are left out.", last, rows-last)
			}
		case in.rng.IsWholeRows():
			last := lastFilledColumn(data.Values)
			trimRangeData(data, -1, last)
			switch {
			case last == 0 && cols > 0:
				note = env.Lang.Text(" These rows hold no data.")
			case last < cols:
				note = env.Lang.Textf(" Only columns A-%s hold data in these rows; the %d empty columns after them are left out.", dingtalk.ColumnName(last), cols-last)
			}
		}
		rows, cols = valuesSize(data.Values)
		out.Summary = env.Lang.Textf("Read %s of %s: %d row(s) × %d column(s), %d non-empty cell(s).%s",
			in.rng, in.label(env.Lang), rows, cols, filledCells(data.Values), note)
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
	Preview: func(l i18n.Lang, in *UpdateRangeDataIn) string {
		return l.Textf("overwrite %s of %s with %d row(s) × %d column(s) of values, replacing what those cells hold",
			in.rng, in.label(l), in.rng.Height(), in.rng.Width())
	},
	Run: func(ctx context.Context, env *Env, in *UpdateRangeDataIn) (out UpdateRangeDataOut, err error) {
		res, err := env.Client.Sheets.UpdateRange(ctx, in.ref(in.Operator), in.rng, in.Values)
		if err != nil {
			return out, err
		}
		out.UpdateResult = res
		out.Summary = env.Lang.Textf("Wrote %d row(s) × %d column(s) to %s of %s.", in.rng.Height(), in.rng.Width(), res.A1Notation, in.label(env.Lang))
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
		if r.IsWholeColumns() {
			return invalid("RangeAddress", "RangeAddress %s names whole columns; give the exact block to write, e.g. %s for these %d row(s) of %d value(s)", r, fit, h, w)
		}
		return invalid("RangeAddress", "RangeAddress %s names whole rows; give the exact block to write, e.g. %s for these %d row(s) of %d value(s)", r, fit, h, w)
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
	Preview: func(l i18n.Lang, in *ClearRangeIn) string {
		return l.Textf("clear the values and the formatting of %s of %s", in.rng, in.label(l))
	},
	Run: func(ctx context.Context, env *Env, in *ClearRangeIn) (out ClearRangeOut, err error) {
		res, err := env.Client.Sheets.Clear(ctx, in.ref(in.Operator), in.rng)
		if err != nil {
			return out, err
		}
		out.ClearResult = res
		out.Summary = env.Lang.Textf("Cleared the values and formatting of %s of %s.", res.A1Notation, in.label(env.Lang))
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
	Preview: func(l i18n.Lang, in *ClearRangeIn) string {
		return l.Textf("clear the values of %s of %s (formatting is kept)", in.rng, in.label(l))
	},
	Run: func(ctx context.Context, env *Env, in *ClearRangeIn) (out ClearRangeOut, err error) {
		res, err := env.Client.Sheets.ClearData(ctx, in.ref(in.Operator), in.rng)
		if err != nil {
			return out, err
		}
		out.ClearResult = res
		out.Summary = env.Lang.Textf("Cleared the values of %s of %s; its formatting is kept.", res.A1Notation, in.label(env.Lang))
		return out, nil
	},
}

// badRange is the InputError of field for err, a *dingtalk.RangeError from
// the A1 parser, whose problem it words in the language of the answer.
func badRange(field string, err error) error {
	var re *dingtalk.RangeError
	if !errors.As(err, &re) {
		return invalid(field, "%s: %s", field, err.Error())
	}
	if re.Column {
		return invalid(field, "%s: invalid column %q: %s; use column letters from A to XFD", field, re.Quoted(), phrase(re.Problem))
	}
	return invalid(field, "%s: invalid range %q: %s; use A1 notation such as A1:C3, A:C or 3:5", field, re.Quoted(), phrase(re.Problem))
}
