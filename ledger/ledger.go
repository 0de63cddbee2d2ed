// Package ledger keeps writes that are not idempotent from happening
// twice. A call that carries an idempotency key is recorded under that
// key with its outcome, so a retry returns the recorded result instead of
// sending again; a call without one is recorded for a window under the
// digest of its arguments, so an identical call soon after is refused.
// A call whose outcome is uncertain (sent, no answer) is recorded as
// such, and is never sent again by a repeat either.
//
// Everything goes through a store.Store, so the ledger is in-process,
// in a file or shared by a fleet depending on the store it is given.
// Records are keyed per person: one person's key or call never matches
// another's.
package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// The defaults of New.
const (
	// DefaultWindow is how long an identical call without a key is refused.
	DefaultWindow = 10 * time.Minute
	// DefaultKeyTTL is how long a key's record is kept: a retry a day
	// later still finds it.
	DefaultKeyTTL = 24 * time.Hour
	// DefaultWait is how long a repeat waits for an identical call in
	// flight to finish before answering that it is in progress.
	DefaultWait = 5 * time.Second
	// DefaultStale is how long a call may stay pending. A reservation
	// older than that belongs to a call that never recorded its outcome
	// (its server stopped mid-call): it is treated as uncertain.
	DefaultStale = 2 * time.Minute
)

// State is where a recorded call stands.
type State string

// The states of a record.
const (
	// Pending: the call has been let through and has not finished.
	Pending State = "pending"
	// Done: the call finished and DingTalk acted on it (a result, or a
	// failure after part of the work was done).
	Done State = "done"
	// Uncertain: the request was sent and no answer came; DingTalk may
	// or may not have acted on it.
	Uncertain State = "uncertain"
)

// Record is what the ledger keeps of one call.
type Record struct {
	State  State           `json:"state"`
	Tool   string          `json:"tool"`
	Digest string          `json:"digest"`
	At     time.Time       `json:"at"` // when the call was let through
	Result json.RawMessage `json:"result,omitempty"`

	// heldWindow is set on the reservation of a call with a key that also
	// holds the window's slot, so that an identical call without a key
	// waits for it too; Release frees both.
	heldWindow bool
}

// Call identifies one call to the ledger.
type Call struct {
	Person string // a stable id of the person the call acts for; "" is the app
	Tool   string
	Key    string // the caller's idempotency key; "" for none
	Digest string // Digest of the tool and its normalised arguments
}

// Verdict is what Begin decided.
type Verdict int

// The verdicts of Begin.
const (
	// Proceed: the call is reserved and must be carried out, then
	// reported with Finish (or Release, if it sent nothing).
	Proceed Verdict = iota
	// Replay: the key was used before for the same call; the record
	// holds its result (or its uncertain outcome). Send nothing.
	Replay
	// Mismatch: the key was used before for another call. Send nothing.
	Mismatch
	// Duplicate: an identical call without a key was made inside the
	// window; the record holds its result. Send nothing.
	Duplicate
	// InProgress: an identical call is still in flight after waiting for
	// it. Send nothing.
	InProgress
)

// Ledger records calls in a store.
type Ledger struct {
	store  store.Store
	window time.Duration
	keyTTL time.Duration
	wait   time.Duration
	stale  time.Duration
	now    func() time.Time
}

// Option configures a Ledger.
type Option func(*Ledger)

// WithWindow sets how long an identical call without a key is refused;
// 0 turns that check off (keys still work).
func WithWindow(d time.Duration) Option { return func(l *Ledger) { l.window = max(d, 0) } }

// WithKeyTTL sets how long a key's record is kept.
func WithKeyTTL(d time.Duration) Option { return func(l *Ledger) { l.keyTTL = d } }

// WithWait sets how long a repeat waits for an identical call in flight.
func WithWait(d time.Duration) Option { return func(l *Ledger) { l.wait = d } }

// WithClock replaces time.Now; the store must share the clock.
func WithClock(now func() time.Time) Option { return func(l *Ledger) { l.now = now } }

