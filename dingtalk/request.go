package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
)

type family int

const (
	legacyFamily family = iota // oapi.dingtalk.com: errcode bodies, token in the query
	apiFamily                  // api.dingtalk.com: token header, HTTP status errors
)

// endpoint describes one DingTalk API. Whether a call may be repeated is
// declared here, never inferred from the method: the legacy reads are POSTs.
type endpoint struct {
	family     family
	method     string
	path       string // a template: "{}" stands for an escaped path parameter
	idempotent bool
	// anonymous endpoints take no access token: the token APIs themselves
	// (the app's, and the exchange for a person's).
	anonymous bool
}

// name identifies the API in logs, errors and rate limiting.
func (ep *endpoint) name() string { return ep.method + " " + ep.path }

// call is one request to send: the endpoint plus what varies per call.
type call struct {
	ep         *endpoint
	pathParams []string
	query      url.Values
	body       any // JSON-encoded; nil sends no body
	// userToken, when set, is sent instead of the app's token: the call
	// acts with a signed-in person's own DingTalk token.
	userToken string
}

// token returns the token c is sent with: the person's, none, or the app's.
func (cl *Client) token(ctx context.Context, c *call) (string, error) {
	switch {
	case c.userToken != "":
		return c.userToken, nil
	case c.ep.anonymous:
		return "", nil
	}
	return cl.tokens.get(ctx)
}

func (c *call) path() string {
	p := c.ep.path
	for _, v := range c.pathParams {
		p = strings.Replace(p, "{}", url.PathEscape(v), 1)
	}
	return p
}

// sendTrace records whether the request was written to the connection, which
// decides whether a failed non-idempotent call may have reached DingTalk.
type sendTrace struct{ wrote atomic.Bool }

func (t *sendTrace) context(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: func() { t.wrote.Store(true) },
	})
}

// do sends c, decoding a successful answer into out. It waits for the API's
// rate limiter, refreshes the token once if DingTalk rejects it, and retries
// what the endpoint's policy allows. It is the client's one retry loop:
// every call goes through it, the token's own included.
func (cl *Client) do(ctx context.Context, c *call, out any) error {
	refreshed := false
	for attempt := 0; ; attempt++ {
		if cl.limit != nil {
			if err := cl.limit.Wait(ctx, c.ep.name()); err != nil {
				if ctx.Err() != nil {
					return cl.contextError(c.ep, ctx, false)
				}
				return cl.sharedStateError(c.ep, err)
			}
		}
		token, err := cl.token(ctx, c)
		if err != nil {
			return err
		}
		e := cl.attempt(ctx, c, token, out)
		if e == nil {
			return nil
		}
		recordUncertain(ctx, c.ep, e)
		// Only the app's token can be fetched again; a person's token or
		// none is the caller's to replace.
		if isTokenError(e) && !refreshed && c.userToken == "" && !c.ep.anonymous {
			// The gateway refused the token before the API ran, so even a
			// non-idempotent call is safe to send again, once.
			cl.tokens.invalidate(ctx, token)
			refreshed = true
			continue
		}
		wait, ok := cl.retryDelay(c.ep, e, attempt)
		if !ok {
			return e
		}
		cl.logger.DebugContext(ctx, "dingtalk retry", "endpoint", c.ep.name(), "attempt", attempt+1, "error", e.FullCode(), "wait", wait)
		select {
		case <-ctx.Done():
			return e
		case <-time.After(wait):
		}
	}
}

// retryDelay says whether e may be retried and after how long. Idempotent
// calls are retried on throttling, busy answers and network failures.
// Non-idempotent calls are retried only when the request was never written.
func (cl *Client) retryDelay(ep *endpoint, e *Error, attempt int) (time.Duration, bool) {
	if attempt >= cl.maxRetries || !e.Retryable() {
		return 0, false
	}
	if !ep.idempotent && e.written {
		return 0, false
	}
	if e.retryAfter > max(cl.maxBackoff, cl.throttleWait) {
		return 0, false // e.g. a five-minute IP ban: the caller decides
	}
	d := cl.backoff << attempt
	if d > cl.maxBackoff {
		d = cl.maxBackoff
	}
	d = d/2 + rand.N(d/2+1) // jitter spreads concurrent retries
	return max(d, e.retryAfter), true
}

