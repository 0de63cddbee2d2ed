package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/signin"
)

// maxRequestBytes bounds one MCP request body over HTTP.
const maxRequestBytes = 4 << 20

// httpHandler serves Streamable HTTP at /mcp, the legacy HTTP+SSE
// transport at /sse and /message, and /healthz, on one mux. d counts the
// requests in flight and refuses new ones once the shutdown has begun.
func httpHandler(s *server.MCPServer, token string, d *drain, logger *slog.Logger) (http.Handler, func(context.Context)) {
	return transports(s, i18n.En, token, d, logger, nil, nil)
}

// transports is httpHandler for the server of language l, whose refusals
// are in l, with options of the transports' own added.
func transports(s *server.MCPServer, l i18n.Lang, token string, d *drain, logger *slog.Logger, streamableOpts []server.StreamableHTTPOption, sseOpts []server.SSEOption) (http.Handler, func(context.Context)) {
	streamable := server.NewStreamableHTTPServer(s, append([]server.StreamableHTTPOption{
		server.WithEndpointPath("/mcp"),
		server.WithStateful(true), // sessions keep client capabilities, which elicitation needs
		server.WithEventStore(server.NewInMemoryEventStore()),
		server.WithSessionIdleTTL(30 * time.Minute),
		server.WithStreamableHTTPLogger(logger),
	}, streamableOpts...)...)
	sse := server.NewSSEServer(s, append([]server.SSEOption{server.WithUseFullURLForMessageEndpoint(false), server.WithKeepAlive(true)}, sseOpts...)...)
	mux := http.NewServeMux()
	protect := func(h http.Handler) http.Handler { return checkOrigin(l, limitBody(l, requireBearer(l, token, h))) }
	intake := newHTTPIntake(d, l)
	mux.Handle("/mcp", protect(intake.streamable(streamable)))
	mux.Handle("/sse", protect(intake.sseStream(sse)))
	mux.Handle("/message", protect(intake.sseMessages(sse)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	shutdown := func(ctx context.Context) {
		streamable.Shutdown(ctx)
		sse.CloseSessions()
	}
	return mux, shutdown
}

// requireBearer refuses MCP requests without "Authorization: Bearer
// token" when a token is configured, saying so in l.
func requireBearer(l i18n.Lang, token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dingtalk-mcp"`)
			httpError(w, l.Text("unauthorized: send Authorization: Bearer <token>"), http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkOrigin refuses requests that a web page on another site made: a
// browser sends Origin, and a page must not drive the server through the
// user's browser (DNS rebinding). MCP clients that are not browsers send no
// Origin. mcp-go checks the Host header of loopback requests itself.
func checkOrigin(l i18n.Lang, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && !sameOrLocalOrigin(origin, r.Host) {
			httpError(w, l.Text("forbidden: cross-origin request"), http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// httpError answers a refused HTTP request with status and {"error": msg}.
func httpError(w http.ResponseWriter, msg string, status int) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(b)
}

func sameOrLocalOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true
	}
	return isLoopback(u.Hostname())
}

// limitBody refuses request bodies over maxRequestBytes.
func limitBody(l i18n.Lang, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxRequestBytes {
			httpError(w, l.Textf("request body too large: at most %d bytes", maxRequestBytes), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
		next.ServeHTTP(w, r)
	})
}

// serveHTTP serves on ln until ctx is done, then shuts down through d:
// the listener stays open until the calls in flight have answered, and
// new requests are refused meanwhile.
func serveHTTP(ctx context.Context, ln net.Listener, cfg *config, serverIn func(i18n.Lang) (*server.MCPServer, error), auth *signin.Server, d *drain, logger *slog.Logger) error {
	if host, _, _ := net.SplitHostPort(cfg.Addr); !isLoopback(host) && !cfg.httpProtected() {
		logger.Warn("listening on a non-loopback address without --http-token: anyone who can reach it can act on your DingTalk organisation", "addr", cfg.Addr)
	}
	handler, closeSessions := languageHandler(cfg.Lang, serverIn, cfg.HTTPToken, d, logger)
	if auth != nil {
		handler = withSignIn(auth, handler)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving MCP over HTTP", "url", "http://"+ln.Addr().String()+"/mcp", "sse", "http://"+ln.Addr().String()+"/sse")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	d.shutdown("signal")
	// Every answer is handed over: end the event streams, which never go
	// idle, then let each connection finish writing its last response.
	sctx, cancel := context.WithTimeout(context.Background(), settleTime)
	defer cancel()
	closeSessions(sctx)
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	<-errc
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withSignIn serves the sign-in's endpoints beside mcp, and admits only
// signed-in people to the MCP endpoints; /healthz stays open.
func withSignIn(auth *signin.Server, mcp http.Handler) http.Handler {
	mux := http.NewServeMux()
	auth.Routes(mux)
	for _, p := range []string{"/mcp", "/sse", "/message"} {
		mux.Handle(p, auth.Protect(mcp))
	}
	mux.Handle("/healthz", mcp)
	return mux
}
