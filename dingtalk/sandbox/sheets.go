package sandbox

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Ids of the seeded demo workbook's sheets (the workbook is SeedWorkbookID).
// Every workbook made by NewDemoWorkbook has the same two sheets.
const (
	SeedSalesSheetID     = "st-sales7q2k"
	SeedSalesSheetName   = "Sales"
	SeedTargetsSheetID   = "st-targets4m"
	SeedTargetsSheetName = "Targets"
)

// Roles a member can have on a workbook, as DingTalk's permissionRole
// names them. Members of the organisation edit every workbook unless the
// workbook says otherwise (SetWorkbookRole); the sharing model behind it is
// UNVERIFIED and kept to what the documented errors need.
const (
	RoleEditor = "EDITOR"
	RoleReader = "READER" // may read, not write: writes answer forbidden.accessDenied
	RoleNone   = "NONE"   // may do nothing: every call answers forbidden.accessDenied
)

// sheetStore holds the workbooks (smart spreadsheets) by their id, the
// dentryUuid of their knowledge-base node.
type sheetStore struct {
	workbooks map[string]*workbook
}

func newSheetStore() *sheetStore { return &sheetStore{workbooks: map[string]*workbook{}} }

// workbook is one spreadsheet: its sheets in display order.
type workbook struct {
	id, name string
	created  time.Time
	sheets   []*worksheet
	roles    map[string]string // unionId → RoleReader or RoleNone
}

// worksheet is one tab of a workbook.
type worksheet struct {
	id, name string
	grid     *grid
}

// createWorkbook makes the empty workbook behind a new WORKBOOK document:
// one sheet named "Sheet1" (the first sheet's name is community evidence
// only, UNVERIFIED).
func (ss *sheetStore) createWorkbook(id, name string, now time.Time) {
	wb := &workbook{id: id, name: name, created: now, roles: map[string]string{}}
	wb.addSheet("Sheet1")
	ss.workbooks[id] = wb
}

// seedDemoWorkbook makes the seeded demo workbook: a Sales sheet with a
// formatted header row and five orders, and a Targets sheet.
func (ss *sheetStore) seedDemoWorkbook(id, name string, now time.Time) {
	wb := &workbook{id: id, name: name, created: now, roles: map[string]string{}}
	sales := &worksheet{id: SeedSalesSheetID, name: SeedSalesSheetName, grid: newGrid(defaultGridRows, defaultGridColumns)}
	targets := &worksheet{id: SeedTargetsSheetID, name: SeedTargetsSheetName, grid: newGrid(defaultGridRows, defaultGridColumns)}
	wb.sheets = []*worksheet{sales, targets}
	must := func(err error) {
		if err != nil {
			panic("sandbox: demo workbook: " + err.Error())
		}
	}
	must(sales.grid.setValues(rect{0, 0, 6, 5}, [][]string{
		{"Region", "Rep", "Product", "Units", "Revenue"},
		{"East", "张伟", "Laptop", "12", "96000"},
		{"East", "李娜", "Monitor", "30", "45000"},
		{"North", "刘洋", "Laptop", "8", "64000"},
		{"South", "陈静", "Keyboard", "120", "24000"},
		{"West", "Alice Wu", "Monitor", "18", "27000"},
	}))
	must(sales.grid.setFormat(rect{0, 0, 1, 5}, cellFormat{FontWeight: "bold", BackgroundColor: "#DDEBF7"}))
	must(sales.grid.setFormat(rect{1, 4, 5, 1}, cellFormat{NumberFormat: "#,##0.00"}))
	must(targets.grid.setValues(rect{0, 0, 5, 3}, [][]string{
		{"Region", "Q1 Target", "Q2 Target"},
		{"East", "150000", "180000"},
		{"North", "80000", "90000"},
		{"South", "40000", "50000"},
		{"West", "30000", "45000"},
	}))
	must(targets.grid.setFormat(rect{0, 0, 1, 3}, cellFormat{FontWeight: "bold"}))
	ss.workbooks[id] = wb
}

// addSheet appends a new, empty sheet named name, or a free variant of it:
// DingTalk renames a duplicate "to a legal value"; the " (2)" suffix is
// UNVERIFIED, as is comparing names without regard to case.
func (wb *workbook) addSheet(name string) *worksheet {
	unique := name
	for n := 2; wb.sheetByName(unique) != nil; n++ {
		unique = fmt.Sprintf("%s (%d)", name, n)
	}
	sh := &worksheet{id: "st-" + randomString(10, idAlphabet), name: unique, grid: newGrid(defaultGridRows, defaultGridColumns)}
	wb.sheets = append(wb.sheets, sh)
	return sh
}

func (wb *workbook) sheetByName(name string) *worksheet {
	for _, sh := range wb.sheets {
		if strings.EqualFold(sh.name, name) {
			return sh
		}
	}
	return nil
}

