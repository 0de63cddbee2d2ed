package dingtalk_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

const (
	userGetAPI    = "POST /topapi/v2/user/get"
	userSearchAPI = "POST /v1.0/contact/users/search"
	noticeSendAPI = "POST /topapi/message/corpconversation/asyncsend_v2"
)

// newClient starts a sandbox and returns a client talking to it, with fast
// retries and a short timeout so failure paths run quickly.
func newClient(t *testing.T, opts ...dingtalk.Option) (*dingtalk.Client, *sandbox.Server) {
	t.Helper()
	return newClientQPS(t, 0, opts...)
}

// newClientQPS is newClient with the sandbox throttling at qps (0: off).
func newClientQPS(t *testing.T, qps int, opts ...dingtalk.Option) (*dingtalk.Client, *sandbox.Server) {
	t.Helper()
	return newClientOn(t, sandbox.New(sandbox.WithQPS(qps)), opts...)
}

// newClientOn returns a client talking to sb.
func newClientOn(t *testing.T, sb *sandbox.Server, opts ...dingtalk.Option) (*dingtalk.Client, *sandbox.Server) {
	t.Helper()
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	all := append([]dingtalk.Option{
		dingtalk.WithBaseURLs(ts.URL, ts.URL),
		dingtalk.WithRetry(3, time.Millisecond),
		dingtalk.WithCallTimeout(500 * time.Millisecond),
		dingtalk.WithRateLimit(0),
	}, opts...)
	return dingtalk.New(sandbox.AppKey, sandbox.AppSecret, all...), sb
}

func asError(t *testing.T, err error) *dingtalk.Error {
	t.Helper()
	var e *dingtalk.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *dingtalk.Error, got %T: %v", err, err)
	}
	return e
}

func TestConcurrentCallsFetchOneToken(t *testing.T) {
	t.Parallel()
	// A generous timeout: on a busy machine 50 calls at once can outlast
	// the usual 500 ms, and a retried call would be counted twice below.
	c, sb := newClient(t, dingtalk.WithCallTimeout(10*time.Second))
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			if _, err := c.Users.Get(context.Background(), sandbox.SeedManagerID, ""); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := sb.TokensIssued(); got != 1 {
		t.Errorf("tokens issued = %d, want 1", got)
	}
	if got := len(sb.Calls(userGetAPI)); got != 50 {
		t.Errorf("user/get calls = %d, want 50", got)
	}
}

func TestRejectedTokenIsRefreshedOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		call       func(c *dingtalk.Client) error
		api        string
		breakToken func(sb *sandbox.Server)
		wantErr    bool
		wantCalls  int
		wantTokens int
	}{
		{
			name: "legacy token expired mid-flight",
			call: func(c *dingtalk.Client) error {
				_, err := c.Users.Get(context.Background(), "zhangwei", "")
				return err
			},
			api:        userGetAPI,
			breakToken: (*sandbox.Server).RevokeTokens,
			wantCalls:  2, wantTokens: 2,
		},
		{
			name: "new-family token expired mid-flight",
			call: func(c *dingtalk.Client) error {
				_, err := c.Users.Search(context.Background(), dingtalk.SearchRequest{QueryWord: "Wei", Size: 5})
				return err
			},
			api:        userSearchAPI,
			breakToken: (*sandbox.Server).RevokeTokens,
			wantCalls:  2, wantTokens: 2,
		},
		{
			name: "non-idempotent send is resent after a token error: the gateway refused it",
			call: func(c *dingtalk.Client) error {
				_, err := c.Messages.Send(context.Background(), dingtalk.WorkNotice{AgentID: sandbox.AgentID, UserIDs: []string{"lina"}, Msg: dingtalk.Msg{MsgType: "text", Text: &dingtalk.TextMsg{Content: "hi"}}})
				return err
			},
			api:        noticeSendAPI,
			breakToken: (*sandbox.Server).RevokeTokens,
			wantCalls:  2, wantTokens: 2,
		},
		{
			name: "a token rejected twice is not refreshed in a loop",
			call: func(c *dingtalk.Client) error {
				_, err := c.Users.Get(context.Background(), "zhangwei", "")
				return err
			},
			api: userGetAPI,
			breakToken: func(sb *sandbox.Server) {
				sb.Inject(sandbox.Fault{API: userGetAPI, Errcode: 88, SubCode: "40014", Times: 5})
			},
			wantErr: true, wantCalls: 2, wantTokens: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t)
			if _, err := c.Users.Get(context.Background(), sandbox.SeedManagerID, ""); err != nil {
				t.Fatal(err)
			}
			sb.ResetLog()
			tt.breakToken(sb)
			err := tt.call(c)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr && dingtalk.KindOf(err) != dingtalk.KindAuth {
				t.Errorf("kind = %v, want auth", dingtalk.KindOf(err))
			}
			if got := len(sb.Calls(tt.api)); got != tt.wantCalls {
				t.Errorf("calls to %s = %d, want %d", tt.api, got, tt.wantCalls)
			}
			if got := sb.TokensIssued(); got != tt.wantTokens {
				t.Errorf("tokens issued = %d, want %d", got, tt.wantTokens)
			}
		})
	}
}

