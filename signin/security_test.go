package signin_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/signin"
)

// wantChallenge checks a refusal that leads a client to sign in.
func wantChallenge(t *testing.T, e *env, status int, header string) {
	t.Helper()
	if status != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", status)
	}
	want := `Bearer resource_metadata="` + e.url + `/.well-known/oauth-protected-resource/mcp"`
	if !strings.HasPrefix(header, want) {
		t.Fatalf("WWW-Authenticate = %q, want it to start with %q", header, want)
	}
}

func TestSignedInRequestActsAsThePerson(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signIn("lina")
	status, p, _ := e.call(s.AccessToken)
	if status != http.StatusOK || p == nil || p.UserID != "lina" || p.Name != "李娜" || !strings.HasSuffix(p.UnionID, "iEiE") {
		t.Fatalf("call: %d %+v, want 李娜 (lina) with her unionId", status, p)
	}
}

func TestRequestWithoutAUsableTokenGets401(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		token func(e *env) string
	}{
		{"missing", func(*env) string { return "" }},
		{"unknown", func(*env) string { return "dtmcp_at_made-up" }},
		{"expired", func(e *env) string {
			s := e.signIn("lina")
			e.later.Store(int64(signin.DefaultAccessTokenTTL) + 1)
			return s.AccessToken
		}},
		{"revoked", func(e *env) string {
			s := e.signIn("lina")
			resp, err := http.PostForm(e.url+"/revoke", url.Values{"token": {s.RefreshToken}, "client_id": {s.clientID}})
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("revoke: %v %v", resp.Status, err)
			}
			return s.AccessToken
		}},
		{"foreign audience", func(e *env) string {
			// A server at another address sharing the store issued it.
			other := newEnv(t, func(c *signin.Config) { c.Store = e.store })
			return other.signIn("lina").AccessToken
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			status, p, header := e.call(tc.token(e))
			wantChallenge(t, e, status, header)
			if p != nil {
				t.Fatalf("acted as %+v", p)
			}
		})
	}
}

func TestPKCEIsRequiredAndMustBeS256(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clientID := e.register()
	verifier := oauth2.GenerateVerifier()
	for _, tc := range []struct {
		name              string
		challenge, method string
	}{
		{"missing", "", ""},
		{"plain", verifier, "plain"},
		{"method missing", oauth2.S256ChallengeFromVerifier(verifier), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page, resp := newBrowser(t).startSignIn(e.authorizeURL(authorizeURL{ClientID: clientID, RedirectURI: redirectURI, State: "s", Challenge: tc.challenge, Method: tc.method}))
			if page != nil {
				t.Fatal("reached DingTalk's sign-in page without PKCE S256")
			}
			_, state, q := codeFrom(t, resp)
			if q.Get("error") != "invalid_request" || state != "s" || q.Get("code") != "" {
				t.Fatalf("redirect back = %v, want error=invalid_request with the state", q)
			}
		})
	}
}

func TestWrongOrMissingVerifierIsRefusedAndEndsTheSignIn(t *testing.T) {
	t.Parallel()
	for _, verifier := range []string{"", oauth2.GenerateVerifier(), "short"} {
		t.Run("verifier="+verifier, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			clientID, code, right := e.codeFor("lina")
			tk := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "client_id": {clientID}, "code_verifier": {verifier}})
			if tk.status != http.StatusBadRequest || tk.Error != "invalid_grant" || tk.AccessToken != "" {
				t.Fatalf("token with verifier %q: %+v, want invalid_grant", verifier, tk)
			}
			// The code is spent: the right verifier no longer helps.
			tk = e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "client_id": {clientID}, "code_verifier": {right}})
			if tk.Error != "invalid_grant" {
				t.Fatalf("second try: %+v, want invalid_grant", tk)
			}
		})
	}
}

