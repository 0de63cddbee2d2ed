package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/store/storetest"
)

func openFile(t *testing.T, path string, opts ...store.FileOption) *store.File {
	t.Helper()
	f, err := store.OpenFile(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestFile(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) (store.Store, func(time.Duration)) {
		c := storetest.NewClock(time.Unix(1_700_000_000, 0))
		return openFile(t, filepath.Join(t.TempDir(), "state.db"), store.WithFileClock(c.Now)), c.Advance
	})
}

// TestFileSurvivesRestart reopens the file: values, lists, expiry and
// the bound's bookkeeping are as they were.
func TestFileSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := storetest.NewClock(time.Unix(1_700_000_000, 0))
	path := filepath.Join(t.TempDir(), "sub", "state.db")
	f, err := store.OpenFile(path, store.WithFileClock(c.Now), store.WithFileMaxKeys(3))
	must(t, err)
	must(t, f.Set(ctx, "kept", []byte("v1"), time.Hour))
	must(t, f.Set(ctx, "short", []byte("v2"), time.Second))
	must(t, f.Push(ctx, "list", []byte("a"), 5, 0))
	must(t, f.Push(ctx, "list", []byte("b"), 5, 0))
	if _, err := store.OpenFile(path); err == nil {
		t.Fatal("a second OpenFile of a file in use succeeded")
	}
	must(t, f.Close())

	c.Advance(time.Minute)
	f = openFile(t, path, store.WithFileClock(c.Now), store.WithFileMaxKeys(3))
	if got, err := f.Get(ctx, "kept"); err != nil || string(got) != "v1" {
		t.Fatalf("Get(kept) after reopening = %q, %v", got, err)
	}
	if _, err := f.Get(ctx, "short"); err != store.ErrNotFound {
		t.Fatalf("Get(short) past its ttl after reopening = %v, want ErrNotFound", err)
	}
	items, err := f.List(ctx, "list", 5)
	must(t, err)
	if len(items) != 2 || string(items[0]) != "b" || string(items[1]) != "a" {
		t.Fatalf("List after reopening = %q, want [b a]", items)
	}
	// Three keys are held (one expired); a fourth evicts the expired one
	// first, not a live one.
	must(t, f.Set(ctx, "new", []byte("v"), 0))
	for _, k := range []string{"kept", "new"} {
		if _, err := f.Get(ctx, k); err != nil {
			t.Errorf("Get(%s) = %v", k, err)
		}
	}
	if n := f.Len(); n != 3 {
		t.Fatalf("Len = %d, want 3", n)
	}
}

// TestFileBounded floods the file with ten times its bound: it keeps the
// newest keys and no more.
func TestFileBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := openFile(t, filepath.Join(t.TempDir(), "state.db"), store.WithFileMaxKeys(50))
	for i := range 500 {
		must(t, f.Set(ctx, fmt.Sprintf("k%d", i), []byte("v"), 0))
	}
	if n := f.Len(); n != 50 {
		t.Fatalf("Len = %d, want the bound, 50", n)
	}
	if _, err := f.Get(ctx, "k499"); err != nil {
		t.Fatalf("the newest key was evicted: %v", err)
	}
	if _, err := f.Get(ctx, "k449"); err == nil {
		t.Fatal("a key older than the newest 50 is still there")
	}
}
