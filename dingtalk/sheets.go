package dingtalk

import (
	"context"
	"strconv"
	"strings"
)

// SheetsService reads and writes the worksheets of smart spreadsheets
// (workbooks).
type SheetsService service

// SheetRef names a worksheet and the member acting on it. Every spreadsheet
// API takes the acting member's unionId as the operatorId query parameter.
type SheetRef struct {
	WorkbookID string // the spreadsheet's dentryUuid, i.e. its knowledge-base nodeId
	SheetID    string // the sheet's id or its name: DingTalk accepts either
	OperatorID string // the acting member's unionId
}

// Sheet is a worksheet as DingTalk's GetSheet returns it. Its cursors are
// DingTalk's: 0-based, with -1 for an empty sheet; DataEnd gives them in
// A1 numbering.
type Sheet struct {
	ID                 string `json:"id" jsonschema_description:"The sheet's id; SheetId accepts it, or the sheet's name."`
	Name               string `json:"name" jsonschema_description:"The sheet's name (its tab title)."`
	Visibility         string `json:"visibility,omitempty" jsonschema_description:"visible or hidden."`
	RowCount           int64  `json:"rowCount" jsonschema_description:"Rows in the sheet's grid, empty ones included."`
	ColumnCount        int64  `json:"columnCount" jsonschema_description:"Columns in the sheet's grid, empty ones included."`
	LastNonEmptyRow    int64  `json:"lastNonEmptyRow" jsonschema_description:"0-based index of the last row holding a value (so A1 row number minus 1); -1 when the sheet is empty."`
	LastNonEmptyColumn int64  `json:"lastNonEmptyColumn" jsonschema_description:"0-based index of the last column holding a value (0 is A); -1 when the sheet is empty."`
	FrozenRowCount     int64  `json:"frozenRowCount,omitempty" jsonschema_description:"Rows frozen at the top."`
	FrozenColumnCount  int64  `json:"frozenColumnCount,omitempty" jsonschema_description:"Columns frozen at the left."`
}

// DataEnd returns the A1 row and column numbers of the last row and column
// holding a value, or 0, 0 for an empty sheet.
func (s *Sheet) DataEnd() (row, column int) {
	return a1Number(s.LastNonEmptyRow), a1Number(s.LastNonEmptyColumn)
}

// SheetEntry is one worksheet in GetAllSheets' list.
type SheetEntry struct {
	ID   string `json:"id" jsonschema_description:"The sheet's id; SheetId accepts it, or the name."`
	Name string `json:"name" jsonschema_description:"The sheet's name (its tab title)."`
}

// NewSheet is the worksheet CreateSheet made. DingTalk renames a sheet
// whose name is already taken, so Name may differ from the name asked for.
type NewSheet struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Visibility string `json:"visibility"`
}

// RangeData is a block of cells as GetRange returns it: each field holds
// one row per range row, one item per range column. Only the fields asked
// for with select are filled.
type RangeData struct {
	Values               [][]any       `json:"values" jsonschema_description:"Cell values, computed for formula cells; an empty cell is an empty string."`
	Formulas             [][]string    `json:"formulas,omitempty" jsonschema_description:"Cell formulas such as =B1+C2."`
	DisplayValues        [][]string    `json:"displayValues,omitempty" jsonschema_description:"Cell values as displayed, after number formatting (e.g. 100%)."`
	BackgroundColors     [][]Color     `json:"backgroundColors,omitempty" jsonschema_description:"Cell background colours."`
	FontSizes            [][]int64     `json:"fontSizes,omitempty" jsonschema_description:"Font sizes in points."`
	FontWeights          [][]string    `json:"fontWeights,omitempty" jsonschema_description:"bold or normal."`
	HorizontalAlignments [][]string    `json:"horizontalAlignments,omitempty" jsonschema_description:"left, center, right or general."`
	VerticalAlignments   [][]string    `json:"verticalAlignments,omitempty" jsonschema_description:"top, middle or bottom."`
	Hyperlinks           [][]Hyperlink `json:"hyperlinks,omitempty" jsonschema_description:"Cell links."`
	ComplexValues        [][]any       `json:"complexValues,omitempty" jsonschema_description:"Rich-text cell content."`
}

