package tools

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// confirmKey names the elicitation that asks the human to confirm a write.
const confirmKey = "confirm"

// guardResult is what the Confirm guard decided when it did not let the call
// through: ask the client (elicit) or answer with err.
type guardResult struct {
	elicit *mcp.CallToolResult
	err    error
}

// guard lets a guarded write through only with Confirm: true or the human's
// yes through elicitation; otherwise it asks, or answers with a preview.
// It runs after validation, so a preview never hides an invalid request.
func (t *Tool[In, Out]) guard(ctx context.Context, env *Env, req mcp.CallToolRequest, in *In) *guardResult {
	if _, ok := any(in).(guarded); !ok || confirmed(in) {
		return nil
	}
	l, what := env.Lang, t.Name
	if t.Preview != nil {
		what = t.Preview(l, in)
	}
	if answer := server.ElicitationResponse(req.Params.InputResponses, confirmKey); answer != nil {
		if answer.Action == mcp.ElicitationResponseActionAccept && accepted(answer.Content) {
			return nil
		}
		return &guardResult{err: &InputError{
			Message: i18n.Msg("The user did not confirm: nothing was changed in DingTalk."),
			Hint:    i18n.Msg("Ask the user what to change, or call again with Confirm=true once they agree to %s.", what),
		}}
	}
	if clientCanElicit(ctx) {
		params := mcp.ElicitationParams{
			Message: l.Textf("Allow the assistant to %s?", what) + " " + irreversible(l, t.Idempotent),
			RequestedSchema: map[string]any{
				"type": "object",
				"properties": map[string]any{
					confirmKey: map[string]any{"type": "boolean", "title": l.Text("Confirm"), "description": l.Textf("Yes, %s.", what), "default": false},
				},
				"required": []string{confirmKey},
			},
		}
		return &guardResult{elicit: server.NewInputRequestBuilder("").Elicit(confirmKey, params).ToolResult()}
	}
	return &guardResult{err: &InputError{
		Message: i18n.Msg("Confirm must be true to %s: nothing was sent to DingTalk.", what),
		Hint:    i18n.Msg("Would %s. Show this to the user and, if they agree, call %s again with the same parameters and Confirm=true.", what, t.Name),
	}}
}

// confirmed reports whether in carries Confirm: true.
func confirmed(in any) bool {
	g, ok := in.(guarded)
	return ok && g.confirmation().Confirm
}

func irreversible(l i18n.Lang, idempotent bool) string {
	if idempotent {
		return l.Text("This cannot be undone.")
	}
	return l.Text("This cannot be undone, and doing it twice does it twice.")
}

// accepted reads the confirmation form. A client that accepts without
// content (some show the question as a plain yes/no) counts as yes.
func accepted(content any) bool {
	m, ok := content.(map[string]any)
	if !ok || len(m) == 0 {
		return true
	}
	v, ok := m[confirmKey]
	if !ok {
		return true
	}
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "yes")
	}
	return false
}

// clientCanElicit reports whether the client declared the elicitation
// capability, per request (2026-07-28) or per session (earlier versions).
// mcp-go does not check this before eliciting. An earlier-version session
// must also be able to send the request: mcp-go's legacy SSE session
// cannot, and eliciting there fails the call with a protocol error, so
// such a client gets the preview instead.
func clientCanElicit(ctx context.Context) bool {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.ClientCapabilities != nil && info.ClientCapabilities.Elicitation != nil
	}
	session := server.ClientSessionFromContext(ctx)
	if _, ok := session.(server.SessionWithElicitation); !ok {
		return false
	}
	if s, ok := session.(server.SessionWithClientInfo); ok {
		return s.GetClientCapabilities().Elicitation != nil
	}
	return false
}
