package tools

import (
	"fmt"
	"maps"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
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
func (t *Tool[In, Out]) hint(de *dingtalk.Error, uncertain bool) string {
	lookup := func(c dingtalk.Cause) (string, bool) {
		if h, ok := t.Hints[c]; ok {
			return h, true
		}
		h, ok := toolsetHints[t.Toolset][c]
		return h, ok
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
		return "Check whether the change was made (read it back) before calling " + t.Name + " again: repeating it may do it twice."
	}
	if h, ok := lookup(de.Kind); ok {
		return h
	}
	return t.defaultHint(de)
}

// defaultHint is the Hint of a failure that neither the tool nor its
// toolset explains: what any caller of DingTalk can do about its Kind.
func (t *Tool[In, Out]) defaultHint(de *dingtalk.Error) string {
	switch de.Kind {
	case dingtalk.KindAuth:
		return "Check DINGTALK_APP_KEY and DINGTALK_APP_SECRET: they must be the Client ID and Client Secret of an internal app in the DingTalk developer console."
	case dingtalk.KindPermission:
		if de.Reason == dingtalk.ReasonIPNotWhitelisted {
			return "Add this server's outbound IP address to the app's IP whitelist in the DingTalk developer console."
		}
		if scope := de.RequiredScope(); scope != "" {
			return "Grant the app the " + scope + " permission in the DingTalk developer console (app > Permissions), then call " + t.Name + " again."
		}
		return "The app lacks a permission or the user is outside the app's contact scope: check the app's permissions and contact scope in the DingTalk developer console."
	case dingtalk.KindNotFound:
		return "Check the id: it does not exist or is not visible to the app."
	case dingtalk.KindConflict:
		return "The object already exists; use the existing one or choose another value."
	case dingtalk.KindThrottled:
		wait := max(de.RetryAfter(), time.Second)
		return fmt.Sprintf("DingTalk is rate limiting this app; wait %s and call %s again.", wait.Round(time.Second), t.Name)
	case dingtalk.KindTransient, dingtalk.KindTimeout:
		return "DingTalk or the network failed; call " + t.Name + " again in a few seconds."
	case dingtalk.KindInvalid:
		return "DingTalk rejected the parameters; correct them as its message says."
	}
	return "See DingTalk's error code " + de.FullCode() + " in its server API error code list."
}

// withHints returns the Hints of shared with those of own added, for tools
// that share some Hints and add their own.
func withHints(shared, own map[dingtalk.Cause]string) map[dingtalk.Cause]string {
	out := maps.Clone(shared)
	maps.Copy(out, own)
	return out
}
