package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// httpIntake counts the MCP requests that come over HTTP in the drain, from
// the moment they arrive until their answers are written, and refuses new
// requests and streams once the shutdown has begun. Answers to the server's
// own questions (a confirmation) and notifications still come in, so that a
// call in flight can finish.
type httpIntake struct {
	d    *drain
	lang i18n.Lang // of the refusals

	mu      sync.Mutex
	pending map[string]int // SSE session → requests taken whose answer its stream has not carried
}

func newHTTPIntake(d *drain, l i18n.Lang) *httpIntake {
	return &httpIntake{d: d, lang: l, pending: map[string]int{}}
}

// streamable wraps the Streamable HTTP transport, which answers a request
// in the response to its POST.
func (in *httpIntake) streamable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && in.d.stopping() {
			in.refuse(w, nil)
			return
		}
		if !in.admit(w, r, next) {
			return
		}
		defer in.d.end()
		next.ServeHTTP(w, r)
	})
}

// sseMessages wraps the legacy transport's POST endpoint, which accepts a
// request with 202 and answers it later on the session's stream.
func (in *httpIntake) sseMessages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !in.admit(w, r, next) {
			return
		}
		session := r.URL.Query().Get("sessionId")
		in.mu.Lock()
		in.pending[session]++ // before the request runs: its answer may be written first
		in.mu.Unlock()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status != http.StatusAccepted {
			in.answered(session) // refused on the spot: nothing goes to the stream
		}
	})
}

// admit passes to next whatever is not a new request: an answer to the
// server's question, a notification, a stream. It reports true for a new
// request once the drain counts it, and refuses it once the shutdown has
// begun; the caller then serves it and ends it.
func (in *httpIntake) admit(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
	id, request, ok := readRequest(w, r, in.lang)
	if !ok {
		return false
	}
	if !request {
		next.ServeHTTP(w, r)
		return false
	}
	if !in.d.begin() {
		in.refuse(w, id)
		return false
	}
	return true
}

// sseStream wraps the legacy transport's event stream: each answer written
// to it ends a request in flight, and a stream that ends takes with it the
// answers it can no longer carry.
func (in *httpIntake) sseStream(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if in.d.stopping() {
			in.refuse(w, nil)
			return
		}
		sw := &sseWriter{ResponseWriter: w, in: in}
		next.ServeHTTP(sw, r)
		in.mu.Lock()
		n := in.pending[sw.session]
		delete(in.pending, sw.session)
		in.mu.Unlock()
		for range n {
			in.d.end()
		}
	})
}

// answered ends one request of session, if one is in flight.
func (in *httpIntake) answered(session string) {
	in.mu.Lock()
	n := in.pending[session]
	if n > 0 {
		in.pending[session] = n - 1
	}
	in.mu.Unlock()
	if n > 0 {
		in.d.end()
	}
}

// readRequest reads the body of an MCP POST and puts it back for the
// transport. It reports the message's id and whether the message is a
// request, which the server must answer; a batch counts as one. It answers
// the client itself, and reports !ok, when the body cannot be read.
func readRequest(w http.ResponseWriter, r *http.Request, l i18n.Lang) (id any, request, ok bool) {
	if r.Method != http.MethodPost {
		return nil, false, true
	}
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		httpError(w, l.Textf("request body too large: at most %d bytes", maxRequestBytes), http.StatusRequestEntityTooLarge)
		return nil, false, false
	case err != nil:
		httpError(w, l.Text("cannot read the request body"), http.StatusBadRequest)
		return nil, false, false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if b := bytes.TrimSpace(body); len(b) > 0 && b[0] == '[' {
		return nil, true, true
	}
	var msg struct {
		ID     any    `json:"id"`
		Method string `json:"method"`
	}
	if json.Unmarshal(body, &msg) != nil {
		return nil, false, true // the transport answers with its parse error
	}
	return msg.ID, msg.Method != "" && msg.ID != nil, true
}

// refuse answers a request that came after the shutdown began.
func (in *httpIntake) refuse(w http.ResponseWriter, id any) {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{
		"code": errShuttingDown, "message": in.lang.Text(shuttingDown),
	}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write(b)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// sseWriter watches the events mcp-go writes to a legacy stream, one event
// per Write: the first names the session ("event: endpoint"), and each
// answer to a request ends it.
type sseWriter struct {
	http.ResponseWriter
	in      *httpIntake
	session string
}

func (s *sseWriter) Write(b []byte) (int, error) {
	n, err := s.ResponseWriter.Write(b)
	event := string(b)
	switch {
	case s.session == "" && strings.HasPrefix(event, "event: endpoint\n"):
		if u, perr := url.Parse(strings.TrimSpace(strings.TrimPrefix(event, "event: endpoint\ndata: "))); perr == nil {
			s.session = u.Query().Get("sessionId")
		}
	case err == nil && isAnswer(event):
		s.in.answered(s.session)
	}
	return n, err
}

func (s *sseWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *sseWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// isAnswer reports whether an SSE event carries the answer to a request:
// an id and no method (the server's own pings carry a method).
func isAnswer(event string) bool {
	_, data, ok := strings.Cut(event, "\ndata:")
	if !ok {
		return false
	}
	var msg struct {
		ID     any    `json:"id"`
		Method string `json:"method"`
	}
	return json.Unmarshal([]byte(strings.TrimSpace(data)), &msg) == nil && msg.ID != nil && msg.Method == ""
}