// codeFor signs userID in through a new client and returns the code
// without redeeming it, and its verifier.
func (e *env) codeFor(userID string) (clientID, code, verifier string) {
	e.t.Helper()
	clientID = e.register()
	verifier = oauth2.GenerateVerifier()
	b := newBrowser(e.t)
	page, _ := b.startSignIn(e.authorizeURL(authorizeURL{ClientID: clientID, RedirectURI: redirectURI, State: "s", Challenge: oauth2.S256ChallengeFromVerifier(verifier), Method: "S256"}))
	if page == nil {
		e.t.Fatal("authorize did not reach the sign-in page")
	}
	code, _, _ = codeFrom(e.t, b.consent(page, userID))
	return clientID, code, verifier
}

func TestRedirectURIMismatchIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clientID := e.register()
	verifier := oauth2.GenerateVerifier()
	for _, uri := range []string{"http://127.0.0.1:1/callback/", "http://127.0.0.1:2/callback", "https://evil.example/callback", ""} {
		page, resp := newBrowser(t).startSignIn(e.authorizeURL(authorizeURL{ClientID: clientID, RedirectURI: uri, State: "s", Challenge: oauth2.S256ChallengeFromVerifier(verifier), Method: "S256"}))
		if page != nil || resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Fatalf("redirect_uri %q: HTTP %d to %q, want a 400 page and no redirect", uri, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// At the token endpoint too.
	clientID, code, verifier := e.codeFor("lina")
	tk := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://127.0.0.1:1/other"}, "client_id": {clientID}, "code_verifier": {verifier}})
	if tk.Error != "invalid_grant" {
		t.Fatalf("token with another redirect_uri: %+v, want invalid_grant", tk)
	}
}

func TestReusedCodeIsRefusedAndRevokesItsTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signIn("lina")
	tk := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {s.code}, "redirect_uri": {redirectURI}, "client_id": {s.clientID}, "code_verifier": {s.verifier}})
	if tk.status != http.StatusBadRequest || tk.Error != "invalid_grant" || tk.AccessToken != "" {
		t.Fatalf("second redemption: %+v, want invalid_grant", tk)
	}
	status, _, header := e.call(s.AccessToken)
	wantChallenge(t, e, status, header)
	if tk := e.refresh(s.clientID, s.RefreshToken); tk.Error != "invalid_grant" {
		t.Fatalf("refresh after the code's reuse: %+v, want invalid_grant", tk)
	}
}

func TestStateMismatchAtTheCallbackIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clientID := e.register()
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	start := func(b *browser) *url.URL {
		page, _ := b.startSignIn(e.authorizeURL(authorizeURL{ClientID: clientID, RedirectURI: redirectURI, State: "s", Challenge: challenge, Method: "S256"}))
		if page == nil {
			t.Fatal("authorize did not reach the sign-in page")
		}
		return page
	}
	victim, attacker := newBrowser(t), newBrowser(t)
	start(victim)
	attackerPage := start(attacker)
	for _, tc := range []struct {
		name  string
		b     *browser
		state string
	}{
		// The attacker's own sign-in, finished in the victim's browser.
		{"another browser's state", victim, attackerPage.Query().Get("state")},
		{"made-up state", attacker, "forged"},
		{"no state", attacker, ""},
	} {
		resp, err := tc.b.hc.Get(e.url + "/callback?" + url.Values{"authCode": {"x"}, "state": {tc.state}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%s: HTTP %d to %q, want a 400 page", tc.name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if n := len(e.sandbox.Calls("POST /v1.0/oauth2/userAccessToken")); n != 0 {
		t.Fatalf("%d authCode exchanges with DingTalk, want none", n)
	}
}

func TestOnePersonsTokenNeverActsAsAnother(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lina, zhang := e.signIn("lina"), e.signIn("zhangwei")
	for _, tc := range []struct {
		token, want string
	}{{lina.AccessToken, "lina"}, {zhang.AccessToken, "zhangwei"}, {lina.AccessToken, "lina"}} {
		if status, p, _ := e.call(tc.token); status != http.StatusOK || p.UserID != tc.want {
			t.Fatalf("call = %d %+v, want %s", status, p, tc.want)
		}
	}
	// A session opened by one person cannot be used by another.
	session := func(r *http.Request) { r.Header.Set("Mcp-Session-Id", "session-1") }
	if status, _, _ := e.call(lina.AccessToken, session); status != http.StatusOK {
		t.Fatalf("lina in her session: %d", status)
	}
	if status, p, _ := e.call(zhang.AccessToken, session); status != http.StatusForbidden || p != nil {
		t.Fatalf("zhangwei in lina's session: %d %+v, want 403", status, p)
	}
	// And one person's refresh token cannot be spent by another client.
	if tk := e.refresh(zhang.clientID, lina.RefreshToken); tk.Error != "invalid_grant" {
		t.Fatalf("lina's refresh token from zhangwei's client: %+v", tk)
	}
}

func TestTokenInTheQueryStringIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signIn("lina")
	for name, header := range map[string]string{"alone": "", "with a valid header too": s.AccessToken} {
		status, p, _ := e.call(header, func(r *http.Request) { r.URL.RawQuery = url.Values{"access_token": {s.AccessToken}}.Encode() })
		if status != http.StatusBadRequest || p != nil {
			t.Errorf("%s: %d %+v, want 400", name, status, p)
		}
	}
}

