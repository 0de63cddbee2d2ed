package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// File is the Store of a single server that restarts: the same bounded
// store as Memory, kept in one bbolt file, so that the idempotency ledger
// and the dedupe window survive a restart. Every write is one bbolt
// transaction, synced to disk before it returns. Only one process may
// open the file at a time.
type File struct {
	db      *bolt.DB
	maxKeys int
	now     func() time.Time
	// mu serialises writes, as bbolt does, and guards the counts, which
	// are restored when a transaction rolls back.
	mu         sync.Mutex
	keys       int
	sinceSweep int
}

// The buckets: every key's entry, and the keys in the order they were
// written (by a sequence number), which eviction walks from the oldest.
var (
	kvBucket    = []byte("kv")
	orderBucket = []byte("order")
)

// FileOption configures a File store.
type FileOption func(*File)

// WithFileMaxKeys bounds the number of keys held in the file.
func WithFileMaxKeys(n int) FileOption { return func(f *File) { f.maxKeys = max(n, 1) } }

// WithFileClock replaces time.Now, for tests of expiry.
func WithFileClock(now func() time.Time) FileOption { return func(f *File) { f.now = now } }

// OpenFile opens, or creates, the store in the file path. It fails at
// once, rather than waiting, when another process has the file open.
func OpenFile(path string, opts ...FileOption) (*File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("%s is in use by another process", path)
		}
		return nil, err
	}
	f := &File{db: db, maxKeys: DefaultMaxKeys, now: time.Now}
	for _, o := range opts {
		o(f)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		kv, err := tx.CreateBucketIfNotExists(kvBucket)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(orderBucket); err != nil {
			return err
		}
		f.keys = kv.Stats().KeyN
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return f, nil
}

// Close closes the file.
func (f *File) Close() error { return f.db.Close() }

// Len returns the number of keys held, expired ones included until they
// are dropped.
func (f *File) Len() int {
	n := 0
	f.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(kvBucket).Stats().KeyN
		return nil
	})
	return n
}

// fileEntry is one key's record: a value or a list, its expiry and the
// sequence number of its last write.
type fileEntry struct {
	list    bool
	expires int64 // Unix nanoseconds; 0 = never
	seq     uint64
	value   []byte   // a value's bytes
	items   [][]byte // a list's items, newest first
}

const entryHeader = 1 + 8 + 8

func (e *fileEntry) encode() []byte {
	n := entryHeader + len(e.value)
	for _, it := range e.items {
		n += binary.MaxVarintLen64 + len(it)
	}
	b := make([]byte, entryHeader, n)
	if e.list {
		b[0] = 1
	}
	binary.BigEndian.PutUint64(b[1:], uint64(e.expires))
	binary.BigEndian.PutUint64(b[9:], e.seq)
	if !e.list {
		return append(b, e.value...)
	}
	for _, it := range e.items {
		b = binary.AppendUvarint(b, uint64(len(it)))
		b = append(b, it...)
	}
	return b
}

// decodeEntry copies what raw holds: bbolt's bytes are valid only
// within their transaction.
func decodeEntry(raw []byte) (*fileEntry, error) {
	if len(raw) < entryHeader {
		return nil, errors.New("store: corrupt entry")
	}
	e := &fileEntry{list: raw[0] == 1, expires: int64(binary.BigEndian.Uint64(raw[1:])), seq: binary.BigEndian.Uint64(raw[9:])}
	rest := raw[entryHeader:]
	if !e.list {
		e.value = append([]byte{}, rest...)
		return e, nil
	}
	for len(rest) > 0 {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			return nil, errors.New("store: corrupt list entry")
		}
		e.items = append(e.items, append([]byte{}, rest[k:k+int(n)]...))
		rest = rest[k+int(n):]
	}
	return e, nil
}

func (f *File) expiry(ttl time.Duration) int64 {
	if ttl <= 0 {
		return 0
	}
	return f.now().Add(ttl).UnixNano()
}

func (f *File) expired(e *fileEntry, now int64) bool { return e.expires != 0 && now >= e.expires }

// live returns key's entry unless it is absent or expired. In a writable
// transaction an expired entry is dropped.
func (f *File) live(tx *bolt.Tx, key string) (*fileEntry, error) {
	raw := tx.Bucket(kvBucket).Get([]byte(key))
	if raw == nil {
		return nil, nil
	}
	e, err := decodeEntry(raw)
	if err != nil {
		return nil, err
	}
	if f.expired(e, f.now().UnixNano()) {
		if tx.Writable() {
			return nil, f.remove(tx, key, e.seq)
		}
		return nil, nil
	}
	return e, nil
}