func sendNotice(c *dingtalk.Client) error {
	_, err := c.Messages.Send(context.Background(), dingtalk.WorkNotice{
		AgentID: sandbox.AgentID, UserIDs: []string{"zhangwei"},
		Msg: dingtalk.Msg{MsgType: "text", Text: &dingtalk.TextMsg{Content: "Meeting moved to 3pm"}},
	})
	return err
}

func TestNonIdempotentCallIsNeverRetriedOnceSent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     sandbox.Fault
		wantKind  dingtalk.Kind
		maybeSent bool
	}{
		{"system busy", sandbox.Fault{Errcode: -1}, dingtalk.KindTransient, true},
		{"HTTP 502", sandbox.Fault{Status: 502, Body: "<html>bad gateway</html>"}, dingtalk.KindTransient, true},
		{"malformed JSON", sandbox.Fault{Body: `{"errcode":0,"task_id":`}, dingtalk.KindTransient, true},
		{"connection reset after the request was applied", sandbox.Fault{ResetAfterApply: true}, dingtalk.KindTransient, true},
		{"connection reset before the request was read", sandbox.Fault{ResetBeforeRead: true}, dingtalk.KindTransient, true},
		{"answer slower than the timeout", sandbox.Fault{Delay: 2 * time.Second}, dingtalk.KindTimeout, true},
		{"throttled", sandbox.Fault{Errcode: 90018}, dingtalk.KindThrottled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t)
			f := tt.fault
			f.API, f.Times = noticeSendAPI, 5
			sb.Inject(f)
			e := asError(t, sendNotice(c))
			if e.Kind != tt.wantKind || e.MaybeSent != tt.maybeSent {
				t.Errorf("kind %v maybeSent %v, want %v %v (%v)", e.Kind, e.MaybeSent, tt.wantKind, tt.maybeSent, e)
			}
			if got := len(sb.Calls(noticeSendAPI)); got != 1 {
				t.Errorf("send requests = %d, want exactly 1", got)
			}
		})
	}
}

func TestIdempotentCallIsRetried(t *testing.T) {
	t.Parallel()
	for _, f := range []sandbox.Fault{{Errcode: -1}, {Status: 503, Body: "busy"}, {ResetBeforeRead: true}, {Errcode: 90018}, {Body: "{"}} {
		c, sb := newClient(t)
		f.API = userGetAPI
		sb.Inject(f)
		if _, err := c.Users.Get(context.Background(), "zhangwei", ""); err != nil {
			t.Errorf("%+v: %v", f, err)
		}
		if got := len(sb.Calls(userGetAPI)); got != 2 {
			t.Errorf("%+v: calls = %d, want 2 (one failure, one retry)", f, got)
		}
	}
}

// refusingDialer fails the first n dials: the request never leaves.
type refusingDialer struct {
	n     atomic.Int32
	inner *http.Transport
}

