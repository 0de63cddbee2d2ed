package tools

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

// InputError is a call refused before anything was sent to DingTalk.
type InputError struct {
	Field   string // the parameter at fault, if one is
	Message string
	Hint    string
}

func (e *InputError) Error() string { return e.Message }

// invalid returns an InputError for field.
func invalid(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
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

// An explainedError is a DingTalk failure that the tool explains itself,
// because only it knows the rows, ranges or ids involved: what it had
// already done at DingTalk before the failure, and the next step.
type explainedError struct {
	err  error
	done string // what was already done; "" if nothing
	hint string // replaces the default Hint when not ""
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

// failure renders err as the envelope of a failed call.
func (t *Tool[In, Out]) failure(env *Env, err error) Envelope {
	e := t.failureOf(env, err)
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

func (t *Tool[In, Out]) failureOf(env *Env, err error) Envelope {
	var ie *InputError
	if errors.As(err, &ie) {
		hint := ie.Hint
		if hint == "" {
			hint = "Correct the parameter and call " + t.Name + " again; nothing was sent to DingTalk."
		}
		return Envelope{StatusCode: -1, ErrorMessage: ie.Message, Hint: hint}
	}
	var denied *DeniedError
	if errors.As(err, &denied) {
		return Envelope{StatusCode: 403, ErrorMessage: denied.Message, Hint: denied.Hint}
	}
	var de *dingtalk.Error
	if !errors.As(err, &de) {
		return Envelope{StatusCode: 500, ErrorMessage: env.redact(err.Error()), Hint: "This is unexpected; report it with the ErrorMessage.", Retryable: false}
	}
	status, ok := statusOf[de.Kind]
	if !ok {
		status = 400
		if de.HTTPStatus >= 500 || de.HTTPStatus == 0 {
			status = 500
		}
	}
	uncertain := de.MaybeSent && !t.Spec().Idempotent
	msg := "DingTalk error"
	if code := de.FullCode(); code != "" {
		msg += " " + code
	}
	msg += ": " + de.Message
	if uncertain {
		msg += " The request was sent, so the change may have been made."
	}
	return Envelope{
		StatusCode:         status,
		ErrorMessage:       env.redact(msg),
		Hint:               t.hintFor(de, uncertain),
		Retryable:          de.Retryable() && !uncertain,
		OriginalStatusCode: de.HTTPStatus,
		ErrorCode:          de.FullCode(),
		RequestId:          de.RequestID,
	}
}

func (t *Tool[In, Out]) hintFor(de *dingtalk.Error, uncertain bool) string {
	if uncertain {
		if t.UncertainHint != "" {
			return t.UncertainHint
		}
		return "Check whether the change was made (read it back) before calling " + t.Name + " again: repeating it may do it twice."
	}
	if h, ok := t.Hints[de.Kind]; ok {
		return h
	}
	switch de.Kind {
	case dingtalk.KindAuth:
		return "Check DINGTALK_APP_KEY and DINGTALK_APP_SECRET: they must be the Client ID and Client Secret of an internal app in the DingTalk developer console."
	case dingtalk.KindPermission:
		if strings.Contains(de.Code, "IpNotInWhiteList") || de.Code == "60020" || de.SubCode == "60020" {
			return "Add this server's outbound IP address to the app's IP whitelist in the DingTalk developer console."
		}
		if scope := de.RequiredScope(); scope != "" {
			return "Grant the app the " + scope + " permission in the DingTalk developer console (app > Permissions), then call " + t.Name + " again."
		}
		return "The app lacks a permission or the user is outside the app's contact scope: check the app's permissions and contact scope in the DingTalk developer console."
	case dingtalk.KindNotFound:
		return "Check the id: it does not exist or is not visible to the app."
	case dingtalk.KindConflict:
		return "The object already exists; use the existing one or choose another value."
	case dingtalk.KindThrottled:
		wait := max(de.RetryAfter(), time.Second)
		return fmt.Sprintf("DingTalk is rate limiting this app; wait %s and call %s again.", wait.Round(time.Second), t.Name)
	case dingtalk.KindTransient, dingtalk.KindTimeout:
		return "DingTalk or the network failed; call " + t.Name + " again in a few seconds."
	case dingtalk.KindInvalid:
		return "DingTalk rejected the parameters; correct them as its message says."
	}
	return "See DingTalk's error code " + de.FullCode() + " in its server API error code list."
}