// sheet resolves a {sheetId} path segment: the sheet's id first, then its
// name, as DingTalk's FAQ describes.
func (wb *workbook) sheet(idOrName string) *worksheet {
	for _, sh := range wb.sheets {
		if sh.id == idOrName {
			return sh
		}
	}
	for _, sh := range wb.sheets {
		if sh.name == idOrName {
			return sh
		}
	}
	return nil
}

// Test and demo helpers. They take the server's lock, so they must not be
// called from a route handler.

// NewWorkbook adds a workbook outside any knowledge base, holding one empty
// sheet "Sheet1", and returns its id: the WorkbookId the sheet APIs take.
func (s *Server) NewWorkbook(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := randomString(32, workbookIDLetters)
	s.state.sheets.createWorkbook(id, name, s.now())
	return id
}

// NewDemoWorkbook adds a workbook holding the demo data of the seeded
// workbook (sheets SeedSalesSheetName and SeedTargetsSheetName) and
// returns its id.
func (s *Server) NewDemoWorkbook(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := randomString(32, workbookIDLetters)
	s.state.sheets.seedDemoWorkbook(id, name, s.now())
	return id
}

const workbookIDLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// SheetSnapshot is a worksheet as the sandbox holds it, for tests to compare
// with what the tools did. Rows and columns are numbered from 1, as in A1
// notation.
type SheetSnapshot struct {
	ID, Name              string
	RowCount, ColumnCount int
	HiddenRows            []int
	HiddenColumns         []int
	// Values is the block from A1 to the last non-empty row and column;
	// empty for an empty sheet.
	Values [][]string
}

// Sheet returns a snapshot of the sheet of workbookID with this id or name.
func (s *Server) Sheet(workbookID, sheet string) (SheetSnapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wb := s.state.sheets.workbooks[workbookID]
	if wb == nil {
		return SheetSnapshot{}, false
	}
	sh := wb.sheet(sheet)
	if sh == nil {
		return SheetSnapshot{}, false
	}
	g := sh.grid
	snap := SheetSnapshot{ID: sh.id, Name: sh.name, RowCount: g.rowCount(), ColumnCount: g.columnCount(),
		HiddenRows: plusOne(g.hiddenRowList()), HiddenColumns: plusOne(g.hiddenColumnList())}
	snap.Values = g.values(rect{0, 0, g.lastNonEmptyRow() + 1, g.lastNonEmptyColumn() + 1})
	return snap, true
}

func plusOne(l []int) []int {
	out := make([]int, len(l))
	for i, v := range l {
		out[i] = v + 1
	}
	return out
}

// SheetNames returns the names of workbookID's sheets in display order.
func (s *Server) SheetNames(workbookID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	if wb := s.state.sheets.workbooks[workbookID]; wb != nil {
		for _, sh := range wb.sheets {
			out = append(out, sh.name)
		}
	}
	return out
}

// SetCells writes values into the block at address (A1 notation) of a
// sheet, as a user typing in DingTalk would, so tests can arrange data.
func (s *Server) SetCells(workbookID, sheet, address string, values [][]string) error {
	return s.withBlock(workbookID, sheet, address, func(g *grid, r rect) error { return g.setValues(r, values) })
}

// SetBackground gives every cell of the block at address the background
// colour hex ("#ff0000"), keeping values and other formatting.
func (s *Server) SetBackground(workbookID, sheet, address, hex string) error {
	return s.withBlock(workbookID, sheet, address, func(g *grid, r rect) error {
		for i, row := range g.formats(r) {
			for j, f := range row {
				f.BackgroundColor = hex
				if err := g.setFormat(rect{r.row + i, r.col + j, 1, 1}, f); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *Server) withBlock(workbookID, sheet, address string, f func(*grid, rect) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	wb := s.state.sheets.workbooks[workbookID]
	if wb == nil {
		return fmt.Errorf("sandbox: no workbook %q", workbookID)
	}
	sh := wb.sheet(sheet)
	if sh == nil {
		return fmt.Errorf("sandbox: no sheet %q in workbook %q", sheet, workbookID)
	}
	a, err := parseA1(address)
	if err != nil {
		return err
	}
	return f(sh.grid, a.rect(sh.grid.rowCount(), sh.grid.columnCount()))
}

// SetWorkbookRole sets the role (RoleEditor, RoleReader or RoleNone) of the
// member with this userId on workbookID.
func (s *Server) SetWorkbookRole(workbookID, userID, role string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	wb := s.state.sheets.workbooks[workbookID]
	u := s.state.dir.users[userID]
	switch {
	case wb == nil:
		return fmt.Errorf("sandbox: no workbook %q", workbookID)
	case u == nil:
		return fmt.Errorf("sandbox: no user %q", userID)
	case role == RoleEditor:
		delete(wb.roles, u.UnionID)
	case role == RoleReader || role == RoleNone:
		wb.roles[u.UnionID] = role
	default:
		return errors.New("sandbox: role must be RoleEditor, RoleReader or RoleNone")
	}
	return nil
}
