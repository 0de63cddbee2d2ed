package sandbox

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DingTalk's user sign-in (OAuth 2.0 for an internal app): the sign-in
// page, where a demo member is picked without a password, the exchange of
// its authCode for a user token, and users/me.

// Lifetimes of the sign-in's credentials. DingTalk documents 7200 s for
// the user token and 30 days for its refresh token; the authCode's
// lifetime is documented only for the JSAPI code, 5 minutes, and taken to
// be the same here (UNVERIFIED).
const (
	authCodeTTL         = 5 * time.Minute
	userTokenTTL        = 7200 * time.Second
	userRefreshTokenTTL = 30 * 24 * time.Hour
)

// loginState is what the sign-in has issued. It is guarded by Server.mu.
type loginState struct {
	codes   map[string]*issued // authCode → the member; spent codes stay, marked used
	tokens  map[string]*issued // user access token → the member
	refresh map[string]*issued // refresh token → the member
}

type issued struct {
	userID  string
	expires time.Time
	used    bool
}

func newLoginState() *loginState {
	return &loginState{codes: map[string]*issued{}, tokens: map[string]*issued{}, refresh: map[string]*issued{}}
}

// maxLoginCredentials bounds each map of loginState: past it, expired and
// spent entries are dropped.
const maxLoginCredentials = 10000

func prune(m map[string]*issued, now time.Time) {
	if len(m) < maxLoginCredentials {
		return
	}
	for k, v := range m {
		if v.used || !now.Before(v.expires) {
			delete(m, k)
		}
	}
}

func (s *Server) loginRoutes() {
	s.mux.HandleFunc("GET /oauth2/auth", s.serve("GET /oauth2/auth", s.signInPage))
	s.mux.HandleFunc("POST /oauth2/auth", s.serve("POST /oauth2/auth", s.signInConsent))
	s.mux.HandleFunc("POST /v1.0/oauth2/userAccessToken", s.serve("POST /v1.0/oauth2/userAccessToken", s.userAccessToken))
	s.mux.HandleFunc("GET /v1.0/contact/users/me", s.serve("GET /v1.0/contact/users/me", s.usersMe))
}

// signInRequest is the query of DingTalk's sign-in page.
type signInRequest struct {
	RedirectURI, ClientID, State string
}

// checkSignIn validates the sign-in page's parameters as DingTalk does
// before showing the page: its own error page, never a redirect.
func checkSignIn(q url.Values) (signInRequest, string) {
	r := signInRequest{RedirectURI: q.Get("redirect_uri"), ClientID: q.Get("client_id"), State: q.Get("state")}
	u, err := url.Parse(r.RedirectURI)
	switch {
	case r.ClientID != AppKey:
		return r, "client_id is not the AppKey of an app in this organisation"
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		// DingTalk also requires it to be registered in the app's security
		// settings; the sandbox accepts any http(s) address.
		return r, "redirect_uri must be an absolute http(s) URL"
	case q.Get("response_type") != "code":
		return r, "response_type must be code"
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		return r, "scope must be openid or openid corpid"
	}
	return r, ""
}

