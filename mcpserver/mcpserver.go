// Package mcpserver assembles dingtalk-mcp: the DingTalk client (or the
// built-in emulator), the selected tools, the prompts that use only those
// tools with completion of their arguments, the instructions and the
// agent guide, on one MCP server.
//
// The binary, the benchmarks and every test that serves the server build it
// with New, so that none of them serves a server that differs from the
// real one. What varies between them is configuration (Config) or a part
// put in (an Option); New decides everything else.
package mcpserver

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/fleet"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/prompts"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// Name is the server's name in the initialize result.
const Name = "dingtalk-mcp"

// Config is what the server is built from. With AppKey and AppSecret set
// and nothing else, it is every tool against DingTalk.
type Config struct {
	// Version is the server's version in the initialize result.
	Version string

	// AppKey and AppSecret are the DingTalk app's Client ID and Client
	// Secret. Sandbox needs neither.
	AppKey, AppSecret string
	// AgentID is the default AgentId of the work notice tools; 0 for none.
	AgentID int64
	// OperatorID is the default OperatorId (a unionId or userId) of the
	// knowledge base and sheet tools; empty for none.
	OperatorID string
	// APIBaseURL and OAPIBaseURL replace DingTalk's new and legacy API base
	// URLs when set.
	APIBaseURL, OAPIBaseURL string
	// LoginBaseURL replaces the host of DingTalk's sign-in page when set.
	LoginBaseURL string
	// Sandbox serves the tools against the built-in DingTalk emulator, with
	// its demo organisation, on a loopback port of this process. AgentID and
	// OperatorID default to the demo app's and the organisation's manager.
	Sandbox bool
	// RedisURL, when set, makes this server one replica of a fleet: the
	// app's access token, DingTalk's rate budget (per API and in total) and
	// the server's state are shared with every replica that uses the same
	// Redis. New fails, naming --redis-url, when that Redis cannot be used.
	RedisURL string
	// FleetLimits replaces the fleet's rates (fleet.DefaultLimits when
	// nil); zero rates turn the shared limiter off, for benchmarks.
	FleetLimits *fleet.Limits

	// Lang is the language of every text the server writes: tool
	// descriptions, results' texts, prompts, the guide, the instructions.
	// The zero value is English.
	Lang i18n.Lang

	// Tools chooses the tools to register. A prompt is offered only when
	// every tool it names is registered.
	Tools tools.Selection

	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger

	// Policy is what a person signed in with DingTalk may do; it applies
	// only to calls that carry one (tools.PersonFrom).
	Policy tools.Policy

	// DedupeWindow is how long a write identical to one made without an
	// IdempotencyKey is refused: 0 means ledger.DefaultWindow, a negative
	// value turns the check off (keys still work).
	DedupeWindow time.Duration
	// StateDir, when set, keeps the server's state (the ledger of writes,
	// the recent writes) in a file in this directory, opened only then, so
	// that it survives a restart; otherwise it is kept in memory, or in
	// Redis with RedisURL, which excludes StateDir.
	StateDir string
	// AuditLog is the file that gets one JSON line per write attempt,
	// "-" for Stderr, or "" for none.
	AuditLog string
	// Stderr is where AuditLog "-" writes; os.Stderr if nil.
	Stderr io.Writer
}

// Option puts a part of the server in place of the one New would build.
type Option func(*options)

type options struct {
	clientOptions []dingtalk.Option
}

// WithClientOptions configures the DingTalk client further, after the
// options Config implies, so that these win: retry timing, a transport, a
// clock, the rate limit.
func WithClientOptions(opts ...dingtalk.Option) Option {
	return func(o *options) { o.clientOptions = append(o.clientOptions, opts...) }
}

// Server is the assembled server and what it was built with.
type Server struct {
	// MCP is the server to hand to a transport.
	MCP *server.MCPServer
	// Env is what the tools are served with: the DingTalk client and the
	// default AgentId and OperatorId.
	Env *tools.Env
	// Tools and Prompts name what was registered.
	Tools, Prompts []string
	// Store holds what must outlive a request or be shared by replicas:
	// the fleet's Redis, the StateDir file, or memory.
	Store store.Store
	// Fleet is the Redis this replica shares with the others; nil when
	// the server runs alone.
	Fleet *fleet.Fleet

	close func()
	// build makes the MCP server of a language, sharing the client, the
	// store and the emulator; other holds those made after New.
	build func(l i18n.Lang) *server.MCPServer
	lang  i18n.Lang
	mu    sync.Mutex
	other map[i18n.Lang]*server.MCPServer
}