func (d *refusingDialer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path != "/v1.0/oauth2/accessToken" && d.n.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return d.inner.RoundTrip(r)
}

func TestNonIdempotentCallIsRetriedWhenNeverSent(t *testing.T) {
	t.Parallel()
	rt := &refusingDialer{inner: http.DefaultTransport.(*http.Transport).Clone()}
	rt.n.Store(2)
	c, sb := newClient(t, dingtalk.WithHTTPClient(&http.Client{Transport: rt}))
	if err := sendNotice(c); err != nil {
		t.Fatal(err)
	}
	if got := len(sb.Calls(noticeSendAPI)); got != 1 {
		t.Errorf("send requests = %d, want 1", got)
	}
}

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   sandbox.Fault
		api     string
		call    func(c *dingtalk.Client) error
		want    dingtalk.Kind
		code    string
		status  int
		retryer bool
	}{
		{"HTTP 200 with errcode is an error", sandbox.Fault{}, "", func(c *dingtalk.Client) error { _, err := c.Users.Get(context.Background(), "nobody", ""); return err }, dingtalk.KindNotFound, "60121", 200, false},
		{"gateway permission error", sandbox.Fault{Errcode: 88, SubCode: "60011"}, userGetAPI, getZhangwei, dingtalk.KindPermission, "88/60011", 200, false},
		{"legacy throttle", sandbox.Fault{Errcode: 90018, Times: 10}, userGetAPI, getZhangwei, dingtalk.KindThrottled, "90018", 200, true},
		{"HTML throttle page", sandbox.Fault{HTML: true, Times: 10}, userGetAPI, getZhangwei, dingtalk.KindThrottled, "IpThrottled", 200, true},
		{"403 QpsLimit", sandbox.Fault{Status: 403, Code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", Times: 10}, userSearchAPI, searchWei, dingtalk.KindThrottled, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", 403, true},
		{"403 permission", sandbox.Fault{Status: 403, Code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", Message: "应用尚未开通所需的权限：[qyapi_addresslist_search]"}, userSearchAPI, searchWei, dingtalk.KindPermission, "Forbidden.AccessDenied.AccessTokenPermissionDenied", 403, false},
		{"new-family 500", sandbox.Fault{Status: 500, Code: "systemError", Times: 10}, userSearchAPI, searchWei, dingtalk.KindTransient, "systemError", 500, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t)
			if tt.api != "" {
				f := tt.fault
				f.API = tt.api
				sb.Inject(f)
			}
			e := asError(t, tt.call(c))
			got := []any{e.Kind, e.FullCode(), e.HTTPStatus, e.Retryable()}
			if diff := cmp.Diff([]any{tt.want, tt.code, tt.status, tt.retryer}, got); diff != "" {
				t.Errorf("(kind, code, status, retryable) mismatch (-want +got):\n%s\n%v", diff, e)
			}
		})
	}
}

func getZhangwei(c *dingtalk.Client) error {
	_, err := c.Users.Get(context.Background(), "zhangwei", "")
	return err
}

func searchWei(c *dingtalk.Client) error {
	_, err := c.Users.Search(context.Background(), dingtalk.SearchRequest{QueryWord: "Wei", Size: 5})
	return err
}

func TestPermissionErrorNamesScope(t *testing.T) {
	t.Parallel()
	c, sb := newClient(t)
	sb.Deny("qyapi_get_member_by_mobile")
	_, err := c.Users.UserIDByMobile(context.Background(), "13800000001")
	if got := asError(t, err).RequiredScope(); got != "qyapi_get_member_by_mobile" {
		t.Errorf("RequiredScope() = %q", got)
	}
}

