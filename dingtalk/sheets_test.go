package dingtalk_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

const (
	rangePutRoute    = "PUT /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"
	deleteRowsRoute  = "POST /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/deleteRows"
	sheetDeleteRoute = "DELETE /v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}"
)

// sheetClient returns a client, its sandbox, a fresh demo workbook and the
// seeded manager's unionId to act as.
func sheetClient(t *testing.T) (*dingtalk.Client, *sandbox.Server, string, string) {
	t.Helper()
	c, sb := newClient(t)
	u, err := c.Users.Get(context.Background(), sandbox.SeedManagerID, "")
	if err != nil {
		t.Fatal(err)
	}
	return c, sb, sb.NewDemoWorkbook("Demo"), u.UnionID
}

func mustRange(t *testing.T, s string) dingtalk.Range {
	t.Helper()
	r, err := dingtalk.ParseRange(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSheetsRoundTrip goes through every method once with a sheet whose
// name needs escaping in the path.
func TestSheetsRoundTrip(t *testing.T) {
	t.Parallel()
	c, sb, wb, op := sheetClient(t)
	ctx := context.Background()
	created, err := c.Sheets.Create(ctx, wb, op, "Q1/Q2 50%")
	if err != nil {
		t.Fatal(err)
	}
	ref := dingtalk.SheetRef{WorkbookID: wb, SheetID: created.Name, OperatorID: op}
	if _, err := c.Sheets.UpdateRange(ctx, ref, mustRange(t, "B2:C3"), [][]string{{"a", "b"}, {"c", ""}}); err != nil {
		t.Fatal(err)
	}
	sh, err := c.Sheets.Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	want := &dingtalk.Sheet{ID: created.ID, Name: "Q1/Q2 50%", Visibility: "visible", RowCount: 1000, ColumnCount: 26, LastNonEmptyRow: 2, LastNonEmptyColumn: 2}
	if diff := cmp.Diff(want, sh); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
	if row, col := sh.DataEnd(); row != 3 || col != 3 {
		t.Errorf("DataEnd = %d, %d; want the 1-based row 3, column 3 (C3)", row, col)
	}

	data, err := c.Sheets.GetRange(ctx, ref, mustRange(t, "B2:C3"), "values", "fontWeights")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&dingtalk.RangeData{Values: [][]any{{"a", "b"}, {"c", ""}}, FontWeights: [][]string{{"normal", "normal"}, {"normal", "normal"}}}, data); diff != "" {
		t.Errorf("GetRange (-want +got):\n%s", diff)
	}
	if res, err := c.Sheets.ClearData(ctx, ref, mustRange(t, "B2")); err != nil || res.A1Notation != "B2" {
		t.Errorf("ClearData: %v, %v", res, err)
	}
	if res, err := c.Sheets.Clear(ctx, ref, mustRange(t, "A:Z")); err != nil || res.A1Notation != "A:Z" {
		t.Errorf("Clear: %v, %v", res, err)
	}
	if err := c.Sheets.InsertSpanBefore(ctx, ref, dingtalk.Rows, 1, 2); err != nil {
		t.Fatal(err)
	}
	if err := c.Sheets.InsertSpanBefore(ctx, ref, dingtalk.Columns, 1, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Sheets.SetSpanVisibility(ctx, ref, dingtalk.Rows, 2, 1, dingtalk.Hidden); err != nil {
		t.Fatal(err)
	}
	if err := c.Sheets.SetSpanVisibility(ctx, ref, dingtalk.Columns, 3, 2, dingtalk.Hidden); err != nil {
		t.Fatal(err)
	}
	if err := c.Sheets.DeleteSpan(ctx, ref, dingtalk.Columns, 27, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Sheets.DeleteSpan(ctx, ref, dingtalk.Rows, 1002, 1); err != nil {
		t.Fatal(err)
	}
	snap, _ := sb.Sheet(wb, created.ID)
	if diff := cmp.Diff(sandbox.SheetSnapshot{ID: created.ID, Name: created.Name, RowCount: 1001, ColumnCount: 26,
		HiddenRows: []int{2}, HiddenColumns: []int{3, 4}, Values: [][]string{}}, snap); diff != "" {
		t.Errorf("sheet (-want +got):\n%s", diff)
	}

	list, err := c.Sheets.List(ctx, wb, op)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dingtalk.SheetEntry{{ID: sandbox.SeedSalesSheetID, Name: "Sales"}, {ID: sandbox.SeedTargetsSheetID, Name: "Targets"}, {ID: created.ID, Name: created.Name}}, list); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if err := c.Sheets.Delete(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if names := sb.SheetNames(wb); len(names) != 2 {
		t.Errorf("after Delete: %v", names)
	}
}

// TestSheetsCursorsAreZeroBased checks the one conversion between the
// 1-based numbers the client takes and DingTalk's 0-based body cursors.
func TestSheetsCursorsAreZeroBased(t *testing.T) {
	t.Parallel()
	c, sb, wb, op := sheetClient(t)
	ref := dingtalk.SheetRef{WorkbookID: wb, SheetID: "Sales", OperatorID: op}
	if err := c.Sheets.DeleteSpan(context.Background(), ref, dingtalk.Rows, 2, 3); err != nil {
		t.Fatal(err)
	}
	calls := sb.Calls(deleteRowsRoute)
	var body map[string]any
	if len(calls) != 1 || json.Unmarshal(calls[0].Body, &body) != nil {
		t.Fatalf("calls %v", calls)
	}
	if diff := cmp.Diff(map[string]any{"row": 1.0, "rowCount": 3.0}, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if q := calls[0].Query.Get("operatorId"); q != op {
		t.Errorf("operatorId %q", q)
	}
}

// TestSheetsWriteRangeOnceIsNotRetried: UpdateRange is retried after a
// busy answer, WriteRangeOnce is not.
func TestSheetsWriteRangeOnceIsNotRetried(t *testing.T) {
	t.Parallel()
	c, sb, wb, op := sheetClient(t)
	ref := dingtalk.SheetRef{WorkbookID: wb, SheetID: "Sales", OperatorID: op}
	busy := sandbox.Fault{API: rangePutRoute, Status: 503, Code: "serviceBusy", Message: "busy"}
	sb.Inject(busy)
	if _, err := c.Sheets.UpdateRange(context.Background(), ref, mustRange(t, "A7"), [][]string{{"x"}}); err != nil {
		t.Errorf("UpdateRange after one busy answer: %v", err)
	}
	sb.Inject(busy)
	_, err := c.Sheets.WriteRangeOnce(context.Background(), ref, mustRange(t, "A8"), [][]string{{"y"}})
	if e := asError(t, err); !e.MaybeSent || e.Kind != dingtalk.KindTransient {
		t.Errorf("WriteRangeOnce: %+v", e)
	}
	if n := len(sb.Calls(rangePutRoute)); n != 3 {
		t.Errorf("PUT sent %d times, want 2 (UpdateRange, retried) + 1 (WriteRangeOnce)", n)
	}
}

// TestSheetsDeleteReportsSuccessFalse: a 200 answer saying success=false
// is not a deletion.
func TestSheetsDeleteReportsSuccessFalse(t *testing.T) {
	t.Parallel()
	c, sb, wb, op := sheetClient(t)
	sb.Inject(sandbox.Fault{API: sheetDeleteRoute, Body: `{"success":false}`})
	err := c.Sheets.Delete(context.Background(), dingtalk.SheetRef{WorkbookID: wb, SheetID: "Targets", OperatorID: op})
	if err == nil {
		t.Fatal("success=false reported as a deletion")
	}
	if names := sb.SheetNames(wb); len(names) != 2 {
		t.Errorf("sheets %v", names)
	}
}
