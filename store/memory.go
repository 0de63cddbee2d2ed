package store

import (
	"container/list"
	"context"
	"slices"
	"sync"
	"time"
)

// DefaultMaxKeys bounds a Memory store built without WithMaxKeys.
const DefaultMaxKeys = 50_000

// Memory is the in-process Store, the default for a single server. Its
// contents are lost when the process ends. It holds at most its maximum
// number of keys: past that it drops expired keys, then the least
// recently written, so a flood of new keys cannot grow memory without
// bound.
type Memory struct {
	mu      sync.Mutex
	entries map[string]*list.Element // of *entry
	order   *list.List               // least recently written first
	maxKeys int
	now     func() time.Time
	// sinceSweep counts evictions since the last search for expired keys.
	sinceSweep int
}

type entry struct {
	key     string
	value   []byte
	items   [][]byte // a list's items, newest first; nil for a value
	expires time.Time
}

// MemoryOption configures a Memory store.
type MemoryOption func(*Memory)

// WithMaxKeys bounds the number of keys held.
func WithMaxKeys(n int) MemoryOption { return func(m *Memory) { m.maxKeys = max(n, 1) } }

// WithClock replaces time.Now, for tests of expiry.
func WithClock(now func() time.Time) MemoryOption { return func(m *Memory) { m.now = now } }

// NewMemory returns an empty in-process store.
func NewMemory(opts ...MemoryOption) *Memory {
	m := &Memory{entries: map[string]*list.Element{}, order: list.New(), maxKeys: DefaultMaxKeys, now: time.Now}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Len returns the number of keys held, expired ones included until they
// are dropped.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// live returns key's entry unless it is absent or expired; an expired
// entry is dropped. m.mu must be held.
func (m *Memory) live(key string) *entry {
	el, ok := m.entries[key]
	if !ok {
		return nil
	}
	e := el.Value.(*entry)
	if !e.expires.IsZero() && !m.now().Before(e.expires) {
		m.order.Remove(el)
		delete(m.entries, key)
		return nil
	}
	return e
}

// put stores e as the most recently written key. m.mu must be held.
func (m *Memory) put(e *entry) {
	if el, ok := m.entries[e.key]; ok {
		m.order.Remove(el)
	}
	m.entries[e.key] = m.order.PushBack(e)
	if len(m.entries) > m.maxKeys {
		m.evict()
	}
}

// evict drops expired keys, and then the least recently written ones,
// until the store is within its bound. Looking for expired keys visits
// every key, so it is done at the first eviction and then once every
// eighth of the bound: a write into a full store costs the same however
// large the bound. m.mu must be held.
func (m *Memory) evict() {
	if m.sinceSweep == 0 {
		now := m.now()
		for el := m.order.Front(); el != nil; {
			next := el.Next()
			if e := el.Value.(*entry); !e.expires.IsZero() && !now.Before(e.expires) {
				m.order.Remove(el)
				delete(m.entries, e.key)
			}
			el = next
		}
	}
	if m.sinceSweep++; m.sinceSweep >= max(m.maxKeys/8, 1) {
		m.sinceSweep = 0
	}
	for len(m.entries) > m.maxKeys {
		el := m.order.Front()
		m.order.Remove(el)
		delete(m.entries, el.Value.(*entry).key)
	}
}

func (m *Memory) expiry(ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return m.now().Add(ttl)
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.live(key)
	if e == nil || e.items != nil {
		return nil, ErrNotFound
	}
	return slices.Clone(e.value), nil
}

// Set implements Store.
func (m *Memory) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.put(&entry{key: key, value: slices.Clone(value), expires: m.expiry(ttl)})
	return nil
}

// SetNX implements Store.
func (m *Memory) SetNX(_ context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.live(key) != nil {
		return false, nil
	}
	m.put(&entry{key: key, value: slices.Clone(value), expires: m.expiry(ttl)})
	return true, nil
}

// Take implements Store.
func (m *Memory) Take(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.live(key)
	if e == nil || e.items != nil {
		return nil, ErrNotFound
	}
	m.order.Remove(m.entries[key])
	delete(m.entries, key)
	return e.value, nil
}

// Delete implements Store.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[key]; ok {
		m.order.Remove(el)
		delete(m.entries, key)
	}
	return nil
}

// Push implements Store.
func (m *Memory) Push(_ context.Context, key string, value []byte, keep int, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var items [][]byte
	if e := m.live(key); e != nil && e.items != nil {
		items = e.items
	}
	items = slices.Insert(items, 0, slices.Clone(value))
	if len(items) > keep {
		clear(items[max(keep, 0):])
		items = items[:max(keep, 0)]
	}
	m.put(&entry{key: key, items: items, expires: m.expiry(ttl)})
	return nil
}

// List implements Store.
func (m *Memory) List(_ context.Context, key string, n int) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.live(key)
	if e == nil || e.items == nil {
		return [][]byte{}, nil
	}
	out := make([][]byte, 0, min(n, len(e.items)))
	for _, it := range e.items[:min(max(n, 0), len(e.items))] {
		out = append(out, slices.Clone(it))
	}
	return out, nil
}
