package signin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// client is an MCP client application: registered here (RFC 7591) or
// described by its own client ID metadata document. Clients are public:
// they hold no secret, and PKCE proves that the one redeeming a code is
// the one that asked for it.
type client struct {
	ID           string   `json:"client_id"`
	Name         string   `json:"client_name,omitempty"`
	RedirectURIs []string `json:"redirect_uris"`
	IssuedAt     int64    `json:"client_id_issued_at,omitempty"`
}

// Limits on what a client may register.
const (
	maxRegistrationBytes = 16 << 10
	maxRedirectURIs      = 10
	maxRedirectURILen    = 2000
	maxClientNameLen     = 200
)

// registration is RFC 7591's request, the fields this server reads.
type registration struct {
	RedirectURIs            []string `json:"redirect_uris"`
	ClientName              string   `json:"client_name"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
}

// registrationResponse is RFC 7591's answer.
type registrationResponse struct {
	client
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
}

func errClientMetadata(desc string) *oauthError {
	return &oauthError{Code: "invalid_client_metadata", Description: desc, status: http.StatusBadRequest}
}

// serveRegister answers POST /register: dynamic client registration.
func (s *Server) serveRegister(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRegistrationBytes))
	if err != nil {
		writeError(w, errInvalidRequest(fmt.Sprintf("the registration must be a JSON object of at most %d bytes", maxRegistrationBytes)))
		return
	}
	var req registration
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, errInvalidRequest("the registration is not a JSON object of client metadata: "+err.Error()))
		return
	}
	if e := checkRedirectURIs(req.RedirectURIs); e != nil {
		writeError(w, e)
		return
	}
	for _, g := range req.GrantTypes {
		if g != "authorization_code" && g != "refresh_token" {
			writeError(w, errClientMetadata(fmt.Sprintf("grant_types may hold authorization_code and refresh_token, got %q", g)))
			return
		}
	}
	for _, rt := range req.ResponseTypes {
		if rt != "code" {
			writeError(w, errClientMetadata(fmt.Sprintf("response_types may hold only code, got %q", rt)))
			return
		}
	}
	if len(req.ClientName) > maxClientNameLen {
		writeError(w, errClientMetadata(fmt.Sprintf("client_name is longer than %d bytes", maxClientNameLen)))
		return
	}
	// Every client is public, whatever it asked for (RFC 7591 §3.2.1 lets
	// the server replace a requested value): a secret kept by a desktop
	// app protects nothing that PKCE does not.
	c := client{ID: random("dtmcp_client_"), Name: req.ClientName, RedirectURIs: req.RedirectURIs, IssuedAt: s.now().Unix()}
	if err := s.put(r.Context(), keyClient+c.ID, c, clientTTL); err != nil {
		writeError(w, errServer("the registration could not be stored"))
		return
	}
	s.log.InfoContext(r.Context(), "signin: client registered", "client_id", c.ID, "client_name", c.Name)
	writeJSON(w, http.StatusCreated, registrationResponse{client: c, TokenEndpointAuthMethod: "none",
		GrantTypes: []string{"authorization_code", "refresh_token"}, ResponseTypes: []string{"code"}})
}

// checkRedirectURIs allows what OAuth 2.1 and RFC 8252 allow: https, http
// on a loopback address (native apps listen there), and a private-use
// scheme of a native app (e.g. cursor://). Never a fragment.
func checkRedirectURIs(uris []string) *oauthError {
	if len(uris) == 0 || len(uris) > maxRedirectURIs {
		return &oauthError{Code: "invalid_redirect_uri", Description: fmt.Sprintf("redirect_uris must list 1 to %d URIs", maxRedirectURIs), status: http.StatusBadRequest}
	}
	for _, raw := range uris {
		if problem := redirectURIProblem(raw); problem != "" {
			return &oauthError{Code: "invalid_redirect_uri", Description: fmt.Sprintf("redirect URI %q: %s", raw, problem), status: http.StatusBadRequest}
		}
	}
	return nil
}

func redirectURIProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case len(raw) > maxRedirectURILen:
		return fmt.Sprintf("longer than %d bytes", maxRedirectURILen)
	case err != nil || !u.IsAbs():
		return "not an absolute URI"
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "a redirect URI may not have a fragment"
	case u.Scheme == "https":
		if u.Host == "" {
			return "https needs a host"
		}
	case u.Scheme == "http":
		if !isLoopbackHost(u.Hostname()) {
			return "http is allowed only on a loopback address (127.0.0.1, [::1] or localhost); use https"
		}
	case u.Scheme == "javascript" || u.Scheme == "data" || u.Scheme == "file":
		return "scheme " + u.Scheme + " is not allowed"
	}
	return ""
}

// lookupClient finds a client by id: a URL names a client ID metadata
// document, anything else a registration.
func (s *Server) lookupClient(ctx context.Context, id string) (*client, *oauthError) {
	if id == "" {
		return nil, errInvalidRequest("client_id is required")
	}
	if strings.HasPrefix(id, "https://") || strings.HasPrefix(id, "http://") {
		return s.metadataDocument(ctx, id)
	}
	var c client
	if err := s.get(ctx, keyClient+id, &c); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errInvalidClient("client_id " + id + " is not registered here: register it at /register first")
		}
		return nil, errServer("the client could not be read")
	}
	return &c, nil
}

// allows reports whether uri is one of the client's redirect URIs,
// compared exactly, byte for byte.
func (c *client) allows(uri string) bool { return slices.Contains(c.RedirectURIs, uri) }
