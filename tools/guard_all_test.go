package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// withoutConfirm returns a tool's example call with Confirm removed.
func withoutConfirm(t *testing.T, tool string) string {
	var args map[string]any
	if err := json.Unmarshal([]byte(examples[tool]), &args); err != nil {
		t.Fatal(err)
	}
	delete(args, "Confirm")
	b, _ := json.Marshal(args)
	return string(b)
}

// previewReads are the only calls a preview may make: the reads that say
// how much a write would change (overwrite_doc_content reads the document),
// with the token and operator lookups they need.
var previewReads = map[string]bool{
	"POST /v1.0/oauth2/accessToken":                  true,
	"POST /topapi/v2/user/get":                       true,
	"GET /v1.0/doc/suites/documents/{docKey}/blocks": true,
}

// writesSince counts the requests since the first before that are not
// previewReads.
func writesSince(h *harness, before int) int {
	n := 0
	for _, r := range h.sandbox.Requests()[before:] {
		if !previewReads[r.API] {
			n++
		}
	}
	return n
}

// TestEveryGuardedToolAsksOrPreviews calls every guarded tool without
// Confirm: a client without elicitation gets a preview and DingTalk gets
// no write; a client with it is asked one question, and only a yes reaches
// DingTalk.
func TestEveryGuardedToolAsksOrPreviews(t *testing.T) {
	t.Parallel()
	for _, d := range tools.All() {
		spec := d.Spec()
		if !spec.Guarded {
			continue
		}
		for _, mode := range []string{"preview", "accept", "decline"} {
			t.Run(spec.Name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				var asked []string
				var opts []harnessOption
				if mode != "preview" {
					action := mcp.ElicitationResponseActionAccept
					if mode == "decline" {
						action = mcp.ElicitationResponseActionDecline
					}
					opts = append(opts, withElicitation(elicitFunc(func(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
						asked = append(asked, req.Params.Message)
						return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: action, Content: map[string]any{"confirm": true}}}, nil
					})))
				}
				h := newHarness(t, opts...)
				for _, p := range prepare[spec.Name] {
					h.callOK(p, examples[p])
				}
				before := len(h.sandbox.Requests())
				out, _ := h.call(spec.Name, withoutConfirm(t, spec.Name))
				sent := writesSince(h, before)
				switch mode {
				case "preview":
					if out["StatusCode"] != float64(-1) || sent != 0 || !strings.Contains(fmt.Sprint(out["Hint"]), "Confirm=true") {
						t.Errorf("preview: StatusCode %v, %d requests, Hint %q", out["StatusCode"], sent, out["Hint"])
					}
				case "accept":
					if len(asked) != 1 || !strings.HasPrefix(asked[0], "Allow the assistant to ") || out["StatusCode"] != float64(200) || sent == 0 {
						t.Errorf("accept: asked %q, StatusCode %v, %d requests: %v", asked, out["StatusCode"], sent, out)
					}
				case "decline":
					if len(asked) != 1 || out["StatusCode"] != float64(-1) || sent != 0 {
						t.Errorf("decline: asked %q, StatusCode %v, %d requests", asked, out["StatusCode"], sent)
					}
				}
			})
		}
	}
}

// quoted is a Go-quoted string in a text: the user's own words.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// TestGuardSpeaksTheServersLanguage: in Chinese, the question the person
// is asked, the preview and the answer to a no are Chinese, with the
// call's own ids, names and numbers as given, for every guarded tool.
func TestGuardSpeaksTheServersLanguage(t *testing.T) {
	t.Parallel()
	for _, d := range tools.All() {
		spec := d.Spec()
		if !spec.Guarded {
			continue
		}
		t.Run(spec.Name, func(t *testing.T) {
			t.Parallel()
			var asked []string
			h := newHarness(t, withLang(i18n.Zh), withElicitation(elicitFunc(func(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
				asked = append(asked, req.Params.Message)
				return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionDecline}}, nil
			})))
			for _, p := range prepare[spec.Name] {
				h.callOK(p, examples[p])
			}
			declined, _ := h.call(spec.Name, withoutConfirm(t, spec.Name))
			if len(asked) != 1 {
				t.Fatalf("asked %q, want one question", asked)
			}
			preview := newHarness(t, withLang(i18n.Zh))
			for _, p := range prepare[spec.Name] {
				preview.callOK(p, examples[p])
			}
			previewed, _ := preview.call(spec.Name, withoutConfirm(t, spec.Name))
			for what, text := range map[string]string{
				"the question": asked[0], "the answer to a no (ErrorMessage)": fmt.Sprint(declined["ErrorMessage"]), "the answer to a no (Hint)": fmt.Sprint(declined["Hint"]),
				"the preview (ErrorMessage)": fmt.Sprint(previewed["ErrorMessage"]), "the preview (Hint)": fmt.Sprint(previewed["Hint"]),
			} {
				// What the call quotes (a message, a name) stays as the user wrote it.
				for _, p := range i18n.NotChinese(quoted.ReplaceAllString(text, `""`)) {
					t.Errorf("%s %q %s", what, text, p)
				}
			}
			if !strings.HasPrefix(asked[0], "允许助手") || !strings.Contains(fmt.Sprint(previewed["Hint"]), "Confirm=true") {
				t.Errorf("question %q, preview Hint %q", asked[0], previewed["Hint"])
			}
		})
	}
}
