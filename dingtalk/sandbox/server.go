// Package sandbox is an in-memory DingTalk: an http.Handler that speaks both
// of DingTalk's API families (legacy oapi and new api) with their token
// checks, error shapes, paging and throttling, over a seeded demo
// organisation. It serves the --sandbox mode and every test.
//
// It imports no other package of this module and keeps its own wire
// structs, so that a mistake in the client cannot be mirrored here and pass.
package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The sandbox's one internal app. Any client configured with these
// credentials and the sandbox's URL as both base URLs talks to it.
const (
	AppKey    = "dingsandboxappkey"
	AppSecret = "sandbox-app-secret-do-not-use"
	AgentID   = 3000000001
	CorpID    = "dingsandboxcorp0001"
)

// tokenTTL is DingTalk's access token lifetime.
const tokenTTL = 7200 * time.Second

// maxBodyBytes bounds a request body, as DingTalk's gateway does.
const maxBodyBytes = 8 << 20

// Server is the emulator. The zero value is not usable: call New.
type Server struct {
	mux     *http.ServeMux
	now     func() time.Time
	qps     int
	noRobot bool

	mu           sync.Mutex
	state        *state
	tokens       map[string]time.Time // token → expiry
	currentToken string
	tokensIssued int
	denied       map[string]bool // permission scopes the app lacks
	windows      map[string]*window
	faults       []*Fault
	log          []Request
	logDropped   int // requests dropped from the front of log
}

// maxLog bounds the request log, so that a long --sandbox session does not
// grow without end; tests look at far fewer requests.
const maxLog = 10000

type window struct {
	second int64
	count  int
}

// An Option configures a Server.
type Option func(*Server)

// WithClock sets the sandbox's clock, for token expiry tests.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithQPS sets the per-API limit of requests per second, DingTalk's 20 by
// default; 0 turns throttling off.
func WithQPS(n int) Option { return func(s *Server) { s.qps = n } }

// New returns a sandbox holding the seeded demo organisation.
func New(opts ...Option) *Server {
	s := &Server{
		mux:     http.NewServeMux(),
		now:     time.Now,
		qps:     20,
		tokens:  map[string]time.Time{},
		denied:  map[string]bool{},
		windows: map[string]*window{},
	}
	for _, o := range opts {
		o(s)
	}
	s.state = seed(s.now())
	s.state.robot.published = !s.noRobot
	s.routes()
	return s
}

// Request is one request the sandbox received, as sent.
type Request struct {
	Time   time.Time
	API    string // the route, e.g. "POST /topapi/v2/user/get"
	Method string
	Path   string
	Query  url.Values // access_token removed
	Body   []byte
	Status int // the HTTP status answered
	// Errcode is the legacy errcode or new-API code answered; "" on success.
	Errcode string
}

// Requests returns a copy of every request received so far, token requests
// included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Calls returns the requests received for one API route, e.g.
// "POST /topapi/message/corpconversation/asyncsend_v2".
func (s *Server) Calls(api string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.log {
		if r.API == api {
			out = append(out, r)
		}
	}
	return out
}

// ResetLog forgets the recorded requests.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logDropped += len(s.log)
	s.log = nil
}

// TokensIssued counts the token requests that were answered with a token.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokensIssued
}

// IssuedTokens returns every token the sandbox has issued that is still
// valid, so tests can check that none leaks.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.tokens))
	for t := range s.tokens {
		out = append(out, t)
	}
	return out
}

// RevokeTokens invalidates every issued token, as if they had expired; the
// next call with one is refused with DingTalk's invalid-token error.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]time.Time{}
	s.currentToken = ""
}

// Deny withdraws a permission scope from the app, e.g.
// "qyapi_get_member_by_mobile"; APIs needing it answer DingTalk's missing
// permission error naming the scope.
func (s *Server) Deny(scope string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied[scope] = true
}

// Fault makes matching calls fail in one of DingTalk's ways. Set exactly one
// way to fail; Delay may be combined with any (or none, for a slow success).
type Fault struct {
	// API is the route to affect ("POST /topapi/v2/user/get"); empty
	// matches every API except the token endpoints.
	API string
	// Times is how many matching calls fail; 0 means one.
	Times int

	Errcode int    // legacy: HTTP 200 with this errcode (e.g. -1, 88, 60011, 90018)
	SubCode string // legacy: the gateway's sub_code, with Errcode 88
	Errmsg  string // legacy: the errmsg; a default is used when empty

	Status  int    // new family: HTTP status with {code,message,requestid}; with Body, the status of the raw body
	Code    string // new family: the error code, e.g. "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"
	Message string // new family: the message

	HTML bool   // the per-IP throttle's HTML block page
	Body string // a raw body (e.g. malformed JSON), with Status (default 200)

	Delay time.Duration // wait before answering

	ResetBeforeRead bool // drop the connection before reading the request: nothing happened
	ResetAfterApply bool // carry out the request, then drop the connection unanswered
}

// Inject adds a fault. Faults apply in the order added.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault not yet used up.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(api string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.API == api || (f.API == "" && !isTokenAPI(api)) {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			c := *f
			return &c
		}
	}
	return nil
}

func isTokenAPI(api string) bool {
	return api == "POST /v1.0/oauth2/accessToken" || api == "GET /gettoken"
}

// ServeHTTP serves both API families on one host.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// exchange is one request being answered, with what the recorder needs.
type exchange struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	api  string
	body []byte
	rec  Request
}

