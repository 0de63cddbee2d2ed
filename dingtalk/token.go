package dingtalk

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// refreshAhead is how long before expiry a token is replaced, as DingTalk's
// documentation suggests, so that no call carries a token about to lapse.
const refreshAhead = 10 * time.Minute

var tokenEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/oauth2/accessToken", idempotent: true, anonymous: true}

// tokenSource caches the app's access token. DingTalk's token is valid on
// both API families; fetching it again while valid returns the same token.
type tokenSource struct {
	client            *Client
	appKey, appSecret string

	shared TokenCache // nil outside a fleet

	group   singleflight.Group
	mu      sync.Mutex
	token   string
	expires time.Time
}

// get returns a valid token, fetching one if the cache is empty or close to
// expiry. Concurrent callers share one fetch.
func (ts *tokenSource) get(ctx context.Context) (string, error) {
	if tok := ts.cached(); tok != "" {
		return tok, nil
	}
	ch := ts.group.DoChan("token", func() (any, error) {
		// A caller that waited for this flight may find the work done.
		if tok := ts.cached(); tok != "" {
			return tok, nil
		}
		// The fetch outlives any one caller's cancellation: others wait on it.
		return ts.refresh(context.WithoutCancel(ctx))
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

// cached returns the cached token while it is not close to expiry.
func (ts *tokenSource) cached() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.token != "" && ts.client.now().Before(ts.expires.Add(-refreshAhead)) {
		return ts.token
	}
	return ""
}

func (ts *tokenSource) keep(token string, expires time.Time) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.token, ts.expires = token, expires
}

// refresh replaces the cached token. Alone, it fetches one from DingTalk.
// In a fleet it takes the shared token if one is valid, and otherwise
// fetches under the fleet's lock, looking again once it holds the lock,
// so that one replica fetches for all.
func (ts *tokenSource) refresh(ctx context.Context) (string, error) {
	if ts.shared == nil {
		return ts.fetch(ctx)
	}
	if tok := ts.loadShared(ctx); tok != "" {
		return tok, nil
	}
	unlock, err := ts.shared.LockToken(ctx)
	if err != nil {
		return "", ts.client.sharedStateError(tokenEndpoint, err)
	}
	defer unlock()
	if tok := ts.loadShared(ctx); tok != "" {
		return tok, nil
	}
	tok, err := ts.fetch(ctx)
	if err != nil {
		return "", err
	}
	ts.mu.Lock()
	expires := ts.expires
	ts.mu.Unlock()
	if err := ts.shared.SaveToken(ctx, tok, expires); err != nil {
		// The token is good; the other replicas fetch their own.
		ts.client.logger.Warn("dingtalk token not shared with the fleet", "error", err)
	}
	return tok, nil
}

// loadShared adopts the fleet's token if it is valid for a while yet.
func (ts *tokenSource) loadShared(ctx context.Context) string {
	tok, expires, err := ts.shared.LoadToken(ctx)
	if err != nil || tok == "" || !ts.client.now().Before(expires.Add(-refreshAhead)) {
		return ""
	}
	ts.client.secrets.add(tok)
	ts.keep(tok, expires)
	return tok
}

// invalidate drops token if it is still the cached one, so that many calls
// failing with the same stale token cause one refresh, not many; in a fleet
// it drops it for every replica.
func (ts *tokenSource) invalidate(ctx context.Context, token string) {
	ts.mu.Lock()
	if ts.token == token {
		ts.token = ""
	}
	ts.mu.Unlock()
	if ts.shared != nil {
		if err := ts.shared.InvalidateToken(context.WithoutCancel(ctx), token); err != nil {
			ts.client.logger.Warn("dingtalk token invalidation not shared with the fleet", "error", err)
		}
	}
}

type tokenResponse struct {
	AccessToken string `json:"accessToken"`
	ExpireIn    int64  `json:"expireIn"`
}

func (r *tokenResponse) missing() Phrase {
	if r.AccessToken == "" {
		return phrasef("DingTalk issued no access token")
	}
	return Phrase{}
}

// fetch asks DingTalk for a token, through the same limiter and retry
// policy as every other call.
//
// DingTalk: POST /v1.0/oauth2/accessToken. Idempotent.
func (ts *tokenSource) fetch(ctx context.Context) (string, error) {
	cl := ts.client
	ctx, cancel := context.WithTimeout(ctx, cl.callTimeout)
	defer cancel()
	var out tokenResponse
	c := &call{ep: tokenEndpoint, body: map[string]string{"appKey": ts.appKey, "appSecret": ts.appSecret}}
	if err := cl.do(ctx, c, &out); err != nil {
		var e *Error
		if errors.As(err, &e) {
			// The call that needed the token was never sent, whatever
			// became of the token request.
			e.MaybeSent, e.written = false, false
			if e.Kind == KindAuth {
				e.describe(phrasef("DingTalk rejected the app key or app secret: %s", e.Message))
			}
		}
		return "", err
	}
	if out.ExpireIn <= 0 {
		out.ExpireIn = 7200
	}
	cl.secrets.add(out.AccessToken)
	ts.keep(out.AccessToken, cl.now().Add(time.Duration(out.ExpireIn)*time.Second))
	cl.logger.Debug("dingtalk token issued", "expires_in", out.ExpireIn)
	return out.AccessToken, nil
}
