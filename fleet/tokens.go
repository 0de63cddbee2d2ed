package fleet

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// The app's access token is shared by the fleet: one replica fetches it
// under a lock, every replica reads it, and an invalidation is published
// so that each replica drops its copy at once rather than on its next
// refused call.

const (
	tokenKey     = "token"
	tokenLockKey = "token:lock"
	tokenChannel = "token:invalidated"
	// tokenLockTTL outlives one fetch (its call timeout), so a replica that
	// dies holding the lock delays the others by at most this long.
	tokenLockTTL = 30 * time.Second
)

type sharedToken struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
}

// LoadToken returns the shared token and when it expires, or "" when no
// replica has fetched one yet.
func (f *Fleet) LoadToken(ctx context.Context) (string, time.Time, error) {
	f.trips.Token.Add(1)
	b, err := f.rdb.Get(ctx, f.key(tokenKey)).Bytes()
	if errors.Is(err, redis.Nil) {
		return "", time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, unavailable(err)
	}
	var t sharedToken
	if err := json.Unmarshal(b, &t); err != nil {
		return "", time.Time{}, nil // unreadable: fetch anew
	}
	return t.Token, t.Expires, nil
}

// SaveToken shares a freshly fetched token until it expires.
func (f *Fleet) SaveToken(ctx context.Context, token string, expires time.Time) error {
	f.trips.Token.Add(1)
	b, err := json.Marshal(sharedToken{Token: token, Expires: expires})
	if err != nil {
		return err
	}
	ttl := time.Until(expires)
	if ttl <= 0 {
		return nil
	}
	return unavailable(f.rdb.Set(ctx, f.key(tokenKey), b, ttl).Err())
}

// invalidateScript deletes the shared token only if it is still the one
// the caller saw refused, so that a replica late with its complaint does
// not throw away the token another replica just fetched.
var invalidateScript = redis.NewScript(`
local v = redis.call("GET", KEYS[1])
if v and cjson.decode(v)["token"] == ARGV[1] then
  redis.call("DEL", KEYS[1])
  redis.call("PUBLISH", KEYS[2], "invalidated")
  return 1
end
return 0`)

// InvalidateToken drops token from the fleet if it is still the shared
// one, and tells every replica to drop its copy.
func (f *Fleet) InvalidateToken(ctx context.Context, token string) error {
	f.trips.Token.Add(1)
	return unavailable(invalidateScript.Run(ctx, f.rdb, []string{f.key(tokenKey), f.key(tokenChannel)}, token).Err())
}

// LockToken takes the fleet-wide right to fetch a new token, waiting
// while another replica holds it. The returned function releases it.
func (f *Fleet) LockToken(ctx context.Context) (func(), error) {
	owner := rand.Text() // tells this holder's release from another's
	for {
		f.trips.Token.Add(1)
		ok, err := f.rdb.SetNX(ctx, f.key(tokenLockKey), owner, tokenLockTTL).Result()
		if err != nil {
			return nil, unavailable(err)
		}
		if ok {
			return func() { releaseScript.Run(context.WithoutCancel(ctx), f.rdb, []string{f.key(tokenLockKey)}, owner) }, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// releaseScript deletes the lock only if this replica still owns it.
var releaseScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0`)

// WatchTokens calls forget each time a replica invalidates the shared
// token, until ctx ends, so that every replica drops its copy at once.
// go-redis subscribes again by itself after a lost connection.
func (f *Fleet) WatchTokens(ctx context.Context, forget func()) {
	sub := f.rdb.Subscribe(ctx, f.key(tokenChannel))
	go func() {
		defer sub.Close()
		ch := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-ch:
				if !ok {
					return
				}
				forget()
			}
		}
	}()
}