func TestErrorsNeverContainSecrets(t *testing.T) {
	t.Parallel()
	faults := []sandbox.Fault{
		{ResetBeforeRead: true, Times: 10}, {ResetAfterApply: true, Times: 10}, {Delay: time.Second, Times: 10},
		{Errcode: 88, SubCode: "40014", Times: 10}, {Body: "not json", Times: 10}, {HTML: true, Times: 10},
	}
	for _, f := range faults {
		c, sb := newClient(t)
		if _, err := c.Users.Get(context.Background(), "zhangwei", ""); err != nil {
			t.Fatal(err)
		}
		f.API = userGetAPI
		sb.Inject(f)
		_, err := c.Users.Get(context.Background(), "zhangwei", "")
		if err == nil {
			t.Fatalf("%+v: want an error", f)
		}
		for _, secret := range append(sb.IssuedTokens(), sandbox.AppSecret) {
			if strings.Contains(err.Error(), secret) || strings.Contains(asError(t, err).Message, secret) {
				t.Errorf("%+v: error %q contains a secret", f, err)
			}
		}
	}
	// Wrong credentials: the secret must not be echoed either.
	_, sb := newClient(t)
	ts := httptest.NewServer(sb)
	defer ts.Close()
	bad := dingtalk.New(sandbox.AppKey, "wrong-secret-value", dingtalk.WithBaseURLs(ts.URL, ts.URL), dingtalk.WithRetry(0, time.Millisecond))
	_, err := bad.Users.Get(context.Background(), "zhangwei", "")
	if e := asError(t, err); e.Kind != dingtalk.KindAuth || strings.Contains(e.Error(), "wrong-secret-value") {
		t.Errorf("bad credentials: %v (kind %v)", e, e.Kind)
	}
}

func TestRateLimitKeepsEachAPIUnderTwentyPerSecond(t *testing.T) {
	t.Parallel()
	c, sb := newClientQPS(t, dingtalk.MaxQPS, dingtalk.WithRateLimit(dingtalk.DefaultRateLimit))
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 45 {
		wg.Go(func() {
			if err := getZhangwei(c); err != nil {
				failures.Add(1)
			}
		})
	}
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d calls failed", failures.Load())
	}
	perSecond := map[int64]int{}
	for _, r := range sb.Calls(userGetAPI) {
		perSecond[r.Time.Unix()]++
		if r.Errcode != "" {
			t.Errorf("sandbox answered %s: the client exceeded DingTalk's limit", r.Errcode)
		}
	}
	for sec, n := range perSecond {
		if n > dingtalk.MaxQPS {
			t.Errorf("second %d saw %d calls, want at most %d", sec, n, dingtalk.MaxQPS)
		}
	}
}

// TestLegacyAnswerShapes: the status and the payload of a legacy answer are
// read in one pass, and a payload of the wrong shape is an error only when
// the status says success.
func TestLegacyAnswerShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		wantName string // on success
		wantKind dingtalk.Kind
		wantCode string
	}{
		{"success", `{"errcode":0,"errmsg":"ok","result":{"userid":"u1","name":"Ann"},"request_id":"r1"}`, "Ann", 0, ""},
		{"errcode as a string", `{"errcode":"60121","errmsg":"找不到该用户"}`, "", dingtalk.KindNotFound, "60121"},
		{"error whose result has another shape", `{"errcode":60121,"errmsg":"找不到该用户","result":""}`, "", dingtalk.KindNotFound, "60121"},
		{"success whose result has another shape", `{"errcode":0,"errmsg":"ok","result":"oops"}`, "", dingtalk.KindTransient, ""},
		{"truncated", `{"errcode":0,"result":{"userid"`, "", dingtalk.KindTransient, ""},
		{"an array", `[]`, "", dingtalk.KindTransient, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sb := sandbox.New()
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/topapi/v2/user/get" {
					w.Header().Set("Content-Type", "application/json")
					w.Write([]byte(tt.body))
					return
				}
				sb.ServeHTTP(w, r)
			}))
			t.Cleanup(ts.Close)
			c := dingtalk.New(sandbox.AppKey, sandbox.AppSecret, dingtalk.WithBaseURLs(ts.URL, ts.URL),
				dingtalk.WithRetry(1, time.Millisecond), dingtalk.WithRateLimit(0))
			u, err := c.Users.Get(context.Background(), "u1", "")
			if tt.wantName != "" {
				if err != nil || u.Name != tt.wantName {
					t.Fatalf("got %+v, %v; want the user %s", u, err, tt.wantName)
				}
				return
			}
			e := asError(t, err)
			if e.Kind != tt.wantKind || e.FullCode() != tt.wantCode {
				t.Errorf("got kind %v code %q, want %v %q (%v)", e.Kind, e.FullCode(), tt.wantKind, tt.wantCode, e)
			}
		})
	}
}

