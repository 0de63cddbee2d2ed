package dingtalk_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// newSandboxClient returns a client of sb whose sign-in page is sb's too.
func newSandboxClient(t *testing.T, sb *sandbox.Server) *dingtalk.Client {
	t.Helper()
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return dingtalk.New(sandbox.AppKey, sandbox.AppSecret, dingtalk.WithBaseURLs(ts.URL, ts.URL), dingtalk.WithLoginBaseURL(ts.URL),
		dingtalk.WithRetry(3, time.Millisecond), dingtalk.WithCallTimeout(2*time.Second), dingtalk.WithRateLimit(0))
}

// consent plays the person on the sign-in page that c.Login.AuthorizeURL
// names: it picks userID and returns the authCode DingTalk sends back.
func consent(t *testing.T, c *dingtalk.Client, userID string) string {
	t.Helper()
	page, err := url.Parse(c.Login.AuthorizeURL("http://127.0.0.1:1/callback", "st4te"))
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(page.String())
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET sign-in page: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	form := page.Query()
	form.Set("userid", userID)
	form.Set("decision", "allow")
	resp, err = hc.PostForm(page.Scheme+"://"+page.Host+page.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("consent answered %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	if got := back.Query().Get("state"); got != "st4te" {
		t.Fatalf("state came back as %q, want st4te", got)
	}
	return back.Query().Get("authCode")
}

func TestLoginAuthorizeURLCarriesDingTalksParameters(t *testing.T) {
	t.Parallel()
	c := dingtalk.New("dingkey", "secret", dingtalk.WithLoginBaseURL("https://login.example"))
	u, err := url.Parse(c.Login.AuthorizeURL("https://mcp.example/callback", "s1"))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"redirect_uri": {"https://mcp.example/callback"}, "response_type": {"code"}, "client_id": {"dingkey"},
		"scope": {"openid"}, "prompt": {"consent"}, "state": {"s1"}}
	if u.Host != "login.example" || u.Path != "/oauth2/auth" || u.Query().Encode() != want.Encode() {
		t.Fatalf("AuthorizeURL = %s, want https://login.example/oauth2/auth?%s", u, want.Encode())
	}
}

func TestLoginExchangeThenMe(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.WithQPS(0))
	c := newSandboxClient(t, sb)
	code := consent(t, c, "lina")
	ctx := context.Background()
	tok, err := c.Login.ExchangeCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpireIn != 7200 || tok.CorpID != sandbox.CorpID {
		t.Fatalf("user token = %+v", tok)
	}
	me, err := c.Login.Me(ctx, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.Users.UserIDByUnionID(ctx, me.UnionID)
	if err != nil || u.UserID != "lina" || me.Nick != "李娜" {
		t.Fatalf("Me = %+v, userId %+v (%v); want 李娜, lina", me, u, err)
	}
	// The user token went in the header, and the exchange carried no token.
	if calls := sb.Calls("POST /v1.0/oauth2/userAccessToken"); len(calls) != 1 || !strings.Contains(string(calls[0].Body), `"grantType":"authorization_code"`) {
		t.Fatalf("userAccessToken calls = %+v", calls)
	}
	renewed, err := c.Login.Refresh(ctx, tok.RefreshToken)
	if err != nil || renewed.AccessToken == tok.AccessToken {
		t.Fatalf("Refresh = %+v, %v; want a new token", renewed, err)
	}
}

func TestLoginErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		call     func(c *dingtalk.Client, code string) error
		wantCode string
		wantKind dingtalk.Kind
	}{
		{"bad code", func(c *dingtalk.Client, _ string) error {
			_, err := c.Login.ExchangeCode(ctx, "not-a-code")
			return err
		}, "invalidCode", dingtalk.KindInvalid},
		{"reused code", func(c *dingtalk.Client, code string) error {
			if _, err := c.Login.ExchangeCode(ctx, code); err != nil {
				return err
			}
			_, err := c.Login.ExchangeCode(ctx, code)
			return err
		}, "invalidCode", dingtalk.KindInvalid},
		{"unknown user token", func(c *dingtalk.Client, _ string) error { _, err := c.Login.Me(ctx, "0123456789abcdef"); return err }, "InvalidAuthentication", dingtalk.KindAuth},
		{"bad refresh token", func(c *dingtalk.Client, _ string) error { _, err := c.Login.Refresh(ctx, "nope"); return err }, "invalidCode", dingtalk.KindInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newSandboxClient(t, sandbox.New(sandbox.WithQPS(0)))
			err := tc.call(c, consent(t, c, "zhangwei"))
			e := asError(t, err)
			if e.Code != tc.wantCode || e.Kind != tc.wantKind {
				t.Fatalf("error = %s (%v), want %s (%v)", e.Code, e.Kind, tc.wantCode, tc.wantKind)
			}
		})
	}
}

func TestLoginExpiredUserTokenIsRefused(t *testing.T) {
	t.Parallel()
	var later atomic.Int64
	sb := sandbox.New(sandbox.WithQPS(0), sandbox.WithClock(func() time.Time { return time.Now().Add(time.Duration(later.Load())) }))
	c := newSandboxClient(t, sb)
	tok, err := c.Login.ExchangeCode(context.Background(), consent(t, c, "lina"))
	if err != nil {
		t.Fatal(err)
	}
	later.Store(int64(7201 * time.Second))
	_, err = c.Login.Me(context.Background(), tok.AccessToken)
	if e := asError(t, err); e.Code != "InvalidAuthentication" {
		t.Fatalf("Me with an expired user token: %v, want InvalidAuthentication", e)
	}
}
