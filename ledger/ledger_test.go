package ledger_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/store/storetest"
)

func newLedger(t *testing.T, opts ...ledger.Option) (*ledger.Ledger, *storetest.Clock) {
	t.Helper()
	c := storetest.NewClock(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	st := store.NewMemory(store.WithClock(c.Now))
	return ledger.New(st, append([]ledger.Option{ledger.WithClock(c.Now), ledger.WithWait(50 * time.Millisecond)}, opts...)...), c
}

func digest(t *testing.T, tool string, args any) string {
	t.Helper()
	d, err := ledger.Digest(tool, args)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func begin(t *testing.T, l *ledger.Ledger, c ledger.Call) (ledger.Verdict, *ledger.Record) {
	t.Helper()
	v, rec, err := l.Begin(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return v, rec
}

func TestDigestNormalises(t *testing.T) {
	t.Parallel()
	type in struct {
		UserIds []string
		Content string
	}
	a := digest(t, "send_work_notice", in{UserIds: []string{"u1", "u2"}, Content: "hi"})
	for _, tc := range []struct {
		name string
		tool string
		args any
		same bool
	}{
		{"equal arguments", "send_work_notice", in{UserIds: []string{"u1", "u2"}, Content: "hi"}, true},
		{"map with the same fields", "send_work_notice", map[string]any{"UserIds": []string{"u1", "u2"}, "Content": "hi"}, false},
		{"another recipient order", "send_work_notice", in{UserIds: []string{"u2", "u1"}, Content: "hi"}, false},
		{"another content", "send_work_notice", in{UserIds: []string{"u1", "u2"}, Content: "hi!"}, false},
		{"another tool", "create_chat", in{UserIds: []string{"u1", "u2"}, Content: "hi"}, false},
	} {
		if got := digest(t, tc.tool, tc.args) == a; got != tc.same {
			t.Errorf("%s: equal digest = %v, want %v", tc.name, got, tc.same)
		}
	}
}

func TestKeyReplaysAndRefusesOtherArguments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, clock := newLedger(t)
	call := ledger.Call{Person: "app", Tool: "append_rows", Key: "k1", Digest: "d1"}
	v, rec := begin(t, l, call)
	if v != ledger.Proceed || rec.State != ledger.Pending {
		t.Fatalf("first Begin = %v, %+v; want Proceed with a pending record", v, rec)
	}
	started := rec.At
	clock.Advance(3 * time.Second)
	if err := l.Finish(ctx, call, started, ledger.Done, json.RawMessage(`{"Summary":"ok"}`)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour) // past the window, within the key's life
	v, rec = begin(t, l, call)
	want := &ledger.Record{State: ledger.Done, Tool: "append_rows", Digest: "d1", At: started, Result: json.RawMessage(`{"Summary":"ok"}`)}
	if v != ledger.Replay {
		t.Fatalf("repeat Begin = %v, want Replay", v)
	}
	if diff := cmp.Diff(want, rec, cmpopts.IgnoreUnexported(ledger.Record{})); diff != "" {
		t.Fatalf("replayed record (-want +got):\n%s", diff)
	}
	for _, other := range []ledger.Call{
		{Person: "app", Tool: "append_rows", Key: "k1", Digest: "d2"},
		{Person: "app", Tool: "delete_rows", Key: "k1", Digest: "d1"},
	} {
		if v, _ := begin(t, l, other); v != ledger.Mismatch {
			t.Errorf("Begin(%+v) = %v, want Mismatch", other, v)
		}
	}
	// Another person's key is another key.
	if v, _ := begin(t, l, ledger.Call{Person: "u2", Tool: "append_rows", Key: "k1", Digest: "d2"}); v != ledger.Proceed {
		t.Errorf("another person's Begin with the same key = %v, want Proceed", v)
	}
	clock.Advance(ledger.DefaultKeyTTL)
	if v, _ := begin(t, l, call); v != ledger.Proceed {
		t.Errorf("Begin after the key's life = %v, want Proceed", v)
	}
}

func TestWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, clock := newLedger(t)
	call := ledger.Call{Person: "app", Tool: "send_work_notice", Digest: "d1"}
	v, rec := begin(t, l, call)
	if v != ledger.Proceed {
		t.Fatalf("first Begin = %v", v)
	}
	if err := l.Finish(ctx, call, rec.At, ledger.Done, json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(ledger.DefaultWindow - time.Second)
	if v, _ := begin(t, l, call); v != ledger.Duplicate {
		t.Fatalf("Begin inside the window = %v, want Duplicate", v)
	}
	for _, other := range []ledger.Call{
		{Person: "someone else", Tool: "send_work_notice", Digest: "d1"},
		{Person: "app", Tool: "send_work_notice", Digest: "d2"},
		{Person: "app", Tool: "send_work_notice", Key: "deliberate", Digest: "d1"},
	} {
		if v, _ := begin(t, l, other); v != ledger.Proceed {
			t.Errorf("Begin(%+v) inside the window = %v, want Proceed", other, v)
		}
	}
	clock.Advance(2 * time.Second)
	if v, _ := begin(t, l, call); v != ledger.Proceed {
		t.Fatalf("Begin after the window = %v, want Proceed", v)
	}
}

// TestKeyedCallHoldsTheWindow: while a call with a key is in flight, the
// same call without one waits for it; afterwards it is a duplicate.
func TestKeyedCallHoldsTheWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, _ := newLedger(t)
	keyed := ledger.Call{Person: "app", Tool: "create_doc", Key: "k", Digest: "d"}
	_, rec := begin(t, l, keyed)
	if v, _ := begin(t, l, ledger.Call{Person: "app", Tool: "create_doc", Digest: "d"}); v != ledger.InProgress {
		t.Fatalf("Begin without a key while the keyed call is in flight = %v, want InProgress", v)
	}
	if err := l.Finish(ctx, keyed, rec.At, ledger.Done, json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	if v, _ := begin(t, l, ledger.Call{Person: "app", Tool: "create_doc", Digest: "d"}); v != ledger.Duplicate {
		t.Fatalf("Begin without a key after the keyed call = %v, want Duplicate", v)
	}
}

func TestWindowOff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, _ := newLedger(t, ledger.WithWindow(0))
	call := ledger.Call{Person: "app", Tool: "send_work_notice", Digest: "d1"}
	for range 2 {
		v, rec := begin(t, l, call)
		if v != ledger.Proceed {
			t.Fatalf("Begin with the window off = %v, want Proceed", v)
		}
		if err := l.Finish(ctx, call, rec.At, ledger.Done, nil); err != nil {
			t.Fatal(err)
		}
	}
	keyed := ledger.Call{Person: "app", Tool: "send_work_notice", Key: "k", Digest: "d1"}
	_, rec := begin(t, l, keyed)
	if err := l.Finish(ctx, keyed, rec.At, ledger.Done, nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := begin(t, l, keyed); v != ledger.Replay {
		t.Fatalf("keyed repeat with the window off = %v, want Replay", v)
	}
}

func TestReleaseLetsTheCallBeMadeAgain(t *testing.T) {
	t.Parallel()
	l, _ := newLedger(t)
	for _, call := range []ledger.Call{
		{Person: "app", Tool: "create_chat", Digest: "d"},
		{Person: "app", Tool: "create_chat", Key: "k", Digest: "d"},
	} {
		v, rec := begin(t, l, call)
		if v != ledger.Proceed {
			t.Fatalf("Begin = %v", v)
		}
		if err := l.Release(context.Background(), call, rec); err != nil {
			t.Fatal(err)
		}
		if v, _ := begin(t, l, call); v != ledger.Proceed {
			t.Fatalf("Begin after Release = %v, want Proceed", v)
		}
		if v, _ := begin(t, l, ledger.Call{Person: "app", Tool: "create_chat", Digest: "d"}); v != ledger.InProgress {
			t.Fatalf("Begin without a key while the call is in flight again = %v, want InProgress", v)
		}
	}
}

func TestPendingCall(t *testing.T) {
	t.Parallel()
	l, clock := newLedger(t)
	call := ledger.Call{Person: "app", Tool: "create_user", Key: "k", Digest: "d"}
	begin(t, l, call)
	v, rec := begin(t, l, call)
	if v != ledger.InProgress || rec.State != ledger.Pending {
		t.Fatalf("Begin while the first is in flight = %v, %+v; want InProgress", v, rec)
	}
	// A call pending for longer than any call can last never recorded
	// its outcome: it counts as uncertain, never as absent.
	clock.Advance(ledger.DefaultStale + time.Second)
	v, rec = begin(t, l, call)
	if v != ledger.Replay || rec.State != ledger.Uncertain {
		t.Fatalf("Begin after a stale reservation = %v, %+v; want Replay of an uncertain call", v, rec)
	}
}

// TestConcurrentIdenticalCalls: of 50 identical calls at once, one
// proceeds and every other gets its recorded result.
func TestConcurrentIdenticalCalls(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"", "k"} {
		l := ledger.New(store.NewMemory(), ledger.WithWait(5*time.Second))
		call := ledger.Call{Person: "app", Tool: "send_work_notice", Key: key, Digest: "d"}
		var proceeded, replayed atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 50 {
			wg.Go(func() {
				<-start
				v, rec, err := l.Begin(context.Background(), call)
				if err != nil {
					t.Error(err)
					return
				}
				switch v {
				case ledger.Proceed:
					proceeded.Add(1)
					time.Sleep(20 * time.Millisecond) // the send
					if err := l.Finish(context.Background(), call, rec.At, ledger.Done, json.RawMessage(`{"TaskId":1}`)); err != nil {
						t.Error(err)
					}
				case ledger.Replay, ledger.Duplicate:
					if string(rec.Result) != `{"TaskId":1}` {
						t.Errorf("replayed result = %s", rec.Result)
					}
					replayed.Add(1)
				default:
					t.Errorf("verdict %v", v)
				}
			})
		}
		close(start)
		wg.Wait()
		if proceeded.Load() != 1 || replayed.Load() != 49 {
			t.Fatalf("key %q: %d proceeded and %d replayed, want 1 and 49", key, proceeded.Load(), replayed.Load())
		}
	}
}

// TestBoundedMemory: 100,000 keys through a ledger in the default
// in-process store leave at most the store's bound of keys, and the heap
// no bigger than the bound allows.
func TestBoundedMemory(t *testing.T) {
	ctx := context.Background()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	result := json.RawMessage(`{"MessageData":{"task_id":123456789,"recipients":["manager4220"]},"Summary":"Work notice task 123456789 created for 1 user(s)."}`)
	fill := func(l *ledger.Ledger, n int) {
		for i := range n {
			call := ledger.Call{Person: "app", Tool: "send_work_notice", Key: fmt.Sprintf("key-%d", i), Digest: fmt.Sprintf("%064d", i)}
			v, rec, err := l.Begin(ctx, call)
			if err != nil || v != ledger.Proceed {
				t.Fatalf("Begin %d = %v, %v", i, v, err)
			}
			if err := l.Finish(ctx, call, rec.At, ledger.Done, result); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Every call writes two keys: its key's record and the window's.
	const bound = 10_000
	base := heap()
	small := store.NewMemory(store.WithMaxKeys(bound))
	fill(ledger.New(small), bound/2)
	atBound := heap() - base
	runtime.KeepAlive(small)

	base = heap()
	flooded := store.NewMemory(store.WithMaxKeys(bound))
	fill(ledger.New(flooded), 100_000)
	afterFlood := heap() - base
	if n := flooded.Len(); n != bound {
		t.Fatalf("after 100,000 keys the store holds %d keys, want its bound, %d", n, bound)
	}
	runtime.KeepAlive(flooded)
	if afterFlood > 2*atBound {
		t.Fatalf("heap after 100,000 keys = %d B, more than twice the %d B of a full store", afterFlood, atBound)
	}
}