var signInTemplate = template.Must(template.New("signin").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>DingTalk sign-in (sandbox)</title></head>
<body>
<h1>Sign in with DingTalk</h1>
<p>The sandbox has no passwords: pick the demo member to sign in as.</p>
<form method="post" action="/oauth2/auth">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="response_type" value="code">
<input type="hidden" name="scope" value="openid">
<select name="userid">{{range .Members}}
<option value="{{.UserID}}">{{.Name}} ({{.UserID}}, {{.Title}})</option>{{end}}
</select>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
`))

// signInPage answers GET /oauth2/auth: the page where a member consents.
func (s *Server) signInPage(x *exchange) {
	r, problem := checkSignIn(x.r.URL.Query())
	if problem != "" {
		x.signInError(problem)
		return
	}
	type member struct{ UserID, Name, Title string }
	var members []member
	s.mu.Lock()
	for _, id := range s.state.dir.order {
		if u := s.state.dir.users[id]; u != nil && u.Active && !u.external {
			members = append(members, member{u.UserID, u.Name, u.Title})
		}
	}
	s.mu.Unlock()
	x.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	x.rec.Status = http.StatusOK
	x.w.WriteHeader(http.StatusOK)
	signInTemplate.Execute(x.w, struct {
		signInRequest
		Members []member
	}{r, members})
}

// signInConsent answers the page's form: it sends the browser back to
// redirect_uri with authCode and state, or with error and state.
func (s *Server) signInConsent(x *exchange) {
	form, err := url.ParseQuery(string(x.body))
	if err != nil {
		x.signInError("the form is not URL-encoded")
		return
	}
	r, problem := checkSignIn(form)
	if problem != "" {
		x.signInError(problem)
		return
	}
	back := url.Values{"state": {r.State}}
	if form.Get("decision") != "allow" {
		back.Set("error", "access_denied")
		x.redirect(r.RedirectURI, back)
		return
	}
	s.mu.Lock()
	u := s.state.dir.users[form.Get("userid")]
	var code string
	if u != nil && u.Active && !u.external {
		now := s.now()
		prune(s.login.codes, now)
		code = randomString(32, "0123456789abcdef")
		s.login.codes[code] = &issued{userID: u.UserID, expires: now.Add(authCodeTTL)}
	}
	s.mu.Unlock()
	if code == "" {
		x.signInError("userid is not an active member of the organisation")
		return
	}
	// DingTalk names the code authCode, not code.
	back.Set("authCode", code)
	x.redirect(r.RedirectURI, back)
}

func (x *exchange) redirect(to string, q url.Values) {
	u, _ := url.Parse(to)
	merged := u.Query()
	for k, v := range q {
		merged[k] = v
	}
	u.RawQuery = merged.Encode()
	x.rec.Status = http.StatusFound
	http.Redirect(x.w, x.r, u.String(), http.StatusFound)
}

func (x *exchange) signInError(problem string) {
	x.rec.Status, x.rec.Errcode = http.StatusBadRequest, "signin"
	x.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	x.w.WriteHeader(http.StatusBadRequest)
	template.Must(template.New("e").Parse(`<!DOCTYPE html><html><body><h1>Sign-in failed</h1><p>{{.}}</p></body></html>`)).Execute(x.w, problem)
}

// userAccessToken answers POST /v1.0/oauth2/userAccessToken: an authCode
// or a refresh token for the member's user token. No token header.
func (s *Server) userAccessToken(x *exchange) {
	var req struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		GrantType    string `json:"grantType"`
		Code         string `json:"code"`
		RefreshToken string `json:"refreshToken"`
	}
	if x.decode(&req) != nil || (req.ClientID == "" && req.ClientSecret == "") {
		x.apiError(http.StatusBadRequest, "Missingbody", "body is mandatory for this action.")
		return
	}
	if req.ClientID != AppKey || req.ClientSecret != AppSecret {
		x.apiError(http.StatusBadRequest, "invalidClientIdOrSecret", "无效的clientId或者clientSecret")
		return
	}
	s.mu.Lock()
	now := s.now()
	var from map[string]*issued
	var key string
	switch req.GrantType {
	case "authorization_code":
		from, key = s.login.codes, req.Code
	case "refresh_token":
		from, key = s.login.refresh, req.RefreshToken
	default:
		s.mu.Unlock()
		x.apiError(http.StatusBadRequest, "invalidParameter.grantType", "grantType must be authorization_code or refresh_token")
		return
	}
	got := from[key]
	if got == nil || got.used || !now.Before(got.expires) {
		s.mu.Unlock()
		// DingTalk's documented code for a bad code; the same code for a
		// spent or expired one, and for a bad refresh token, is UNVERIFIED.
		x.apiError(http.StatusBadRequest, "invalidCode", "无效的授权码")
		return
	}
	// A code is single-use; a refresh token is taken to rotate, as
	// public clients observe (UNVERIFIED).
	got.used = true
	prune(s.login.tokens, now)
	prune(s.login.refresh, now)
	access, refresh := randomString(32, "0123456789abcdef"), randomString(32, "0123456789abcdef")
	s.login.tokens[access] = &issued{userID: got.userID, expires: now.Add(userTokenTTL)}
	s.login.refresh[refresh] = &issued{userID: got.userID, expires: now.Add(userRefreshTokenTTL)}
	s.mu.Unlock()
	x.writeJSON(http.StatusOK, map[string]any{"accessToken": access, "refreshToken": refresh, "expireIn": int(userTokenTTL.Seconds()), "corpId": CorpID})
}

// usersMe answers GET /v1.0/contact/users/me for the member whose user
// token is in the header. The app's token is refused, as at DingTalk.
func (s *Server) usersMe(x *exchange) {
	token := x.r.Header.Get("x-acs-dingtalk-access-token")
	if token == "" {
		x.apiError(http.StatusBadRequest, "AuthenticationFailed.MissingParameter", "缺少参数：x-acs-dingtalk-access-token")
		return
	}
	if s.validToken(token) {
		x.apiError(http.StatusForbidden, "Forbidden.AccessDenied.AccessTokenPermissionDenied", "没有调用该接口的权限")
		return
	}
	if s.isDenied("Contact.User.Read") {
		x.apiError(http.StatusForbidden, "Forbidden.AccessDenied.AccessTokenPermissionDenied", "应用尚未开通所需的权限：[Contact.User.Read]")
		return
	}
	s.mu.Lock()
	got := s.login.tokens[token]
	var u *user
	if got != nil && s.now().Before(got.expires) {
		u = s.state.dir.users[got.userID]
	}
	s.mu.Unlock()
	if got == nil || u == nil {
		x.apiError(http.StatusBadRequest, "InvalidAuthentication", "不合法的access_token")
		return
	}
	x.writeJSON(http.StatusOK, map[string]any{
		"nick": u.Name, "avatarUrl": u.Avatar, "mobile": u.Mobile, "stateCode": u.StateCode,
		"openId": "openid" + u.UnionID[:12], "unionId": u.UnionID, "email": u.Email,
	})
}

// UserTokens returns every user access and refresh token issued so far,
// so that tests can check that none leaks.
func (s *Server) UserTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.login.tokens)+len(s.login.refresh))
	for t := range s.login.tokens {
		out = append(out, t)
	}
	for t := range s.login.refresh {
		out = append(out, t)
	}
	return out
}
