package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"time"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// A write is the bookkeeping of one call of a tool that changes
// something: its record in the ledger, if the tool is not idempotent, and
// its line in the audit log. A call that the ledger stops (a repeat, a
// reused key) sends nothing and is audited as replayed.

// maxKeyBytes bounds an IdempotencyKey. The schema's maxLength counts
// characters; the ledger's limit is in bytes.
const maxKeyBytes = 255

// checkKey refuses an IdempotencyKey that is too long or holds control
// characters. An empty one is refused by the schema's minLength.
func checkKey(in any) error {
	k, ok := in.(keyed)
	if !ok {
		return nil
	}
	key := k.idempotency().IdempotencyKey
	if len(key) > maxKeyBytes {
		return invalid("IdempotencyKey", "IdempotencyKey must be at most %d bytes (got %d)", maxKeyBytes, len(key))
	}
	for i, r := range key {
		if unicode.IsControl(r) {
			return invalid("IdempotencyKey", "IdempotencyKey must not hold control characters (found U+%04X at byte %d)", r, i)
		}
	}
	return nil
}

type write struct {
	env    *Env
	person string // the person's stable id, for the ledger and the recent list
	call   ledger.Call
	begun  *ledger.Record // the reservation; nil without a ledger
	entry  audit.Entry
}

// personID is the stable id the ledger and the recent-writes list file a
// person under: the app, or the signed-in person's unionId (or userId).
func personID(p *Person) string {
	switch {
	case p == nil:
		return "app"
	case p.UnionID != "":
		return "union:" + p.UnionID
	}
	return "user:" + p.UserID
}

// clientName is the MCP client's name, as it gave it.
func clientName(ctx context.Context) string {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.ClientInfo != nil {
		return info.ClientInfo.Name
	}
	if s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithClientInfo); ok {
		return s.GetClientInfo().Name
	}
	return ""
}

// beginWrite starts the bookkeeping of a call of t with in, which has
// been decoded and given its defaults. It returns nil for a tool that
// changes nothing. If the ledger stops the call, it returns the result
// to answer with instead, already audited.
func (t *Tool[In, Out]) beginWrite(ctx context.Context, env *Env, in *In) (*write, *mcp.CallToolResult) {
	if t.ReadOnly || (env.Ledger == nil && env.Audit == nil) {
		return nil, nil
	}
	// The digest and the audit see the arguments without those that do
	// not change what the call does.
	args := *in
	var key string
	if k, ok := any(&args).(keyed); ok {
		key = k.idempotency().IdempotencyKey
		k.idempotency().IdempotencyKey = ""
	}
	if g, ok := any(&args).(guarded); ok {
		g.confirmation().Confirm = false
	}
	digest, err := ledger.Digest(t.Name, &args)
	if err != nil {
		panic(fmt.Sprintf("tools: %s: the arguments do not marshal: %v", t.Name, err))
	}
	p := PersonFrom(ctx)
	w := &write{
		env:    env,
		person: personID(p),
		call:   ledger.Call{Person: personID(p), Tool: t.Name, Key: key, Digest: digest},
		entry: audit.Entry{
			Time: time.Now().UTC(), Person: p.Label(), Client: clientName(ctx), Tool: t.Name,
			Digest: digest, Args: audit.PreviewArgs(&args, env.redact), IdempotencyKey: truncate(key, 64),
		},
	}
	if _, ok := any(in).(keyed); !ok || env.Ledger == nil {
		return w, nil
	}
	verdict, rec, err := env.Ledger.Begin(ctx, w.call)
	if err != nil {
		env.logger().Error("ledger: cannot reserve the call", "tool", t.Name, "err", err)
		status := 500
		if errors.Is(err, store.ErrUnavailable) {
			status = statusUnavailable
		}
		return nil, t.answer(Envelope{StatusCode: status,
			ErrorMessage: env.Lang.Text("The record of writes that prevents doing one twice cannot be reached, so nothing was sent to DingTalk."),
			Hint:         env.Lang.Textf("Call %s again in a few seconds.", t.Name), Retryable: true}, nil, nil)
	}
	if verdict == ledger.Proceed {
		w.begun = rec
		return w, nil
	}
	res, out := t.stopped(env.Lang, verdict, rec, key != "")
	w.entry.Replayed, w.entry.Uncertain = true, rec.State == ledger.Uncertain
	w.record(ctx, out)
	return nil, res
}