// New returns a ledger kept in s.
func New(s store.Store, opts ...Option) *Ledger {
	l := &Ledger{store: s, window: DefaultWindow, keyTTL: DefaultKeyTTL, wait: DefaultWait, stale: DefaultStale, now: time.Now}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Window returns how long an identical call without a key is refused.
func (l *Ledger) Window() time.Duration { return l.window }

// Digest returns the digest of a call of tool with args, the arguments
// after decoding and defaults (normalised: a list given as a
// comma-separated string and as an array are one value), without the
// parameters that do not change what the call does (the key, Confirm).
// Go's encoding/json writes struct fields in declaration order and map
// keys sorted, so equal arguments give equal digests.
func Digest(tool string, args any) (string, error) {
	b, err := json.Marshal(args)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(tool))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// storeKey names c's record: under its key, or in the window under its
// digest. Both are hashed with the person, so that any key an agent makes
// up is a short, safe store key.
func storeKey(person, kind, id string) string {
	h := sha256.Sum256([]byte(person + "\x00" + id))
	return "ledger:" + kind + ":" + hex.EncodeToString(h[:])
}

func (c Call) keyed() string  { return storeKey(c.Person, "key", c.Key) }
func (c Call) window() string { return storeKey(c.Person, "window", c.Tool+"\x00"+c.Digest) }

// slot returns where c is reserved and for how long, or "" when c is not
// checked at all (no key, and the window is off).
func (l *Ledger) slot(c Call) (string, time.Duration) {
	if c.Key != "" {
		return c.keyed(), l.keyTTL
	}
	if l.window == 0 {
		return "", 0
	}
	return c.window(), l.window
}

// Begin reserves c and returns its pending record (whose At is when the
// call was let through), or returns the earlier call that stops it. A call
// with a key is stopped by the key's record; one without, by an
// identical call in the window. Of many concurrent identical calls,
// exactly one proceeds; the others wait up to the ledger's wait for its
// outcome.
func (l *Ledger) Begin(ctx context.Context, c Call) (Verdict, *Record, error) {
	key, ttl := l.slot(c)
	if key == "" {
		return Proceed, &Record{State: Pending, Tool: c.Tool, Digest: c.Digest, At: l.now().UTC()}, nil
	}
	pending := &Record{State: Pending, Tool: c.Tool, Digest: c.Digest, At: l.now().UTC()}
	mine, err := json.Marshal(pending)
	if err != nil {
		return 0, nil, err
	}
	delay := 10 * time.Millisecond
	deadline := time.Now().Add(l.wait)
	for {
		ok, err := l.store.SetNX(ctx, key, mine, ttl)
		if err != nil {
			return 0, nil, err
		}
		if ok {
			if c.Key != "" && l.window > 0 {
				held, err := l.store.SetNX(ctx, c.window(), mine, l.window)
				if err != nil {
					l.store.Delete(ctx, key)
					return 0, nil, err
				}
				pending.heldWindow = held
			}
			return Proceed, pending, nil
		}
		rec, err := l.get(ctx, key)
		if errors.Is(err, store.ErrNotFound) {
			continue // finished and released, or expired, since SetNX
		}
		if err != nil {
			return 0, nil, err
		}
		if rec.Tool != c.Tool || rec.Digest != c.Digest {
			return Mismatch, rec, nil
		}
		if rec.State == Pending && l.now().Sub(rec.At) > l.stale {
			rec.State = Uncertain
		}
		if rec.State != Pending {
			if c.Key != "" {
				return Replay, rec, nil
			}
			return Duplicate, rec, nil
		}
		if !time.Now().Before(deadline) {
			return InProgress, rec, nil
		}
		select {
		case <-ctx.Done():
			return InProgress, rec, nil
		case <-time.After(delay):
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
}

func (l *Ledger) get(ctx context.Context, key string) (*Record, error) {
	raw, err := l.store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	rec := new(Record)
	if err := json.Unmarshal(raw, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// Finish records the outcome of a call that Begin let through: Done or
// Uncertain, with its result. A call with a key is recorded in the window
// too, so that an identical call without a key soon after is refused.
func (l *Ledger) Finish(ctx context.Context, c Call, at time.Time, state State, result json.RawMessage) error {
	rec, err := json.Marshal(Record{State: state, Tool: c.Tool, Digest: c.Digest, At: at.UTC(), Result: result})
	if err != nil {
		return err
	}
	if c.Key != "" {
		if err := l.store.Set(ctx, c.keyed(), rec, l.keyTTL); err != nil {
			return err
		}
	}
	if l.window > 0 {
		return l.store.Set(ctx, c.window(), rec, l.window)
	}
	return nil
}

// Release forgets the reservation, rec, of a call that Begin let through
// and that sent nothing DingTalk acted on (it was refused before sending,
// or DingTalk rejected it): the same call may be made again.
func (l *Ledger) Release(ctx context.Context, c Call, rec *Record) error {
	key, _ := l.slot(c)
	if key == "" {
		return nil
	}
	if rec != nil && rec.heldWindow {
		if err := l.store.Delete(ctx, c.window()); err != nil {
			return err
		}
	}
	return l.store.Delete(ctx, key)
}
