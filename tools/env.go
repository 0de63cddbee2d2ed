package tools

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
)

// Env is what every tool call may use: the DingTalk client and the
// server's configured defaults.
type Env struct {
	Client *dingtalk.Client
	// AgentID is the default AgentId of the work notice tools.
	AgentID int64
	// OperatorID is the default OperatorId (a unionId or userId).
	OperatorID string
	Logger     *slog.Logger
	// Policy is what a signed-in person may do (policy.go).
	Policy Policy
	// Lang is the language of every text the tools write: Summaries,
	// Hints, ErrorMessages of their own, previews and questions.
	Lang i18n.Lang
	// Ledger keeps writes that are not idempotent from being made twice;
	// nil sends every call.
	Ledger *ledger.Ledger
	// Audit records every write attempt; nil records none.
	Audit *audit.Log

	unionIDs sync.Map // userId → unionId, resolved once
	cached   atomic.Int64
}

// maxCachedOperators bounds the userId → unionId cache: a few operators
// are the norm, and a flood of made-up ids must not grow memory.
const maxCachedOperators = 1024

// rememberUnionID caches the unionId of an operator id.
func (env *Env) rememberUnionID(id, unionID string) {
	if env.cached.Add(1) > maxCachedOperators {
		env.unionIDs.Clear()
		env.cached.Store(1)
	}
	env.unionIDs.Store(id, unionID)
}

func (env *Env) redact(s string) string {
	if env.Client == nil {
		return s
	}
	return env.Client.Redact(s)
}

// applyDefaults fills AgentId and OperatorId from the server's
// configuration when the call leaves them out. A signed-in person is the
// OperatorId of their own calls.
func (env *Env) applyDefaults(ctx context.Context, in any) error {
	if a, ok := in.(agented); ok && a.agent().AgentId == 0 {
		if env.AgentID == 0 {
			return &InputError{Field: "AgentId", Message: i18n.Msg("AgentId is required: the call gave none and the server has no default."),
				Hint: i18n.Msg("Pass AgentId (the app's AgentId from the DingTalk developer console), or start the server with DINGTALK_AGENT_ID or --agent-id.")}
		}
		a.agent().AgentId = env.AgentID
	}
	if o, ok := in.(operated); ok && strings.TrimSpace(o.operator().OperatorId) == "" {
		if p := PersonFrom(ctx); p != nil {
			o.operator().OperatorId = p.UnionID
			return nil
		}
		if env.OperatorID == "" {
			return &InputError{Field: "OperatorId", Message: i18n.Msg("OperatorId is required: the call gave none and the server has no default."),
				Hint: i18n.Msg("Pass OperatorId (a unionId from get_user, or a userId from search_users), or start the server with DINGTALK_OPERATOR_ID or --operator-id.")}
		}
		o.operator().OperatorId = env.OperatorID
	}
	return nil
}

// resolveOperator turns an OperatorId given as a userId into the unionId
// that the knowledge base and spreadsheet APIs expect. A unionId is passed
// through; a userId is looked up once and cached.
func (env *Env) resolveOperator(ctx context.Context, in any) error {
	o, ok := in.(operated)
	if !ok {
		return nil
	}
	id := strings.TrimSpace(o.operator().OperatorId)
	if v, ok := env.unionIDs.Load(id); ok {
		o.operator().OperatorId = v.(string)
		return nil
	}
	if looksLikeUnionID(id) {
		o.operator().OperatorId = id
		return nil
	}
	u, err := env.Client.Users.Get(ctx, id, "")
	if err != nil {
		if dingtalk.KindOf(err) == dingtalk.KindNotFound {
			// Not a userId: it is taken as a unionId, and remembered as
			// one so that later calls do not look it up again.
			env.rememberUnionID(id, id)
			o.operator().OperatorId = id
			return nil
		}
		return err
	}
	if u.UnionID != "" {
		env.rememberUnionID(id, u.UnionID)
		o.operator().OperatorId = u.UnionID
	}
	return nil
}

// looksLikeUnionID recognises DingTalk's unionIds, which end in "iEiE"
// (e.g. ppgAQuHfOoNVpJiStDwWCEgiEiE). Anything else is tried as a userId
// first. The suffix rule is an observation, not documented (UNVERIFIED).
func looksLikeUnionID(id string) bool {
	return len(id) >= 20 && strings.HasSuffix(id, "iEiE")
}

// In returns env for the tools of a server in l: the same client, ledger,
// audit log and defaults, every text in l.
func (env *Env) In(l i18n.Lang) *Env {
	return &Env{Client: env.Client, AgentID: env.AgentID, OperatorID: env.OperatorID, Logger: env.Logger,
		Lang: l, Ledger: env.Ledger, Audit: env.Audit}
}
