package sandbox

import (
	"slices"
	"strconv"
	"strings"
)

// sheetRange reads the {rangeAddress} segment and resolves it against the
// sheet.
func sheetRange(x *exchange, sh *worksheet) (a1Range, rect, *apiError) {
	a, err := parseA1(x.r.PathValue("rangeAddress"))
	if err != nil {
		return a1Range{}, rect{}, errSheetInvalid("%v", err)
	}
	return a, a.rect(sh.grid.rowCount(), sh.grid.columnCount()), nil
}

// insideRange checks that r lies in the sheet (a range reaching past it is
// DingTalk's notFound, per its FAQ) and is not too large to answer.
func insideRange(a a1Range, r rect, g *grid) *apiError {
	if !g.contains(r) {
		return errSheetNotFound("The range %s is out of the sheet, which has %d rows and %d columns (A1:%s%d).",
			a, g.rowCount(), g.columnCount(), a1ColumnName(g.columnCount()-1), g.rowCount())
	}
	if r.cells() > maxRangeCells {
		return errSheetInvalid("The range %s has %d cells; at most %d can be handled in one call.", a, r.cells(), maxRangeCells)
	}
	return nil
}

// colorWire is GetRange's colour object.
type colorWire struct {
	Red       int    `json:"red"`
	Green     int    `json:"green"`
	Blue      int    `json:"blue"`
	HexString string `json:"hexString"`
}

func colorOf(hex string) colorWire {
	if hex == "" {
		hex = "#FFFFFF" // an unformatted cell shows white (UNVERIFIED)
	}
	n, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	return colorWire{Red: int(n >> 16 & 0xff), Green: int(n >> 8 & 0xff), Blue: int(n & 0xff), HexString: strings.ToUpper(hex)}
}