// Color is a cell colour in GetRange's form.
type Color struct {
	Red       int64  `json:"red" jsonschema_description:"0-255."`
	Green     int64  `json:"green" jsonschema_description:"0-255."`
	Blue      int64  `json:"blue" jsonschema_description:"0-255."`
	HexString string `json:"hexString" jsonschema_description:"The colour as #rrggbb."`
}

// Hyperlink is a cell link: to a URL (path), a sheet or a range.
type Hyperlink struct {
	Type string `json:"type" jsonschema_description:"path (a URL), sheet or range."`
	Link string `json:"link" jsonschema_description:"The URL, sheet name or range such as Sheet2!A4."`
	Text string `json:"text,omitempty" jsonschema_description:"The text shown."`
}

// RangeResult is the answer of the writes to a range: the range touched, in
// A1 notation.
type RangeResult struct {
	A1Notation string `json:"a1Notation,omitempty" jsonschema_description:"The range DingTalk wrote or cleared, in A1 notation."`
}

// The values of the visibility parameter.
const (
	Visible = "visible"
	Hidden  = "hidden"
)

const (
	workbookPath = "/v1.0/doc/workbooks/{}"
	sheetPath    = workbookPath + "/sheets/{}"
	rangePath    = sheetPath + "/ranges/{}"
)

var (
	sheetCreateEndpoint          = &endpoint{family: apiFamily, method: "POST", path: workbookPath + "/sheets"}
	sheetListEndpoint            = &endpoint{family: apiFamily, method: "GET", path: workbookPath + "/sheets", idempotent: true}
	sheetGetEndpoint             = &endpoint{family: apiFamily, method: "GET", path: sheetPath, idempotent: true}
	sheetDeleteEndpoint          = &endpoint{family: apiFamily, method: "DELETE", path: sheetPath, idempotent: true}
	deleteColumnsEndpoint        = &endpoint{family: apiFamily, method: "POST", path: sheetPath + "/deleteColumns"}
	setColumnsVisibilityEndpoint = &endpoint{family: apiFamily, method: "POST", path: sheetPath + "/setColumnsVisibility", idempotent: true}
	insertColumnsBeforeEndpoint  = &endpoint{family: apiFamily, method: "POST", path: sheetPath + "/insertColumnsBefore"}
	deleteRowsEndpoint           = &endpoint{family: apiFamily, method: "POST", path: sheetPath + "/deleteRows"}
	setRowsVisibilityEndpoint    = &endpoint{family: apiFamily, method: "POST", path: sheetPath + "/setRowsVisibility", idempotent: true}
	insertRowsBeforeEndpoint     = &endpoint{family: apiFamily, method: "POST", path: sheetPath + "/insertRowsBefore"}
	rangeGetEndpoint             = &endpoint{family: apiFamily, method: "GET", path: rangePath, idempotent: true}
	rangeUpdateEndpoint          = &endpoint{family: apiFamily, method: "PUT", path: rangePath, idempotent: true}
	// The same API, declared not idempotent: WriteRangeOnce sends it at
	// most once after it may have reached DingTalk.
	rangeWriteOnceEndpoint = &endpoint{family: apiFamily, method: "PUT", path: rangePath}
	rangeClearEndpoint     = &endpoint{family: apiFamily, method: "POST", path: rangePath + "/clear", idempotent: true}
	rangeClearDataEndpoint = &endpoint{family: apiFamily, method: "POST", path: rangePath + "/clearData", idempotent: true}
)

// wireIndex converts a 1-based row or column number, as A1 notation and
// the tools count, to the 0-based cursor DingTalk's JSON bodies take.
// a1Number is its inverse, for the cursors DingTalk answers with. They are
// the only place the two conventions meet.
func wireIndex(n int) int64 { return int64(n) - 1 }

func a1Number(cursor int64) int { return int(cursor) + 1 }

func (r SheetRef) call(ep *endpoint, body any, extra ...string) *call {
	return &call{ep: ep, pathParams: append([]string{r.WorkbookID, r.SheetID}, extra...), query: operatorQuery(r.OperatorID), body: body}
}