func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signIn("lina")
	next := e.refresh(s.clientID, s.RefreshToken)
	if next.status != http.StatusOK || next.RefreshToken == "" || next.RefreshToken == s.RefreshToken || next.AccessToken == s.AccessToken {
		t.Fatalf("refresh: %+v, want new tokens", next)
	}
	if status, p, _ := e.call(next.AccessToken); status != http.StatusOK || p.UserID != "lina" {
		t.Fatalf("the refreshed token: %d %+v", status, p)
	}
	// The old refresh token again: refused, and the whole family revoked.
	if again := e.refresh(s.clientID, s.RefreshToken); again.Error != "invalid_grant" {
		t.Fatalf("old refresh token: %+v, want invalid_grant", again)
	}
	status, _, header := e.call(next.AccessToken)
	wantChallenge(t, e, status, header)
	if tk := e.refresh(s.clientID, next.RefreshToken); tk.Error != "invalid_grant" {
		t.Fatalf("the family's newest refresh token: %+v, want invalid_grant", tk)
	}
}

func TestTokensAndSecretsNeverReachTheLogs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signIn("lina")
	next := e.refresh(s.clientID, s.RefreshToken)
	// Failures log too: a reused code, a reused refresh token, bad tokens.
	e.token(url.Values{"grant_type": {"authorization_code"}, "code": {s.code}, "redirect_uri": {redirectURI}, "client_id": {s.clientID}, "code_verifier": {s.verifier}})
	e.refresh(s.clientID, s.RefreshToken)
	e.call(s.AccessToken)
	e.call("dtmcp_at_guess")
	logs := e.logs.String()
	if !strings.Contains(logs, "signed in") || !strings.Contains(logs, "李娜 (lina)") {
		t.Fatalf("the sign-in is not logged with the person:\n%s", logs)
	}
	secrets := append([]string{s.AccessToken, s.RefreshToken, s.code, s.verifier, next.AccessToken, next.RefreshToken, sandbox.AppSecret, "dtmcp_at_", "dtmcp_rt_", "dtmcp_ac_"},
		e.sandbox.UserTokens()...)
	if len(e.sandbox.UserTokens()) == 0 {
		t.Fatal("no DingTalk user token was issued")
	}
	for _, secret := range secrets {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain a secret %.12s…", secret)
		}
	}
}