// rangeFields are what GetRange's select may name. hyperlinks and
// complexValues are not modelled by the sandbox and are refused.
var rangeFields = map[string]func(v string, f cellFormat) any{
	"values": func(v string, _ cellFormat) any { return v },
	// The sandbox does not compute formulas: a cell's formula is its text
	// when that starts with "=", and "" otherwise (UNVERIFIED).
	"formulas": func(v string, _ cellFormat) any {
		if strings.HasPrefix(v, "=") {
			return v
		}
		return ""
	},
	// Number formats are not applied to displayed values.
	"displayValues":    func(v string, _ cellFormat) any { return v },
	"backgroundColors": func(_ string, f cellFormat) any { return colorOf(f.BackgroundColor) },
	"fontSizes": func(_ string, f cellFormat) any {
		if f.FontSize == 0 {
			return 10 // DingTalk's default size is UNVERIFIED
		}
		return f.FontSize
	},
	"fontWeights":          func(_ string, f cellFormat) any { return orDefault(f.FontWeight, "normal") },
	"horizontalAlignments": func(_ string, f cellFormat) any { return orDefault(f.HorizontalAlignment, "general") },
	"verticalAlignments":   func(_ string, f cellFormat) any { return orDefault(f.VerticalAlignment, "middle") },
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// rangeGet answers GetRange with the fields named by select, or all of
// them.
func (s *Server) rangeGet(x *exchange) (any, *apiError) {
	_, sh, aerr := s.openSheet(x, false)
	if aerr != nil {
		return nil, aerr
	}
	a, r, aerr := sheetRange(x, sh)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := insideRange(a, r, sh.grid); aerr != nil {
		return nil, aerr
	}
	var fields []string
	if sel := x.r.URL.Query().Get("select"); sel != "" {
		for _, f := range strings.Split(sel, ",") {
			f = strings.TrimSpace(f)
			if rangeFields[f] == nil {
				return nil, errSheetInvalid("select: unknown field %q.", f)
			}
			fields = append(fields, f)
		}
	} else {
		for f := range rangeFields {
			fields = append(fields, f)
		}
	}
	values, formats := sh.grid.values(r), sh.grid.formats(r)
	out := map[string]any{}
	for _, name := range fields {
		render := rangeFields[name]
		block := make([][]any, len(values))
		for i, row := range values {
			block[i] = make([]any, len(row))
			for j, v := range row {
				block[i][j] = render(v, formats[i][j])
			}
		}
		out[name] = block
	}
	return out, nil
}

// updateRangeBody is UpdateRange's body. hyperlinks and complexValues are
// not modelled by the sandbox; like any unknown field they are ignored.
type updateRangeBody struct {
	Values               [][]any    `json:"values"`
	BackgroundColors     [][]string `json:"backgroundColors"`
	FontColors           [][]string `json:"fontColors"`
	FontSizes            [][]int    `json:"fontSizes"`
	FontWeights          [][]string `json:"fontWeights"`
	HorizontalAlignments [][]string `json:"horizontalAlignments"`
	VerticalAlignments   [][]string `json:"verticalAlignments"`
	NumberFormat         *string    `json:"numberFormat"`
	WordWrap             *string    `json:"wordWrap"`
}

var (
	hexColor      = lazyRegexp(`^#[0-9A-Fa-f]{6}$`)
	numberFormats = []string{"General", "@", "#,##0", "#,##0.00", "0%", "0.00%", "0.00E+00", "¥#,##0", "¥#,##0.00",
		"$#,##0", "$#,##0.00", "yyyy/m/d", "yyyy年m月d日", "yyyy年m月", "hh:mm:ss", "yyyy/m/d hh:mm:ss"}
)

// shaped checks that a 2-D field of the body has exactly the range's shape.
func shaped[T any](field string, m [][]T, r rect, a a1Range) *apiError {
	if m == nil {
		return nil
	}
	if len(m) != r.rows {
		return errSheetInvalid("%s has %d rows but the range %s has %d.", field, len(m), a, r.rows)
	}
	for i, row := range m {
		if len(row) != r.cols {
			return errSheetInvalid("%s row %d has %d values but the range %s has %d columns.", field, i, len(row), a, r.cols)
		}
	}
	return nil
}

// allowed checks every item of a 2-D field with ok.
func allowed[T any](field string, m [][]T, ok func(T) bool, what string) *apiError {
	for i, row := range m {
		for j, v := range row {
			if !ok(v) {
				return errSheetInvalid("%s[%d][%d] is %v; %s.", field, i, j, v, what)
			}
		}
	}
	return nil
}

func oneOf(values ...string) func(string) bool {
	return func(v string) bool { return slices.Contains(values, v) }
}

// check validates the whole body against the range before anything is
// changed, as DingTalk does not write part of a request.
func (b *updateRangeBody) check(r rect, a a1Range) *apiError {
	if b.Values == nil && b.BackgroundColors == nil && b.FontColors == nil && b.FontSizes == nil && b.FontWeights == nil &&
		b.HorizontalAlignments == nil && b.VerticalAlignments == nil && b.NumberFormat == nil && b.WordWrap == nil {
		// All fields are optional in the SDK; an update that sets nothing is
		// refused here so that a client bug shows (UNVERIFIED).
		return errSheetInvalid("Nothing to update: give values or a formatting field.")
	}
	isHex := func(v string) bool { return hexColor().MatchString(v) }
	for _, err := range []*apiError{
		shaped("values", b.Values, r, a),
		shaped("backgroundColors", b.BackgroundColors, r, a),
		shaped("fontColors", b.FontColors, r, a),
		shaped("fontSizes", b.FontSizes, r, a),
		shaped("fontWeights", b.FontWeights, r, a),
		shaped("horizontalAlignments", b.HorizontalAlignments, r, a),
		shaped("verticalAlignments", b.VerticalAlignments, r, a),
		allowed("backgroundColors", b.BackgroundColors, isHex, "colours are written #rrggbb"),
		allowed("fontColors", b.FontColors, isHex, "colours are written #rrggbb"),
		allowed("fontSizes", b.FontSizes, func(n int) bool { return n >= 1 && n <= 409 }, "font sizes are 1 to 409"),
		allowed("fontWeights", b.FontWeights, oneOf("bold", "normal"), "use bold or normal"),
		allowed("horizontalAlignments", b.HorizontalAlignments, oneOf("left", "center", "right", "general"), "use left, center, right or general"),
		allowed("verticalAlignments", b.VerticalAlignments, oneOf("top", "middle", "bottom"), "use top, middle or bottom"),
	} {
		if err != nil {
			return err
		}
	}
	if b.NumberFormat != nil && !slices.Contains(numberFormats, *b.NumberFormat) {
		return errSheetInvalid("numberFormat %q is not one of the documented formats.", *b.NumberFormat)
	}
	if b.WordWrap != nil && !oneOf("overflow", "clip", "autoWrap")(*b.WordWrap) {
		return errSheetInvalid("wordWrap must be overflow, clip or autoWrap.")
	}
	return nil
}

// format returns f with the body's formatting for cell i, j applied.
func (b *updateRangeBody) format(f cellFormat, i, j int) cellFormat {
	if b.BackgroundColors != nil {
		f.BackgroundColor = b.BackgroundColors[i][j]
	}
	if b.FontColors != nil {
		f.FontColor = b.FontColors[i][j]
	}
	if b.FontSizes != nil {
		f.FontSize = b.FontSizes[i][j]
	}
	if b.FontWeights != nil {
		f.FontWeight = b.FontWeights[i][j]
	}
	if b.HorizontalAlignments != nil {
		f.HorizontalAlignment = b.HorizontalAlignments[i][j]
	}
	if b.VerticalAlignments != nil {
		f.VerticalAlignment = b.VerticalAlignments[i][j]
	}
	if b.NumberFormat != nil {
		f.NumberFormat = *b.NumberFormat
	}
	if b.WordWrap != nil {
		f.WordWrap = *b.WordWrap
	}
	return f
}

// rangeUpdate answers UpdateRange: values and formatting, each exactly the
// shape of the range, which must lie in the sheet (whether DingTalk grows
// the sheet instead is UNVERIFIED).
func (s *Server) rangeUpdate(x *exchange) (any, *apiError) {
	_, sh, aerr := s.openSheet(x, true)
	if aerr != nil {
		return nil, aerr
	}
	a, r, aerr := sheetRange(x, sh)
	if aerr != nil {
		return nil, aerr
	}
	var body updateRangeBody
	if aerr := decodeSheetBody(x, &body); aerr != nil {
		return nil, aerr
	}
	if aerr := insideRange(a, r, sh.grid); aerr != nil {
		return nil, aerr
	}
	if aerr := body.check(r, a); aerr != nil {
		return nil, aerr
	}
	g := sh.grid
	if body.Values != nil {
		values, aerr := valuesText("values", body.Values)
		if aerr != nil {
			return nil, aerr
		}
		if err := g.setValues(r, values); err != nil {
			return nil, gridError(err)
		}
	}
	for i, row := range g.formats(r) {
		for j, f := range row {
			if nf := body.format(f, i, j); nf != f {
				if err := g.setFormat(rect{r.row + i, r.col + j, 1, 1}, nf); err != nil {
					return nil, gridError(err)
				}
			}
		}
	}
	return map[string]any{"a1Notation": a.String()}, nil
}

// rangeClear answers Clear (values and formatting) and, with dataOnly,
// ClearData (values only). DingTalk documents A1:ZZ99999 for whole-sheet
// operations, so a range reaching past the sheet clears what is inside it.
func (s *Server) rangeClear(dataOnly bool) apiHandler {
	return func(x *exchange) (any, *apiError) {
		_, sh, aerr := s.openSheet(x, true)
		if aerr != nil {
			return nil, aerr
		}
		a, r, aerr := sheetRange(x, sh)
		if aerr != nil {
			return nil, aerr
		}
		if dataOnly {
			sh.grid.clearData(r)
		} else {
			sh.grid.clear(r)
		}
		return map[string]any{"a1Notation": a.String()}, nil
	}
}
