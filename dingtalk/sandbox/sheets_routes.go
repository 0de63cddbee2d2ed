package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Permission scopes of the workbook APIs, as each workbook API page on
// open.dingtalk.com names them.
const (
	scopeWorkbookRead  = "Document.Workbook.Read"
	scopeWorkbookWrite = "Document.Workbook.Write"
)

// Limits DingTalk's documentation leaves open (UNVERIFIED): the longest sheet name,
// and the most cells one GetRange or UpdateRange may cover. DingTalk's own
// CLI keeps a single call to 30 000 cells; the sandbox allows more so that
// whole-column reads of a default 1000-row sheet pass.
const (
	maxSheetName  = 100
	maxRangeCells = 200000
)

func (s *Server) sheetRoutes() {
	const (
		wb = "/v1.0/doc/workbooks/{workbookId}"
		sh = wb + "/sheets/{sheetId}"
		rg = sh + "/ranges/{rangeAddress}"
	)
	s.api("POST "+wb+"/sheets", scopeWorkbookWrite, s.sheetCreate)
	s.api("GET "+wb+"/sheets", scopeWorkbookRead, s.sheetList)
	s.api("GET "+sh, scopeWorkbookRead, s.sheetGet)
	s.api("DELETE "+sh, scopeWorkbookWrite, s.sheetDelete)
	s.api("POST "+sh+"/deleteColumns", scopeWorkbookWrite, s.sheetSpan(columnAxis, false, (*grid).deleteColumns))
	s.api("POST "+sh+"/insertColumnsBefore", scopeWorkbookWrite, s.sheetSpan(columnAxis, false, (*grid).insertColumnsBefore))
	s.api("POST "+sh+"/setColumnsVisibility", scopeWorkbookWrite, s.sheetSpan(columnAxis, true, nil))
	s.api("POST "+sh+"/deleteRows", scopeWorkbookWrite, s.sheetSpan(rowAxis, false, (*grid).deleteRows))
	s.api("POST "+sh+"/insertRowsBefore", scopeWorkbookWrite, s.sheetSpan(rowAxis, false, (*grid).insertRowsBefore))
	s.api("POST "+sh+"/setRowsVisibility", scopeWorkbookWrite, s.sheetSpan(rowAxis, true, nil))
	s.api("POST "+sh+"/appendRows", scopeWorkbookWrite, s.sheetAppendRows)
	s.api("GET "+rg, scopeWorkbookRead, s.rangeGet)
	s.api("PUT "+rg, scopeWorkbookWrite, s.rangeUpdate)
	s.api("POST "+rg+"/clear", scopeWorkbookWrite, s.rangeClear(false))
	s.api("POST "+rg+"/clearData", scopeWorkbookWrite, s.rangeClear(true))
}

// The workbook family's error answers, from the error tables of DingTalk's
// workbook API pages. The messages those tables leave as free text are the
// sandbox's own (UNVERIFIED).
func errSheetInvalid(format string, args ...any) *apiError {
	return errAPI(http.StatusBadRequest, "invalidRequest.inputArgs.invalid", fmt.Sprintf(format, args...))
}

func errSheetNotFound(format string, args ...any) *apiError {
	return errAPI(http.StatusNotFound, "invalidRequest.resource.notFound", fmt.Sprintf(format, args...))
}

var (
	errWorkbookIDIllegal = errAPI(http.StatusBadRequest, "invalidRequest.inputArgs.workbookIdIllegal", "The workbookId is illegal.")
	errOperatorIllegal   = errAPI(http.StatusBadRequest, "invalidRequest.inputArgs.operatorIdIllegal", "The operatorId is illegal.")
	errSheetAccess       = errAPI(http.StatusForbidden, "forbidden.accessDenied", "The operator has no permission.")
)

// validWorkbookID says whether id looks like a dentryUuid: 1 to 64 ASCII
// letters, digits, '_' or '-'. Anything else is workbookIdIllegal rather
// than not found (UNVERIFIED where DingTalk draws the line). A loop, not a
// regexp: {1,64} compiles to a program that took a third of a millisecond
// at every start-up of the server, sandbox or not.
func validWorkbookID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// openWorkbook does what every workbook API does first: check the operator
// (the required operatorId query parameter, a member's unionId), find the
// workbook, and check the operator may read it, or write it when write.
func (s *Server) openWorkbook(x *exchange, write bool) (*workbook, *apiError) {
	op := x.r.URL.Query().Get("operatorId")
	if strings.TrimSpace(op) == "" {
		return nil, errSheetInvalid("operatorId is required.")
	}
	u := s.state.dir.byUnionID[op]
	if u == nil {
		return nil, errOperatorIllegal
	}
	id := x.r.PathValue("workbookId")
	if !validWorkbookID(id) {
		return nil, errWorkbookIDIllegal
	}
	wb := s.state.sheets.workbooks[id]
	if wb == nil {
		if s.state.wiki != nil {
			if t, ok := s.state.wiki.nodeDocType(id); ok && t != "WORKBOOK" {
				return nil, errAPI(http.StatusBadRequest, "invalidRequest.resource.notWorkbook",
					fmt.Sprintf("The node %s is a %s, not a workbook.", id, t))
			}
		}
		return nil, errSheetNotFound("The workbook %s does not exist.", id)
	}
	role := wb.roles[u.UnionID]
	if !u.Active || u.external || role == RoleNone || (write && role == RoleReader) {
		return nil, errSheetAccess
	}
	return wb, nil
}