// Create adds a worksheet named name to the workbook. DingTalk renames it
// if the name is taken; the answer carries the name it got.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets. Not idempotent:
// each call adds a sheet.
func (s *SheetsService) Create(ctx context.Context, workbookID, operatorID, name string) (*NewSheet, error) {
	var out NewSheet
	c := &call{ep: sheetCreateEndpoint, pathParams: []string{workbookID}, query: operatorQuery(operatorID), body: map[string]any{"name": name}}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns the workbook's worksheets in display order.
//
// DingTalk: GET /v1.0/doc/workbooks/{workbookId}/sheets. Idempotent.
func (s *SheetsService) List(ctx context.Context, workbookID, operatorID string) ([]SheetEntry, error) {
	var out struct {
		Value []SheetEntry `json:"value"`
	}
	c := &call{ep: sheetListEndpoint, pathParams: []string{workbookID}, query: operatorQuery(operatorID)}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	if out.Value == nil {
		out.Value = []SheetEntry{}
	}
	return out.Value, nil
}

// Get returns a worksheet's properties: size and where its data ends.
//
// DingTalk: GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}.
// Idempotent.
func (s *SheetsService) Get(ctx context.Context, ref SheetRef) (*Sheet, error) {
	var out Sheet
	if err := s.client.do(ctx, ref.call(sheetGetEndpoint, nil), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete removes a worksheet and everything in it.
//
// DingTalk: DELETE /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}.
// Idempotent: a deleted sheet stays deleted (a repeat answers not found).
func (s *SheetsService) Delete(ctx context.Context, ref SheetRef) error {
	var out struct {
		Success *bool `json:"success"`
	}
	if err := s.client.do(ctx, ref.call(sheetDeleteEndpoint, nil), &out); err != nil {
		return err
	}
	if out.Success != nil && !*out.Success {
		return (&Error{Endpoint: sheetDeleteEndpoint.name(), HTTPStatus: 200, Kind: KindUnknown}).describe(phrasef("DingTalk answered success=false: the sheet was not deleted"))
	}
	return nil
}

// Axis is one direction of a worksheet: its rows or its columns. The
// operations on whole rows and on whole columns are the same three APIs
// twice; an Axis picks one of each pair.
type Axis int

// The two axes.
const (
	Rows Axis = iota
	Columns
)

// axisAPI is how DingTalk names an axis: the body fields that give a span's
// first line and length, and the three APIs that act on whole lines.
type axisAPI struct {
	noun, first, count         string
	max                        int
	del, setVisibility, insert *endpoint
}

var axes = [...]axisAPI{
	Rows:    {"row", "row", "rowCount", MaxRows, deleteRowsEndpoint, setRowsVisibilityEndpoint, insertRowsBeforeEndpoint},
	Columns: {"column", "column", "columnCount", MaxColumns, deleteColumnsEndpoint, setColumnsVisibilityEndpoint, insertColumnsBeforeEndpoint},
}

// String returns "row" or "column".
func (a Axis) String() string { return axes[a].noun }

// Max returns the last row or column a sheet can have: MaxRows or
// MaxColumns.
func (a Axis) Max() int { return axes[a].max }

// Name returns the 1-based row or column n as A1 notation writes it: "3"
// for row 3, "C" for column 3.
func (a Axis) Name(n int) string {
	if a == Columns {
		return ColumnName(n)
	}
	return strconv.Itoa(n)
}

// Size returns how many rows or columns sh's grid has.
func (a Axis) Size(sh *Sheet) int {
	if a == Columns {
		return int(sh.ColumnCount)
	}
	return int(sh.RowCount)
}

// spanBody is the body of the operations on whole rows or columns: the
// 0-based first line and the number of lines, under the axis's names.
func (a Axis) spanBody(first, count int, visibility string) map[string]any {
	api := axes[a]
	body := map[string]any{api.first: wireIndex(first), api.count: int64(count)}
	if visibility != "" {
		body["visibility"] = visibility
	}
	return body
}

// spanOp sends an operation on whole rows or columns, whose answer is the
// sheet id.
func (s *SheetsService) spanOp(ctx context.Context, ref SheetRef, ep *endpoint, body map[string]any) error {
	var out struct {
		ID string `json:"id"`
	}
	return s.client.do(ctx, ref.call(ep, body), &out)
}

// DeleteSpan deletes count rows or columns from the 1-based first; the rows
// below move up, the columns to the right move left.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteRows
// or …/deleteColumns. Not idempotent: a repeat deletes the next ones.
func (s *SheetsService) DeleteSpan(ctx context.Context, ref SheetRef, axis Axis, first, count int) error {
	return s.spanOp(ctx, ref, axes[axis].del, axis.spanBody(first, count, ""))
}

// SetSpanVisibility shows or hides count rows or columns from the 1-based
// first; visibility is Visible or Hidden.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/setRowsVisibility
// or …/setColumnsVisibility. Idempotent.
func (s *SheetsService) SetSpanVisibility(ctx context.Context, ref SheetRef, axis Axis, first, count int, visibility string) error {
	return s.spanOp(ctx, ref, axes[axis].setVisibility, axis.spanBody(first, count, visibility))
}

// InsertSpanBefore inserts count empty rows above the 1-based row before,
// or count empty columns left of the column before.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertRowsBefore
// or …/insertColumnsBefore. Not idempotent: a repeat inserts more.
func (s *SheetsService) InsertSpanBefore(ctx context.Context, ref SheetRef, axis Axis, before, count int) error {
	return s.spanOp(ctx, ref, axes[axis].insert, axis.spanBody(before, count, ""))
}

// GetRange reads the cells of rng. fields are the RangeData properties to
// return, by their JSON names ("values", "formulas", ...); none asks for
// all of them, which DingTalk advises against for large ranges.
//
// DingTalk: GET /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}.
// Idempotent.
func (s *SheetsService) GetRange(ctx context.Context, ref SheetRef, rng Range, fields ...string) (*RangeData, error) {
	c := ref.call(rangeGetEndpoint, nil, rng.String())
	if len(fields) > 0 {
		c.query.Set("select", strings.Join(fields, ","))
	}
	var out RangeData
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	if out.Values == nil {
		out.Values = [][]any{}
	}
	return &out, nil
}

// UpdateRange writes values into rng, which must be exactly as many rows
// and columns as values.
//
// DingTalk: PUT /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}.
// Idempotent: the same values land in the same cells.
func (s *SheetsService) UpdateRange(ctx context.Context, ref SheetRef, rng Range, values [][]string) (*RangeResult, error) {
	return s.writeRange(ctx, ref, rangeUpdateEndpoint, rng, values)
}

// WriteRangeOnce is UpdateRange sent without automatic retries once the
// request may have reached DingTalk. The steps of non-idempotent
// operations use it (an append whose rows were chosen from a read, the
// write after an insert): whether to write again after an uncertain
// outcome is for the caller to decide after reading the rows back.
//
// DingTalk: PUT /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}.
// Treated as not idempotent.
func (s *SheetsService) WriteRangeOnce(ctx context.Context, ref SheetRef, rng Range, values [][]string) (*RangeResult, error) {
	return s.writeRange(ctx, ref, rangeWriteOnceEndpoint, rng, values)
}

func (s *SheetsService) writeRange(ctx context.Context, ref SheetRef, ep *endpoint, rng Range, values [][]string) (*RangeResult, error) {
	var out RangeResult
	if err := s.client.do(ctx, ref.call(ep, map[string]any{"values": values}, rng.String()), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Clear empties rng of values and formatting.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}/clear.
// Idempotent.
func (s *SheetsService) Clear(ctx context.Context, ref SheetRef, rng Range) (*RangeResult, error) {
	var out RangeResult
	if err := s.client.do(ctx, ref.call(rangeClearEndpoint, nil, rng.String()), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ClearData empties rng of values and keeps its formatting.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}/clearData.
// Idempotent.
func (s *SheetsService) ClearData(ctx context.Context, ref SheetRef, rng Range) (*RangeResult, error) {
	var out RangeResult
	if err := s.client.do(ctx, ref.call(rangeClearDataEndpoint, nil, rng.String()), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
