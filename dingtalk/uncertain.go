package dingtalk

import (
	"context"
	"sync"
)

// An UncertainWrite is a request that could change something at DingTalk,
// was sent, and got no definite answer: it may or may not have taken
// effect, and it is not sent again.
type UncertainWrite struct {
	Endpoint  string // e.g. "POST /topapi/message/corpconversation/asyncsend_v2"
	RequestID string // DingTalk's request id, when an answer carried one
}

// UncertainWrites collects the uncertain writes of every call made with a
// context from WithUncertainWrites. It is safe for concurrent use.
type UncertainWrites struct {
	mu     sync.Mutex
	writes []UncertainWrite
}

type uncertainKey struct{}

// WithUncertainWrites returns a context whose DingTalk calls record their
// uncertain writes in the returned collector, so that the caller can tell
// which of its writes a cancellation left in doubt.
func WithUncertainWrites(ctx context.Context) (context.Context, *UncertainWrites) {
	u := &UncertainWrites{}
	return context.WithValue(ctx, uncertainKey{}, u), u
}

// List returns the uncertain writes recorded so far.
func (u *UncertainWrites) List() []UncertainWrite {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]UncertainWrite(nil), u.writes...)
}

// recordUncertain notes e in ctx's collector, if it has one, when e left a
// non-idempotent request in doubt.
func recordUncertain(ctx context.Context, ep *endpoint, e *Error) {
	if ep.idempotent || !e.MaybeSent {
		return
	}
	u, ok := ctx.Value(uncertainKey{}).(*UncertainWrites)
	if !ok {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.writes = append(u.writes, UncertainWrite{Endpoint: ep.name(), RequestID: e.RequestID})
}