// stopped is the answer, in l, to a call the ledger did not let through. A
// recorded result is given as it was recorded, in the language of the call
// that made it.
func (t *Tool[In, Out]) stopped(l i18n.Lang, v ledger.Verdict, rec *ledger.Record, withKey bool) (*mcp.CallToolResult, *Out) {
	at := rec.At.Format(time.RFC3339)
	out := new(Out)
	replay := Replay{Replayed: true, ReplayedAt: at}
	switch v {
	case ledger.Mismatch:
		msg := l.Textf("IdempotencyKey was already used at %s for another %s call: nothing was sent to DingTalk.", at, rec.Tool)
		if rec.Tool == t.Name {
			msg = l.Textf("IdempotencyKey was already used at %s for a %s call with other arguments: nothing was sent to DingTalk.", at, t.Name)
		}
		return t.answer(Envelope{StatusCode: -1, ErrorMessage: msg,
			Hint: l.Text("Use a new IdempotencyKey for a different request; reuse a key only to retry the very same call.")}, out, nil), out
	case ledger.InProgress:
		hint := l.Text("Wait a few seconds, then call again with the same IdempotencyKey to get its result.")
		if !withKey {
			hint = l.Text("Wait a few seconds and check the result of the first call before sending again; to do it once more on purpose, call again with a new IdempotencyKey.")
		}
		return t.answer(Envelope{StatusCode: -1, Retryable: true, Hint: hint,
			ErrorMessage: l.Textf("An identical %s call began at %s and has not finished: nothing was sent again.", t.Name, at)}, out, &replay), out
	}
	againHint := l.Text(" If it was not made, call again with a new IdempotencyKey to send it.")
	if len(rec.Result) == 0 {
		// A reservation older than any call lasts: its call never recorded
		// an outcome, because its server stopped while it ran.
		return t.answer(Envelope{StatusCode: 500,
			ErrorMessage: l.Textf("Not sent again: an identical call began at %s and never recorded its outcome (its server may have stopped while it ran), so it may or may not have been made.", at),
			Hint:         t.hint(l, &dingtalk.Error{}, true) + againHint}, out, &replay), out
	}
	if err := json.Unmarshal(rec.Result, out); err != nil {
		panic(fmt.Sprintf("tools: %s: a recorded result does not fit the output type: %v", t.Name, err))
	}
	e := *any(out).(enveloped).envelope()
	switch {
	case rec.State == ledger.Uncertain:
		e.ErrorMessage = l.Textf("Not sent again: an identical call at %s may or may not have been made. %s", at, e.ErrorMessage)
		if e.Hint == "" {
			e.Hint = l.Textf("Check whether the change was made (read it back) before calling %s again.", t.Name)
		}
		e.Hint += againHint
		e.Retryable = false
	case v == ledger.Duplicate:
		first := e.Summary
		if e.StatusCode != http200 {
			first = e.ErrorMessage
		}
		e = Envelope{StatusCode: -1, RequestId: e.RequestId,
			ErrorMessage: l.Textf("An identical %s call was already made at %s, so it was not sent again. Its result: %s", t.Name, at, first),
			Hint:         l.Textf("If the user wants it done once more, call %s again with the same parameters and a new IdempotencyKey.", t.Name)}
	}
	return t.answer(e, out, &replay), out
}

// answer renders out with the envelope e (and replay, on a tool that has
// it) as the tool result.
func (t *Tool[In, Out]) answer(e Envelope, out *Out, replay *Replay) *mcp.CallToolResult {
	if out == nil {
		out = new(Out)
	}
	*any(out).(enveloped).envelope() = e
	if r, ok := any(out).(replayable); ok && replay != nil {
		*r.replay() = *replay
	}
	fillNilSlices(reflect.ValueOf(out).Elem())
	res := mcp.NewToolResultStructuredOnly(out)
	res.IsError = e.StatusCode != http200
	return res
}