func (f *File) remove(tx *bolt.Tx, key string, seq uint64) error {
	if err := tx.Bucket(orderBucket).Delete(seqKey(seq)); err != nil {
		return err
	}
	if err := tx.Bucket(kvBucket).Delete([]byte(key)); err != nil {
		return err
	}
	f.keys--
	return nil
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// put stores e under key as the most recently written key, then evicts
// to stay within the bound.
func (f *File) put(tx *bolt.Tx, key string, e *fileEntry) error {
	kv, order := tx.Bucket(kvBucket), tx.Bucket(orderBucket)
	if raw := kv.Get([]byte(key)); raw != nil {
		old, err := decodeEntry(raw)
		if err != nil {
			return err
		}
		if err := order.Delete(seqKey(old.seq)); err != nil {
			return err
		}
	} else {
		f.keys++
	}
	seq, err := order.NextSequence()
	if err != nil {
		return err
	}
	e.seq = seq
	if err := order.Put(seqKey(seq), []byte(key)); err != nil {
		return err
	}
	if err := kv.Put([]byte(key), e.encode()); err != nil {
		return err
	}
	if f.keys > f.maxKeys {
		return f.evict(tx)
	}
	return nil
}

// evict drops expired keys, then the least recently written ones, until
// the file is within its bound. Looking for expired keys reads every
// key, so it is done at the first eviction and then once every eighth of
// the bound, which keeps a write's cost constant however full the store.
func (f *File) evict(tx *bolt.Tx) error {
	kv, order := tx.Bucket(kvBucket), tx.Bucket(orderBucket)
	if f.sinceSweep == 0 {
		now := f.now().UnixNano()
		var drop []string
		var seqs []uint64
		err := kv.ForEach(func(k, raw []byte) error {
			e, err := decodeEntry(raw)
			if err != nil {
				return err
			}
			if f.expired(e, now) {
				drop, seqs = append(drop, string(k)), append(seqs, e.seq)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, k := range drop {
			if err := f.remove(tx, k, seqs[i]); err != nil {
				return err
			}
		}
	}
	if f.sinceSweep++; f.sinceSweep >= max(f.maxKeys/8, 1) {
		f.sinceSweep = 0
	}
	for f.keys > f.maxKeys {
		k, v := order.Cursor().First()
		if k == nil {
			break
		}
		if err := f.remove(tx, string(v), binary.BigEndian.Uint64(k)); err != nil {
			return err
		}
	}
	return nil
}

// update runs fn in a write transaction; on failure, fn's or the
// commit's, the in-memory counts are restored with the rolled-back file.
func (f *File) update(fn func(tx *bolt.Tx) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys, sinceSweep := f.keys, f.sinceSweep
	err := f.db.Update(fn)
	if err != nil {
		f.keys, f.sinceSweep = keys, sinceSweep
	}
	return err
}

// Get implements Store.
func (f *File) Get(_ context.Context, key string) ([]byte, error) {
	var out []byte
	err := f.db.View(func(tx *bolt.Tx) error {
		e, err := f.value(tx, key)
		if err != nil {
			return err
		}
		out = e.value
		return nil
	})
	return out, err
}

// value returns the live entry of key if it holds a single value, or
// ErrNotFound.
func (f *File) value(tx *bolt.Tx, key string) (*fileEntry, error) {
	e, err := f.live(tx, key)
	if err == nil && (e == nil || e.list) {
		err = ErrNotFound
	}
	return e, err
}

// Set implements Store.
func (f *File) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	return f.update(func(tx *bolt.Tx) error {
		return f.put(tx, key, &fileEntry{value: value, expires: f.expiry(ttl)})
	})
}

// SetNX implements Store.
func (f *File) SetNX(_ context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	set := false
	err := f.update(func(tx *bolt.Tx) error {
		e, err := f.live(tx, key)
		if err != nil || e != nil {
			return err
		}
		set = true
		return f.put(tx, key, &fileEntry{value: value, expires: f.expiry(ttl)})
	})
	return set && err == nil, err
}

// Take implements Store.
func (f *File) Take(_ context.Context, key string) ([]byte, error) {
	var out []byte
	err := f.update(func(tx *bolt.Tx) error {
		e, err := f.value(tx, key)
		if err != nil {
			return err
		}
		out = e.value
		return f.remove(tx, key, e.seq)
	})
	return out, err
}

// Delete implements Store.
func (f *File) Delete(_ context.Context, key string) error {
	return f.update(func(tx *bolt.Tx) error {
		raw := tx.Bucket(kvBucket).Get([]byte(key))
		if raw == nil {
			return nil
		}
		e, err := decodeEntry(raw)
		if err != nil {
			return err
		}
		return f.remove(tx, key, e.seq)
	})
}

// Push implements Store.
func (f *File) Push(_ context.Context, key string, value []byte, keep int, ttl time.Duration) error {
	return f.update(func(tx *bolt.Tx) error {
		e, err := f.live(tx, key)
		if err != nil {
			return err
		}
		var items [][]byte
		if e != nil && e.list {
			items = e.items
		}
		items = append([][]byte{value}, items[:min(len(items), max(keep-1, 0))]...)
		if keep <= 0 {
			items = nil
		}
		return f.put(tx, key, &fileEntry{list: true, items: items, expires: f.expiry(ttl)})
	})
}

// List implements Store.
func (f *File) List(_ context.Context, key string, n int) ([][]byte, error) {
	out := [][]byte{}
	err := f.db.View(func(tx *bolt.Tx) error {
		e, err := f.live(tx, key)
		if err != nil || e == nil || !e.list {
			return err
		}
		out = append(out, e.items[:min(max(n, 0), len(e.items))]...)
		return nil
	})
	return out, err
}
