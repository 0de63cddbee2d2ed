package signin_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/dingtalk-mcp/dingtalk-mcp/signin"
)

func getJSON(t *testing.T, u string, out any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %v %v", u, resp.Status, err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(out)
}

func TestMetadataLeadsToThisServer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, path := range []string{"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"} {
		var prm map[string]any
		getJSON(t, e.url+path, &prm)
		want := map[string]any{"resource": e.url + "/mcp", "authorization_servers": []any{e.url}, "bearer_methods_supported": []any{"header"}, "resource_name": "DingTalk MCP server"}
		if diff := cmp.Diff(want, prm); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
	var as map[string]any
	getJSON(t, e.url+"/.well-known/oauth-authorization-server", &as)
	for k, want := range map[string]any{
		"issuer": e.url, "authorization_endpoint": e.url + "/authorize", "token_endpoint": e.url + "/token",
		"registration_endpoint": e.url + "/register", "revocation_endpoint": e.url + "/revoke",
		"code_challenge_methods_supported": []any{"S256"}, "grant_types_supported": []any{"authorization_code", "refresh_token"},
		"token_endpoint_auth_methods_supported": []any{"none"}, "client_id_metadata_document_supported": true,
	} {
		if diff := cmp.Diff(want, as[k]); diff != "" {
			t.Errorf("authorization server metadata %s (-want +got):\n%s", k, diff)
		}
	}
}

func TestRegistrationChecksRedirectURIs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		uris []string
		ok   bool
	}{
		{[]string{"http://127.0.0.1:33418/callback"}, true},
		{[]string{"http://localhost:6274/oauth/callback", "https://app.example/cb"}, true},
		{[]string{"cursor://anysphere.cursor-retrieval/oauth/callback"}, true},
		{nil, false},
		{[]string{"http://app.example/cb"}, false},
		{[]string{"https://app.example/cb#frag"}, false},
		{[]string{"javascript:alert(1)"}, false},
		{[]string{"/relative"}, false},
	} {
		var out map[string]any
		status := e.postJSON("/register", map[string]any{"redirect_uris": tc.uris}, &out)
		if tc.ok != (status == http.StatusCreated) {
			t.Errorf("register %v: HTTP %d %v", tc.uris, status, out)
		}
		if !tc.ok && out["error"] != "invalid_redirect_uri" {
			t.Errorf("register %v: error %v, want invalid_redirect_uri", tc.uris, out["error"])
		}
		if tc.ok && out["token_endpoint_auth_method"] != "none" {
			t.Errorf("register %v: %v, want a public client", tc.uris, out)
		}
	}
}

func TestDeniedConsentReturnsAccessDenied(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clientID := e.register()
	b := newBrowser(t)
	page, _ := b.startSignIn(e.authorizeURL(authorizeURL{ClientID: clientID, RedirectURI: redirectURI, State: "s",
		Challenge: oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier()), Method: "S256"}))
	form := page.Query()
	form.Set("decision", "deny")
	resp, err := b.hc.PostForm(page.Scheme+"://"+page.Host+page.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	code, state, q := codeFrom(t, resp)
	if code != "" || state != "s" || q.Get("error") != "access_denied" || q.Get("iss") != e.url {
		t.Fatalf("denied sign-in came back as %v", q)
	}
}

// metadocServer serves client ID metadata documents on loopback: the
// document at /<name> is docs[name], with its URL put in for {{ID}}.
func metadocServer(t *testing.T, docs map[string]string) *httptest.Server {
	t.Helper()
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, ok := docs[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if doc == "redirect" {
			http.Redirect(w, r, ts.URL+"/good", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, strings.ReplaceAll(doc, "{{ID}}", ts.URL+r.URL.Path))
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestClientIDMetadataDocument(t *testing.T) {
	t.Parallel()
	good := `{"client_id":"{{ID}}","client_name":"Doc client","redirect_uris":["` + redirectURI + `"],"token_endpoint_auth_method":"none"}`
	docs := metadocServer(t, map[string]string{
		"good":         good,
		"other-id":     `{"client_id":"https://elsewhere.example/doc","redirect_uris":["` + redirectURI + `"]}`,
		"secret":       `{"client_id":"{{ID}}","client_secret":"s","redirect_uris":["` + redirectURI + `"]}`,
		"big":          `{"client_id":"{{ID}}","client_name":"` + strings.Repeat("x", 6000) + `","redirect_uris":["` + redirectURI + `"]}`,
		"redirect":     "redirect",
		"no-redirects": `{"client_id":"{{ID}}"}`,
		"bad-redirect": `{"client_id":"{{ID}}","redirect_uris":["http://evil.example/cb"]}`,
	})
	// The test's fetcher may reach loopback over http; the default one may not.
	e := newEnv(t, func(c *signin.Config) {
		c.MetadataClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	})
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	for _, tc := range []struct {
		name string
		ok   bool
	}{{"good", true}, {"other-id", false}, {"secret", false}, {"big", false}, {"redirect", false}, {"no-redirects", false}, {"bad-redirect", false}, {"absent", false}} {
		page, resp := newBrowser(t).startSignIn(e.authorizeURL(authorizeURL{ClientID: docs.URL + "/" + tc.name, RedirectURI: redirectURI, State: "s", Challenge: challenge, Method: "S256"}))
		if tc.ok != (page != nil) {
			status := 0
			if resp != nil {
				status = resp.StatusCode
			}
			t.Errorf("%s: reached the sign-in page = %v (HTTP %d), want %v", tc.name, page != nil, status, tc.ok)
		}
	}
	// A redirect URI the document does not list is refused.
	page, _ := newBrowser(t).startSignIn(e.authorizeURL(authorizeURL{ClientID: docs.URL + "/good", RedirectURI: "http://127.0.0.1:9/elsewhere", State: "s", Challenge: challenge, Method: "S256"}))
	if page != nil {
		t.Error("a redirect URI the document does not list reached the sign-in page")
	}

	// The default fetcher refuses http, and loopback addresses even over https.
	strict := newEnv(t)
	for _, id := range []string{docs.URL + "/good", strings.Replace(docs.URL, "http://", "https://", 1) + "/good"} {
		if page, _ := newBrowser(t).startSignIn(strict.authorizeURL(authorizeURL{ClientID: id, RedirectURI: redirectURI, State: "s", Challenge: challenge, Method: "S256"})); page != nil {
			t.Errorf("the default fetcher accepted %s", id)
		}
	}
	if !strings.Contains(strict.logs.String(), "is not public") {
		t.Errorf("the https loopback document was not refused for its address:\n%s", strict.logs.String())
	}
}
