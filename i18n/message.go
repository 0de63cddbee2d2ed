package i18n

import "errors"

// A Message is a text of the catalog with the arguments of its format
// verbs, rendered only when the language it is shown in is known. Code that
// runs before it is (a tool's input validation, which the language of the
// answer does not concern) returns a Message; the answer renders it.
type Message struct {
	key  string
	args []any
}

// Msg returns the Message whose English format is key, with args.
func Msg(key string, args ...any) Message { return Message{key: key, args: args} }

// In renders m in l, and the Messages among its arguments with it.
func (m Message) In(l Lang) string {
	args := m.args
	for i, a := range m.args {
		if inner, ok := a.(Message); ok {
			if &args[0] == &m.args[0] {
				args = append([]any(nil), m.args...)
			}
			args[i] = inner.In(l)
		}
	}
	return l.Textf(m.key, args...)
}

// IsZero reports whether m is the zero Message, which has no text.
func (m Message) IsZero() bool { return m.key == "" }

// String renders m in English, the language of logs and Go errors.
func (m Message) String() string { return m.In(En) }

// An Error is an error whose text is a Message, for errors that reach a
// person (a start-up error): Error gives it in English, In in any language.
type Error struct{ Message }

// Errorf returns the Error whose English format is key, with args.
func Errorf(key string, args ...any) error { return &Error{Msg(key, args...)} }

func (e *Error) Error() string { return e.String() }

// ErrorIn returns the text of err in l: the Message of an Error, or else
// the error's own text.
func ErrorIn(l Lang, err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.In(l)
	}
	return err.Error()
}
