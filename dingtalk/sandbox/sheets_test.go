package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sheetAPI talks to a fresh sandbox's workbook APIs over HTTP, as the
// official SDK does: token header, operatorId query, JSON bodies.
type sheetAPI struct {
	t     *testing.T
	s     *Server
	url   string
	token string
	op    string // operatorId sent with each call
}

func newSheetAPI(t *testing.T) *sheetAPI {
	t.Helper()
	s := New(WithQPS(0))
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	a := &sheetAPI{t: t, s: s, url: ts.URL}
	status, body := a.send("POST", "/v1.0/oauth2/accessToken", map[string]string{"appKey": AppKey, "appSecret": AppSecret})
	if status != 200 {
		t.Fatalf("token: %d %v", status, body)
	}
	a.token = body["accessToken"].(string)
	a.op = s.state.dir.users[SeedManagerID].UnionID
	return a
}

func (a *sheetAPI) send(method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.url+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if a.token != "" {
		req.Header.Set("x-acs-dingtalk-access-token", a.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		a.t.Fatalf("%s %s: answer is not a JSON object: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// call sends a workbook API call with the operatorId; path is relative to
// /v1.0/doc/workbooks/ and already escaped.
func (a *sheetAPI) call(method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return a.send(method, "/v1.0/doc/workbooks/"+path+sep+"operatorId="+url.QueryEscape(a.op), body)
}

// ok sends a call that must succeed.
func (a *sheetAPI) ok(method, path string, body any) map[string]any {
	a.t.Helper()
	status, out := a.call(method, path, body)
	if status != 200 {
		a.t.Fatalf("%s %s: %d %v", method, path, status, out)
	}
	return out
}

func (a *sheetAPI) snapshot(wb, sheet string) SheetSnapshot {
	a.t.Helper()
	snap, ok := a.s.Sheet(wb, sheet)
	if !ok {
		a.t.Fatalf("no sheet %s in %s", sheet, wb)
	}
	return snap
}

func TestSheetLifecycle(t *testing.T) {
	t.Parallel()
	a := newSheetAPI(t)
	wb := a.s.NewWorkbook("Budget")
	list := a.ok("GET", wb+"/sheets", nil)
	first := list["value"].([]any)[0].(map[string]any)
	if first["name"] != "Sheet1" || len(list["value"].([]any)) != 1 {
		t.Fatalf("a new workbook holds one sheet Sheet1: %v", list)
	}

	created := a.ok("POST", wb+"/sheets", map[string]any{"name": "Q3 Plan"})
	if created["name"] != "Q3 Plan" || created["visibility"] != "visible" || !strings.HasPrefix(created["id"].(string), "st-") {
		t.Errorf("create: %v", created)
	}
	dup := a.ok("POST", wb+"/sheets", map[string]any{"name": "q3 plan"})
	if dup["name"] != "q3 plan (2)" {
		t.Errorf("a duplicate name is renamed: %v", dup)
	}
	if diff := cmp.Diff([]string{"Sheet1", "Q3 Plan", "q3 plan (2)"}, a.s.SheetNames(wb)); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}

	// By id and by name, the name escaped as a client would.
	byID := a.ok("GET", wb+"/sheets/"+created["id"].(string), nil)
	byName := a.ok("GET", wb+"/sheets/"+url.PathEscape("Q3 Plan"), nil)
	want := map[string]any{"id": created["id"], "name": "Q3 Plan", "visibility": "visible", "rowCount": 1000.0, "columnCount": 26.0,
		"lastNonEmptyRow": -1.0, "lastNonEmptyColumn": -1.0, "frozenRowCount": 0.0, "frozenColumnCount": 0.0}
	for _, got := range []map[string]any{byID, byName} {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("get sheet (-want +got):\n%s", diff)
		}
	}

	if got := a.ok("DELETE", wb+"/sheets/"+url.PathEscape("Q3 Plan"), nil); got["success"] != true {
		t.Errorf("delete: %v", got)
	}
	if status, got := a.call("GET", wb+"/sheets/"+created["id"].(string), nil); status != 404 || got["code"] != "invalidRequest.resource.notFound" {
		t.Errorf("deleted sheet: %d %v", status, got)
	}
	a.ok("DELETE", wb+"/sheets/Sheet1", nil)
	if status, got := a.call("DELETE", wb+"/sheets/"+url.PathEscape("q3 plan (2)"), nil); status != 403 || got["code"] != "forbidden.operationIllegal" {
		t.Errorf("deleting the last sheet: %d %v", status, got)
	}
}

func TestSheetErrors(t *testing.T) {
	t.Parallel()
	a := newSheetAPI(t)
	wb := a.s.NewDemoWorkbook("Demo")
	if err := a.s.SetWorkbookRole(wb, "lina", RoleReader); err != nil {
		t.Fatal(err)
	}
	if err := a.s.SetWorkbookRole(wb, "zhangwei", RoleNone); err != nil {
		t.Fatal(err)
	}
	dir := a.s.state.dir
	tests := []struct {
		name, op, method, path string
		body                   any
		status                 int
		code                   string
	}{
		{"no operatorId", "-", "GET", wb + "/sheets", nil, 400, "invalidRequest.inputArgs.invalid"},
		{"unknown operator", "nobodyiEiE", "GET", wb + "/sheets", nil, 400, "invalidRequest.inputArgs.operatorIdIllegal"},
		{"malformed workbook id", "", "GET", "bad%20id/sheets", nil, 400, "invalidRequest.inputArgs.workbookIdIllegal"},
		{"unknown workbook", "", "GET", "NoSuchWorkbook000/sheets", nil, 404, "invalidRequest.resource.notFound"},
		{"a doc, not a workbook", "", "GET", SeedDocNodeID + "/sheets", nil, 400, "invalidRequest.resource.notWorkbook"},
		{"unknown sheet", "", "GET", wb + "/sheets/Nope", nil, 404, "invalidRequest.resource.notFound"},
		{"reader may read", dir.users["lina"].UnionID, "GET", wb + "/sheets/Sales/ranges/A1", nil, 200, ""},
		{"reader may not write", dir.users["lina"].UnionID, "POST", wb + "/sheets/Sales/ranges/A1/clear", nil, 403, "forbidden.accessDenied"},
		{"no access at all", dir.users["zhangwei"].UnionID, "GET", wb + "/sheets", nil, 403, "forbidden.accessDenied"},
		{"external contact", dir.users["ext.partner"].UnionID, "GET", wb + "/sheets", nil, 403, "forbidden.accessDenied"},
		{"malformed range", "", "GET", wb + "/sheets/Sales/ranges/A0", nil, 400, "invalidRequest.inputArgs.invalid"},
		{"reversed corners", "", "GET", wb + "/sheets/Sales/ranges/C3:A1", nil, 400, "invalidRequest.inputArgs.invalid"},
		{"range past the sheet", "", "GET", wb + "/sheets/Sales/ranges/A1:AA2", nil, 404, "invalidRequest.resource.notFound"},
		{"unknown select field", "", "GET", wb + "/sheets/Sales/ranges/A1?select=colour", nil, 400, "invalidRequest.inputArgs.invalid"},
		{"delete rows past the end", "", "POST", wb + "/sheets/Sales/deleteRows", map[string]any{"row": 998, "rowCount": 3}, 400, "invalidRequest.inputArgs.invalid"},
		{"delete every column", "", "POST", wb + "/sheets/Sales/deleteColumns", map[string]any{"column": 0, "columnCount": 26}, 400, "invalidRequest.inputArgs.invalid"},
		{"rowCount missing", "", "POST", wb + "/sheets/Sales/insertRowsBefore", map[string]any{"row": 1}, 400, "invalidRequest.inputArgs.invalid"},
		{"rows body for columns", "", "POST", wb + "/sheets/Sales/deleteColumns", map[string]any{"row": 1, "rowCount": 1}, 400, "invalidRequest.inputArgs.invalid"},
		{"bad visibility", "", "POST", wb + "/sheets/Sales/setRowsVisibility", map[string]any{"row": 1, "rowCount": 1, "visibility": "gone"}, 400, "invalidRequest.inputArgs.invalid"},
		{"values of the wrong shape", "", "PUT", wb + "/sheets/Sales/ranges/A1:B2", map[string]any{"values": [][]string{{"a", "b"}}}, 400, "invalidRequest.inputArgs.invalid"},
		{"bad colour", "", "PUT", wb + "/sheets/Sales/ranges/A1", map[string]any{"backgroundColors": [][]string{{"red"}}}, 400, "invalidRequest.inputArgs.invalid"},
		{"nothing to update", "", "PUT", wb + "/sheets/Sales/ranges/A1", map[string]any{}, 400, "invalidRequest.inputArgs.invalid"},
		{"write past the sheet", "", "PUT", wb + "/sheets/Sales/ranges/A1000:A1001", map[string]any{"values": [][]string{{"a"}, {"b"}}}, 404, "invalidRequest.resource.notFound"},
		{"empty sheet name", "", "POST", wb + "/sheets", map[string]any{"name": " "}, 400, "invalidRequest.inputArgs.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := *a
			a.t = t
			switch tt.op {
			case "-":
				a.op = ""
			case "":
			default:
				a.op = tt.op
			}
			status, out := a.call(tt.method, tt.path, tt.body)
			if status != tt.status || (tt.code != "" && out["code"] != tt.code) {
				t.Errorf("%d %v; want %d %s", status, out, tt.status, tt.code)
			}
			if tt.code != "" && (out["message"] == "" || out["requestid"] == "") {
				t.Errorf("error body without message or requestid: %v", out)
			}
		})
	}
	// Nothing above changed the demo data.
	if got := a.snapshot(wb, "Sales"); len(got.Values) != 6 || got.Values[5][1] != "Alice Wu" || got.RowCount != 1000 || got.ColumnCount != 26 {
		t.Errorf("the failed calls changed the sheet: %+v", got)
	}
}

func TestSheetRowsAndColumnsMove(t *testing.T) {
	t.Parallel()
	a := newSheetAPI(t)
	wb := a.s.NewWorkbook("Moves")
	if err := a.s.SetCells(wb, "Sheet1", "A1:C3", [][]string{{"a1", "b1", "c1"}, {"a2", "b2", "c2"}, {"a3", "b3", "c3"}}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		op   string
		body map[string]any
	}{
		{"insertRowsBefore", map[string]any{"row": 0, "rowCount": 2}},                                   // rows 1-2 blank, data in 3-5
		{"setRowsVisibility", map[string]any{"row": 3, "rowCount": 1, "visibility": "hidden"}},          // hides a2's row (row 4)
		{"insertColumnsBefore", map[string]any{"column": 0, "columnCount": 1}},                          // data in B-D
		{"setColumnsVisibility", map[string]any{"column": 3, "columnCount": 1, "visibility": "hidden"}}, // hides column D (c)
		{"deleteRows", map[string]any{"row": 0, "rowCount": 2}},                                         // data back in rows 1-3
		{"deleteColumns", map[string]any{"column": 2, "columnCount": 1}},                                // b column gone: a in B, c in C
	}
	for _, st := range steps {
		if got := a.ok("POST", wb+"/sheets/Sheet1/"+st.op, st.body); got["id"] == "" {
			t.Fatalf("%s: %v", st.op, got)
		}
	}
	want := SheetSnapshot{ID: a.snapshot(wb, "Sheet1").ID, Name: "Sheet1", RowCount: 1000, ColumnCount: 26,
		HiddenRows: []int{2},
		// Column D, hidden, moved to C when B was deleted.
		HiddenColumns: []int{3},
		Values:        [][]string{{"", "a1", "c1"}, {"", "a2", "c2"}, {"", "a3", "c3"}},
	}
	if diff := cmp.Diff(want, a.snapshot(wb, "Sheet1")); diff != "" {
		t.Errorf("sheet after the moves (-want +got):\n%s", diff)
	}
	got := a.ok("GET", wb+"/sheets/Sheet1", nil)
	if got["lastNonEmptyRow"] != 2.0 || got["lastNonEmptyColumn"] != 2.0 {
		t.Errorf("lastNonEmpty cursors are 0-based: %v", got)
	}
}

func TestRangeReadWriteClear(t *testing.T) {
	t.Parallel()
	a := newSheetAPI(t)
	wb := a.s.NewWorkbook("Ranges")
	// The range segment may come raw or with its colon escaped.
	upd := a.ok("PUT", wb+"/sheets/Sheet1/ranges/b2%3Ac3", map[string]any{
		"values":           [][]any{{"x", 2}, {true, nil}},
		"backgroundColors": [][]string{{"#ff0000", "#00ff00"}, {"#0000ff", "#ffffff"}},
		"fontWeights":      [][]string{{"bold", "normal"}, {"normal", "normal"}},
	})
	if upd["a1Notation"] != "B2:C3" {
		t.Errorf("update echoes the normalised range: %v", upd)
	}
	got := a.ok("GET", wb+"/sheets/Sheet1/ranges/B2:C3?select=values,backgroundColors,fontWeights", nil)
	want := map[string]any{
		"values": []any{[]any{"x", "2"}, []any{"true", ""}},
		"backgroundColors": []any{
			[]any{map[string]any{"red": 255.0, "green": 0.0, "blue": 0.0, "hexString": "#FF0000"}, map[string]any{"red": 0.0, "green": 255.0, "blue": 0.0, "hexString": "#00FF00"}},
			[]any{map[string]any{"red": 0.0, "green": 0.0, "blue": 255.0, "hexString": "#0000FF"}, map[string]any{"red": 255.0, "green": 255.0, "blue": 255.0, "hexString": "#FFFFFF"}},
		},
		"fontWeights": []any{[]any{"bold", "normal"}, []any{"normal", "normal"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	sheet := a.ok("GET", wb+"/sheets/Sheet1", nil)
	if sheet["lastNonEmptyRow"] != 2.0 || sheet["lastNonEmptyColumn"] != 2.0 {
		t.Errorf("cursors after the write: %v", sheet)
	}

	// clearData keeps the formatting; clear removes it too.
	if got := a.ok("POST", wb+"/sheets/Sheet1/ranges/B2:B3/clearData", nil); got["a1Notation"] != "B2:B3" {
		t.Errorf("clearData: %v", got)
	}
	got = a.ok("GET", wb+"/sheets/Sheet1/ranges/B2:B2?select=values,backgroundColors", nil)
	if dig := got["backgroundColors"].([]any)[0].([]any)[0].(map[string]any)["hexString"]; dig != "#FF0000" || got["values"].([]any)[0].([]any)[0] != "" {
		t.Errorf("after clearData B2 keeps its colour and loses its value: %v", got)
	}
	sheet = a.ok("GET", wb+"/sheets/Sheet1", nil)
	if sheet["lastNonEmptyRow"] != 1.0 || sheet["lastNonEmptyColumn"] != 2.0 {
		t.Errorf("cursors after clearData (C2 holds the last value): %v", sheet)
	}
	a.ok("POST", wb+"/sheets/Sheet1/ranges/A1:ZZ99999/clear", nil)
	got = a.ok("GET", wb+"/sheets/Sheet1/ranges/B2?select=backgroundColors", nil)
	if dig := got["backgroundColors"].([]any)[0].([]any)[0].(map[string]any)["hexString"]; dig != "#FFFFFF" {
		t.Errorf("after clear B2 has no colour: %v", got)
	}
	sheet = a.ok("GET", wb+"/sheets/Sheet1", nil)
	if sheet["lastNonEmptyRow"] != -1.0 || sheet["lastNonEmptyColumn"] != -1.0 {
		t.Errorf("cursors of an emptied sheet: %v", sheet)
	}

	// A whole-column read answers every row of the sheet.
	whole := a.ok("GET", wb+"/sheets/Sheet1/ranges/A:B?select=values", nil)
	if rows := whole["values"].([]any); len(rows) != 1000 || len(rows[0].([]any)) != 2 {
		t.Errorf("A:B read %d rows", len(rows))
	}
}

func TestNativeAppendRows(t *testing.T) {
	t.Parallel()
	a := newSheetAPI(t)
	wb := a.s.NewWorkbook("Append")
	if got := a.ok("POST", wb+"/sheets/Sheet1/appendRows", map[string]any{"values": [][]string{{"h1", "h2"}}}); got["a1Notation"] != "A1:B1" {
		t.Errorf("an empty sheet is written from row 1: %v", got)
	}
	if got := a.ok("POST", wb+"/sheets/Sheet1/appendRows", map[string]any{"values": [][]string{{"a", "b"}, {"c", "d"}}}); got["a1Notation"] != "A2:B3" {
		t.Errorf("append below the data: %v", got)
	}
	// Past the last row the sheet grows.
	if err := a.s.SetCells(wb, "Sheet1", "A1000", [][]string{{"last"}}); err != nil {
		t.Fatal(err)
	}
	if got := a.ok("POST", wb+"/sheets/Sheet1/appendRows", map[string]any{"values": [][]string{{"x"}, {"y"}}}); got["a1Notation"] != "A1001:A1002" {
		t.Errorf("append past the end: %v", got)
	}
	if snap := a.snapshot(wb, "Sheet1"); snap.RowCount != 1002 || snap.Values[1001][0] != "y" {
		t.Errorf("sheet after growing: %d rows", snap.RowCount)
	}
}

func TestSeededDemoWorkbook(t *testing.T) {
	t.Parallel()
	a := newSheetAPI(t)
	list := a.ok("GET", SeedWorkbookID+"/sheets", nil)
	want := []any{
		map[string]any{"id": SeedSalesSheetID, "name": SeedSalesSheetName},
		map[string]any{"id": SeedTargetsSheetID, "name": SeedTargetsSheetName},
	}
	if diff := cmp.Diff(want, list["value"]); diff != "" {
		t.Errorf("seeded sheets (-want +got):\n%s", diff)
	}
	got := a.ok("GET", SeedWorkbookID+"/sheets/Sales/ranges/A1:E2?select=values,fontWeights", nil)
	if diff := cmp.Diff([]any{[]any{"Region", "Rep", "Product", "Units", "Revenue"}, []any{"East", "张伟", "Laptop", "12", "96000"}}, got["values"]); diff != "" {
		t.Errorf("seeded values (-want +got):\n%s", diff)
	}
	if got["fontWeights"].([]any)[0].([]any)[0] != "bold" {
		t.Errorf("the header row is bold: %v", got["fontWeights"])
	}
}
