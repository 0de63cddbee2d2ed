package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

func sheetTools() []Declaration {
	return []Declaration{
		createWorksheet, deleteWorksheet, getWorksheet, getWorksheets,
		deleteColumns, setColumnsVisibility, insertColumnsBefore,
		deleteRows, setRowsVisibility, insertRowsBefore,
		appendRows, insertRowsBeforeWithData,
		getRangeData, updateRangeData, clearRangeContent, clearRangeData,
	}
}

// WorkbookTarget names the smart spreadsheet a tool works on.
type WorkbookTarget struct {
	WorkbookId string `json:"WorkbookId" jsonschema:"maxLength=64" jsonschema_description:"Spreadsheet nodeId, from get_node_list or get_node_by_link."`
}

// SheetTarget names the worksheet a tool works on.
type SheetTarget struct {
	WorkbookTarget
	SheetId string `json:"SheetId" jsonschema:"maxLength=100" jsonschema_description:"Sheet id or name, from get_worksheets."`
}

// clean trims the ids, refusing ones that are only white space.
func (t *WorkbookTarget) clean() error {
	t.WorkbookId = strings.TrimSpace(t.WorkbookId)
	return addressable("WorkbookId", t.WorkbookId)
}

func (t *SheetTarget) clean() error {
	if err := t.WorkbookTarget.clean(); err != nil {
		return err
	}
	// A sheet name may begin or end with a space in DingTalk, but an id
	// never does; so SheetId is checked, not trimmed.
	return addressable("SheetId", t.SheetId)
}

func (t *SheetTarget) ref(op Operator) dingtalk.SheetRef {
	return dingtalk.SheetRef{WorkbookID: t.WorkbookId, SheetID: t.SheetId, OperatorID: op.OperatorId}
}

// label names the sheet in previews and summaries.
func (t *SheetTarget) label(l i18n.Lang) string { return t.labelMsg().In(l) }

// labelMsg is label for an InputError, rendered in the answer's language.
func (t *SheetTarget) labelMsg() i18n.Message {
	return i18n.Msg("sheet %q of workbook %s", t.SheetId, t.WorkbookId)
}

// readFailed marks the failure of a read made before a write: the write was
// never sent, so the tool must not say that the change may have been made.
func readFailed(err error) error {
	var de *dingtalk.Error
	if errors.As(err, &de) && de.MaybeSent {
		c := *de
		c.MaybeSent = false
		return &c
	}
	return err
}

// sheetHints are the Hints of every sheet tool for the codes of DingTalk's
// document APIs, which share HTTP statuses with unrelated failures.
var sheetHints = map[dingtalk.Cause]string{
	dingtalk.ReasonDocumentNotFound: "Check WorkbookId (the nodeId of a WORKBOOK node, from get_node_list) and SheetId (an id or name from get_worksheets). " +
		"A range beyond the sheet's last row or column is not found either: get_worksheet gives rowCount and columnCount.",
	dingtalk.ReasonNotWorkbook:          "WorkbookId is a knowledge-base document that is not a spreadsheet: use the nodeId of a WORKBOOK node (extension axls) from get_node_list.",
	dingtalk.ReasonMalformedWorkbookID:  "WorkbookId is malformed: use the nodeId of a WORKBOOK node from get_node_list or get_workspace_node.",
	dingtalk.ReasonMalformedOperatorID:  "OperatorId is not a member's unionId: pass the unionid from get_user (a userId is resolved to it), or start the server with DINGTALK_OPERATOR_ID.",
	dingtalk.ReasonDocumentAccessDenied: "The operator (OperatorId) has no permission on this workbook: pass the OperatorId of a member who can edit it, or ask its owner to share it with them.",
	dingtalk.ReasonOtherOrganisation:    "The workbook belongs to another organisation than this app: use a workbook of this organisation.",
	dingtalk.ReasonOperationNotAllowed:  "DingTalk does not allow this here: a workbook keeps at least one sheet, and locked ranges, pivot tables and todo cells cannot be changed.",
	dingtalk.ReasonDocumentTooLarge:     "The workbook is over DingTalk's size limit: delete data from it or use another workbook; retrying will not help.",
	dingtalk.ReasonDocumentInitializing: "The workbook was just created and DingTalk is still preparing it: call again in a few seconds.",
}

// CreateWorksheetIn is the input of create_worksheet.
type CreateWorksheetIn struct {
	WorkbookTarget
	SheetName string `json:"SheetName" jsonschema:"maxLength=100" jsonschema_description:"Tab name; if taken, DingTalk picks a variant."`
	Operator
	Idempotency
	Confirmation
}

// CreateWorksheetOut is the result of create_worksheet.
type CreateWorksheetOut struct {
	SheetId   string `json:"SheetId" jsonschema_description:"The new sheet's id: pass it as SheetId to the other sheet tools."`
	SheetName string `json:"SheetName" jsonschema_description:"The new sheet's name as DingTalk gave it."`
	Created   bool   `json:"Created" jsonschema_description:"Whether the sheet was created."`
	Envelope
	Replay
}

