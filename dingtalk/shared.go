package dingtalk

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// A Limiter spaces the calls to each DingTalk API. Without WithLimiter the
// client keeps each API under DefaultRateLimit within this process; the
// replicas of a fleet share one Limiter, so that together they stay under
// DingTalk's limits.
type Limiter interface {
	// Wait blocks until one call to the API named api may be sent. An
	// error other than ctx's means the limiter itself is unavailable.
	Wait(ctx context.Context, api string) error
}

// A TokenCache shares the app's access token among the replicas of a
// fleet, so that one of them fetches it for all.
type TokenCache interface {
	// LoadToken returns the shared token and its expiry, or "" if none.
	LoadToken(ctx context.Context) (string, time.Time, error)
	// SaveToken shares a token just fetched from DingTalk.
	SaveToken(ctx context.Context, token string, expires time.Time) error
	// InvalidateToken drops token from the fleet if it is still the
	// shared one.
	InvalidateToken(ctx context.Context, token string) error
	// LockToken takes the fleet-wide right to fetch a token.
	LockToken(ctx context.Context) (unlock func(), err error)
}

// WithLimiter replaces the client's per-process rate limiter, e.g. with
// one that a fleet shares.
func WithLimiter(l Limiter) Option { return func(c *Client) { c.limit = l } }

// WithTokenCache shares the access token through tc.
func WithTokenCache(tc TokenCache) Option { return func(c *Client) { c.sharedTokens = tc } }

// ForgetToken drops this client's copy of the access token, so that its
// next call loads the shared one; a fleet calls it when another replica
// found the token refused.
func (c *Client) ForgetToken() {
	ts := c.tokens
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.token = ""
}

// localLimiter keeps each API to one rate within this process.
type localLimiter struct {
	perSecond float64
	mu        sync.Mutex
	limiters  map[string]*rate.Limiter
}

func newLocalLimiter(perSecond float64) *localLimiter {
	return &localLimiter{perSecond: perSecond, limiters: map[string]*rate.Limiter{}}
}

func (l *localLimiter) Wait(ctx context.Context, api string) error {
	l.mu.Lock()
	lim, ok := l.limiters[api]
	if !ok {
		// A burst of one spaces calls evenly, so no one-second window at
		// DingTalk ever sees more than the limit.
		lim = rate.NewLimiter(rate.Limit(l.perSecond), 1)
		l.limiters[api] = lim
	}
	l.mu.Unlock()
	return lim.Wait(ctx)
}

// sharedStateError reports that the limiter or the token cache that the
// replicas share could not be reached. Nothing was sent to DingTalk, and
// the same call succeeds once the shared state is back.
func (cl *Client) sharedStateError(ep *endpoint, err error) *Error {
	return (&Error{Endpoint: ep.name(), Kind: KindUnavailable, err: err}).
		describe(phrasef("the server's shared state is unavailable: %s", cl.secrets.redact(err.Error())))
}