// release forgets the reservation of a call that sent nothing: stopped by
// the Confirm guard, or refused before reaching DingTalk.
func (w *write) release(ctx context.Context) {
	if w == nil || w.begun == nil {
		return
	}
	w.persist(ctx, "release the call", func(ctx context.Context) error { return w.env.Ledger.Release(ctx, w.call, w.begun) })
}

// persistFor bounds how long a ledger update that the shared store
// refused is tried again: past the ledger's stale time a reservation is
// read as uncertain anyway.
const persistFor = ledger.DefaultStale

// persist makes a ledger update. If the shared store is unavailable (a
// fleet's Redis restarting), it tries again in the background until the
// store answers, so that a brief outage does not leave a reservation
// that retries would read as "in progress", and then as uncertain, for a
// call that certainly sent nothing, or whose result is known.
func (w *write) persist(ctx context.Context, what string, update func(context.Context) error) {
	ctx = context.WithoutCancel(ctx)
	err := update(ctx)
	if err == nil {
		return
	}
	w.env.logger().Error("ledger: cannot "+what, "tool", w.call.Tool, "err", err)
	if !errors.Is(err, store.ErrUnavailable) {
		return
	}
	go func() {
		deadline := time.Now().Add(persistFor)
		// At most a second apart: a retry of the same call waits for
		// this update, and the store may be back at any moment.
		for wait := 250 * time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, time.Second) {
			time.Sleep(wait)
			if err := update(ctx); err == nil {
				w.env.logger().Info("ledger: done once the shared store was back: "+what, "tool", w.call.Tool)
				return
			} else if !errors.Is(err, store.ErrUnavailable) {
				w.env.logger().Error("ledger: cannot "+what, "tool", w.call.Tool, "err", err)
				return
			}
		}
	}()
}

// finish records the outcome of a call that was carried out: out is its
// result, err its failure. A call that certainly had no effect at
// DingTalk is released so that it may be made again; one that did, or
// may have, is recorded. The outcome is recorded even if the client has
// gone: that is when its retry comes.
func (w *write) finish(ctx context.Context, idempotent bool, out any, err error) {
	if w == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	state, effect := outcome(err, idempotent)
	w.entry.Uncertain = state == ledger.Uncertain
	if w.begun != nil {
		if effect {
			result, err := json.Marshal(out)
			if err != nil {
				panic(fmt.Sprintf("tools: %s: a result does not marshal: %v", w.call.Tool, err))
			}
			w.persist(ctx, "record the outcome", func(ctx context.Context) error {
				return w.env.Ledger.Finish(ctx, w.call, w.begun.At, state, result)
			})
		} else {
			w.release(ctx)
		}
	}
	w.record(ctx, out)
}

// outcome is the state to record after a call that failed with err, or
// false if DingTalk certainly did not act on it.
func outcome(err error, idempotent bool) (ledger.State, bool) {
	if err == nil {
		return ledger.Done, true
	}
	var ex *explainedError
	if errors.As(err, &ex) && ex.done != "" {
		return ledger.Done, true // part of the work was done
	}
	var de *dingtalk.Error
	if errors.As(err, &de) && de.MaybeSent && !idempotent {
		return ledger.Uncertain, true
	}
	return "", false
}

// record writes the audit entry with the outcome out holds.
func (w *write) record(ctx context.Context, out any) {
	if w.env.Audit == nil {
		return
	}
	e := *out.(enveloped).envelope()
	w.entry.StatusCode, w.entry.ErrorCode, w.entry.RequestId = e.StatusCode, e.ErrorCode, e.RequestId
	if e.StatusCode == http200 || w.entry.Replayed {
		if b, err := json.Marshal(out); err == nil {
			w.entry.Ids = audit.IDs(b)
		}
	}
	w.env.Audit.Record(ctx, w.person, &w.entry)
}

func (env *Env) logger() *slog.Logger {
	if env.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return env.Logger
}

// RecentWrites returns up to n of the writes the person ctx carries (the
// app, without one) made recently, newest first.
func (env *Env) RecentWrites(ctx context.Context, n int) ([]audit.Entry, error) {
	if env.Audit == nil {
		return []audit.Entry{}, nil
	}
	return env.Audit.Recent(ctx, personID(PersonFrom(ctx)), n)
}
