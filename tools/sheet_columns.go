package tools

import (
	"context"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// ColumnSpan is a block of whole columns, numbered from 1 as in A1
// notation (1 is A).
type ColumnSpan struct {
	Column      int `json:"Column" jsonschema:"minimum=1,maximum=16384" jsonschema_description:"First column, 1-based (1 is A)."`
	ColumnCount int `json:"ColumnCount,omitempty" jsonschema:"minimum=1,maximum=16384,default=1" jsonschema_description:"Number of columns."`
}

func (c *ColumnSpan) span() span { return span{&columnAxis, c.Column, c.ColumnCount} }

// DeleteColumnsIn is the input of delete_columns.
type DeleteColumnsIn struct {
	SheetTarget
	ColumnSpan
	Operator
	Idempotency
	Confirmation
}

// DeleteColumnsOut is the result of delete_columns.
type DeleteColumnsOut struct {
	Success            bool `json:"Success" jsonschema_description:"Whether the columns were deleted."`
	DeletedColumnCount int  `json:"DeletedColumnCount" jsonschema_description:"How many columns were deleted."`
	Envelope
	Replay
}

var deleteColumns = &Tool[DeleteColumnsIn, DeleteColumnsOut]{
	Name:        "delete_columns",
	Title:       "Delete columns",
	Description: "Delete whole columns and their data; columns to the right move left. Not idempotent. To empty cells use clear_range_data.",
	Toolset:     Sheet,
	Destructive: true,
	Validate:    func(in *DeleteColumnsIn) error { return checkSpan(&in.SheetTarget, in.span()) },
	Preview:     func(l i18n.Lang, in *DeleteColumnsIn) string { return deletePreview(l, &in.SheetTarget, in.span()) },
	Run: func(ctx context.Context, env *Env, in *DeleteColumnsIn) (out DeleteColumnsOut, err error) {
		if out.Summary, err = deleteSpan(ctx, env, &in.SheetTarget, in.Operator, in.span()); err == nil {
			out.Success, out.DeletedColumnCount = true, in.ColumnCount
		}
		return out, err
	},
	Hints: map[dingtalk.Cause]string{
		Uncertain: "The columns may have been deleted: check with get_worksheet (columnCount) or get_range_data before calling delete_columns again, which would delete the next columns.",
	},
}

// SetColumnsVisibilityIn is the input of set_columns_visibility.
type SetColumnsVisibilityIn struct {
	SheetTarget
	ColumnSpan
	SheetVisibility
	Operator
}

// SetColumnsVisibilityOut is the result of set_columns_visibility.
type SetColumnsVisibilityOut struct {
	Success             bool   `json:"Success" jsonschema_description:"Whether the visibility was set."`
	AffectedColumnCount int    `json:"AffectedColumnCount" jsonschema_description:"How many columns were shown or hidden."`
	Visibility          string `json:"Visibility" jsonschema_description:"The visibility set: visible or hidden."`
	Envelope
}

var setColumnsVisibility = &Tool[SetColumnsVisibilityIn, SetColumnsVisibilityOut]{
	Name:        "set_columns_visibility",
	Title:       "Show or hide columns",
	Description: "Show or hide whole columns of a worksheet; their data is kept.",
	Toolset:     Sheet,
	Idempotent:  true,
	Validate:    func(in *SetColumnsVisibilityIn) error { return checkSpan(&in.SheetTarget, in.span()) },
	Run: func(ctx context.Context, env *Env, in *SetColumnsVisibilityIn) (out SetColumnsVisibilityOut, err error) {
		if out.Summary, err = setSpanVisibility(ctx, env, &in.SheetTarget, in.Operator, in.span(), in.Visibility); err == nil {
			out.Success, out.AffectedColumnCount, out.Visibility = true, in.ColumnCount, in.Visibility
		}
		return out, err
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "Check Column and ColumnCount against the sheet's columnCount from get_worksheet.",
	},
}

// InsertColumnsBeforeIn is the input of insert_columns_before.
type InsertColumnsBeforeIn struct {
	SheetTarget
	Column      int `json:"Column" jsonschema:"minimum=1,maximum=16384" jsonschema_description:"Column to insert before, 1-based (1 is A)."`
	ColumnCount int `json:"ColumnCount,omitempty" jsonschema:"minimum=1,maximum=16384,default=1" jsonschema_description:"Number of columns to insert."`
	Operator
	Idempotency
	Confirmation
}

func (in *InsertColumnsBeforeIn) span() span { return span{&columnAxis, in.Column, in.ColumnCount} }

// InsertColumnsBeforeOut is the result of insert_columns_before.
type InsertColumnsBeforeOut struct {
	Success bool `json:"Success" jsonschema_description:"Whether the columns were inserted."`
	Envelope
	Replay
}

var insertColumnsBefore = &Tool[InsertColumnsBeforeIn, InsertColumnsBeforeOut]{
	Name:        "insert_columns_before",
	Title:       "Insert columns",
	Description: "Insert empty columns before Column; it and the columns right of it move right. Not idempotent.",
	Toolset:     Sheet,
	Validate:    func(in *InsertColumnsBeforeIn) error { return checkSpan(&in.SheetTarget, in.span()) },
	Preview: func(l i18n.Lang, in *InsertColumnsBeforeIn) string {
		return insertPreview(l, &in.SheetTarget, in.span())
	},
	Run: func(ctx context.Context, env *Env, in *InsertColumnsBeforeIn) (out InsertColumnsBeforeOut, err error) {
		out.Summary, err = insertSpan(ctx, env, &in.SheetTarget, in.Operator, in.span())
		out.Success = err == nil
		return out, err
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindInvalid: "Check Column against the sheet's columnCount from get_worksheet: new columns go before an existing column.",
		Uncertain:            "The columns may have been inserted: check with get_worksheet (columnCount) before calling insert_columns_before again.",
	},
}
