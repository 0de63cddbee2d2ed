package signin

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"regexp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// pending is a sign-in between the client's /authorize and DingTalk's
// answer at /callback, stored under the hash of the state sent to
// DingTalk.
type pending struct {
	ClientID    string `json:"client_id"`
	RedirectURI string `json:"redirect_uri"`
	Challenge   string `json:"code_challenge"`
	ClientState string `json:"state,omitempty"`
}

// codeGrant is what an authorization code stands for.
type codeGrant struct {
	GrantID     string `json:"grant"`
	ClientID    string `json:"client_id"`
	RedirectURI string `json:"redirect_uri"`
	Challenge   string `json:"code_challenge"`
}

// grant is one person's sign-in through one client. Every token names it;
// deleting it revokes them all.
type grant struct {
	ID       string       `json:"id"`
	Person   tools.Person `json:"person"`
	ClientID string       `json:"client_id"`
	// DingTalk is the person's own DingTalk token. It never leaves the
	// server.
	DingTalk dingtalk.UserToken `json:"dingtalk"`
}

// stateCookie ties DingTalk's answer to the browser that started the
// sign-in: a callback carrying a state this browser did not start (a
// forged or swapped sign-in) is refused.
const stateCookie = "dtmcp_signin_state"

// challengePattern is a base64url SHA-256 digest: 43 characters.
var challengePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// serveAuthorize answers GET /authorize: it checks the client's request
// and sends the browser on to DingTalk's sign-in page.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c, e := s.lookupClient(r.Context(), q.Get("client_id"))
	if e != nil {
		showError(w, r, e)
		return
	}
	redirectURI := q.Get("redirect_uri")
	if redirectURI == "" || !c.allows(redirectURI) {
		// Never redirect to an address the client did not register.
		showError(w, r, errInvalidRequest("redirect_uri must be exactly one of the URIs the client registered"))
		return
	}
	state := q.Get("state")
	fail := func(e *oauthError) { s.redirectError(w, r, redirectURI, state, e) }
	switch {
	case q.Get("response_type") != "code":
		fail(&oauthError{Code: "unsupported_response_type", Description: "response_type must be code", status: http.StatusBadRequest})
		return
	case q.Get("code_challenge") == "":
		fail(errInvalidRequest("code_challenge is required: PKCE with S256"))
		return
	case q.Get("code_challenge_method") != "S256":
		fail(errInvalidRequest("code_challenge_method must be S256; plain is not accepted"))
		return
	case !challengePattern.MatchString(q.Get("code_challenge")):
		fail(errInvalidRequest("code_challenge must be the base64url SHA-256 of the code verifier (43 characters)"))
		return
	}
	if res := q.Get("resource"); res != "" && !s.isResource(res) {
		fail(&oauthError{Code: "invalid_target", Description: "resource must be " + s.resource, status: http.StatusBadRequest})
		return
	}
	upstream := random("")
	p := pending{ClientID: c.ID, RedirectURI: redirectURI, Challenge: q.Get("code_challenge"), ClientState: state}
	if err := s.put(r.Context(), keyPending+hash(upstream), p, pendingTTL); err != nil {
		fail(errServer("the sign-in could not be stored"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: upstream, Path: "/callback", MaxAge: int(pendingTTL.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil || s.isHTTPS(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.cfg.DingTalk.Login.AuthorizeURL(s.issuer+"/callback", upstream), http.StatusFound)
}

// isResource accepts the resource as published, with or without a
// trailing slash, or the server's own address.
func (s *Server) isResource(res string) bool {
	return res == s.resource || res == s.resource+"/" || res == s.issuer || res == s.issuer+"/"
}

func (s *Server) isHTTPS() bool {
	u, _ := url.Parse(s.issuer)
	return u.Scheme == "https"
}

// serveCallback answers GET /callback, where DingTalk sends the browser
// back: it learns who signed in and sends the browser back to the client
// with a code.
func (s *Server) serveCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ctx := r.Context()
	state := q.Get("state")
	cookie, err := r.Cookie(stateCookie)
	if state == "" || err != nil || subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(state)) != 1 {
		s.log.WarnContext(ctx, "signin: callback refused: its state is not the one this browser's sign-in sent")
		showError(w, r, errInvalidRequest("the state does not match the sign-in this browser started; start again from your MCP client"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: "/callback", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	var p pending
	if err := s.take(ctx, keyPending+hash(state), &p); err != nil {
		showError(w, r, errInvalidRequest("this sign-in is unknown, expired or already finished; start again from your MCP client"))
		return
	}
	fail := func(e *oauthError) { s.redirectError(w, r, p.RedirectURI, p.ClientState, e) }
	if q.Get("error") != "" {
		fail(&oauthError{Code: "access_denied", Description: "the sign-in was refused at DingTalk"})
		return
	}
	// DingTalk names the code authCode; code is accepted too.
	authCode := q.Get("authCode")
	if authCode == "" {
		authCode = q.Get("code")
	}
	if authCode == "" {
		fail(errServer("DingTalk sent no authCode"))
		return
	}
	person, token, e := s.whoSignedIn(r, authCode)
	if e != nil {
		fail(e)
		return
	}
	g := grant{ID: random(""), Person: *person, ClientID: p.ClientID, DingTalk: *token}
	if err := s.put(ctx, keyGrant+g.ID, g, s.cfg.RefreshTokenTTL); err != nil {
		fail(errServer("the sign-in could not be stored"))
		return
	}
	code := random(codePrefix)
	if err := s.put(ctx, keyCode+hash(code), codeGrant{GrantID: g.ID, ClientID: p.ClientID, RedirectURI: p.RedirectURI, Challenge: p.Challenge}, codeTTL); err != nil {
		fail(errServer("the sign-in could not be stored"))
		return
	}
	s.log.InfoContext(ctx, "signin: signed in", "person", person.Label(), "client_id", p.ClientID)
	back := url.Values{"code": {code}, "iss": {s.issuer}}
	if p.ClientState != "" {
		back.Set("state", p.ClientState)
	}
	http.Redirect(w, r, withQuery(p.RedirectURI, back), http.StatusFound)
}

// whoSignedIn exchanges DingTalk's authCode for the person's user token,
// then asks who they are and what their userId in the organisation is.
func (s *Server) whoSignedIn(r *http.Request, authCode string) (*tools.Person, *dingtalk.UserToken, *oauthError) {
	ctx := r.Context()
	dt := s.cfg.DingTalk
	token, err := dt.Login.ExchangeCode(ctx, authCode)
	if err != nil {
		s.log.WarnContext(ctx, "signin: DingTalk refused the authCode", "error", err)
		return nil, nil, &oauthError{Code: "access_denied", Description: "DingTalk refused the sign-in; start again from your MCP client"}
	}
	me, err := dt.Login.Me(ctx, token.AccessToken)
	if err != nil {
		s.log.WarnContext(ctx, "signin: DingTalk did not say who signed in", "error", err)
		return nil, nil, errServer("DingTalk did not say who signed in (the app needs the Contact.User.Read permission)")
	}
	userID, err := s.membership(ctx, me.UnionID)
	switch {
	case errors.Is(err, errOutsider):
		s.log.WarnContext(ctx, "signin: refused someone outside the organisation", "name", me.Nick)
		return nil, nil, &oauthError{Code: "access_denied", Description: "the DingTalk account is not a member of this organisation"}
	case errors.Is(err, errExternal):
		return nil, nil, &oauthError{Code: "access_denied", Description: "external contacts may not sign in"}
	case err != nil:
		s.log.WarnContext(ctx, "signin: userId lookup failed", "error", err)
		return nil, nil, errServer("the person's userId could not be looked up at DingTalk")
	}
	return &tools.Person{UnionID: me.UnionID, UserID: userID, Name: me.Nick}, token, nil
}

// The people membership refuses.
var (
	errOutsider = errors.New("not a member of the organisation")
	errExternal = errors.New("an external contact of the organisation")
)

// membership returns the userId of the organisation's employee whose
// unionId this is: errOutsider when DingTalk knows no member by it (never
// one, or one who has left), errExternal for an external contact, or the
// lookup's own failure.
func (s *Server) membership(ctx context.Context, unionID string) (string, error) {
	u, err := s.cfg.DingTalk.Users.UserIDByUnionID(ctx, unionID)
	var de *dingtalk.Error
	switch {
	case errors.As(err, &de) && (de.Code == "60121" || de.Kind == dingtalk.KindNotFound):
		return "", errOutsider
	case err != nil:
		return "", err
	case u.ContactType != 0:
		return "", errExternal
	}
	return u.UserID, nil
}

// errNotFound reports whether err is the store's "absent".
func errNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
