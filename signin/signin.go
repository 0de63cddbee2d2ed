// Package signin lets each person who uses a shared HTTP server sign in
// with their own DingTalk account, so that the agent acts as that person.
//
// The server becomes an OAuth 2.1 protected resource (RFC 9728 metadata,
// Bearer tokens bound to it) and its own authorization server (RFC 8414
// metadata, the authorization code grant with PKCE S256 only, dynamic
// client registration per RFC 7591, client ID metadata documents, exact
// redirect URIs, single-use codes, rotating refresh tokens, revocation per
// RFC 7009) in front of DingTalk's sign-in, because DingTalk offers MCP
// clients neither registration nor PKCE. Behind the scenes it uses
// DingTalk's page, exchanges its authCode for the person's user token,
// asks users/me who signed in, and looks up their userId.
//
// The vocabulary: a client is an MCP client application; a grant is one
// person's sign-in through one client, which every token issued from it
// names, so revoking a grant revokes them all; a code is the single-use
// authorization code; tokens are opaque random strings of which the store
// keeps only SHA-256 hashes. The DingTalk user token stays in the grant,
// on the server: no client ever sees it, and no client token is ever sent
// to DingTalk.
//
// Why by hand on top of x/oauth2's PKCE helper rather than a provider
// framework: zitadel/oidc's op package is an OpenID provider built around
// signed JWTs, key sets and a storage interface of its own, and offers
// neither RFC 7591 registration nor client ID metadata documents; here the
// tokens are opaque and every piece of state goes through store.Store, so
// that replicas can share it. The protocol checks themselves are few and
// each has a test.
package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// Default lifetimes.
const (
	// DefaultAccessTokenTTL keeps a stolen access token useful for minutes.
	DefaultAccessTokenTTL = 15 * time.Minute
	// DefaultRefreshTokenTTL is how long a sign-in lasts unused; every
	// refresh starts it again.
	DefaultRefreshTokenTTL = 30 * 24 * time.Hour
	// codeTTL is the authorization code's life: the client redeems it at
	// once.
	codeTTL = 2 * time.Minute
	// pendingTTL is how long a person may take on DingTalk's page.
	pendingTTL = 10 * time.Minute
	// clientTTL is how long a registered client is kept; each sign-in
	// through it starts it again.
	clientTTL = 180 * 24 * time.Hour
	// spentTTL is how long a spent code or refresh token is remembered,
	// so that its reuse is detected and its grant revoked.
	spentTTL = 24 * time.Hour
)

// Config is what the sign-in needs.
type Config struct {
	// PublicURL is the address clients reach the server at, e.g.
	// https://mcp.example.com: the issuer of the authorization server,
	// and with /mcp the resource that tokens are bound to.
	PublicURL string
	// Store keeps every client, code, grant and token hash.
	Store store.Store
	// DingTalk is the app's client: its Login service signs people in and
	// its Users service finds their userId.
	DingTalk *dingtalk.Client
	// Logger receives sign-ins, refusals and revocations; never a token.
	Logger *slog.Logger
	// AccessTokenTTL and RefreshTokenTTL default to DefaultAccessTokenTTL
	// and DefaultRefreshTokenTTL.
	AccessTokenTTL, RefreshTokenTTL time.Duration
	// MetadataClient fetches client ID metadata documents; nil uses one
	// that reaches only public addresses over HTTPS (see metadoc.go).
	MetadataClient *http.Client
	// Now replaces time.Now, for tests of expiry.
	Now func() time.Time
}

// Server is the sign-in: the authorization server's endpoints and the
// middleware that admits MCP requests.
type Server struct {
	cfg      Config
	issuer   string // PublicURL without a trailing slash
	resource string // issuer + "/mcp": the audience of every access token
	log      *slog.Logger
	fetch    *http.Client
	now      func() time.Time
}

// New checks cfg and returns the sign-in.
func New(cfg Config) (*Server, error) {
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("the public URL must be an absolute http(s) URL without query, such as https://mcp.example.com, got %q", cfg.PublicURL)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("the public URL must use https unless it is a loopback address (OAuth 2.1 requires TLS), got %q", cfg.PublicURL)
	}
	if cfg.Store == nil || cfg.DingTalk == nil {
		return nil, errors.New("signin: Store and DingTalk are required")
	}
	s := &Server{cfg: cfg, issuer: strings.TrimRight(cfg.PublicURL, "/"), log: cfg.Logger, fetch: cfg.MetadataClient, now: cfg.Now}
	s.resource = s.issuer + "/mcp"
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.fetch == nil {
		s.fetch = publicHTTPSClient()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.AccessTokenTTL <= 0 {
		s.cfg.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if s.cfg.RefreshTokenTTL <= 0 {
		s.cfg.RefreshTokenTTL = DefaultRefreshTokenTTL
	}
	return s, nil
}

// Resource is the URL that access tokens are bound to: the MCP endpoint.
func (s *Server) Resource() string { return s.resource }

// Routes adds the authorization server's endpoints and the metadata
// documents to mux.
func (s *Server) Routes(mux *http.ServeMux) {
	prm := s.protectedResourceMetadata()
	mux.Handle("GET "+metadataPath, prm)
	mux.Handle("GET "+metadataPath+"/mcp", prm)
	mux.Handle("GET "+metadataPath+"/sse", prm)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", s.serveAuthorizationServerMetadata)
	mux.HandleFunc("POST /register", s.serveRegister)
	mux.HandleFunc("GET /authorize", s.serveAuthorize)
	mux.HandleFunc("GET /callback", s.serveCallback)
	mux.HandleFunc("POST /token", s.serveToken)
	mux.HandleFunc("POST /revoke", s.serveRevoke)
}

// Keys in the store. Every secret is stored under its hash, never itself.
const (
	keyClient       = "signin:client:"        // + client_id
	keyMetadoc      = "signin:metadoc:"       // + hash(client_id URL)
	keyPending      = "signin:pending:"       // + hash(upstream state)
	keyCode         = "signin:code:"          // + hash(code)
	keySpentCode    = "signin:spent-code:"    // + hash(code) → grant id
	keyGrant        = "signin:grant:"         // + grant id
	keyAccess       = "signin:access:"        // + hash(access token)
	keyRefresh      = "signin:refresh:"       // + hash(refresh token)
	keySpentRefresh = "signin:spent-refresh:" // + hash(refresh token) → grant id
	keySession      = "signin:session:"       // + hash(MCP session id) → unionId
)

// Token prefixes make a leaked token recognisable to secret scanners.
const (
	accessPrefix  = "dtmcp_at_"
	refreshPrefix = "dtmcp_rt_"
	codePrefix    = "dtmcp_ac_"
)

// random returns 32 random bytes, base64url-encoded, after prefix.
func random(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hash is how a secret is named in the store.
func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func (s *Server) put(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.cfg.Store.Set(ctx, key, b, ttl)
}

func (s *Server) get(ctx context.Context, key string, v any) error {
	b, err := s.cfg.Store.Get(ctx, key)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (s *Server) take(ctx context.Context, key string, v any) error {
	b, err := s.cfg.Store.Take(ctx, key)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
