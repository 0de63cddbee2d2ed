package signin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/internal/syncbuf"

	"golang.org/x/oauth2"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/signin"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// redirectURI is the test client's registered redirect URI. Nothing
// listens there: the browser stops at the redirect and reads it.
const redirectURI = "http://127.0.0.1:1/callback"

// env is one sign-in server in front of a sandbox, with /mcp answering
// who the request acts for.
type env struct {
	t       *testing.T
	url     string
	signin  *signin.Server
	sandbox *sandbox.Server
	store   *store.Memory
	logs    *syncbuf.Buffer
	later   atomic.Int64 // how far the sign-in's clock is ahead
}

type envOption func(*signin.Config)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	sb := sandbox.New(sandbox.WithQPS(0))
	dt := httptest.NewServer(sb)
	t.Cleanup(dt.Close)
	e := &env{t: t, sandbox: sb, store: store.NewMemory(), logs: &syncbuf.Buffer{}}
	mux := http.NewServeMux()
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	e.url = ts.URL
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := dingtalk.New(sandbox.AppKey, sandbox.AppSecret, dingtalk.WithBaseURLs(dt.URL, dt.URL), dingtalk.WithLoginBaseURL(dt.URL),
		dingtalk.WithRetry(1, time.Millisecond), dingtalk.WithRateLimit(0), dingtalk.WithLogger(logger))
	cfg := signin.Config{PublicURL: ts.URL, Store: e.store, DingTalk: client, Logger: logger,
		Now: func() time.Time { return time.Now().Add(time.Duration(e.later.Load())) }}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := signin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.signin = s
	s.Routes(mux)
	mux.Handle("/mcp", s.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(tools.PersonFrom(r.Context()))
	})))
	return e
}

// register registers a client with redirectURI and returns its id.
func (e *env) register() string {
	e.t.Helper()
	var out struct {
		ClientID string `json:"client_id"`
	}
	status := e.postJSON("/register", map[string]any{"redirect_uris": []string{redirectURI}, "client_name": "test client"}, &out)
	if status != http.StatusCreated || out.ClientID == "" {
		e.t.Fatalf("register: HTTP %d, %+v", status, out)
	}
	return out.ClientID
}

func (e *env) postJSON(path string, body, out any) int {
	e.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(e.url+path, "application/json", bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// browser is a person's browser: it keeps cookies and stops at any
// redirect to the client's redirect URI.
type browser struct {
	t  *testing.T
	hc *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, hc: &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), redirectURI) {
			return http.ErrUseLastResponse
		}
		return nil
	}}}
}

// authorizeURL is a client's authorization request.
type authorizeURL struct {
	ClientID, RedirectURI, State, Challenge, Method string
}

func (e *env) authorizeURL(a authorizeURL) string {
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {a.RedirectURI}, "state": {a.State}}
	if a.Challenge != "" {
		q.Set("code_challenge", a.Challenge)
	}
	if a.Method != "" {
		q.Set("code_challenge_method", a.Method)
	}
	return e.url + "/authorize?" + q.Encode()
}

// startSignIn follows /authorize to DingTalk's sign-in page and returns
// the page's URL (with the state DingTalk will send back), or the
// response that ended the journey before it.
func (b *browser) startSignIn(authorize string) (*url.URL, *http.Response) {
	b.t.Helper()
	resp, err := b.hc.Get(authorize)
	if err != nil {
		b.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/oauth2/auth" {
		return nil, resp
	}
	return resp.Request.URL, nil
}

// consent submits the sign-in page's form as userID and returns where
// the browser ended: the client's redirect URI, or an error page.
func (b *browser) consent(page *url.URL, userID string) *http.Response {
	b.t.Helper()
	form := page.Query()
	form.Set("userid", userID)
	form.Set("decision", "allow")
	resp, err := b.hc.PostForm(page.Scheme+"://"+page.Host+page.Path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// codeFrom reads the code and state of the redirect back to the client.
func codeFrom(t *testing.T, resp *http.Response) (code, state string, q url.Values) {
	t.Helper()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), redirectURI) {
		t.Fatalf("want a redirect to the client, got HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query().Get("code"), loc.Query().Get("state"), loc.Query()
}

// tokens is a token endpoint answer.
type tokens struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Error        string `json:"error"`
	Description  string `json:"error_description"`
	status       int
}

func (e *env) token(form url.Values) tokens {
	e.t.Helper()
	resp, err := http.PostForm(e.url+"/token", form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out tokens
	json.NewDecoder(resp.Body).Decode(&out)
	out.status = resp.StatusCode
	return out
}

// signedIn is a finished sign-in: the client, its verifier's tokens.
type signedIn struct {
	clientID string
	code     string
	verifier string
	tokens
}

// refresh redeems refreshToken at the token endpoint as clientID.
func (e *env) refresh(clientID, refreshToken string) tokens {
	return e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "client_id": {clientID}})
}

// signIn runs the whole flow as userID with a fresh client.
func (e *env) signIn(userID string) signedIn {
	e.t.Helper()
	clientID := e.register()
	verifier := oauth2.GenerateVerifier()
	b := newBrowser(e.t)
	page, stopped := b.startSignIn(e.authorizeURL(authorizeURL{ClientID: clientID, RedirectURI: redirectURI, State: "client-state",
		Challenge: oauth2.S256ChallengeFromVerifier(verifier), Method: "S256"}))
	if page == nil {
		e.t.Fatalf("authorize stopped with HTTP %d", stopped.StatusCode)
	}
	code, state, _ := codeFrom(e.t, b.consent(page, userID))
	if state != "client-state" || code == "" {
		e.t.Fatalf("code %q, state %q", code, state)
	}
	tk := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {clientID}, "code_verifier": {verifier}})
	if tk.status != http.StatusOK || tk.AccessToken == "" || tk.RefreshToken == "" {
		e.t.Fatalf("token: %+v", tk)
	}
	return signedIn{clientID: clientID, code: code, verifier: verifier, tokens: tk}
}

// call sends an MCP request with token and returns the status, the
// person it acted for and the WWW-Authenticate header.
func (e *env) call(token string, mutate ...func(*http.Request)) (int, *tools.Person, string) {
	e.t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, e.url+"/mcp", strings.NewReader(`{}`))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, m := range mutate {
		m(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var p *tools.Person
	if resp.StatusCode == http.StatusOK {
		json.NewDecoder(resp.Body).Decode(&p)
	}
	return resp.StatusCode, p, resp.Header.Get("WWW-Authenticate")
}