func (cl *Client) attempt(ctx context.Context, c *call, token string, out any) *Error {
	ctx, cancel := context.WithTimeout(ctx, cl.callTimeout)
	defer cancel()
	trace := &sendTrace{}
	req := cl.http.R().SetContext(trace.context(ctx))
	var base string
	switch c.ep.family {
	case legacyFamily:
		base = cl.oapiBase
		q := url.Values{}
		for k, v := range c.query {
			q[k] = v
		}
		q.Set("access_token", token)
		req.SetQueryParamsFromValues(q)
	case apiFamily:
		base = cl.apiBase
		req.SetQueryParamsFromValues(c.query)
		if token != "" {
			req.SetHeader("x-acs-dingtalk-access-token", token)
		}
	}
	if c.body != nil {
		body, err := json.Marshal(c.body)
		if err != nil {
			return (&Error{Endpoint: c.ep.name(), Kind: KindInvalid}).describe(phrasef("cannot encode request: %s", err.Error()))
		}
		req.SetHeader("Content-Type", "application/json; charset=utf-8").SetBody(body)
	}
	req.SetHeader("Accept", "application/json")
	start := cl.now()
	resp, err := req.Execute(c.ep.method, base+c.path())
	if err != nil {
		if ctx.Err() != nil {
			return cl.contextError(c.ep, ctx, trace.wrote.Load())
		}
		return cl.networkError(c.ep, err, trace.wrote.Load())
	}
	cl.logger.DebugContext(ctx, "dingtalk call", "endpoint", c.ep.name(), "status", resp.StatusCode(), "duration", cl.now().Sub(start))
	if c.ep.family == legacyFamily {
		return cl.checkLegacy(c.ep, resp, out)
	}
	return cl.checkAPI(c.ep, resp, out)
}

func (cl *Client) contextError(ep *endpoint, ctx context.Context, wrote bool) *Error {
	e := &Error{Endpoint: ep.name(), Kind: KindTimeout, MaybeSent: wrote, written: wrote, err: ctx.Err()}
	if errors.Is(ctx.Err(), context.Canceled) {
		return e.describe(phrasef("the call was cancelled"))
	}
	return e.describe(phrasef("DingTalk did not answer in time"))
}

func (cl *Client) networkError(ep *endpoint, err error, wrote bool) *Error {
	// *url.Error's text repeats the URL, which carries the legacy token:
	// report only the cause.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	kind := KindTransient
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		kind = KindTimeout
	}
	return (&Error{Endpoint: ep.name(), Kind: kind, MaybeSent: wrote, written: wrote, err: err}).
		describe(phrasef("network error: %s", cl.secrets.redact(err.Error())))
}

// flexString accepts a JSON string or number: the legacy family documents
// errcode as a number but its examples print strings.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	*f = flexString(bytes.TrimSpace(b))
	return nil
}

type legacyStatus struct {
	Errcode   *flexString `json:"errcode"`
	Errmsg    string      `json:"errmsg"`
	SubCode   flexString  `json:"sub_code"`
	SubMsg    string      `json:"sub_msg"`
	RequestID string      `json:"request_id"`
	// The per-IP ban answers {"status":1111,"wait":5,"punish":"deny",...}.
	Punish string `json:"punish"`
	Wait   int    `json:"wait"`
}

// checkLegacy turns a legacy answer into out or an *Error. The legacy family
// reports failures with HTTP 200 and errcode != 0.
func (cl *Client) checkLegacy(ep *endpoint, resp *resty.Response, out any) *Error {
	body := resp.Body()
	e := &Error{Endpoint: ep.name(), HTTPStatus: resp.StatusCode(), MaybeSent: true, written: true}
	st, payloadErr, decoded := decodeLegacy(body, out)
	if st == nil {
		return cl.unreadable(e, body)
	}
	if st.Punish != "" {
		return ipBan(e, st.Wait)
	}
	if resp.StatusCode() != http.StatusOK && st.Errcode == nil {
		return cl.unreadable(e, body)
	}
	code := "0"
	if st.Errcode != nil {
		code = string(*st.Errcode)
	}
	if code != "0" {
		e.Code, e.SubCode, e.RequestID = code, string(st.SubCode), st.RequestID
		e.Message = cl.secrets.redact(firstNonEmpty(st.SubMsg, st.Errmsg))
		e.Kind, e.Reason = classifyLegacy(e.Code, e.SubCode), reasonOf(e.Code, e.SubCode)
		// Only a busy answer leaves the outcome open; every other errcode
		// means DingTalk refused the call.
		e.MaybeSent = code == "-1"
		if e.Kind == KindThrottled {
			e.retryAfter = cl.throttleWait
		}
		return e
	}
	if out != nil && !decoded {
		payloadErr = json.Unmarshal(body, out)
	}
	if payloadErr != nil {
		return cl.unreadable(e, body)
	}
	return nil
}

// statusCarrier is an answer type that embeds legacyStatus, so that one
// pass over the body reads both the status and the payload.
type statusCarrier interface{ status() *legacyStatus }

