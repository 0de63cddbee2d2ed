// Package fleet lets several replicas of the server act as one towards
// DingTalk and towards agents, through one Redis: they share the app's
// access token, one rate budget per DingTalk API and one under DingTalk's
// per-IP limit, and the store behind sign-in, the idempotency ledger and
// the audit resource.
//
// When Redis cannot be reached while serving, calls fail fast with an
// error that says the shared state is unavailable; nothing falls back to
// a replica-local budget, because a replica cannot know how many others
// are still sending, and a local ledger could let a write through twice.
// Service resumes by itself once Redis answers again.
package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// MinRedisVersion is the oldest Redis the fleet runs on: GETDEL, which
// makes a sign-in code single-use in one step, came in Redis 6.2.
const MinRedisVersion = "6.2"

// Fleet is the shared state of the replicas that use one Redis.
type Fleet struct {
	trips  RoundTrips
	rdb    *redis.Client
	prefix string
	limits Limits
}

// Limits are the rates the fleet keeps to, all replicas together.
type Limits struct {
	// PerAPI is the request rate for each DingTalk API (DingTalk allows 20
	// per second per app and API).
	PerAPI int
	// Total caps all calls of the fleet (DingTalk bans an egress IP for
	// five minutes past 10,000 calls in 20 seconds, i.e. 500 per second).
	Total int
}

// DefaultLimits keep 10% under DingTalk's limits, as a single server does.
var DefaultLimits = Limits{PerAPI: 18, Total: 450}

// Open connects to the Redis that rawURL names (redis:// or rediss:// for
// TLS; a password and database number travel in the URL), checks that it
// answers, accepts the password and is recent enough. namespace keeps
// the keys of one DingTalk app apart from another's on a shared Redis.
// Errors name the --redis-url flag and never print the password.
func Open(ctx context.Context, rawURL, namespace string, limits Limits) (*Fleet, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("--redis-url: %s is not a Redis URL (redis://[:password@]host:port[/db], or rediss:// for TLS): %v", redactURL(rawURL), redactURL(err.Error()))
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = 2*time.Second, 2*time.Second, 2*time.Second
	opts.MaxRetries = 1
	f := newFleet(redis.NewClient(opts), namespace, limits)
	if err := f.check(ctx); err != nil {
		f.Close()
		return nil, fmt.Errorf("--redis-url %s: %w", redactURL(rawURL), err)
	}
	return f, nil
}

func newFleet(rdb *redis.Client, namespace string, limits Limits) *Fleet {
	return &Fleet{rdb: rdb, prefix: "dingtalk-mcp:" + digest(namespace)[:12] + ":", limits: limits}
}

func (f *Fleet) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	info, err := f.rdb.Info(ctx, "server").Result()
	if err != nil {
		msg := err.Error()
		switch {
		case strings.Contains(msg, "WRONGPASS"), strings.Contains(msg, "NOAUTH"), strings.Contains(msg, "invalid password"):
			//lint:ignore ST1005 the message starts with the proper noun Redis
			return fmt.Errorf("Redis refused the password in the URL: %v", err)
		default:
			return fmt.Errorf("cannot reach Redis: %v", err)
		}
	}
	v := infoField(info, "redis_version")
	if !atLeast(v, MinRedisVersion) {
		//lint:ignore ST1005 the message starts with the proper noun Redis
		return fmt.Errorf("Redis %s is not supported: the fleet needs Redis %s or newer", v, MinRedisVersion)
	}
	return nil
}

// Close closes the connections to Redis.
func (f *Fleet) Close() error { return f.rdb.Close() }

func (f *Fleet) key(k string) string { return f.prefix + k }

// unavailable wraps a Redis failure as ErrUnavailable, keeping its text.
func unavailable(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w (Redis): %v", store.ErrUnavailable, err)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func infoField(info, name string) string {
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return v
		}
	}
	return ""
}

// atLeast compares dotted versions numerically ("7.0.15" >= "6.2").
func atLeast(have, want string) bool {
	h, w := strings.Split(have, "."), strings.Split(want, ".")
	for i := range w {
		if i >= len(h) {
			return false
		}
		a, errA := strconv.Atoi(h[i])
		b, _ := strconv.Atoi(w[i])
		if errA != nil {
			return false
		}
		if a != b {
			return a > b
		}
	}
	return true
}

// userinfo is the user and password part of a URL, which may appear in
// go-redis's parse errors too.
var userinfo = regexp.MustCompile(`://[^@/]*@`)

// redactURL hides the user and password of a Redis URL, in the URL or in
// any text that quotes it.
func redactURL(s string) string { return userinfo.ReplaceAllString(s, "://***@") }

// SetLogger routes go-redis's own messages (reconnect attempts) to
// logger at debug level, so nothing of it reaches stdout or bypasses the
// server's log settings.
func SetLogger(logger *slog.Logger) { redis.SetLogger(redisLogger{logger}) }

type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.DebugContext(ctx, "redis: "+redactURL(fmt.Sprintf(format, v...)))
}

// RoundTrips counts the fleet's requests to Redis by what they were for.
type RoundTrips struct {
	Rate, Token, Store atomic.Int64
}

// RoundTrips returns the fleet's counts of requests to Redis so far.
func (f *Fleet) RoundTrips() *RoundTrips { return &f.trips }
