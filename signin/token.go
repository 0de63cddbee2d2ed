package signin

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"regexp"
	"time"

	"golang.org/x/oauth2"
)

// maxFormBytes bounds a token or revocation request.
const maxFormBytes = 16 << 10

// verifierPattern is RFC 7636's code_verifier: 43 to 128 unreserved
// characters.
var verifierPattern = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// accessRecord is what an access token stands for.
type accessRecord struct {
	GrantID  string    `json:"grant"`
	ClientID string    `json:"client_id"`
	Audience string    `json:"aud"`
	Expires  time.Time `json:"exp"`
}

// refreshRecord is what a refresh token stands for.
type refreshRecord struct {
	GrantID  string `json:"grant"`
	ClientID string `json:"client_id"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

// serveToken answers POST /token: the authorization code and refresh
// token grants.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeError(w, errInvalidRequest("the request must be an application/x-www-form-urlencoded form"))
		return
	}
	f := r.PostForm
	clientID := f.Get("client_id")
	if id, _, ok := r.BasicAuth(); ok && clientID == "" {
		clientID = id
	}
	if clientID == "" {
		writeError(w, errInvalidClient("client_id is required"))
		return
	}
	if res := f.Get("resource"); res != "" && !s.isResource(res) {
		writeError(w, &oauthError{Code: "invalid_target", Description: "resource must be " + s.resource, status: http.StatusBadRequest})
		return
	}
	var resp *tokenResponse
	var e *oauthError
	switch gt := f.Get("grant_type"); gt {
	case "authorization_code":
		resp, e = s.redeemCode(r.Context(), clientID, f.Get("code"), f.Get("redirect_uri"), f.Get("code_verifier"))
	case "refresh_token":
		resp, e = s.refresh(r.Context(), clientID, f.Get("refresh_token"))
	case "":
		e = errInvalidRequest("grant_type is required: authorization_code or refresh_token")
	default:
		e = &oauthError{Code: "unsupported_grant_type", Description: "grant_type must be authorization_code or refresh_token, got " + gt, status: http.StatusBadRequest}
	}
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// redeemCode turns a code into tokens. A code works once: redeeming it
// again is taken as theft, and the tokens issued from it are revoked.
func (s *Server) redeemCode(ctx context.Context, clientID, code, redirectURI, verifier string) (*tokenResponse, *oauthError) {
	if code == "" {
		return nil, errInvalidRequest("code is required")
	}
	var cg codeGrant
	if err := s.take(ctx, keyCode+hash(code), &cg); err != nil {
		if !errNotFound(err) {
			return nil, errServer("the code could not be read")
		}
		if grantID, err := s.cfg.Store.Get(ctx, keySpentCode+hash(code)); err == nil {
			s.revokeGrant(ctx, string(grantID), "an authorization code was used twice")
			return nil, errInvalidGrant("the code was already used; every token issued from it is revoked")
		}
		return nil, errInvalidGrant("the code is unknown or expired")
	}
	// From here the code is spent, whatever happens: a second attempt, by
	// anyone, revokes the grant.
	s.cfg.Store.Set(ctx, keySpentCode+hash(code), []byte(cg.GrantID), spentTTL)
	var e *oauthError
	switch {
	case clientID != cg.ClientID:
		e = errInvalidGrant("the code was issued to another client")
	case redirectURI != cg.RedirectURI:
		e = errInvalidGrant("redirect_uri must be exactly the one the code was requested with")
	case verifier == "":
		e = errInvalidGrant("code_verifier is required (PKCE)")
	case !verifierPattern.MatchString(verifier):
		e = errInvalidGrant("code_verifier must be 43 to 128 unreserved characters (RFC 7636)")
	case subtle.ConstantTimeCompare([]byte(oauth2.S256ChallengeFromVerifier(verifier)), []byte(cg.Challenge)) != 1:
		e = errInvalidGrant("code_verifier does not match the code_challenge")
	}
	if e != nil {
		// A code that failed its checks may have been stolen: the
		// sign-in behind it ends.
		s.revokeGrant(ctx, cg.GrantID, "a code was redeemed with the wrong client, redirect URI or verifier")
		return nil, e
	}
	var g grant
	if err := s.get(ctx, keyGrant+cg.GrantID, &g); err != nil {
		return nil, errInvalidGrant("the sign-in behind this code has ended")
	}
	return s.issue(ctx, &g)
}

// refresh rotates a refresh token: the old one is spent, and using it
// again revokes the whole grant (OAuth 2.1 §4.3.1 for public clients).
// The person must still be a member of the organisation.
func (s *Server) refresh(ctx context.Context, clientID, token string) (*tokenResponse, *oauthError) {
	if token == "" {
		return nil, errInvalidRequest("refresh_token is required")
	}
	g, e := s.memberGrant(ctx, clientID, token)
	if e != nil {
		return nil, e
	}
	var rr refreshRecord
	if err := s.take(ctx, keyRefresh+hash(token), &rr); err != nil {
		if !errNotFound(err) {
			return nil, errServer("the refresh token could not be read")
		}
		if grantID, err := s.cfg.Store.Get(ctx, keySpentRefresh+hash(token)); err == nil {
			s.revokeGrant(ctx, string(grantID), "a refresh token was used twice")
			return nil, errInvalidGrant("the refresh token was already used; this sign-in is revoked: sign in again")
		}
		return nil, errInvalidGrant("the refresh token is unknown, expired or revoked: sign in again")
	}
	s.cfg.Store.Set(ctx, keySpentRefresh+hash(token), []byte(rr.GrantID), s.cfg.RefreshTokenTTL)
	if clientID != rr.ClientID {
		s.revokeGrant(ctx, rr.GrantID, "a refresh token was presented by another client")
		return nil, errInvalidGrant("the refresh token was issued to another client")
	}
	if g == nil {
		return nil, errInvalidGrant("this sign-in has ended: sign in again")
	}
	// The grant lives as long as its newest refresh token.
	if err := s.put(ctx, keyGrant+g.ID, g, s.cfg.RefreshTokenTTL); err != nil {
		return nil, errServer("the sign-in could not be stored")
	}
	return s.issue(ctx, g)
}

// memberGrant returns the grant of a refresh token presented by its own
// client, once DingTalk has said that the grant's person is still an
// employee of the organisation, as the sign-in did: one who has left, or
// has become an external contact, loses the sign-in at their next refresh,
// no later than an access token's lifetime after. It runs before the token
// is spent: if DingTalk cannot be asked, the refresh fails with the token
// unspent, so that the client's retry can succeed. A token that is unknown,
// or presented by another client, or whose grant has ended, gives no grant
// and is left to refresh's own checks.
func (s *Server) memberGrant(ctx context.Context, clientID, token string) (*grant, *oauthError) {
	var rr refreshRecord
	if err := s.get(ctx, keyRefresh+hash(token), &rr); err != nil {
		if errNotFound(err) {
			return nil, nil
		}
		return nil, errServer("the refresh token could not be read")
	}
	var g grant
	if rr.ClientID != clientID || s.get(ctx, keyGrant+rr.GrantID, &g) != nil {
		return nil, nil
	}
	_, err := s.membership(ctx, g.Person.UnionID)
	switch {
	case errors.Is(err, errOutsider) || errors.Is(err, errExternal):
		s.revokeGrant(ctx, g.ID, "the person is no longer an employee of the organisation")
		return nil, errInvalidGrant("the person is no longer an employee of this organisation")
	case err != nil:
		s.log.WarnContext(ctx, "signin: the membership check of a refresh failed", "error", err)
		return nil, errServer("the person's membership could not be checked at DingTalk; try again")
	}
	return &g, nil
}

// issue mints an access token bound to this resource and a refresh token,
// both for grant g, and stores their hashes.
func (s *Server) issue(ctx context.Context, g *grant) (*tokenResponse, *oauthError) {
	access, refresh := random(accessPrefix), random(refreshPrefix)
	ar := accessRecord{GrantID: g.ID, ClientID: g.ClientID, Audience: s.resource, Expires: s.now().Add(s.cfg.AccessTokenTTL)}
	if err := s.put(ctx, keyAccess+hash(access), ar, s.cfg.AccessTokenTTL); err != nil {
		return nil, errServer("the token could not be stored")
	}
	if err := s.put(ctx, keyRefresh+hash(refresh), refreshRecord{GrantID: g.ID, ClientID: g.ClientID}, s.cfg.RefreshTokenTTL); err != nil {
		return nil, errServer("the token could not be stored")
	}
	return &tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int64(s.cfg.AccessTokenTTL.Seconds()), RefreshToken: refresh}, nil
}

// revokeGrant ends a sign-in: every token issued from it stops working,
// because each is checked against its grant.
func (s *Server) revokeGrant(ctx context.Context, grantID, why string) {
	if grantID == "" {
		return
	}
	s.cfg.Store.Delete(ctx, keyGrant+grantID)
	s.log.WarnContext(ctx, "signin: sign-in revoked", "reason", why)
}

// serveRevoke answers POST /revoke (RFC 7009): an access or refresh token
// of the calling client ends its sign-in. It answers 200 whatever the
// token, so that it tells nothing about tokens it does not know.
func (s *Server) serveRevoke(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeError(w, errInvalidRequest("the request must be an application/x-www-form-urlencoded form"))
		return
	}
	token, clientID := r.PostForm.Get("token"), r.PostForm.Get("client_id")
	if id, _, ok := r.BasicAuth(); ok && clientID == "" {
		clientID = id
	}
	if token == "" {
		writeError(w, errInvalidRequest("token is required"))
		return
	}
	ctx := r.Context()
	var ar accessRecord
	var rr refreshRecord
	switch {
	case s.get(ctx, keyAccess+hash(token), &ar) == nil && ar.ClientID == clientID:
		s.cfg.Store.Delete(ctx, keyAccess+hash(token))
		s.revokeGrant(ctx, ar.GrantID, "the client revoked an access token")
	case s.get(ctx, keyRefresh+hash(token), &rr) == nil && rr.ClientID == clientID:
		s.cfg.Store.Delete(ctx, keyRefresh+hash(token))
		s.revokeGrant(ctx, rr.GrantID, "the client revoked a refresh token")
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
