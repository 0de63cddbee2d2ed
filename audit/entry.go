// Package audit records every write the server attempts: one JSON line
// per attempt in a log that an admin reads ("what did the agent do in
// our DingTalk today?"), and each person's recent writes in a store, which
// the agent reads back. Recording never blocks or fails a call.
package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Entry is one write attempt.
type Entry struct {
	Time   time.Time `json:"Time"`
	Person string    `json:"Person"` // the signed-in person, or "app"
	Client string    `json:"Client,omitempty"`
	Tool   string    `json:"Tool"`
	// Digest identifies the call's normalised arguments: equal digests
	// are identical calls.
	Digest         string            `json:"Digest"`
	Args           map[string]string `json:"Args"` // a short preview of each argument
	IdempotencyKey string            `json:"IdempotencyKey,omitempty"`
	StatusCode     int               `json:"StatusCode"`
	ErrorCode      string            `json:"ErrorCode,omitempty"`
	RequestId      string            `json:"RequestId,omitempty"`
	// Ids are the ids and ranges the write created or touched, by their
	// field names in the result.
	Ids map[string]string `json:"Ids,omitempty"`
	// Replayed is true when nothing was sent: the result is an earlier
	// call's, replayed or refused as a repeat.
	Replayed bool `json:"Replayed"`
	// Uncertain is true when the write was sent and no answer came (a
	// timeout, a dropped connection, a shutdown): it may or may not have
	// been made.
	Uncertain bool `json:"Uncertain,omitempty"`
}

// Lengths of a preview: any string is cut to previewRunes; message bodies
// and cell values, which are the organisation's content rather than what
// identifies a call, to bodyRunes.
const (
	previewRunes = 40
	bodyRunes    = 12
	listItems    = 5
	maxIds       = 8
)

// bodies are the parameters that carry content: message bodies, cell
// values, free text about a person.
var bodies = []string{"Content", "Values", "Title", "Remark", "Description", "Extension"}

// PreviewArgs renders each field of args, an input struct or object, as a
// short string: ids in full (up to a length), message bodies and cell
// values cut short, lists as their first items and a count, mobile
// numbers masked. redact removes secrets from every string. Arguments of
// none of the tools are secrets; redact is the second line of defence.
func PreviewArgs(args any, redact func(string) string) map[string]string {
	var m map[string]any
	b, err := json.Marshal(args)
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		err = dec.Decode(&m)
	}
	if err != nil {
		return map[string]string{}
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		n := previewRunes
		if slices.Contains(bodies, k) {
			n = bodyRunes
		}
		s := preview(v, n)
		if k == "Mobile" {
			s = maskMobile(s)
		}
		if redact != nil {
			s = redact(s)
		}
		out[k] = s
	}
	return out
}

func preview(v any, n int) string {
	switch v := v.(type) {
	case string:
		return cut(v, n)
	case []any:
		parts := make([]string, 0, min(len(v), listItems))
		for _, it := range v[:min(len(v), listItems)] {
			parts = append(parts, preview(it, n))
		}
		s := "[" + strings.Join(parts, ", ")
		if len(v) > listItems {
			s += fmt.Sprintf(", … %d in all", len(v))
		}
		return s + "]"
	case nil:
		return ""
	case map[string]any:
		return fmt.Sprintf("{%d fields}", len(v))
	}
	return cut(fmt.Sprint(v), n)
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// maskMobile keeps the first three and last two digits of a number.
func maskMobile(s string) string {
	if len(s) < 7 {
		return strings.Repeat("*", len(s))
	}
	return s[:3] + strings.Repeat("*", len(s)-5) + s[len(s)-2:]
}

// IDs collects from a result the ids and ranges it names: fields whose
// name ends in "id" (any case, RequestId aside) or names a range written,
// at any depth, at most maxIds of them.
func IDs(result json.RawMessage) map[string]string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(result))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	out := map[string]string{}
	collectIDs(v, out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func collectIDs(v any, out map[string]string) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if len(out) >= maxIds {
			return
		}
		switch val := m[k].(type) {
		case map[string]any:
			collectIDs(val, out)
		case string, json.Number:
			s := fmt.Sprint(val)
			if s != "" && s != "0" && isIDName(k) {
				out[k] = cut(s, previewRunes)
			}
		}
	}
}

func isIDName(k string) bool {
	l := strings.ToLower(k)
	return (strings.HasSuffix(l, "id") && l != "requestid") || l == "appendedrange" || l == "a1notation"
}
