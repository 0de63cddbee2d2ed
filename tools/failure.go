package tools

import (
	"errors"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// InputError is a call refused before anything was sent to DingTalk. Its
// texts are rendered in the language of the answer: validation runs before
// that language concerns it.
type InputError struct {
	Field   string // the parameter at fault, if one is
	Message i18n.Message
	Hint    i18n.Message // zero: correct the parameter and call again
}

func (e *InputError) Error() string { return e.Message.String() }

// invalid returns an InputError for field, its message the catalog text
// whose English format is format.
func invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Message: i18n.Msg(format, args...)}
}

// phrase is p as a Message of the catalog, whose keys include the formats
// of the dingtalk package's Phrases.
func phrase(p dingtalk.Phrase) i18n.Message {
	args := make([]any, len(p.Args))
	for i, a := range p.Args {
		if inner, ok := a.(dingtalk.Phrase); ok {
			a = phrase(inner)
		}
		args[i] = a
	}
	return i18n.Msg(p.Format, args...)
}

// statusOf maps a DingTalk failure to the envelope's HTTP-style class.
var statusOf = map[dingtalk.Kind]int{
	dingtalk.KindInvalid:    400,
	dingtalk.KindAuth:       401,
	dingtalk.KindPermission: 403,
	dingtalk.KindNotFound:   404,
	dingtalk.KindConflict:   409,
	dingtalk.KindThrottled:  429,
	dingtalk.KindTransient:  500,
	dingtalk.KindTimeout:    504,
}

// statusUnavailable is the class of a call refused because the server's
// shared state (a fleet's Redis) could not be reached: nothing was sent.
const statusUnavailable = 503

// An explainedError is a failure that the tool accounts for at run time,
// because only its Run knows the rows, ranges or ids involved: what it had
// already done at DingTalk before the failure, and the next step. A Hint
// that depends on nothing but the failure belongs in the declaration's
// Hints instead.
type explainedError struct {
	err  error
	done string // what was already done; "" if nothing
	hint string // replaces every other Hint when not ""
}

func (e *explainedError) Error() string {
	if e.done == "" {
		return e.err.Error()
	}
	return e.done + ": " + e.err.Error()
}

func (e *explainedError) Unwrap() error { return e.err }

// explain wraps err with the tool's own account of it. With done set, the
// ErrorMessage starts with it and the result is never Retryable: repeating
// the call would redo what was done.
func explain(err error, done, hint string) error {
	if err == nil {
		return nil
	}
	return &explainedError{err: err, done: done, hint: hint}
}

// failure renders err as the envelope of a failed call: an InputError, a
// call the policy denies, a DingTalk failure, or anything else, which is a fault of the server; then
// the tool's run-time account of it, if it gave one.
func (t *Tool[In, Out]) failure(env *Env, err error) Envelope {
	l := env.Lang
	var (
		e      Envelope
		ie     *InputError
		denied *DeniedError
		de     *dingtalk.Error
	)
	switch {
	case errors.As(err, &ie):
		hint := ie.Hint.In(l)
		if ie.Hint.IsZero() {
			hint = l.Textf("Correct the parameter and call %s again; nothing was sent to DingTalk.", t.Name)
		}
		e = Envelope{StatusCode: -1, ErrorMessage: ie.Message.In(l), Hint: hint}
	case errors.As(err, &denied):
		e = Envelope{StatusCode: 403, ErrorMessage: denied.Message, Hint: denied.Hint}
	case errors.Is(err, store.ErrUnavailable) || dingtalk.KindOf(err) == dingtalk.KindUnavailable:
		msg := err.Error()
		if errors.As(err, &de) && de.Described.Format != "" {
			msg = phrase(de.Described).In(l)
		}
		e = Envelope{StatusCode: statusUnavailable, ErrorMessage: env.redact(msg), Retryable: true,
			Hint: l.Textf("The server's shared state (its Redis) is unavailable, so nothing was sent to DingTalk; call %s again in a few seconds.", t.Name)}
	case errors.As(err, &de):
		status, ok := statusOf[de.Kind]
		if !ok {
			status = 400
			if de.HTTPStatus >= 500 || de.HTTPStatus == 0 {
				status = 500
			}
		}
		uncertain := de.MaybeSent && !t.Spec().Idempotent
		// DingTalk's own message stays as DingTalk sent it, inside ours;
		// the client's description of a failure is said in l.
		said := de.Message
		if de.Described.Format != "" {
			said = phrase(de.Described).In(l)
		}
		msg := l.Textf("DingTalk error: %s", said)
		if code := de.FullCode(); code != "" {
			msg = l.Textf("DingTalk error %s: %s", code, said)
		}
		if uncertain {
			msg += " " + l.Text("The request was sent, so the change may have been made.")
		}
		e = Envelope{
			StatusCode:         status,
			ErrorMessage:       env.redact(msg),
			Hint:               t.hint(l, de, uncertain),
			Retryable:          de.Retryable() && !uncertain,
			OriginalStatusCode: de.HTTPStatus,
			ErrorCode:          de.FullCode(),
			RequestId:          de.RequestID,
		}
	default:
		e = Envelope{StatusCode: 500, ErrorMessage: env.redact(err.Error()), Hint: l.Text("This is unexpected; report it with the ErrorMessage.")}
	}
	var ex *explainedError
	if errors.As(err, &ex) {
		if ex.hint != "" {
			e.Hint = ex.hint
		}
		if ex.done != "" {
			e.ErrorMessage = env.redact(ex.done) + ": " + e.ErrorMessage
			e.Retryable = false
		}
	}
	return e
}
