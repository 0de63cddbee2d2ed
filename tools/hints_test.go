package tools

import (
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// TestHintPrecedence checks the one order in which a failure finds its
// Hint: the Reason, then Uncertain, then the Kind; at each the tool's own
// text, then its toolset's, then the default.
func TestHintPrecedence(t *testing.T) {
	t.Parallel()
	type out struct{ Envelope }
	own := &Tool[struct{}, out]{Name: "own_tool", Toolset: Sheet, Hints: map[dingtalk.Cause]string{
		dingtalk.ReasonNotWorkbook: "tool: not a workbook",
		Uncertain:                  "tool: uncertain",
		dingtalk.KindPermission:    "tool: permission",
		dingtalk.KindNotFound:      "tool: not found",
	}}
	bare := &Tool[struct{}, out]{Name: "bare_tool", Toolset: Contacts}
	tests := []struct {
		name      string
		tool      *Tool[struct{}, out]
		err       dingtalk.Error
		uncertain bool
		want      string
	}{
		{name: "the tool's Reason wins over Uncertain and Kind", tool: own,
			err: dingtalk.Error{Kind: dingtalk.KindNotFound, Reason: dingtalk.ReasonNotWorkbook}, uncertain: true, want: "tool: not a workbook"},
		{name: "the toolset's Reason wins over the tool's Kind", tool: own,
			err: dingtalk.Error{Kind: dingtalk.KindNotFound, Reason: dingtalk.ReasonDocumentNotFound}, want: sheetHints[dingtalk.ReasonDocumentNotFound]},
		{name: "a Reason neither explains falls to Uncertain", tool: own,
			err: dingtalk.Error{Kind: dingtalk.KindTransient, Reason: dingtalk.ReasonInvited}, uncertain: true, want: "tool: uncertain"},
		{name: "Uncertain is never answered by a Kind", tool: bare,
			err: dingtalk.Error{Kind: dingtalk.KindNotFound}, uncertain: true,
			want: "Check whether the change was made (read it back) before calling bare_tool again: repeating it may do it twice."},
		{name: "the tool's Kind", tool: own, err: dingtalk.Error{Kind: dingtalk.KindNotFound}, want: "tool: not found"},
		{name: "the tool's Kind wins over the IP whitelist default", tool: own,
			err: dingtalk.Error{Kind: dingtalk.KindPermission, Reason: dingtalk.ReasonIPNotWhitelisted}, want: "tool: permission"},
		{name: "the IP whitelist default", tool: bare,
			err:  dingtalk.Error{Kind: dingtalk.KindPermission, Reason: dingtalk.ReasonIPNotWhitelisted, Message: "权限：[qyapi_get_member]"},
			want: "Add this server's outbound IP address to the app's IP whitelist in the DingTalk developer console."},
		{name: "the missing scope", tool: bare, err: dingtalk.Error{Kind: dingtalk.KindPermission, Message: "应用尚未开通所需的权限：[qyapi_get_member]"},
			want: "Grant the app the qyapi_get_member permission in the DingTalk developer console (app > Permissions), then call bare_tool again."},
		{name: "a sheet Reason outside the sheet toolset", tool: bare,
			err: dingtalk.Error{Kind: dingtalk.KindNotFound, Reason: dingtalk.ReasonDocumentNotFound}, want: "Check the id: it does not exist or is not visible to the app."},
		{name: "an unknown code", tool: bare, err: dingtalk.Error{Code: "12345"},
			want: "See DingTalk's error code 12345 in its server API error code list."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.tool.hint(i18n.En, &tt.err, tt.uncertain); got != tt.want {
				t.Errorf("hint = %q, want %q", got, tt.want)
			}
		})
	}
}
