package tools

import (
	"maps"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// Uncertain keys the Hint of a failure after which a write that is not
// idempotent may have been made at DingTalk: the request was sent and no
// definite answer came back. It is a cause of the tools' own: DingTalk
// never reports it.
const Uncertain dingtalk.Reason = "uncertain"

// toolsetHints are the Hints every tool of a toolset shares, for the
// reasons only that toolset's APIs give. A tool's own Hints win over them.
var toolsetHints = map[Toolset]map[dingtalk.Cause]string{
	Sheet: sheetHints,
}

// hint is the one place a DingTalk failure gets its Hint. The most precise
// cause wins: the Reason DingTalk gave, then Uncertain (which no Kind
// overrides: whatever went wrong, the write may have been made), then the
// Kind. For each, the tool's Hints come first, then its toolset's, then
// the defaults.
func (t *Tool[In, Out]) hint(l i18n.Lang, de *dingtalk.Error, uncertain bool) string {
	lookup := func(c dingtalk.Cause) (string, bool) {
		if h, ok := t.Hints[c]; ok {
			return l.Text(h), true
		}
		h, ok := toolsetHints[t.Toolset][c]
		return l.Text(h), ok
	}
	if de.Reason != "" {
		if h, ok := lookup(de.Reason); ok {
			return h
		}
	}
	if uncertain {
		if h, ok := lookup(Uncertain); ok {
			return h
		}
		return l.Textf("Check whether the change was made (read it back) before calling %s again: repeating it may do it twice.", t.Name)
	}
	if h, ok := lookup(de.Kind); ok {
		return h
	}
	return t.defaultHint(l, de)
}

// defaultHint is the Hint of a failure that neither the tool nor its
// toolset explains: what any caller of DingTalk can do about its Kind.
func (t *Tool[In, Out]) defaultHint(l i18n.Lang, de *dingtalk.Error) string {
	switch de.Kind {
	case dingtalk.KindAuth:
		return l.Text("Check DINGTALK_APP_KEY and DINGTALK_APP_SECRET: they must be the Client ID and Client Secret of an internal app in the DingTalk developer console.")
	case dingtalk.KindPermission:
		if de.Reason == dingtalk.ReasonIPNotWhitelisted {
			return l.Text("Add this server's outbound IP address to the app's IP whitelist in the DingTalk developer console.")
		}
		if scope := de.RequiredScope(); scope != "" {
			return l.Textf("Grant the app the %s permission in the DingTalk developer console (app > Permissions), then call %s again.", scope, t.Name)
		}
		return l.Text("The app lacks a permission or the user is outside the app's contact scope: check the app's permissions and contact scope in the DingTalk developer console.")
	case dingtalk.KindNotFound:
		return l.Text("Check the id: it does not exist or is not visible to the app.")
	case dingtalk.KindConflict:
		return l.Text("The object already exists; use the existing one or choose another value.")
	case dingtalk.KindThrottled:
		wait := max(de.RetryAfter(), time.Second)
		return l.Textf("DingTalk is rate limiting this app; wait %s and call %s again.", wait.Round(time.Second), t.Name)
	case dingtalk.KindTransient, dingtalk.KindTimeout:
		return l.Textf("DingTalk or the network failed; call %s again in a few seconds.", t.Name)
	case dingtalk.KindInvalid:
		return l.Text("DingTalk rejected the parameters; correct them as its message says.")
	}
	return l.Textf("See DingTalk's error code %s in its server API error code list.", de.FullCode())
}

// withHints returns the Hints of shared with those of own added, for tools
// that share some Hints and add their own.
func withHints(shared, own map[dingtalk.Cause]string) map[dingtalk.Cause]string {
	out := maps.Clone(shared)
	maps.Copy(out, own)
	return out
}
