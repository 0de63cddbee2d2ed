package dingtalk

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// refreshAhead is how long before expiry a token is replaced, as DingTalk's
// documentation suggests, so that no call carries a token about to lapse.
const refreshAhead = 10 * time.Minute

var tokenEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/oauth2/accessToken", idempotent: true}

// tokenSource caches the app's access token. DingTalk's token is valid on
// both API families; fetching it again while valid returns the same token.
type tokenSource struct {
	client            *Client
	appKey, appSecret string

	group   singleflight.Group
	mu      sync.Mutex
	token   string
	expires time.Time
}

// get returns a valid token, fetching one if the cache is empty or close to
// expiry. Concurrent callers share one fetch.
func (ts *tokenSource) get(ctx context.Context) (string, error) {
	ts.mu.Lock()
	tok, exp := ts.token, ts.expires
	ts.mu.Unlock()
	if tok != "" && ts.client.now().Before(exp.Add(-refreshAhead)) {
		return tok, nil
	}
	ch := ts.group.DoChan("token", func() (any, error) {
		// A caller that waited for this flight may find the work done.
		ts.mu.Lock()
		tok, exp := ts.token, ts.expires
		ts.mu.Unlock()
		if tok != "" && ts.client.now().Before(exp.Add(-refreshAhead)) {
			return tok, nil
		}
		// The fetch outlives any one caller's cancellation: others wait on it.
		return ts.fetch(context.WithoutCancel(ctx))
	})
	select {
	case <-ctx.Done():
		return "", ts.client.contextError(tokenEndpoint, ctx, false)
	case r := <-ch:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	}
}

// invalidate drops token if it is still the cached one, so that many calls
// failing with the same stale token cause one refresh, not many.
func (ts *tokenSource) invalidate(token string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.token == token {
		ts.token = ""
	}
}

type tokenResponse struct {
	AccessToken string `json:"accessToken"`
	ExpireIn    int64  `json:"expireIn"`
}

// fetch asks POST /v1.0/oauth2/accessToken for a token. Idempotent.
func (ts *tokenSource) fetch(ctx context.Context) (string, error) {
	cl := ts.client
	ctx, cancel := context.WithTimeout(ctx, cl.callTimeout)
	defer cancel()
	var out tokenResponse
	var last *Error
	for attempt := 0; ; attempt++ {
		resp, err := cl.http.R().SetContext(ctx).
			SetHeader("Content-Type", "application/json; charset=utf-8").
			SetBody(map[string]string{"appKey": ts.appKey, "appSecret": ts.appSecret}).
			Execute(tokenEndpoint.method, cl.apiBase+tokenEndpoint.path)
		if err != nil {
			last = cl.networkError(tokenEndpoint, err, false)
			if ctx.Err() != nil {
				last = cl.contextError(tokenEndpoint, ctx, false)
			}
		} else {
			last = cl.checkAPI(tokenEndpoint, resp, &out)
		}
		if last == nil && out.AccessToken == "" {
			last = &Error{Endpoint: tokenEndpoint.name(), HTTPStatus: resp.StatusCode(), Kind: KindTransient, Message: "DingTalk issued no access token"}
		}
		if last == nil {
			break
		}
		if last.Kind == KindAuth {
			last.Message = "DingTalk rejected the app key or app secret: " + last.Message
			return "", last
		}
		wait, ok := cl.retryDelay(tokenEndpoint, last, attempt)
		if !ok {
			return "", last
		}
		select {
		case <-ctx.Done():
			return "", last
		case <-time.After(wait):
		}
	}
	if out.ExpireIn <= 0 {
		out.ExpireIn = 7200
	}
	cl.secrets.add(out.AccessToken)
	ts.mu.Lock()
	ts.token, ts.expires = out.AccessToken, cl.now().Add(time.Duration(out.ExpireIn)*time.Second)
	ts.mu.Unlock()
	cl.logger.Debug("dingtalk token issued", "expires_in", out.ExpireIn)
	return out.AccessToken, nil
}