// openSheet is openWorkbook plus the {sheetId} segment: an id or a name.
func (s *Server) openSheet(x *exchange, write bool) (*workbook, *worksheet, *apiError) {
	wb, aerr := s.openWorkbook(x, write)
	if aerr != nil {
		return nil, nil, aerr
	}
	id := x.r.PathValue("sheetId")
	sh := wb.sheet(id)
	if sh == nil {
		return nil, nil, errSheetNotFound("The sheet %s does not exist in the workbook.", id)
	}
	return wb, sh, nil
}

// decodeSheetBody reads a workbook API's JSON body. An empty body is
// accepted, as the SDK sends none for clear and clearData.
func decodeSheetBody(x *exchange, v any) *apiError {
	if len(bytes.TrimSpace(x.body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(x.body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return errSheetInvalid("The request body is not valid JSON: %v", err)
	}
	return nil
}

// gridError turns a grid error into DingTalk's answer.
func gridError(err error) *apiError {
	if errors.Is(err, errGridOutside) {
		return errSheetNotFound("The range is out of the sheet: %v", err)
	}
	return errSheetInvalid("%v", err)
}

// sheetWire is GetSheet's answer.
type sheetWire struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	Visibility         string `json:"visibility"`
	RowCount           int    `json:"rowCount"`
	ColumnCount        int    `json:"columnCount"`
	LastNonEmptyRow    int    `json:"lastNonEmptyRow"`
	LastNonEmptyColumn int    `json:"lastNonEmptyColumn"`
	FrozenRowCount     int    `json:"frozenRowCount"`
	FrozenColumnCount  int    `json:"frozenColumnCount"`
}

// sheetCreate answers CreateSheet: a new, empty sheet at the end.
func (s *Server) sheetCreate(x *exchange) (any, *apiError) {
	wb, aerr := s.openWorkbook(x, true)
	if aerr != nil {
		return nil, aerr
	}
	var body struct {
		Name *string `json:"name"`
	}
	if aerr := decodeSheetBody(x, &body); aerr != nil {
		return nil, aerr
	}
	if body.Name == nil || strings.TrimSpace(*body.Name) == "" {
		return nil, errSheetInvalid("name is required.")
	}
	if n := len([]rune(*body.Name)); n > maxSheetName {
		return nil, errSheetInvalid("name is %d characters; at most %d are allowed.", n, maxSheetName)
	}
	sh := wb.addSheet(strings.TrimSpace(*body.Name))
	return map[string]any{"visibility": "visible", "name": sh.name, "id": sh.id}, nil
}

// sheetList answers GetAllSheets: ids and names in display order.
func (s *Server) sheetList(x *exchange) (any, *apiError) {
	wb, aerr := s.openWorkbook(x, false)
	if aerr != nil {
		return nil, aerr
	}
	list := make([]map[string]string, len(wb.sheets))
	for i, sh := range wb.sheets {
		list[i] = map[string]string{"id": sh.id, "name": sh.name}
	}
	return map[string]any{"value": list}, nil
}

// sheetGet answers GetSheet, with the 0-based lastNonEmpty cursors.
func (s *Server) sheetGet(x *exchange) (any, *apiError) {
	_, sh, aerr := s.openSheet(x, false)
	if aerr != nil {
		return nil, aerr
	}
	g := sh.grid
	return sheetWire{ID: sh.id, Name: sh.name, Visibility: "visible", RowCount: g.rowCount(), ColumnCount: g.columnCount(),
		LastNonEmptyRow: g.lastNonEmptyRow(), LastNonEmptyColumn: g.lastNonEmptyColumn()}, nil
}

// sheetDelete answers DeleteSheet. Deleting a workbook's only sheet is
// refused with forbidden.operationIllegal (UNVERIFIED: DingTalk's
// "Delete worksheet" page names no code for it).
func (s *Server) sheetDelete(x *exchange) (any, *apiError) {
	wb, sh, aerr := s.openSheet(x, true)
	if aerr != nil {
		return nil, aerr
	}
	if len(wb.sheets) == 1 {
		return nil, errAPI(http.StatusForbidden, "forbidden.operationIllegal", "A workbook must keep at least one sheet.")
	}
	wb.sheets = slices.DeleteFunc(wb.sheets, func(o *worksheet) bool { return o == sh })
	return map[string]any{"success": true}, nil
}

type axis int

const (
	rowAxis axis = iota
	columnAxis
)

// spanBody is the body of the row and column operations: a 0-based
// cursor, a count and, for the visibility ones, the visibility.
type spanBody struct {
	Row         *int64  `json:"row"`
	RowCount    *int64  `json:"rowCount"`
	Column      *int64  `json:"column"`
	ColumnCount *int64  `json:"columnCount"`
	Visibility  *string `json:"visibility"`
}

// sheetSpan answers one of the six row and column operations. apply is
// the grid operation; nil means setting visibility.
func (s *Server) sheetSpan(ax axis, visibility bool, apply func(g *grid, at, count int) error) apiHandler {
	name, limit := "row", int64(maxGridRows)
	if ax == columnAxis {
		name, limit = "column", maxGridColumns
	}
	return func(x *exchange) (any, *apiError) {
		_, sh, aerr := s.openSheet(x, true)
		if aerr != nil {
			return nil, aerr
		}
		var body spanBody
		if aerr := decodeSheetBody(x, &body); aerr != nil {
			return nil, aerr
		}
		at, count := body.Row, body.RowCount
		if ax == columnAxis {
			at, count = body.Column, body.ColumnCount
		}
		switch {
		case at == nil:
			return nil, errSheetInvalid("%s is required.", name)
		case count == nil:
			return nil, errSheetInvalid("%sCount is required.", name)
		case *at < 0 || *at > limit:
			return nil, errSheetInvalid("%s %d is not a valid 0-based index.", name, *at)
		case *count < 1 || *count > limit:
			return nil, errSheetInvalid("%sCount %d must be between 1 and %d.", name, *count, limit)
		}
		var err error
		if visibility {
			if body.Visibility == nil || (*body.Visibility != "visible" && *body.Visibility != "hidden") {
				return nil, errSheetInvalid("visibility must be visible or hidden.")
			}
			hidden := *body.Visibility == "hidden"
			if ax == rowAxis {
				err = sh.grid.setRowsHidden(int(*at), int(*count), hidden)
			} else {
				err = sh.grid.setColumnsHidden(int(*at), int(*count), hidden)
			}
		} else {
			err = apply(sh.grid, int(*at), int(*count))
		}
		if err != nil {
			return nil, gridError(err)
		}
		return map[string]any{"id": sh.id}, nil
	}
}

// cellText reads one cell of a values matrix. The SDK sends strings;
// numbers and booleans are taken as their text, null as empty (UNVERIFIED).
func cellText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	case nil:
		return "", true
	}
	return "", false
}

