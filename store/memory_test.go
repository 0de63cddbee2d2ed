package store_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/store/storetest"
)

func TestMemory(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) (store.Store, func(time.Duration)) {
		c := storetest.NewClock(time.Unix(1_700_000_000, 0))
		return store.NewMemory(store.WithClock(c.Now)), c.Advance
	})
}

// TestMemoryBounded writes far more keys than the bound: the store keeps
// the newest, drops expired keys before live ones, and its heap stays
// near what the bound allows.
func TestMemoryBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := storetest.NewClock(time.Unix(1_700_000_000, 0))
	m := store.NewMemory(store.WithMaxKeys(1000), store.WithClock(c.Now))
	must(t, m.Set(ctx, "old-but-lasting", []byte("v"), 0))
	for i := range 500 {
		must(t, m.Set(ctx, fmt.Sprintf("expiring-%d", i), []byte("v"), time.Second))
	}
	c.Advance(time.Minute)
	for i := range 600 {
		must(t, m.Set(ctx, fmt.Sprintf("new-%d", i), []byte("v"), 0))
	}
	// 1,101 keys were written; the 500 expired ones went first.
	if _, err := m.Get(ctx, "old-but-lasting"); err != nil {
		t.Fatalf("a live key was evicted while expired keys remained: %v", err)
	}
	if got := m.Len(); got > 1000 {
		t.Fatalf("Len = %d, want at most 1000", got)
	}
	for i := range 100_000 {
		must(t, m.Set(ctx, fmt.Sprintf("flood-%d", i), []byte("some value"), 0))
	}
	if got := m.Len(); got != 1000 {
		t.Fatalf("after 100,000 keys Len = %d, want the bound, 1000", got)
	}
	if _, err := m.Get(ctx, "flood-99999"); err != nil {
		t.Fatalf("the newest key was evicted: %v", err)
	}
	if _, err := m.Get(ctx, "flood-0"); err == nil {
		t.Fatal("the oldest key of the flood is still there")
	}
}

// TestMemoryHeapBounded checks that memory, not just the key count,
// stays bounded: 100,000 keys through a store bounded at 1,000 leave the
// heap about where 1,000 keys put it.
func TestMemoryHeapBounded(t *testing.T) {
	ctx := context.Background()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	value := make([]byte, 256)
	fill := func(m *store.Memory, n int) {
		for i := range n {
			must(t, m.Set(ctx, fmt.Sprintf("key-%d", i), value, 0))
		}
	}
	base := heap()
	small := store.NewMemory(store.WithMaxKeys(1000))
	fill(small, 1000)
	oneThousand := heap() - base
	runtime.KeepAlive(small)

	base = heap()
	flooded := store.NewMemory(store.WithMaxKeys(1000))
	fill(flooded, 100_000)
	afterFlood := heap() - base
	runtime.KeepAlive(flooded)

	if afterFlood > 2*oneThousand {
		t.Fatalf("heap after 100,000 keys = %d B, more than twice the %d B of 1,000 keys", afterFlood, oneThousand)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