// TestRefusalPageSpeaksTheBrowsersLanguage: the page a person sees when
// the sign-in cannot go back to the client is in the language of their
// browser, or at /authorize of the ui_locales the client asked for; the
// OAuth error and its description stay as OAuth writes them.
func TestRefusalPageSpeaksTheBrowsersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	forged := "/callback?" + url.Values{"authCode": {"x"}, "state": {"forged"}}.Encode()
	unknownClient := func(uiLocales string) string {
		return "/authorize?" + url.Values{"client_id": {"no-such-client"}, "response_type": {"code"}, "ui_locales": {uiLocales}}.Encode()
	}
	for _, tc := range []struct {
		target, accept, lang, title, code string
	}{
		{forged, "", "en", "Sign-in refused", "invalid_request"},
		{forged, "zh-CN,zh;q=0.9", "zh-Hans", "登录被拒绝", "invalid_request"},
		{forged, "fr-FR", "en", "Sign-in refused", "invalid_request"},
		{unknownClient("zh-CN en"), "en-US", "zh-Hans", "登录被拒绝", "invalid_client"},
		{unknownClient("en zh"), "zh-CN", "en", "Sign-in refused", "invalid_client"},
		{unknownClient("fr de"), "zh-CN", "zh-Hans", "登录被拒绝", "invalid_client"},
		{unknownClient(""), "zh-CN", "zh-Hans", "登录被拒绝", "invalid_client"},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.url+tc.target, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Language", tc.accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		if resp.StatusCode < 400 || !strings.Contains(page, `<html lang="`+tc.lang+`">`) || !strings.Contains(page, "<h1>"+tc.title+"</h1>") || !strings.Contains(page, tc.code) {
			t.Errorf("%s, Accept-Language %q: HTTP %d\n%s", tc.target, tc.accept, resp.StatusCode, page)
		}
	}
}

// TestSomeoneWhoLeftLosesTheSignInAtTheNextRefresh: a refresh asks
// DingTalk whether the person is still an employee; for one who has left
// (DingTalk knows no member by their unionId) it is refused and the whole
// sign-in ends, so their access lasts no longer than one access token.
func TestSomeoneWhoLeftLosesTheSignInAtTheNextRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signIn("lina")
	stillHere := e.refresh(s.clientID, s.RefreshToken)
	if stillHere.status != http.StatusOK {
		t.Fatalf("refresh while lina is an employee: %+v", stillHere)
	}
	e.sandbox.Inject(sandbox.Fault{API: "POST /topapi/user/getbyunionid", Errcode: 60121, Message: "找不到该用户", Times: 1})
	if gone := e.refresh(s.clientID, stillHere.RefreshToken); gone.status != http.StatusBadRequest || gone.Error != "invalid_grant" || gone.AccessToken != "" {
		t.Fatalf("refresh after lina left: %+v, want invalid_grant", gone)
	}
	status, _, header := e.call(stillHere.AccessToken)
	wantChallenge(t, e, status, header)
	if again := e.refresh(s.clientID, stillHere.RefreshToken); again.Error != "invalid_grant" {
		t.Fatalf("the same refresh token once DingTalk answers again: %+v, want invalid_grant", again)
	}
}

// TestRefreshThatCannotAskDingTalkKeepsTheToken: when DingTalk cannot say
// whether the person is still an employee, the refresh fails without
// spending its token, and the client's retry succeeds.
func TestRefreshThatCannotAskDingTalkKeepsTheToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signIn("lina")
	e.sandbox.Inject(sandbox.Fault{API: "POST /topapi/user/getbyunionid", Status: http.StatusServiceUnavailable, Body: "busy", Times: 100})
	if down := e.refresh(s.clientID, s.RefreshToken); down.status != http.StatusInternalServerError || down.Error != "server_error" {
		t.Fatalf("refresh while DingTalk is down: %+v, want server_error", down)
	}
	e.sandbox.ClearFaults()
	back := e.refresh(s.clientID, s.RefreshToken)
	if back.status != http.StatusOK || back.AccessToken == "" {
		t.Fatalf("the retry once DingTalk is back: %+v, want new tokens", back)
	}
	if status, p, _ := e.call(back.AccessToken); status != http.StatusOK || p.UserID != "lina" {
		t.Fatalf("the refreshed token: %d %+v", status, p)
	}
}
