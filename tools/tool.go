// Package tools exposes DingTalk operations as MCP tools. Each tool is one
// typed declaration (Tool); one adapter gives every tool the same decoding,
// validation, defaults, Confirm guard and result envelope.
//
// This package is where an agent's input is validated, once: the schema's
// constraints when the arguments are decoded, then each tool's Validate.
// A call that fails either sends nothing to DingTalk, and its error names
// the parameter at fault. The dingtalk client does not check again.
package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// Toolset groups the tools of one area; users enable toolsets by name.
type Toolset string

// The toolsets.
const (
	Chat     Toolset = "chat"
	Contacts Toolset = "contacts"
	Wiki     Toolset = "wiki"
	Sheet    Toolset = "sheet"
	Message  Toolset = "message"
)

// Toolsets lists every toolset in the order they are documented.
var Toolsets = []Toolset{Chat, Contacts, Wiki, Sheet, Message}

// Tool declares one MCP tool. In and Out are structs whose json and
// jsonschema tags are the tool's input and output schemas (go generate
// writes them to the tool's file, testdata/toolsnaps/<Name>.json); Out embeds
// Envelope, and In embeds Confirmation if the tool is guarded.
type Tool[In, Out any] struct {
	Name        string
	Title       string
	Description string
	Toolset     Toolset
	// ReadOnly tools change nothing; read-only mode registers only them.
	ReadOnly bool
	// Destructive writes may overwrite or remove data.
	Destructive bool
	// Idempotent calls have no further effect when repeated.
	Idempotent bool

	// Validate checks what the schema cannot express (exclusive fields,
	// ranges, A1 notation) and may normalise in. It returns *InputError.
	Validate func(in *In) error
	// Preview says exactly what a guarded call would do, e.g. "append 2
	// rows at A6:C7 of sheet Sales". It is asked only after validation.
	// It is written in l, the language of the server.
	Preview func(l i18n.Lang, in *In) string
	// Inspect reads from DingTalk what Preview describes but the call
	// does not say, e.g. how much of a document an overwrite replaces,
	// and keeps it in in. It runs, with the operator resolved, only when
	// the call is not yet confirmed.
	Inspect func(ctx context.Context, env *Env, in *In) error
	// Run carries out the call. On failure it may still return a partly
	// filled Out (e.g. rows inserted before a write failed).
	Run func(ctx context.Context, env *Env, in *In) (Out, error)
	// Hints replaces the default Hint of a DingTalk failure, keyed by its
	// cause: a dingtalk.Reason, Uncertain (a write that is not idempotent
	// may have been made) or a dingtalk.Kind. See hint for which wins.
	Hints map[dingtalk.Cause]string

	localized  [2]localizedTool // by i18n.Lang.Index
	schemaOnce sync.Once
	schema     *inputSchema
}

// Spec is what the registry knows of a tool without its types.
type Spec struct {
	Name        string
	Toolset     Toolset
	ReadOnly    bool
	Destructive bool
	Idempotent  bool
	Guarded     bool
}

// Declaration is a Tool with its type parameters hidden, so that tools of
// different types share one list.
type Declaration interface {
	Spec() Spec
	MCPTool() mcp.Tool
	MCPToolIn(l i18n.Lang) mcp.Tool
	// hints returns the tool's own Hints, the catalog's keys of them.
	hints() map[dingtalk.Cause]string
	Handler(env *Env) server.ToolHandlerFunc
	Generate(schemaOf func(reflect.Type) json.RawMessage) (mcp.Tool, error)
}

// Spec describes t for the registry.
func (t *Tool[In, Out]) Spec() Spec {
	_, g := any(new(In)).(guarded)
	return Spec{Name: t.Name, Toolset: t.Toolset, ReadOnly: t.ReadOnly, Destructive: t.Destructive, Idempotent: t.ReadOnly || t.Idempotent, Guarded: g}
}

// localizedTool is a tool as tools/list shows it in one language, made at
// the first use of that language.
type localizedTool struct {
	once sync.Once
	raw  mcp.Tool
}

// init makes t as tools/list shows it in l, with the schemas of its
// generated file in l.
func (t *Tool[In, Out]) init(l i18n.Lang) *mcp.Tool {
	lt := &t.localized[l.Index()]
	lt.once.Do(func() {
		in, out, err := loadSchemas(i18n.Langs[l.Index()], t.Name)
		if err != nil {
			panic(fmt.Sprintf("tools: %s: %v; run go generate ./...", t.Name, err))
		}
		lt.raw = t.mcpTool(l, in, out)
	})
	return &lt.raw
}

// Generate returns t as tools/list is to show it, its input and output
// schemas made by schemaOf from In and Out. go generate writes the result
// to t's file (see schemafile.go), whose schemas the server publishes;
// schemaOf comes from the generator, so that the server does not link the
// reflector. It fails when Out does not embed Envelope, or when decoding
// could not read the input schema.
func (t *Tool[In, Out]) Generate(schemaOf func(reflect.Type) json.RawMessage) (mcp.Tool, error) {
	if _, ok := any(new(Out)).(enveloped); !ok {
		return mcp.Tool{}, fmt.Errorf("%s: output type %T does not embed Envelope", t.Name, *new(Out))
	}
	in, out := schemaOf(reflect.TypeFor[In]()), schemaOf(reflect.TypeFor[Out]())
	if _, err := parseInputSchema(in, reflect.TypeFor[In]()); err != nil {
		return mcp.Tool{}, fmt.Errorf("%s: decoding cannot read its input schema: %w", t.Name, err)
	}
	return t.mcpTool(i18n.En, in, out), nil
}

