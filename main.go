// Command dingtalk-mcp is a Model Context Protocol server that lets AI
// agents run a DingTalk organisation: its directory, group chats, work
// notices, knowledge bases and smart spreadsheets.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/prompts"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	// A client gone from the other end of stdout must not kill the process
	// (SIGPIPE) before the calls in flight are finished and reported.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signalContext(os.Stderr)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, errHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "dingtalk-mcp:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its inputs and outputs passed in so that
// tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "sandbox" {
		return runSandbox(ctx, args[1:], stderr)
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.Version {
		fmt.Fprintln(stdout, "dingtalk-mcp", version)
		return nil
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	decls, err := tools.Select(tools.Selection{ReadOnly: cfg.ReadOnly, Toolsets: cfg.Toolsets, Tools: cfg.Tools})
	if err != nil {
		return err
	}
	if cfg.ListTools {
		for _, d := range decls {
			s := d.Spec()
			fmt.Fprintf(stdout, "%-30s %-9s %s\n", s.Name, s.Toolset, d.MCPTool().Title)
		}
		return nil
	}
	s, names, stopSandbox, err := build(cfg, logger)
	if err != nil {
		return err
	}
	defer stopSandbox()
	logger.Info("dingtalk-mcp starting", "version", version, "transport", cfg.Transport, "sandbox", cfg.Sandbox, "tools", len(names), "read_only", cfg.ReadOnly)
	d := newDrain(cfg.ShutdownGrace, logger)
	s.Use(d.middleware)
	if cfg.Transport == "http" {
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		return serveHTTP(ctx, ln, cfg, s, d, logger)
	}
	return serveStdio(ctx, s, d, stdin, stdout, logger)
}

// build makes the server and its DingTalk client.
func build(cfg *config, logger *slog.Logger) (*server.MCPServer, []string, func(), error) {
	env, stop, err := newEnv(cfg, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	s, names, err := newServer(cfg, env, logger)
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	return s, names, stop, nil
}

// newEnv builds the DingTalk client: against DingTalk, or against an
// in-process sandbox on a loopback port.
func newEnv(cfg *config, logger *slog.Logger) (*tools.Env, func(), error) {
	opts := []dingtalk.Option{dingtalk.WithLogger(logger), dingtalk.WithBaseURLs(cfg.APIBaseURL, cfg.OAPIBaseURL)}
	key, secret, stop := cfg.AppKey, cfg.AppSecret, func() {}
	if cfg.Sandbox {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("start the sandbox: %w", err)
		}
		// Seeding the emulator takes about half a millisecond: it happens on
		// another core while the server is built, and its first request
		// waits for it if need be.
		emulator := sync.OnceValue(func() *sandbox.Server { return sandbox.New() })
		go emulator()
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { emulator().ServeHTTP(w, r) })
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		url := "http://" + ln.Addr().String()
		opts = append(opts, dingtalk.WithBaseURLs(url, url))
		key, secret, stop = sandbox.AppKey, sandbox.AppSecret, func() { srv.Close() }
		if cfg.AgentID == 0 {
			cfg.AgentID = sandbox.AgentID
		}
		if cfg.OperatorID == "" {
			cfg.OperatorID = sandbox.SeedManagerID
		}
		logger.Info("sandbox: serving the DingTalk emulator", "url", url)
	}
	env := &tools.Env{
		Client:     dingtalk.New(key, secret, opts...),
		AgentID:    cfg.AgentID,
		OperatorID: cfg.OperatorID,
		Logger:     logger,
	}
	return env, stop, nil
}

// instructions tell the model how the tools fit together.
const instructions = `Tools for one DingTalk organisation. Find people with search_users or get_dept_users, departments with search_departments or get_dept_list. ` +
	`Writes that cannot be undone need Confirm=true: without it you get a preview (StatusCode -1) describing exactly what would happen; show it to the user and ask before confirming. ` +
	`Every result has StatusCode (200 on success), Summary, and on failure ErrorMessage, Hint (the next step) and Retryable.`

// newServer builds the MCP server with the selected tools and the prompts
// that use only those tools.
func newServer(cfg *config, env *tools.Env, logger *slog.Logger) (*server.MCPServer, []string, error) {
	s := server.NewMCPServer("dingtalk-mcp", version,
		server.WithToolCapabilities(false),
		server.WithPromptCapabilities(false),
		server.WithResourceCapabilities(false, false),
		server.WithCompletions(),
		server.WithLogging(),
		server.WithRecovery(),
		server.WithInstructions(instructions),
		server.WithTitle("DingTalk"),
	)
	names, err := tools.Register(s, env, tools.Selection{ReadOnly: cfg.ReadOnly, Toolsets: cfg.Toolsets, Tools: cfg.Tools})
	if err != nil {
		return nil, nil, err
	}
	popts := []prompts.Option{prompts.WithLogger(logger)}
	if cfg.ReadOnly || len(cfg.Toolsets) > 0 || len(cfg.Tools) > 0 {
		// Offer only the prompts whose tools are all registered. Finding a
		// prompt's tools reads its template: skipped when every tool is.
		popts = append(popts, prompts.WithTools(names))
	}
	prompts.Register(s, prompts.NewDirectory(env.Client), popts...)
	addResources(s)
	return s, names, nil
}
