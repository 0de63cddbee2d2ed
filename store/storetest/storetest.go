// Package storetest is the behaviour every store.Store implementation
// must show, as one test suite that each implementation runs.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// Factory returns an empty store and a function that moves the store's
// clock forward (a fake clock's, or real time by sleeping).
type Factory func(t *testing.T) (s store.Store, advance func(time.Duration))

// Run runs the suite against the stores that newStore makes; each
// subtest gets a store of its own.
func Run(t *testing.T, newStore Factory) {
	ctx := context.Background()
	t.Run("GetSetDelete", func(t *testing.T) {
		s, _ := newStore(t)
		if _, err := s.Get(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Get(absent) = %v, want ErrNotFound", err)
		}
		must(t, s.Set(ctx, "k", []byte("one"), 0))
		must(t, s.Set(ctx, "k", []byte("two"), 0))
		got, err := s.Get(ctx, "k")
		must(t, err)
		if string(got) != "two" {
			t.Fatalf("Get = %q, want the last Set, %q", got, "two")
		}
		must(t, s.Delete(ctx, "k"))
		must(t, s.Delete(ctx, "k")) // absent: not an error
		if _, err := s.Get(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Get(deleted) = %v, want ErrNotFound", err)
		}
	})
	t.Run("ValuesAreCopies", func(t *testing.T) {
		s, _ := newStore(t)
		v := []byte("abc")
		must(t, s.Set(ctx, "k", v, 0))
		v[0] = 'X'
		got, err := s.Get(ctx, "k")
		must(t, err)
		got[1] = 'Y'
		again, err := s.Get(ctx, "k")
		must(t, err)
		if string(again) != "abc" {
			t.Fatalf("stored value changed through a caller's slice: %q", again)
		}
	})
	t.Run("Expiry", func(t *testing.T) {
		s, advance := newStore(t)
		must(t, s.Set(ctx, "short", []byte("v"), time.Second))
		must(t, s.Set(ctx, "forever", []byte("v"), 0))
		ok, err := s.SetNX(ctx, "nx", []byte("v"), time.Second)
		must(t, err)
		if !ok {
			t.Fatal("SetNX on an absent key = false")
		}
		must(t, s.Push(ctx, "list", []byte("v"), 10, time.Second))
		if _, err := s.Get(ctx, "short"); err != nil {
			t.Fatalf("Get before expiry: %v", err)
		}
		advance(1500 * time.Millisecond)
		for _, k := range []string{"short", "nx"} {
			if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get(%s) after its ttl = %v, want ErrNotFound", k, err)
			}
		}
		if items, err := s.List(ctx, "list", 10); err != nil || len(items) != 0 {
			t.Errorf("List after its ttl = %q, %v; want empty", items, err)
		}
		if _, err := s.Get(ctx, "forever"); err != nil {
			t.Errorf("Get(no ttl) = %v", err)
		}
		ok, err = s.SetNX(ctx, "nx", []byte("again"), time.Second)
		must(t, err)
		if !ok {
			t.Error("SetNX on an expired key = false, want true")
		}
	})
	t.Run("SetNXOnceUnderConcurrency", func(t *testing.T) {
		s, _ := newStore(t)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				ok, err := s.SetNX(ctx, "k", fmt.Appendf(nil, "%d", i), time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d of 50 concurrent SetNX calls won, want exactly 1", wins.Load())
		}
	})
	t.Run("TakeOnceUnderConcurrency", func(t *testing.T) {
		s, _ := newStore(t)
		must(t, s.Set(ctx, "code", []byte("grant"), time.Minute))
		var taken atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				v, err := s.Take(ctx, "code")
				switch {
				case err == nil && string(v) == "grant":
					taken.Add(1)
				case errors.Is(err, store.ErrNotFound):
				default:
					t.Errorf("Take = %q, %v", v, err)
				}
			})
		}
		wg.Wait()
		if taken.Load() != 1 {
			t.Fatalf("the value was taken %d times, want exactly 1", taken.Load())
		}
		if _, err := s.Get(ctx, "code"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Get after Take = %v, want ErrNotFound", err)
		}
	})
	t.Run("ListKeepsNewest", func(t *testing.T) {
		s, _ := newStore(t)
		if items, err := s.List(ctx, "absent", 5); err != nil || len(items) != 0 {
			t.Fatalf("List(absent) = %q, %v; want empty", items, err)
		}
		for i := range 5 {
			must(t, s.Push(ctx, "l", fmt.Appendf(nil, "%d", i), 3, time.Minute))
		}
		items, err := s.List(ctx, "l", 10)
		must(t, err)
		if diff := cmp.Diff([]string{"4", "3", "2"}, strs(items)); diff != "" {
			t.Fatalf("List (-want +got):\n%s", diff)
		}
		items, err = s.List(ctx, "l", 2)
		must(t, err)
		if diff := cmp.Diff([]string{"4", "3"}, strs(items)); diff != "" {
			t.Fatalf("List(n=2) (-want +got):\n%s", diff)
		}
	})
}

func strs(items [][]byte) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it)
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