// mcpTool returns t as tools/list shows it in l with the schemas in and
// out. The title and description come from the catalog, as the generator
// translated them into the file of l.
func (t *Tool[In, Out]) mcpTool(l i18n.Lang, in, out json.RawMessage) mcp.Tool {
	s := t.Spec()
	readOnly, destructive, idempotent, openWorld := s.ReadOnly, s.Destructive && !s.ReadOnly, s.Idempotent, true
	title := l.Text(t.Title)
	return mcp.Tool{
		Name:            t.Name,
		Title:           title,
		Description:     l.Text(t.Description),
		RawInputSchema:  in,
		RawOutputSchema: out,
		Annotations: mcp.ToolAnnotation{
			Title:           title,
			ReadOnlyHint:    &readOnly,
			DestructiveHint: &destructive,
			IdempotentHint:  &idempotent,
			OpenWorldHint:   &openWorld,
		},
	}
}

// inputSchema returns what decoding In needs, read at the first call from
// the schema published in English. The languages' schemas differ only in
// their descriptions (a test holds them to it), and an English description
// is the catalog's key of its translation, which an InputError quoting it
// renders in the language of the answer.
func (t *Tool[In, Out]) inputSchema() *inputSchema {
	t.schemaOnce.Do(func() {
		s, err := parseInputSchema(t.MCPToolIn(i18n.En).RawInputSchema, reflect.TypeFor[In]())
		if err != nil {
			panic(fmt.Sprintf("tools: %s: the published input schema does not fit its type (%v); run go generate ./...", t.Name, err))
		}
		t.schema = s
	})
	return t.schema
}

func (t *Tool[In, Out]) hints() map[dingtalk.Cause]string { return t.Hints }

// MCPTool returns the tool as tools/list shows it in English.
func (t *Tool[In, Out]) MCPTool() mcp.Tool { return t.MCPToolIn(i18n.En) }

// MCPToolIn returns the tool as tools/list shows it in l: names, numbers,
// enums and structure as in every language, the texts in l.
func (t *Tool[In, Out]) MCPToolIn(l i18n.Lang) mcp.Tool { return *t.init(l) }

// Handler returns the adapter that serves t's calls with env.
func (t *Tool[In, Out]) Handler(env *Env) server.ToolHandlerFunc {
	t.init(env.Lang)
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var out Out
		in, err := t.decode(req)
		if err == nil {
			err = env.applyDefaults(ctx, in)
		}
		if err == nil {
			err = env.authorize(ctx, t.Spec(), in)
		}
		if err != nil {
			return t.result(ctx, env, in, &out, err), nil
		}
		// A repeat the ledger stops is answered before the Confirm guard:
		// it sends nothing, so there is nothing to inspect or confirm.
		w, stopped := t.beginWrite(ctx, env, in)
		if stopped != nil {
			return stopped, nil
		}
		if t.Inspect != nil && !confirmed(in) {
			if err = env.resolveOperator(ctx, in); err == nil {
				err = t.Inspect(ctx, env, in)
			}
			if err != nil {
				w.release(ctx)
				return t.result(ctx, env, in, &out, err), nil
			}
		}
		if r := t.guard(ctx, env, req, in); r != nil {
			w.release(ctx)
			if r.elicit != nil {
				return r.elicit, nil
			}
			return t.result(ctx, env, in, &out, r.err), nil
		}
		err = env.resolveOperator(ctx, in)
		if err == nil {
			out, err = t.Run(ctx, env, in)
		}
		res := t.result(ctx, env, in, &out, err)
		w.finish(ctx, t.Spec().Idempotent, &out, err)
		return res, nil
	}
}

// decode turns the call's arguments into In: strict decoding, defaults,
// schema constraints, then the tool's own checks.
func (t *Tool[In, Out]) decode(req mcp.CallToolRequest) (*In, error) {
	var args map[string]json.RawMessage
	if err := req.BindArguments(&args); err != nil {
		return nil, invalid("", "arguments must be a JSON object of named parameters")
	}
	in := new(In)
	if err := t.inputSchema().decode(args, reflect.ValueOf(in).Elem()); err != nil {
		return nil, err
	}
	if err := checkKey(in); err != nil {
		return nil, err
	}
	if t.Validate != nil {
		if err := t.Validate(in); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// result renders out and err as the tool result: the envelope filled in,
// structuredContent plus its JSON text, isError on failure.
func (t *Tool[In, Out]) result(ctx context.Context, env *Env, in *In, out *Out, err error) *mcp.CallToolResult {
	e := any(out).(enveloped).envelope()
	if err != nil {
		*e = t.failure(env, err)
	} else {
		e.StatusCode = http200
	}
	env.credit(ctx, t.Name, in, e)
	fillNilSlices(reflect.ValueOf(out).Elem())
	res := mcp.NewToolResultStructuredOnly(out)
	res.IsError = err != nil
	return res
}

const http200 = 200
