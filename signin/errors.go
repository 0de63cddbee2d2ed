package signin

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// oauthError is an OAuth error response (RFC 6749 §4.1.2.1, §5.2): a code
// from the registry and a description a person can act on.
type oauthError struct {
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
	status      int
}

func (e *oauthError) Error() string { return e.Code + ": " + e.Description }

func errInvalidRequest(desc string) *oauthError {
	return &oauthError{Code: "invalid_request", Description: desc, status: http.StatusBadRequest}
}

func errInvalidGrant(desc string) *oauthError {
	return &oauthError{Code: "invalid_grant", Description: desc, status: http.StatusBadRequest}
}

func errInvalidClient(desc string) *oauthError {
	return &oauthError{Code: "invalid_client", Description: desc, status: http.StatusUnauthorized}
}

func errServer(desc string) *oauthError {
	return &oauthError{Code: "server_error", Description: desc, status: http.StatusInternalServerError}
}

// writeJSON answers an endpoint that clients call directly, never cached:
// tokens must not be stored by intermediaries.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *oauthError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="dingtalk-mcp"`)
	}
	writeJSON(w, e.status, e)
}

// redirectError sends the browser back to a client's verified redirect
// URI with the error, the client's state and the issuer (RFC 9207).
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, redirectURI, state string, e *oauthError) {
	q := url.Values{"error": {e.Code}, "error_description": {e.Description}, "iss": {s.issuer}}
	if state != "" {
		q.Set("state", state)
	}
	http.Redirect(w, r, withQuery(redirectURI, q), http.StatusFound)
}

func withQuery(uri string, q url.Values) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	merged := u.Query()
	for k, v := range q {
		merged[k] = v
	}
	u.RawQuery = merged.Encode()
	return u.String()
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>{{.Next}}</p><p><code>{{.Code}}</code>: {{.Description}}</p></body></html>
`))

// showError answers a browser when there is no verified redirect URI to
// send it back to: the client or its redirect URI is unknown, or the
// callback cannot be tied to a sign-in that this browser started. The page
// speaks the browser's language (pageLang); the error's code and
// description stay as OAuth writes them (RFC 6749 allows only ASCII in an
// error_description), for whoever debugs the client.
func showError(w http.ResponseWriter, r *http.Request, e *oauthError) {
	l := pageLang(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.status)
	errorPage.Execute(w, struct{ Lang, Title, Next, Code, Description string }{
		Lang: l.Tag().String(), Title: l.Text("Sign-in refused"),
		Next: l.Text("Nothing was signed in. Start the sign-in again from your MCP client; if it is refused again, show this page to whoever runs the server."),
		Code: e.Code, Description: e.Description,
	})
}

// pageLang is the language of a page shown to the browser that sent r: the
// first of the ui_locales the client asked for at /authorize (OpenID
// Connect's parameter, space-separated tags in order of preference) that
// the server speaks, else Accept-Language's, else English.
func pageLang(r *http.Request) i18n.Lang {
	if locales := strings.Fields(r.URL.Query().Get("ui_locales")); len(locales) > 0 {
		if l, _ := i18n.Negotiate("", strings.Join(locales, ","), ""); l != "" {
			return l
		}
	}
	l, _ := i18n.Negotiate("", r.Header.Get("Accept-Language"), i18n.En)
	return l
}
