package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// languageHandler serves every language over one listener, as httpHandler
// serves one: each request is served by the MCP server of its language,
// which serverIn builds at the first request for it.
//
// A request's language is, first, that of its session: a session stays on
// the server that created it, whose language its id starts with ("zh." for
// Streamable HTTP's Mcp-Session-Id and the legacy transport's sessionId).
// A request that starts a session picks it: the lang query parameter of
// the MCP URL (http://host/mcp?lang=zh), then Accept-Language, then def
// (--lang). An unknown lang parameter is a 400 that lists the languages.
func languageHandler(def i18n.Lang, serverIn func(i18n.Lang) (*server.MCPServer, error), token string, d *drain, logger *slog.Logger) (http.Handler, func(context.Context)) {
	h := &languages{def: def, serverIn: serverIn, token: token, drain: d, logger: logger, handlers: map[i18n.Lang]*langHandler{}}
	return h, h.shutdown
}

type languages struct {
	def      i18n.Lang
	serverIn func(i18n.Lang) (*server.MCPServer, error)
	token    string
	drain    *drain
	logger   *slog.Logger

	mu       sync.Mutex
	handlers map[i18n.Lang]*langHandler
}

type langHandler struct {
	http.Handler
	shutdown func(context.Context)
}

func (h *languages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l, ok := sessionLang(r)
	if !ok {
		var err error
		query := r.URL.Query().Get("lang")
		if l, err = i18n.Negotiate(query, r.Header.Get("Accept-Language"), h.def); err != nil {
			// The refusal speaks the language of Accept-Language, the one
			// the request names that the server speaks.
			l, _ = i18n.Negotiate("", r.Header.Get("Accept-Language"), h.def)
			requireBearer(l, h.token, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				httpError(w, l.Textf("the lang parameter must be one of %s, got %q", i18n.List(), query), http.StatusBadRequest)
			})).ServeHTTP(w, r)
			return
		}
	}
	lh, err := h.handler(l)
	if err != nil {
		h.logger.Error("building the server of a language", "lang", l, "err", err)
		httpError(w, l.Text("the server cannot serve this language"), http.StatusInternalServerError)
		return
	}
	lh.ServeHTTP(w, r)
}

// handler returns the transports of l's server, made at the first call.
func (h *languages) handler(l i18n.Lang) (*langHandler, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if lh, ok := h.handlers[l]; ok {
		return lh, nil
	}
	s, err := h.serverIn(l)
	if err != nil {
		return nil, err
	}
	handler, shutdown := transports(s, l, h.token, h.drain, h.logger,
		[]server.StreamableHTTPOption{server.WithSessionIdManager(&langSessions{lang: l, inner: &server.InsecureStatefulSessionIdManager{}})},
		[]server.SSEOption{server.WithSessionIDGenerator(func(context.Context, *http.Request) (string, error) {
			return string(l) + "." + rand.Text(), nil
		})})
	lh := &langHandler{Handler: handler, shutdown: shutdown}
	h.handlers[l] = lh
	return lh, nil
}

func (h *languages) shutdown(ctx context.Context) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, lh := range h.handlers {
		lh.shutdown(ctx)
	}
}

// sessionLang returns the language of the session r belongs to, if its id
// names one.
func sessionLang(r *http.Request) (i18n.Lang, bool) {
	id := r.Header.Get(server.HeaderKeySessionID)
	if id == "" && r.URL.Path == "/message" {
		id = r.URL.Query().Get("sessionId")
	}
	prefix, _, ok := strings.Cut(id, ".")
	if !ok {
		return "", false
	}
	l, err := i18n.Parse(prefix)
	return l, err == nil && prefix != ""
}

// langSessions makes Streamable HTTP session ids that start with the
// language of the server that made them, so that every request of a
// session reaches that server.
type langSessions struct {
	lang  i18n.Lang
	inner server.SessionIdManager
}

func (m *langSessions) Generate() string { return string(m.lang) + "." + m.inner.Generate() }

func (m *langSessions) Validate(id string) (isTerminated bool, err error) {
	rest, ok := strings.CutPrefix(id, string(m.lang)+".")
	if !ok {
		return false, fmt.Errorf("invalid session id: %s", id)
	}
	return m.inner.Validate(rest)
}

func (m *langSessions) Terminate(id string) (isNotAllowed bool, err error) {
	rest, ok := strings.CutPrefix(id, string(m.lang)+".")
	if !ok {
		return false, fmt.Errorf("invalid session id: %s", id)
	}
	return m.inner.Terminate(rest)
}
