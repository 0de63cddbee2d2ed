// Package store holds what must outlive one request or be shared by the
// server's replicas: sign-in clients, codes and tokens, the idempotency
// ledger and the dedupe window, and each person's recent writes.
//
// Store is deliberately small: byte values under string keys with a
// time to live, an atomic insert, an atomic single-use read, and a
// bounded list. Each operation maps onto one Redis command (SET PX,
// SET NX PX, GETDEL, LPUSH+LTRIM, LRANGE), so an implementation for a
// fleet is a thin layer, and code above the interface never knows which
// one it talks to. Keys are namespaced by their users, e.g.
// "oauth:code:<hash>" or "ledger:<digest>".
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned for a key that is absent or has expired.
var ErrNotFound = errors.New("store: not found")

// ErrUnavailable wraps every failure to reach a shared store (a fleet's
// Redis). The call that met it sent nothing to DingTalk, and succeeds once
// the store is back.
var ErrUnavailable = errors.New("the server's shared state is unavailable")

// Store is shared state with expiry. A ttl of 0 means the value does not
// expire (an implementation may still evict it to stay within its
// bounds; callers treat every key as a cache that can be lost).
type Store interface {
	// Get returns the value stored under key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores value under key, replacing any value there.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// SetNX stores value under key only if key is absent, and reports
	// whether it did. Of many concurrent callers with the same key,
	// exactly one gets true.
	SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Take returns the value under key and deletes it in one step, so a
	// single-use value (an authorization code) is taken at most once.
	Take(ctx context.Context, key string) ([]byte, error)
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
	// Push puts value at the head of the list under key, keeps at most
	// keep items (the newest), and sets the list's ttl.
	Push(ctx context.Context, key string, value []byte, keep int, ttl time.Duration) error
	// List returns up to n items of the list under key, newest first; an
	// absent list is empty, not an error.
	List(ctx context.Context, key string, n int) ([][]byte, error)
}
