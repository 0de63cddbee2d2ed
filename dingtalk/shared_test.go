package dingtalk_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// memoryTokens is a TokenCache in memory, shared by the clients of one
// test as a fleet's Redis is shared by its replicas.
type memoryTokens struct {
	mu      sync.Mutex
	token   string
	expires time.Time
	lock    sync.Mutex
	err     error // when set, every operation fails with it
	forget  []*dingtalk.Client
}

func (m *memoryTokens) LoadToken(context.Context) (string, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.token, m.expires, m.err
}

func (m *memoryTokens) SaveToken(_ context.Context, token string, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.token, m.expires = token, expires
	return m.err
}

func (m *memoryTokens) InvalidateToken(_ context.Context, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.token == token {
		m.token = ""
		for _, c := range m.forget {
			c.ForgetToken()
		}
	}
	return m.err
}

func (m *memoryTokens) LockToken(context.Context) (func(), error) {
	if err := m.failure(); err != nil {
		return nil, err
	}
	m.lock.Lock()
	return m.lock.Unlock, nil
}

func (m *memoryTokens) failure() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// fleetOf returns n clients of one app sharing tokens through one
// memoryTokens, against one sandbox.
func fleetOf(t *testing.T, n int, opts ...dingtalk.Option) ([]*dingtalk.Client, *memoryTokens, *sandbox.Server) {
	t.Helper()
	sb := sandbox.New(sandbox.WithQPS(0))
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	shared := &memoryTokens{}
	clients := make([]*dingtalk.Client, n)
	for i := range clients {
		clients[i] = dingtalk.New(sandbox.AppKey, sandbox.AppSecret, append([]dingtalk.Option{
			dingtalk.WithBaseURLs(ts.URL, ts.URL), dingtalk.WithRetry(3, time.Millisecond),
			dingtalk.WithCallTimeout(500 * time.Millisecond), dingtalk.WithRateLimit(0),
			dingtalk.WithTokenCache(shared),
		}, opts...)...)
	}
	shared.forget = clients
	return clients, shared, sb
}

func TestFleetFetchesOneToken(t *testing.T) {
	t.Parallel()
	clients, _, sb := fleetOf(t, 3)
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			if _, err := clients[i%3].Users.Get(context.Background(), sandbox.SeedManagerID, ""); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := sb.TokensIssued(); got != 1 {
		t.Fatalf("three replicas fetched %d tokens, want 1 for the fleet", got)
	}

	// DingTalk stops accepting the token: the first replica to be refused
	// fetches a new one, and every replica uses it.
	sb.RevokeTokens()
	for i := range 6 {
		if _, err := clients[i%3].Users.Get(context.Background(), sandbox.SeedManagerID, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := sb.TokensIssued(); got != 2 {
		t.Fatalf("after one revocation the fleet fetched %d tokens in all, want 2", got)
	}
	refused := 0
	for _, r := range sb.Calls(userGetAPI) {
		if r.Errcode != "" {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("%d calls were refused for the stale token, want 1: the others heard of the invalidation", refused)
	}
}

// failingLimiter is a shared limiter whose backing store is gone.
type failingLimiter struct{}

func (failingLimiter) Wait(context.Context, string) error {
	return errors.New("dial tcp 127.0.0.1:6379: connection refused")
}

func TestSharedStateUnavailable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(shared *memoryTokens) []dingtalk.Option
	}{
		{"limiter", func(*memoryTokens) []dingtalk.Option {
			return []dingtalk.Option{dingtalk.WithLimiter(failingLimiter{})}
		}},
		{"token cache", func(shared *memoryTokens) []dingtalk.Option {
			shared.err = errors.New("dial tcp 127.0.0.1:6379: connection refused")
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sb := sandbox.New(sandbox.WithQPS(0))
			ts := httptest.NewServer(sb)
			defer ts.Close()
			shared := &memoryTokens{}
			opts := append([]dingtalk.Option{dingtalk.WithBaseURLs(ts.URL, ts.URL), dingtalk.WithRetry(3, time.Millisecond),
				dingtalk.WithTokenCache(shared)}, tc.setup(shared)...)
			c := dingtalk.New(sandbox.AppKey, sandbox.AppSecret, opts...)
			_, err := c.Messages.Send(context.Background(), dingtalk.WorkNotice{AgentID: sandbox.AgentID, UserIDs: []string{"zhangwei"}, Msg: dingtalk.Msg{MsgType: "text", Text: &dingtalk.TextMsg{Content: "x"}}})
			e := asError(t, err)
			if e.Kind != dingtalk.KindUnavailable || !e.Retryable() || e.MaybeSent {
				t.Errorf("error = %+v; want KindUnavailable, retryable, not sent", e)
			}
			if n := len(sb.Calls(noticeSendAPI)); n != 0 {
				t.Errorf("the notice reached DingTalk %d times without the shared state", n)
			}
		})
	}
}
