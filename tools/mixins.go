package tools

// The input mixins: structs that a tool's input embeds to take a parameter
// every tool of a kind shares. The adapter finds them through their unexported
// methods and acts on them (the Confirm guard, the server's defaults).

// Confirmation is embedded in the input of every write that cannot be
// undone by calling a tool again. Embedding it is what makes a tool guarded.
type Confirmation struct {
	Confirm bool `json:"Confirm,omitempty" jsonschema_description:"true to carry out; otherwise returns a preview."`
}

func (c *Confirmation) confirmation() *Confirmation { return c }

type guarded interface{ confirmation() *Confirmation }

// Operator is embedded in the input of tools that act as a user of the
// organisation (knowledge base and spreadsheet tools).
type Operator struct {
	OperatorId string `json:"OperatorId,omitempty" jsonschema:"maxLength=64" jsonschema_description:"Acting user's userId or unionId; defaults to the server's."`
}

func (o *Operator) operator() *Operator { return o }

type operated interface{ operator() *Operator }

// Agent is embedded in the input of the work notice tools.
type Agent struct {
	AgentId int64 `json:"AgentId,omitempty" jsonschema:"minimum=1" jsonschema_description:"Sending app's AgentId; defaults to the server's."`
}

func (a *Agent) agent() *Agent { return a }

type agented interface{ agent() *Agent }

// Idempotency is embedded in the input of every write that is not
// idempotent: the adapter records such a call under its key, so a retry
// with the same key returns the first result instead of sending again.
type Idempotency struct {
	IdempotencyKey string `json:"IdempotencyKey,omitempty" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Your id for this request; retrying with it returns the first result, nothing sent twice."`
}

func (k *Idempotency) idempotency() *Idempotency { return k }

type keyed interface{ idempotency() *Idempotency }

// Replay is embedded in the output of every tool whose input embeds
// Idempotency: it says whether the result is an earlier call's.
type Replay struct {
	Replayed   bool   `json:"Replayed" jsonschema_description:"true if nothing was sent: this is the result of the identical call made at ReplayedAt."`
	ReplayedAt string `json:"ReplayedAt,omitempty" jsonschema_description:"When that earlier call was made (RFC 3339)."`
}

func (r *Replay) replay() *Replay { return r }

type replayable interface{ replay() *Replay }