var createWorksheet = &Tool[CreateWorksheetIn, CreateWorksheetOut]{
	Name:        "create_worksheet",
	Title:       "Create worksheet",
	Description: "Add an empty worksheet (tab) to a spreadsheet; returns its SheetId. Not idempotent.",
	Toolset:     Sheet,
	Validate: func(in *CreateWorksheetIn) error {
		in.SheetName = strings.TrimSpace(in.SheetName)
		if in.SheetName == "" {
			return invalid("SheetName", "SheetName must not be blank")
		}
		return in.clean()
	},
	Preview: func(l i18n.Lang, in *CreateWorksheetIn) string {
		return l.Textf("add a worksheet named %q to workbook %s", in.SheetName, in.WorkbookId)
	},
	Run: func(ctx context.Context, env *Env, in *CreateWorksheetIn) (out CreateWorksheetOut, err error) {
		sh, err := env.Client.Sheets.Create(ctx, in.WorkbookId, in.OperatorId, in.SheetName)
		if err != nil {
			return out, err
		}
		out.SheetId, out.SheetName, out.Created = sh.ID, sh.Name, true
		out.Summary = env.Lang.Textf("Created worksheet %q (SheetId %s) in workbook %s.", sh.Name, sh.ID, in.WorkbookId)
		if sh.Name != in.SheetName {
			out.Summary += env.Lang.Textf(" The name %q was taken, so DingTalk named it %q.", in.SheetName, sh.Name)
		}
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		Uncertain: "The worksheet may have been created: call get_worksheets to check before creating it again.",
	},
}

// DeleteWorksheetIn is the input of delete_worksheet.
type DeleteWorksheetIn struct {
	SheetTarget
	Operator
	Confirmation
}

// DeleteWorksheetOut is the result of delete_worksheet.
type DeleteWorksheetOut struct {
	Deleted bool `json:"Deleted" jsonschema_description:"Whether the worksheet was deleted."`
	Envelope
}

var deleteWorksheet = &Tool[DeleteWorksheetIn, DeleteWorksheetOut]{
	Name:        "delete_worksheet",
	Title:       "Delete worksheet",
	Description: "Delete a worksheet and all its data; cannot be undone. A workbook keeps at least one sheet.",
	Toolset:     Sheet,
	Destructive: true,
	Idempotent:  true,
	Validate:    func(in *DeleteWorksheetIn) error { return in.clean() },
	Preview: func(l i18n.Lang, in *DeleteWorksheetIn) string {
		return l.Textf("delete %s with all its data", in.label(l))
	},
	Run: func(ctx context.Context, env *Env, in *DeleteWorksheetIn) (out DeleteWorksheetOut, err error) {
		if err := env.Client.Sheets.Delete(ctx, in.ref(in.Operator)); err != nil {
			return out, err
		}
		out.Deleted = true
		out.Summary = env.Lang.Textf("Deleted %s.", in.label(env.Lang))
		return out, nil
	},
}

// GetWorksheetIn is the input of get_worksheet.
type GetWorksheetIn struct {
	SheetTarget
	Operator
}

// GetWorksheetOut is the result of get_worksheet.
type GetWorksheetOut struct {
	SheetData *dingtalk.Sheet `json:"SheetData,omitempty" jsonschema_description:"The worksheet's properties in DingTalk's field names. lastNonEmptyRow and lastNonEmptyColumn are 0-based (-1 when empty); the Summary gives them in A1 terms."`
	Envelope
}

var getWorksheet = &Tool[GetWorksheetIn, GetWorksheetOut]{
	Name:        "get_worksheet",
	Title:       "Get worksheet",
	Description: "Get a worksheet's size (rows, columns) and where its data ends, before reading or changing it.",
	Toolset:     Sheet,
	ReadOnly:    true,
	Validate:    func(in *GetWorksheetIn) error { return in.clean() },
	Run: func(ctx context.Context, env *Env, in *GetWorksheetIn) (out GetWorksheetOut, err error) {
		sh, err := env.Client.Sheets.Get(ctx, in.ref(in.Operator))
		if err != nil {
			return out, err
		}
		out.SheetData = sh
		out.Summary = env.Lang.Textf("Worksheet %q (id %s) has %d rows and %d columns; %s", sh.Name, sh.ID, sh.RowCount, sh.ColumnCount, dataExtent(env.Lang, sh))
		return out, nil
	},
}

// dataExtent says where a sheet's data is, in A1 terms.
func dataExtent(l i18n.Lang, sh *dingtalk.Sheet) string {
	row, col := sh.DataEnd()
	if row == 0 || col == 0 {
		return l.Text("it holds no data, so append_rows would start at row 1.")
	}
	return l.Textf("its data lies within A1:%s%d (last non-empty row %d, column %s), so append_rows would start at row %d.",
		dingtalk.ColumnName(col), row, row, dingtalk.ColumnName(col), row+1)
}

// GetWorksheetsIn is the input of get_worksheets.
type GetWorksheetsIn struct {
	WorkbookTarget
	Operator
}

// GetWorksheetsOut is the result of get_worksheets.
type GetWorksheetsOut struct {
	SheetList  []dingtalk.SheetEntry `json:"SheetList" jsonschema_description:"The worksheets in tab order, each with its id and name."`
	SheetCount int                   `json:"SheetCount" jsonschema_description:"How many worksheets the workbook has."`
	Envelope
}

var getWorksheets = &Tool[GetWorksheetsIn, GetWorksheetsOut]{
	Name:        "get_worksheets",
	Title:       "Get worksheets",
	Description: "List a spreadsheet's worksheets (ids and names) in tab order.",
	Toolset:     Sheet,
	ReadOnly:    true,
	Validate:    func(in *GetWorksheetsIn) error { return in.clean() },
	Run: func(ctx context.Context, env *Env, in *GetWorksheetsIn) (out GetWorksheetsOut, err error) {
		list, err := env.Client.Sheets.List(ctx, in.WorkbookId, in.OperatorId)
		if err != nil {
			return out, err
		}
		out.SheetList, out.SheetCount = list, len(list)
		names := make([]string, len(list))
		for i, s := range list {
			names[i] = fmt.Sprintf("%q (%s)", s.Name, s.ID)
		}
		out.Summary = env.Lang.Textf("Workbook %s has %d worksheet(s): %s.", in.WorkbookId, len(list), strings.Join(names, ", "))
		return out, nil
	},
}
