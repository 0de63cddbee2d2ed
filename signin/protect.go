package signin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// sessionBindingTTL is how long an MCP session stays bound to the person
// who opened it; longer than any session's idle life.
const sessionBindingTTL = 24 * time.Hour

// Protect admits MCP requests that carry a valid access token for this
// server in the Authorization header, and runs next with the signed-in
// person in the request's context (tools.PersonFrom). Anything else gets
// 401 with the WWW-Authenticate challenge that leads a client to sign in.
func (s *Server) Protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A token in a URL ends up in logs and browser history: refused,
		// whatever else the request carries (RFC 9700 §2.5).
		if r.URL.Query().Has("access_token") {
			s.challenge(w, http.StatusBadRequest, "invalid_request", "send the access token in the Authorization header, never in the URL")
			return
		}
		token, ok := bearer(r)
		if !ok {
			s.challenge(w, http.StatusUnauthorized, "", "")
			return
		}
		person, reason := s.authenticate(r.Context(), token)
		if person == nil {
			s.log.InfoContext(r.Context(), "signin: MCP request refused", "reason", reason)
			s.challenge(w, http.StatusUnauthorized, "invalid_token", reason)
			return
		}
		if !s.bindSession(r, person) {
			s.log.WarnContext(r.Context(), "signin: MCP session used by another person", "person", person.Label())
			writeJSON(w, http.StatusForbidden, &oauthError{Code: "forbidden", Description: "this MCP session belongs to another person: start a new session"})
			return
		}
		next.ServeHTTP(w, r.WithContext(tools.WithPerson(r.Context(), person)))
	})
}

// bearer returns the token of "Authorization: Bearer <token>".
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// authenticate returns the person behind an access token, or why it is
// refused: unknown, expired, bound to another resource, or its sign-in
// revoked.
func (s *Server) authenticate(ctx context.Context, token string) (*tools.Person, string) {
	var ar accessRecord
	if err := s.get(ctx, keyAccess+hash(token), &ar); err != nil {
		return nil, "the access token is unknown or expired"
	}
	if !s.now().Before(ar.Expires) {
		return nil, "the access token has expired"
	}
	if ar.Audience != s.resource {
		return nil, "the access token was issued for another resource"
	}
	var g grant
	if err := s.get(ctx, keyGrant+ar.GrantID, &g); err != nil {
		return nil, "the sign-in behind the access token was revoked"
	}
	p := g.Person
	return &p, ""
}

// bindSession ties an MCP session (Streamable HTTP's Mcp-Session-Id, or
// the legacy transport's sessionId) to the first person who uses it, and
// reports whether r's person is that person. A session id that leaked
// cannot let another signed-in person read the session's stream or
// answer its questions.
func (s *Server) bindSession(r *http.Request, p *tools.Person) bool {
	id := r.Header.Get("Mcp-Session-Id")
	if id == "" {
		id = r.URL.Query().Get("sessionId")
	}
	if id == "" {
		return true
	}
	key := keySession + hash(id)
	ctx := r.Context()
	if ok, err := s.cfg.Store.SetNX(ctx, key, []byte(p.UnionID), sessionBindingTTL); err != nil || ok {
		return err == nil
	}
	owner, err := s.cfg.Store.Get(ctx, key)
	return err == nil && string(owner) == p.UnionID
}

// challenge answers a request without a usable token (RFC 6750 §3, RFC
// 9728 §5.1): the WWW-Authenticate header names the resource metadata
// from which a client finds where to sign in.
func (s *Server) challenge(w http.ResponseWriter, status int, code, desc string) {
	h := fmt.Sprintf(`Bearer resource_metadata=%q`, s.ResourceMetadataURL())
	if code != "" {
		h += fmt.Sprintf(`, error=%q, error_description=%q`, code, desc)
	}
	w.Header().Set("WWW-Authenticate", h)
	body := &oauthError{Code: "unauthorized", Description: "sign in: this server uses OAuth; your MCP client finds how at " + s.ResourceMetadataURL()}
	if code != "" {
		body = &oauthError{Code: code, Description: desc}
	}
	writeJSON(w, status, body)
}
