package tools

import "context"

// Person is the signed-in person a call acts for. A server without
// sign-in (stdio, or HTTP with a shared bearer token) has none: its calls
// act as the app, with the configured defaults.
type Person struct {
	UnionID string // DingTalk unionId: the OperatorId of wiki and sheet calls
	UserID  string // DingTalk userId within the organisation
	Name    string // display name, for Summaries and logs
}

// Label names the person in logs, audit records and Summaries.
func (p *Person) Label() string {
	if p == nil {
		return "app"
	}
	if p.Name != "" {
		return p.Name + " (" + p.UserID + ")"
	}
	return p.UserID
}

type personKey struct{}

// WithPerson returns ctx carrying p. The HTTP layer calls it once it knows
// who made the request; tools read it with PersonFrom, never from globals.
func WithPerson(ctx context.Context, p *Person) context.Context {
	return context.WithValue(ctx, personKey{}, p)
}

// PersonFrom returns the person ctx carries, or nil when the call acts as
// the app.
func PersonFrom(ctx context.Context) *Person {
	p, _ := ctx.Value(personKey{}).(*Person)
	return p
}
