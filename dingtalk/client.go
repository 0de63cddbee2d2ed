// Package dingtalk is a client for DingTalk's server-side Open API: both the
// legacy family at oapi.dingtalk.com (errcode bodies, token in the query) and
// the new family at api.dingtalk.com (token header, HTTP status errors).
//
// One Client holds the credentials, the cached access token, the per-API rate
// limiters and the retry policy; its services (Users, Departments, Chats,
// Messages, Robot, Wiki, Docs, Sheets) share them.
//
// The client sends what its caller gives it. Checking that input is the
// caller's work, done once: package tools validates everything an agent
// sends and names the parameter at fault, and DingTalk judges the rest.
// In particular path parameters are escaped but not checked: an id of "."
// or ".." would be resolved to another resource, and callers refuse it.
// The client itself refuses only what it alone can measure, on the request
// as it encodes it (a robot message's size as DingTalk counts it, a
// document's Markdown length).
package dingtalk

import (
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// Default base URLs of the two API families.
const (
	DefaultAPIBaseURL  = "https://api.dingtalk.com"
	DefaultOAPIBaseURL = "https://oapi.dingtalk.com"
)

// MaxQPS is DingTalk's documented ceiling for one app calling one
// API: 20 requests per second.
const MaxQPS = 20

// DefaultRateLimit is the rate the client keeps each API to: 10% under
// MaxQPS, so that a request delayed on its way by the network or the
// scheduler cannot make a one-second window at DingTalk hold 21.
const DefaultRateLimit = MaxQPS * 0.9

// maxResponseBytes bounds what one DingTalk answer may occupy in memory.
const maxResponseBytes = 16 << 20

// Client talks to DingTalk on behalf of one internal app.
type Client struct {
	apiBase, oapiBase string
	http              *resty.Client
	tokens            *tokenSource
	secrets           *redactor
	logger            *slog.Logger
	now               func() time.Time

	callTimeout time.Duration
	maxRetries  int
	backoff     time.Duration
	maxBackoff  time.Duration
	// throttleWait is how long to wait after DingTalk's per-API QPS
	// throttle: its window is one second.
	throttleWait time.Duration

	// limit spaces the calls to each API; nil sends without waiting.
	limit        Limiter
	sharedTokens TokenCache

	Users       *UsersService
	Departments *DepartmentsService
	Chats       *ChatsService
	Messages    *MessagesService
	Robot       *RobotService
	Wiki        *WikiService
	Docs        *DocsService
	Sheets      *SheetsService
}

type service struct{ client *Client }

// An Option configures a Client.
type Option func(*Client)

// WithBaseURLs overrides the new-family (api) and legacy-family (oapi) base
// URLs, for the international hosts, a proxy or the sandbox. An empty
// string keeps the default.
func WithBaseURLs(api, oapi string) Option {
	return func(c *Client) {
		if api != "" {
			c.apiBase = strings.TrimRight(api, "/")
		}
		if oapi != "" {
			c.oapiBase = strings.TrimRight(oapi, "/")
		}
	}
}

// WithHTTPClient sets the HTTP client used for every call. Its Transport is
// kept; its Timeout is ignored in favour of WithCallTimeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http.SetTransport(hc.Transport) }
}

// WithLogger sets the logger. Secrets never reach it.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.logger = l } }

// WithClock sets the clock used for token expiry, for tests.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithRateLimit sets the per-API request rate within this process; 0 or
// less disables limiting.
func WithRateLimit(perSecond float64) Option {
	return func(c *Client) {
		c.limit = nil
		if perSecond > 0 {
			c.limit = newLocalLimiter(perSecond)
		}
	}
}

// WithCallTimeout bounds each attempt of a call.
func WithCallTimeout(d time.Duration) Option { return func(c *Client) { c.callTimeout = d } }

// WithRetry sets how often an idempotent call is retried and the first
// back-off delay, which doubles up to a cap of eight times its value. The
// wait after a QPS throttle follows the first delay, between 125 ms and DingTalk's
// one-second window, so tests can run fast.
func WithRetry(maxRetries int, backoff time.Duration) Option {
	return func(c *Client) {
		c.maxRetries, c.backoff, c.maxBackoff = maxRetries, backoff, 8*backoff
		c.throttleWait = min(time.Second, max(backoff, time.Second/8))
	}
}

// New returns a Client for the app identified by appKey and appSecret.
func New(appKey, appSecret string, opts ...Option) *Client {
	c := &Client{
		apiBase:      DefaultAPIBaseURL,
		oapiBase:     DefaultOAPIBaseURL,
		http:         resty.New().SetTransport(defaultTransport()),
		logger:       slog.New(slog.DiscardHandler),
		now:          time.Now,
		callTimeout:  20 * time.Second,
		maxRetries:   3,
		backoff:      250 * time.Millisecond,
		maxBackoff:   2 * time.Second,
		throttleWait: time.Second,
		limit:        newLocalLimiter(DefaultRateLimit),
	}
	c.secrets = newRedactor(appSecret)
	for _, o := range opts {
		o(c)
	}
	// resty's own logger would print request URLs, which carry the legacy
	// token; every failure is reported through *Error instead.
	c.http.SetLogger(discardLogger{}).SetResponseBodyLimit(maxResponseBytes).SetDisableWarn(true)
	c.tokens = &tokenSource{client: c, appKey: appKey, appSecret: appSecret, shared: c.sharedTokens}
	s := service{c}
	c.Users = (*UsersService)(&s)
	c.Departments = (*DepartmentsService)(&s)
	c.Chats = (*ChatsService)(&s)
	c.Messages = (*MessagesService)(&s)
	c.Robot = (*RobotService)(&s)
	c.Wiki = (*WikiService)(&s)
	c.Docs = (*DocsService)(&s)
	c.Sheets = (*SheetsService)(&s)
	return c
}

// defaultTransport honours HTTPS_PROXY/NO_PROXY; SSL_CERT_FILE is honoured by
// crypto/x509 on its own.
func defaultTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// CloseIdleConnections closes the client's idle keep-alive connections.
func (c *Client) CloseIdleConnections() {
	if t, ok := c.http.GetClient().Transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