// decodeLegacy reads the status of a legacy answer, or nil if the body is
// not a JSON object it can read. If out carries the status, the payload is
// decoded in the same pass: decoded is true, and payloadErr is a payload
// of the wrong shape, which matters only if the status says success.
func decodeLegacy(body []byte, out any) (st *legacyStatus, payloadErr error, decoded bool) {
	c, ok := out.(statusCarrier)
	if !ok {
		st = new(legacyStatus)
		if err := json.Unmarshal(body, st); err != nil {
			return nil, nil, false
		}
		return st, nil, false
	}
	err := json.Unmarshal(body, out)
	// A value of the wrong type leaves the rest decoded; anything else
	// (not JSON, not an object) leaves nothing to read.
	var typeErr *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &typeErr) {
		return nil, nil, false
	}
	return c.status(), err, true
}

type apiStatus struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestid"`
	Punish    string `json:"punish"`
	Wait      int    `json:"wait"`
}

// incomplete is an answer type that can be valid JSON and still lack what
// the call is for. Such an answer is transient: the same call may succeed.
type incomplete interface {
	// missing says what the answer lacks; zero if nothing.
	missing() Phrase
}

// checkAPI turns a new-family answer into out or an *Error: HTTP 2xx with a
// bare JSON object, or 4xx/5xx with {code, message, requestid}.
func (cl *Client) checkAPI(ep *endpoint, resp *resty.Response, out any) *Error {
	body := resp.Body()
	status := resp.StatusCode()
	e := &Error{Endpoint: ep.name(), HTTPStatus: status, MaybeSent: true, written: true,
		RequestID: firstNonEmpty(resp.Header().Get("x-acs-request-id"))}
	if status >= 200 && status < 300 {
		if out != nil && len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, out); err != nil {
				return cl.unreadable(e, body)
			}
		}
		if v, ok := out.(incomplete); ok {
			if missing := v.missing(); !missing.isZero() {
				e.Kind = KindTransient
				return e.describe(missing)
			}
		}
		return nil
	}
	var st apiStatus
	if err := json.Unmarshal(body, &st); err != nil || (st.Code == "" && st.Punish == "") {
		return cl.unreadable(e, body)
	}
	if st.Punish != "" {
		return ipBan(e, st.Wait)
	}
	e.Code, e.Message, e.RequestID = st.Code, cl.secrets.redact(st.Message), firstNonEmpty(st.RequestID, e.RequestID)
	e.Kind, e.Reason = classifyAPI(status, st.Code), reasonOf(st.Code, "")
	// A 4xx is a refusal; only a 5xx, or a code saying so, leaves the
	// outcome open.
	e.MaybeSent = status >= 500 || undecidedCodes[st.Code]
	if e.Kind == KindThrottled {
		e.retryAfter = cl.throttleWait
	}
	return e
}

// unreadable reports an answer that is not the JSON DingTalk promises: the
// per-IP throttle's HTML page, a proxy's error page, or a truncated body.
func (cl *Client) unreadable(e *Error, body []byte) *Error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '<' && e.HTTPStatus < 500 {
		return ipBan(e, 5)
	}
	e.Kind = KindTransient
	if e.HTTPStatus >= 500 {
		return e.describe(phrasef("DingTalk answered HTTP %d", e.HTTPStatus))
	}
	return e.describe(phrasef("DingTalk answered HTTP %d with a body that is not valid JSON (%d bytes)", e.HTTPStatus, len(body)))
}

// ipBan reports DingTalk's per-IP throttle, which bans the caller's IP for
// minutes: no request got through.
func ipBan(e *Error, waitMinutes int) *Error {
	if waitMinutes <= 0 {
		waitMinutes = 5
	}
	e.Kind = KindThrottled
	e.MaybeSent = false
	e.Code = firstNonEmpty(e.Code, "IpThrottled")
	e.retryAfter = time.Duration(waitMinutes) * time.Minute
	return e.describe(phrasef("DingTalk is throttling this server's IP address (more than 10,000 calls in 20 s); calls are refused for about %d minutes", waitMinutes))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// legacyResult sends c and returns the "result" member of the legacy
// family's answer, where every read puts its payload.
func legacyResult[T any](ctx context.Context, cl *Client, c *call) (*T, error) {
	var out legacyAnswer[T]
	if err := cl.do(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out.Result, nil
}

// legacyAnswer is a legacy answer with its payload under "result".
type legacyAnswer[T any] struct {
	legacyStatus
	Result T `json:"result"`
}

func (a *legacyAnswer[T]) status() *legacyStatus { return &a.legacyStatus }

// operatorQuery is the query of the knowledge base and spreadsheet APIs
// that act as a user: operatorId, the user's unionId.
func operatorQuery(operatorID string) url.Values { return url.Values{"operatorId": {operatorID}} }

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
