package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/fleet/redistest"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/store/storetest"
)

func TestStoreOnMiniredis(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) (store.Store, func(time.Duration)) {
		mr := miniredis.RunT(t)
		f := newFleet(redis.NewClient(&redis.Options{Addr: mr.Addr()}), "app", DefaultLimits)
		t.Cleanup(func() { f.Close() })
		return f.Store(), mr.FastForward
	})
}

func TestStoreOnRedis(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	storetest.Run(t, func(t *testing.T) (store.Store, func(time.Duration)) {
		// Each subtest gets a namespace of its own on the one server.
		return open(t, r, t.Name(), DefaultLimits).Store(), time.Sleep
	})
}

func TestNamespacesAreApart(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	a := newFleet(redis.NewClient(&redis.Options{Addr: mr.Addr()}), "app-a", DefaultLimits).Store()
	b := newFleet(redis.NewClient(&redis.Options{Addr: mr.Addr()}), "app-b", DefaultLimits).Store()
	ctx := context.Background()
	if err := a.Set(ctx, "k", []byte("a"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another app's namespace sees the key: %v", err)
	}
	for _, k := range mr.Keys() {
		if strings.Contains(k, "app-a") {
			t.Fatalf("the namespace is stored in clear in key %q: keys carry its digest", k)
		}
	}
}

func TestOpenRefusesBadConfiguration(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	mr.RequireAuth("s3cret-pw")
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	for _, tc := range []struct {
		name, url, want string
	}{
		{"not a Redis URL", "http://example.com", "is not a Redis URL"},
		{"malformed", "redis://:s3cret-pw@[::1", "is not a Redis URL"},
		{"unreachable", "redis://" + closedAddr, "cannot reach Redis"},
		{"wrong password", "redis://:wrong-s3cret@" + mr.Addr(), "refused the password"},
		{"too old", "redis://" + fakeOldRedis(t), "Redis 5.0.14 is not supported: the fleet needs Redis 6.2 or newer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := Open(context.Background(), tc.url, "app", DefaultLimits)
			if err == nil {
				f.Close()
				t.Fatalf("Open(%s) succeeded", tc.url)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "--redis-url") || !strings.Contains(msg, tc.want) {
				t.Errorf("error = %q; want it to start with --redis-url and say %q", msg, tc.want)
			}
			if strings.Contains(msg, "s3cret") || strings.Contains(msg, "wrong-s3cret") {
				t.Errorf("error prints the password: %q", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
		})
	}
}

func TestOpenRealRedisWithPassword(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t, "--requirepass", "fleet-pw")
	f, err := Open(context.Background(), "redis://:fleet-pw@"+r.Addr()+"/2", "app", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Open(context.Background(), "redis://:nope@"+r.Addr(), "app", DefaultLimits); err == nil || !strings.Contains(err.Error(), "refused the password") {
		t.Fatalf("a wrong password: %v", err)
	}
}

// TestWaitSharesOneBudget has three replicas send 54 calls to one API as
// fast as the fleet lets them: however the calls fall, no one-second
// window holds more than DingTalk's 20, and the budget is one for all
// (54 calls at 18/s take about three seconds, not one).
func TestWaitSharesOneBudget(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	limits := Limits{PerAPI: 18, Total: 450}
	replicas := []*Fleet{open(t, r, "app", limits), open(t, r, "app", limits), open(t, r, "app", limits)}
	start := time.Now()
	times := waitAll(t, replicas, 54, func(int) string { return "GET /v1.0/contact/users/me" })
	if most := busiestSecond(times); most > 20 {
		t.Errorf("a one-second window held %d calls, more than DingTalk's 20", most)
	}
	if took := time.Since(start); took < 2500*time.Millisecond {
		t.Errorf("54 calls at 18/s for the fleet took %s: the replicas did not share one budget", took)
	}
	// Another API has a budget of its own.
	other := time.Now()
	if err := replicas[0].Wait(context.Background(), "POST /topapi/v2/user/get"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(other); d > 200*time.Millisecond {
		t.Errorf("a call to another API waited %s", d)
	}
}

// TestWaitKeepsTheFleetsTotal: calls to many APIs, each well under its
// own rate, are held to the fleet's total; each API keeps its own rate
// under a generous total; and a call that need not wait costs one round
// trip to Redis for both budgets.
func TestWaitKeepsTheFleetsTotal(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	limits := Limits{PerAPI: 50, Total: 10}
	replicas := []*Fleet{open(t, r, "app", limits), open(t, r, "app", limits), open(t, r, "app", limits)}
	start := time.Now()
	times := waitAll(t, replicas, 25, func(i int) string { return fmt.Sprintf("GET /v1.0/api%d", i%5) })
	// 10 a second, spaced 100 ms apart at Redis; the answers' latency can
	// bring two of them closer here.
	if most := busiestSecond(times); most > 12 {
		t.Errorf("a one-second window held %d calls, more than the fleet's total of 10 a second allows", most)
	}
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("25 calls at 10/s for the fleet took %s: the total was not kept", took)
	}

	fresh := open(t, r, "other", Limits{PerAPI: 1, Total: 100})
	before := fresh.RoundTrips().Rate.Load()
	if err := fresh.Wait(context.Background(), "POST /topapi/v2/user/get"); err != nil {
		t.Fatal(err)
	}
	if n := fresh.RoundTrips().Rate.Load() - before; n != 1 {
		t.Errorf("a call that need not wait took %d round trips to Redis, want 1", n)
	}
	// The API's own budget (1/s) holds the next call, whatever the total.
	held := time.Now()
	if err := fresh.Wait(context.Background(), "POST /topapi/v2/user/get"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(held); d < 900*time.Millisecond {
		t.Errorf("the second call to an API at 1/s waited %s", d)
	}
}

// waitAll makes n calls at once, the ith to api(i) through replica i%len,
// and returns when each was let through; it fails t unless all were.
func waitAll(t *testing.T, replicas []*Fleet, n int, api func(i int) string) []time.Time {
	t.Helper()
	var mu sync.Mutex
	var times []time.Time
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := replicas[i%len(replicas)].Wait(context.Background(), api(i)); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(times) != n {
		t.Fatalf("%d of %d calls were let through", len(times), n)
	}
	return times
}

func busiestSecond(times []time.Time) int {
	most := 0
	for i, a := range times {
		n := 0
		for _, b := range times[i:] {
			if !b.Before(a) && b.Sub(a) < time.Second {
				n++
			}
		}
		for _, b := range times[:i] {
			if !b.Before(a) && b.Sub(a) < time.Second {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// TestRedisLostAndBack: while Redis is gone every operation fails fast
// with ErrUnavailable; once it is back, service resumes by itself.
func TestRedisLostAndBack(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	f := open(t, r, "app", DefaultLimits)
	ctx := context.Background()
	r.Stop()
	checks := map[string]error{}
	checks["Wait"] = f.Wait(ctx, "api")
	_, checks["Get"] = f.Store().Get(ctx, "k")
	checks["Set"] = f.Store().Set(ctx, "k", []byte("v"), time.Minute)
	_, checks["SetNX"] = f.Store().SetNX(ctx, "k", []byte("v"), time.Minute)
	_, _, checks["LoadToken"] = f.LoadToken(ctx)
	for op, err := range checks {
		if !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("%s with Redis down = %v, want ErrUnavailable", op, err)
		}
	}
	if err := r.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := f.Wait(ctx, "api")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("service did not resume after Redis came back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := f.Store().Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatalf("Set after Redis came back: %v", err)
	}
}

func TestSharedToken(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	a, b := open(t, r, "app", DefaultLimits), open(t, r, "app", DefaultLimits)
	ctx := context.Background()
	if tok, _, err := a.LoadToken(ctx); err != nil || tok != "" {
		t.Fatalf("LoadToken on an empty fleet = %q, %v", tok, err)
	}
	exp := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	if err := a.SaveToken(ctx, "tok-1", exp); err != nil {
		t.Fatal(err)
	}
	tok, gotExp, err := b.LoadToken(ctx)
	if err != nil || tok != "tok-1" || !gotExp.Equal(exp) {
		t.Fatalf("another replica loads %q, %v, %v; want tok-1 expiring %v", tok, gotExp, err, exp)
	}

	drops := make(chan struct{}, 4)
	watchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.WatchTokens(watchCtx, func() { drops <- struct{}{} })
	time.Sleep(100 * time.Millisecond) // the subscription is in place

	// A stale complaint about an older token leaves the current one.
	if err := a.InvalidateToken(ctx, "tok-0"); err != nil {
		t.Fatal(err)
	}
	if tok, _, _ := b.LoadToken(ctx); tok != "tok-1" {
		t.Fatalf("invalidating an older token removed the current one (now %q)", tok)
	}
	if err := a.InvalidateToken(ctx, "tok-1"); err != nil {
		t.Fatal(err)
	}
	if tok, _, _ := b.LoadToken(ctx); tok != "" {
		t.Fatalf("the invalidated token is still shared: %q", tok)
	}
	select {
	case <-drops:
	case <-time.After(3 * time.Second):
		t.Fatal("the other replica was not told of the invalidation")
	}
	select {
	case <-drops:
		t.Fatal("a second notice for one invalidation (or one for the stale complaint)")
	case <-time.After(100 * time.Millisecond):
	}
}

func TestTokenLockIsExclusive(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	replicas := []*Fleet{open(t, r, "app", DefaultLimits), open(t, r, "app", DefaultLimits), open(t, r, "app", DefaultLimits)}
	var mu sync.Mutex
	holders, most := 0, 0
	var wg sync.WaitGroup
	for i := range 9 {
		wg.Go(func() {
			unlock, err := replicas[i%3].LockToken(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			holders++
			most = max(most, holders)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			mu.Lock()
			holders--
			mu.Unlock()
			unlock()
		})
	}
	wg.Wait()
	if most != 1 {
		t.Fatalf("%d replicas held the token lock at once, want 1", most)
	}
}

func TestMain(m *testing.M) {
	SetLogger(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}

// The fleet is what the DingTalk client shares.
var (
	_ dingtalk.Limiter    = (*Fleet)(nil)
	_ dingtalk.TokenCache = (*Fleet)(nil)
)