// TestErrorReasons: the codes that call for a next step of their own are
// named, in both families and under the gateway's sub_code; others are not.
func TestErrorReasons(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault sandbox.Fault
		api   string
		call  func(c *dingtalk.Client) error
		want  dingtalk.Reason
	}{
		{"gateway IP whitelist", sandbox.Fault{Errcode: 88, SubCode: "60020"}, userGetAPI, getZhangwei, dingtalk.ReasonIPNotWhitelisted},
		{"legacy IP whitelist", sandbox.Fault{Errcode: 60020}, userGetAPI, getZhangwei, dingtalk.ReasonIPNotWhitelisted},
		{"new-family IP whitelist", sandbox.Fault{Status: 403, Code: "Forbidden.AccessDenied.IpNotInWhiteList"}, userSearchAPI, searchWei, dingtalk.ReasonIPNotWhitelisted},
		{"invitation sent", sandbox.Fault{Errcode: 40103}, userGetAPI, getZhangwei, dingtalk.ReasonInvited},
		{"document access denied", sandbox.Fault{Status: 403, Code: "forbidden.accessDenied"}, userSearchAPI, searchWei, dingtalk.ReasonDocumentAccessDenied},
		{"a permission error without a reason", sandbox.Fault{Errcode: 88, SubCode: "60011"}, userGetAPI, getZhangwei, ""},
		{"a QPS throttle without a reason", sandbox.Fault{Status: 403, Code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", Times: 10}, userSearchAPI, searchWei, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t)
			f := tt.fault
			f.API = tt.api
			sb.Inject(f)
			if got := asError(t, tt.call(c)).Reason; got != tt.want {
				t.Errorf("Reason = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTokenFetchSharesTheRetryLoop: the token request is retried like any
// idempotent call, an answer without a token counts as a failure, and a
// failed fetch never says that the call waiting for the token may have
// been made.
func TestTokenFetchSharesTheRetryLoop(t *testing.T) {
	t.Parallel()
	const tokenAPI = "POST /v1.0/oauth2/accessToken"
	tests := []struct {
		name    string
		fault   sandbox.Fault
		fails   bool
		fetches int // token requests sent
	}{
		{name: "busy once, then a token", fault: sandbox.Fault{Status: 503, Code: "serviceBusy", Message: "busy"}, fetches: 2},
		{name: "no token in the answer, then a token", fault: sandbox.Fault{Body: `{"expireIn":7200}`}, fetches: 2},
		{name: "busy every time", fault: sandbox.Fault{Status: 503, Code: "serviceBusy", Message: "busy", Times: 10}, fails: true, fetches: 4},
		{name: "reset after the token was issued, every time", fault: sandbox.Fault{ResetAfterApply: true, Times: 10}, fails: true, fetches: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t)
			f := tt.fault
			f.API = tokenAPI
			sb.Inject(f)
			err := searchWei(c)
			if got := len(sb.Calls(tokenAPI)); got != tt.fetches {
				t.Errorf("token requested %d times, want %d", got, tt.fetches)
			}
			if !tt.fails {
				if err != nil {
					t.Fatalf("send after the token was issued: %v", err)
				}
				return
			}
			if e := asError(t, err); e.MaybeSent || e.Kind != dingtalk.KindTransient {
				t.Errorf("a failed token fetch: kind %v, MaybeSent %v; want transient, never sent", e.Kind, e.MaybeSent)
			}
			if n := len(sb.Calls(userSearchAPI)); n != 0 {
				t.Errorf("the search was sent %d times without a token", n)
			}
		})
	}
}