func valuesText(field string, m [][]any) ([][]string, *apiError) {
	out := make([][]string, len(m))
	for i, row := range m {
		out[i] = make([]string, len(row))
		for j, v := range row {
			t, ok := cellText(v)
			if !ok {
				return nil, errSheetInvalid("%s[%d][%d] must be a string.", field, i, j)
			}
			out[i][j] = t
		}
	}
	return out, nil
}

// sheetAppendRows answers the native AppendRows: the values go below the
// last row holding a value, from column A, and the sheet grows when they
// pass its last row. Wider values than the sheet are refused (UNVERIFIED).
func (s *Server) sheetAppendRows(x *exchange) (any, *apiError) {
	_, sh, aerr := s.openSheet(x, true)
	if aerr != nil {
		return nil, aerr
	}
	var body struct {
		Values [][]any `json:"values"`
	}
	if aerr := decodeSheetBody(x, &body); aerr != nil {
		return nil, aerr
	}
	if len(body.Values) == 0 || len(body.Values[0]) == 0 {
		return nil, errSheetInvalid("values is required.")
	}
	values, aerr := valuesText("values", body.Values)
	if aerr != nil {
		return nil, aerr
	}
	g := sh.grid
	n, w := len(values), len(values[0])
	if w > g.columnCount() {
		return nil, errSheetInvalid("values has %d columns; the sheet has %d.", w, g.columnCount())
	}
	start := g.lastNonEmptyRow() + 1
	if grow := start + n - g.rowCount(); grow > 0 {
		if err := g.insertRowsBefore(g.rowCount(), grow); err != nil {
			return nil, gridError(err)
		}
	}
	if err := g.setValues(rect{start, 0, n, w}, values); err != nil {
		return nil, gridError(err)
	}
	return map[string]any{"a1Notation": a1Range{row0: start, row1: start + n - 1, col0: 0, col1: w - 1}.String()}, nil
}