// In returns the MCP server that speaks l: MCP when l is the language New
// was given, otherwise one made at the first call for l, with the same
// tools, prompts and DingTalk client. A language no request asks for
// costs nothing.
func (s *Server) In(l i18n.Lang) (*server.MCPServer, error) {
	if l == s.lang || s.build == nil {
		return s.MCP, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.other[l]; ok {
		return m, nil
	}
	m := s.build(l)
	if s.other == nil {
		s.other = map[i18n.Lang]*server.MCPServer{}
	}
	s.other[l] = m
	return m, nil
}

// Close stops what New started besides the MCP server: it flushes the
// audit log, stops the emulator of a Sandbox server and closes the
// StateDir file or the fleet's connection. It is safe to call more than
// once.
func (s *Server) Close() { s.close() }

// instructions tell the model how the tools fit together.
const instructions = `Tools for one DingTalk organisation. Find people with search_users or get_dept_users, departments with search_departments or get_dept_list. ` +
	`Writes that cannot be undone need Confirm=true: without it you get a preview (StatusCode -1) describing exactly what would happen; show it to the user and ask before confirming. ` +
	`Every result has StatusCode (200 on success), Summary, and on failure ErrorMessage, Hint (the next step) and Retryable.`

// New builds the server that cfg describes. An unknown toolset or tool in
// cfg.Tools is an error naming it. Call Close when done with the server.
func New(cfg Config, opts ...Option) (*Server, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if cfg.Lang == "" {
		cfg.Lang = i18n.En
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	decls, err := tools.Select(cfg.Tools)
	if err != nil {
		return nil, err
	}
	shared, err := openShared(cfg, logger)
	if err != nil {
		return nil, err
	}
	env, stopEnv, err := newEnv(cfg, logger, append(shared.clientOptions(), o.clientOptions...))
	if err != nil {
		shared.close()
		return nil, err
	}
	shared.watch(env.Client)
	var closeRecord func()
	if env.Ledger, env.Audit, closeRecord, err = openRecord(cfg, shared.store, logger); err != nil {
		stopEnv()
		shared.close()
		return nil, err
	}
	toolNames := make([]string, len(decls))
	for i, d := range decls {
		toolNames[i] = d.Spec().Name
	}
	var registering sync.WaitGroup
	var promptNames []string // those of the first server
	build := func(l i18n.Lang) *server.MCPServer {
		lenv := env
		if l != cfg.Lang {
			lenv = env.In(l)
		}
		// Registering the tools (reading their files, and mcp-go's check of
		// every input schema) took a quarter of the CPU of a start, and
		// initialize needs none of them: they are registered once initialize is
		// answered, on another goroutine while the client reads the answer, or
		// at the first other request, which waits for them.
		var s *server.MCPServer
		register := sync.OnceFunc(func() { tools.Register(s, lenv, decls) })
		hooks := &server.Hooks{}
		hooks.AddAfterInitialize(func(context.Context, any, *mcp.InitializeRequest, *mcp.InitializeResult) {
			registering.Go(register)
		})
		hooks.AddBeforeAny(func(_ context.Context, _ any, method mcp.MCPMethod, _ any) {
			if method != mcp.MethodInitialize {
				register()
			}
		})
		s = server.NewMCPServer(Name, cfg.Version,
			server.WithHooks(hooks),
			server.WithToolCapabilities(false),
			server.WithPromptCapabilities(false),
			server.WithResourceCapabilities(false, false),
			server.WithCompletions(),
			server.WithLogging(),
			server.WithRecovery(),
			server.WithInstructions(l.Text(instructions)),
			server.WithTitle(l.Text("DingTalk")),
		)
		popts := []prompts.Option{prompts.WithLogger(logger), prompts.WithLang(l)}
		if sel := cfg.Tools; sel.ReadOnly || len(sel.Toolsets) > 0 || len(sel.Tools) > 0 {
			// Offer only the prompts whose tools are all registered.
			popts = append(popts, prompts.WithTools(toolNames))
		}
		names := prompts.Register(s, prompts.NewDirectory(lenv.Client), popts...)
		if promptNames == nil {
			promptNames = names
		}
		addResources(s, lenv)
		return s
	}
	stop := func() { registering.Wait(); closeRecord(); stopEnv(); shared.close() }
	s := build(cfg.Lang)
	return &Server{MCP: s, Env: env, Tools: toolNames, Prompts: promptNames, Store: shared.store, Fleet: shared.fleet,
		close: sync.OnceFunc(stop), build: build, lang: cfg.Lang}, nil
}

// newEnv builds the DingTalk client and the tools' defaults: against
// DingTalk, or against the emulator on a loopback port. stop stops the
// emulator.
func newEnv(cfg Config, logger *slog.Logger, clientOptions []dingtalk.Option) (env *tools.Env, stop func(), err error) {
	opts := []dingtalk.Option{dingtalk.WithLogger(logger), dingtalk.WithBaseURLs(cfg.APIBaseURL, cfg.OAPIBaseURL)}
	if cfg.LoginBaseURL != "" {
		opts = append(opts, dingtalk.WithLoginBaseURL(cfg.LoginBaseURL))
	}
	env = &tools.Env{AgentID: cfg.AgentID, OperatorID: cfg.OperatorID, Logger: logger, Lang: cfg.Lang, Policy: cfg.Policy}
	key, secret := cfg.AppKey, cfg.AppSecret
	stop = func() {}
	if cfg.Sandbox {
		var url string
		if url, stop, err = startSandbox(logger); err != nil {
			return nil, nil, err
		}
		opts = append(opts, dingtalk.WithBaseURLs(url, url), dingtalk.WithLoginBaseURL(url))
		key, secret = sandbox.AppKey, sandbox.AppSecret
		if env.AgentID == 0 {
			env.AgentID = sandbox.AgentID
		}
		if env.OperatorID == "" {
			env.OperatorID = sandbox.SeedManagerID
		}
	}
	env.Client = dingtalk.New(key, secret, append(opts, clientOptions...)...)
	return env, stop, nil
}
