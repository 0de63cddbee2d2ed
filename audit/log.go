package audit

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// Each person's recent writes: at most RecentKeep, for RecentTTL after
// the last one.
const (
	RecentKeep = 100
	RecentTTL  = 24 * time.Hour
)

// Log records write attempts in a sink (if any) and in each person's
// list of recent writes in a store (if any).
type Log struct {
	sink   *Sink
	recent store.Store
	logger *slog.Logger
}

// New returns a log writing to sink and keeping recent writes in recent;
// either may be nil.
func New(sink *Sink, recent store.Store, logger *slog.Logger) *Log {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Log{sink: sink, recent: recent, logger: logger}
}

func recentKey(person string) string { return "audit:recent:" + person }

// Record records e as a write by the person whose stable id is person.
// It never fails: a store that cannot be written is logged.
func (l *Log) Record(ctx context.Context, person string, e *Entry) {
	if l == nil {
		return
	}
	if l.sink != nil {
		l.sink.Write(e)
	}
	if l.recent == nil {
		return
	}
	b, err := json.Marshal(e)
	if err == nil {
		err = l.recent.Push(context.WithoutCancel(ctx), recentKey(person), b, RecentKeep, RecentTTL)
	}
	if err != nil {
		l.logger.Warn("audit: cannot keep the recent write", "tool", e.Tool, "err", err)
	}
}

// Recent returns up to n of person's recent writes, newest first.
func (l *Log) Recent(ctx context.Context, person string, n int) ([]Entry, error) {
	out := []Entry{}
	if l == nil || l.recent == nil {
		return out, nil
	}
	items, err := l.recent.List(ctx, recentKey(person), n)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		var e Entry
		if json.Unmarshal(it, &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// Close closes the sink.
func (l *Log) Close(timeout time.Duration) error {
	if l == nil || l.sink == nil {
		return nil
	}
	return l.sink.Close(timeout)
}
