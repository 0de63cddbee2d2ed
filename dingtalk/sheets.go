package dingtalk

import (
	"context"
	"fmt"
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

// checkSpan refuses a block that cannot exist, before anything is sent.
func checkSpan(what string, first, count int) error {
	if first < 1 {
		return &InvalidArgumentError{Field: what, Message: fmt.Sprintf("the first %s is numbered from 1, got %d", what, first)}
	}
	if count < 1 {
		return &InvalidArgumentError{Field: what + "Count", Message: fmt.Sprintf("at least one %s, got %d", what, count)}
	}
	return nil
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
		return &Error{Endpoint: sheetDeleteEndpoint.name(), HTTPStatus: 200, Kind: KindUnknown, Message: "DingTalk answered success=false: the sheet was not deleted"}
	}
	return nil
}

type columnsBody struct {
	Column      int64  `json:"column"`
	ColumnCount int64  `json:"columnCount"`
	Visibility  string `json:"visibility,omitempty"`
}

type rowsBody struct {
	Row        int64  `json:"row"`
	RowCount   int64  `json:"rowCount"`
	Visibility string `json:"visibility,omitempty"`
}

func columns(first, count int, visibility string) (*columnsBody, error) {
	if err := checkSpan("column", first, count); err != nil {
		return nil, err
	}
	return &columnsBody{Column: wireIndex(first), ColumnCount: int64(count), Visibility: visibility}, nil
}

func rows(first, count int, visibility string) (*rowsBody, error) {
	if err := checkSpan("row", first, count); err != nil {
		return nil, err
	}
	return &rowsBody{Row: wireIndex(first), RowCount: int64(count), Visibility: visibility}, nil
}

// sheetOp sends a row or column operation, whose answer is the sheet id.
func (s *SheetsService) sheetOp(ctx context.Context, ref SheetRef, ep *endpoint, body any, err error) error {
	if err != nil {
		return err
	}
	var out struct {
		ID string `json:"id"`
	}
	return s.client.do(ctx, ref.call(ep, body), &out)
}

// DeleteColumns deletes count columns from the 1-based column first; the
// columns to their right move left.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteColumns.
// Not idempotent: a repeat deletes the next columns.
func (s *SheetsService) DeleteColumns(ctx context.Context, ref SheetRef, first, count int) error {
	body, err := columns(first, count, "")
	return s.sheetOp(ctx, ref, deleteColumnsEndpoint, body, err)
}

// SetColumnsVisibility shows or hides count columns from the 1-based
// column first; visibility is Visible or Hidden.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/setColumnsVisibility.
// Idempotent.
func (s *SheetsService) SetColumnsVisibility(ctx context.Context, ref SheetRef, first, count int, visibility string) error {
	body, err := columns(first, count, visibility)
	return s.sheetOp(ctx, ref, setColumnsVisibilityEndpoint, body, err)
}

// InsertColumnsBefore inserts count empty columns left of the 1-based
// column before.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertColumnsBefore.
// Not idempotent: a repeat inserts more columns.
func (s *SheetsService) InsertColumnsBefore(ctx context.Context, ref SheetRef, before, count int) error {
	body, err := columns(before, count, "")
	return s.sheetOp(ctx, ref, insertColumnsBeforeEndpoint, body, err)
}

// DeleteRows deletes count rows from the 1-based row first; the rows below
// move up.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteRows.
// Not idempotent: a repeat deletes the next rows.
func (s *SheetsService) DeleteRows(ctx context.Context, ref SheetRef, first, count int) error {
	body, err := rows(first, count, "")
	return s.sheetOp(ctx, ref, deleteRowsEndpoint, body, err)
}

// SetRowsVisibility shows or hides count rows from the 1-based row first;
// visibility is Visible or Hidden.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/setRowsVisibility.
// Idempotent.
func (s *SheetsService) SetRowsVisibility(ctx context.Context, ref SheetRef, first, count int, visibility string) error {
	body, err := rows(first, count, visibility)
	return s.sheetOp(ctx, ref, setRowsVisibilityEndpoint, body, err)
}

// InsertRowsBefore inserts count empty rows above the 1-based row before.
//
// DingTalk: POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/insertRowsBefore.
// Not idempotent: a repeat inserts more rows.
func (s *SheetsService) InsertRowsBefore(ctx context.Context, ref SheetRef, before, count int) error {
	body, err := rows(before, count, "")
	return s.sheetOp(ctx, ref, insertRowsBeforeEndpoint, body, err)
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
	if h, w := rng.Height(), rng.Width(); h > 0 && w > 0 {
		if len(values) != h {
			return nil, &InvalidArgumentError{Field: "values", Message: fmt.Sprintf("%d rows of values for range %s of %d rows", len(values), rng, h)}
		}
		for i, row := range values {
			if len(row) != w {
				return nil, &InvalidArgumentError{Field: "values", Message: fmt.Sprintf("row %d has %d values for range %s of %d columns", i+1, len(row), rng, w)}
			}
		}
	}
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