// serve runs the machinery every route shares: reading the body, faults,
// recording. answer writes the route's own answer. A request is recorded
// when it arrives, so that a test sees it even if the client gave up.
func (s *Server) serve(api string, answer func(x *exchange)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fault := s.takeFault(api)
		q := url.Values{}
		for k, v := range r.URL.Query() {
			if k != "access_token" && k != "appsecret" {
				q[k] = v
			}
		}
		if fault != nil && fault.ResetBeforeRead {
			s.record(Request{Time: s.now(), API: api, Method: r.Method, Path: r.URL.Path, Query: q, Errcode: "reset"})
			resetConnection(w)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		x := &exchange{s: s, w: w, r: r, api: api, body: body}
		x.rec = Request{Time: s.now(), API: api, Method: r.Method, Path: r.URL.Path, Query: q, Body: body}
		idx := s.record(x.rec)
		defer func() { s.update(idx, x.rec) }()
		if fault != nil && fault.Delay > 0 {
			select {
			case <-time.After(fault.Delay):
			case <-r.Context().Done():
				x.rec.Errcode = "client gone"
				return
			}
		}
		switch {
		case err != nil || len(body) > maxBodyBytes:
			x.writeJSON(http.StatusRequestEntityTooLarge, map[string]any{"code": "RequestTooLarge", "message": "request body too large", "requestid": apiRequestID()})
		case fault != nil && fault.ResetAfterApply:
			answer(&exchange{s: s, w: discardWriter{}, r: r, api: api, body: body})
			x.rec.Errcode = "reset"
			resetConnection(w)
		case fault != nil && fault.isFailure():
			x.writeFault(fault)
		default:
			answer(x)
		}
	}
}

func (f *Fault) isFailure() bool {
	return f.Errcode != 0 || f.Status != 0 || f.Code != "" || f.HTML || f.Body != ""
}

func (x *exchange) writeFault(f *Fault) {
	switch {
	case f.HTML:
		x.w.Header().Set("Content-Type", "text/html;charset=UTF-8")
		x.rec.Status, x.rec.Errcode = http.StatusOK, "html"
		x.w.WriteHeader(http.StatusOK)
		io.WriteString(x.w, throttlePage)
	case f.Body != "":
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		x.w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		x.rec.Status, x.rec.Errcode = status, "raw"
		x.w.WriteHeader(status)
		io.WriteString(x.w, f.Body)
	case f.Errcode != 0:
		msg := f.Errmsg
		if msg == "" {
			msg = defaultErrmsg(f.Errcode, f.SubCode)
		}
		x.legacyError(f.Errcode, f.SubCode, msg)
	default:
		status, code, msg := f.Status, f.Code, f.Message
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if code == "" {
			code = "systemError"
		}
		if msg == "" {
			msg = "系统错误"
		}
		x.apiError(status, code, msg)
	}
}

const throttlePage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>访问被拒绝</title></head><body><h1>访问过于频繁</h1><p>您的IP访问过于频繁，已被暂时禁止访问，请5分钟后再试。</p></body></html>`

func defaultErrmsg(code int, sub string) string {
	switch {
	case code == -1:
		return "系统繁忙"
	case code == 88 && sub == "60011":
		return "应用尚未开通所需的权限：[qyapi_base]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=" + CorpID + "%23qyapi_base, {requiredScopes=[qyapi_base]}"
	case code == 88 && (sub == "40014" || sub == "40001"):
		return "不合法的access_token"
	case code == 40014:
		return "不合法的access_token"
	case code == 90018:
		return "当前应用调用该接口的QPS超过限制"
	case code == 90002:
		return "您的服务器调用钉钉开放平台当前接口的所有请求都被暂时禁用了"
	case code == 60011:
		return "没有调用该接口的权限"
	}
	return fmt.Sprintf("错误 %d", code)
}

// record appends r to the log and returns its sequence number.
func (s *Server) record(r Request) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) >= maxLog {
		drop := maxLog / 2
		s.log = append(s.log[:0:0], s.log[drop:]...)
		s.logDropped += drop
	}
	s.log = append(s.log, r)
	return s.logDropped + len(s.log) - 1
}

// update replaces the record with sequence number seq by how the request
// was answered, unless it left the log meanwhile.
func (s *Server) update(seq int, r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := seq - s.logDropped
	if i >= 0 && i < len(s.log) && s.log[i].Time.Equal(r.Time) && s.log[i].API == r.API {
		s.log[i] = r
	}
}

// throttled counts a call against its API's one-second window.
func (s *Server) throttled(api string) bool {
	if s.qps <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.now().Unix()
	w := s.windows[api]
	if w == nil || w.second != sec {
		w = &window{second: sec}
		s.windows[api] = w
	}
	w.count++
	return w.count > s.qps
}

func (x *exchange) writeJSON(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"systemError","message":"encode failed"}`)
	}
	x.w.Header().Set("Content-Type", "application/json;charset=utf-8")
	x.w.Header().Set("Server", "DingTalk/1.0.0")
	x.rec.Status = status
	x.w.WriteHeader(status)
	x.w.Write(b)
}

// resetConnection drops the client's connection without an HTTP answer.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int, alphabet string) string {
	var b bytes.Buffer
	for range n {
		b.WriteByte(alphabet[rand.IntN(len(alphabet))])
	}
	return b.String()
}

func legacyRequestID() string { return randomString(12, idAlphabet) }

func apiRequestID() string {
	h := strings.ToUpper(randomString(32, "0123456789abcdef"))
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
