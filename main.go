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
	"os"
	"os/signal"
	"syscall"

	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
	"github.com/dingtalk-mcp/dingtalk-mcp/signin"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

func main() {
	// A client gone from the other end of stdout must not kill the process
	// (SIGPIPE) before the calls in flight are finished and reported.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signalContext(os.Stderr)
	defer stop()
	if code := exitCode(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr), os.Stderr); code != 0 {
		os.Exit(code)
	}
}

// exitCode reports err, what run returned, on stderr unless it was
// reported already, and returns the process's exit status: 0 for none or
// for --help, 1 for any other.
func exitCode(err error, stderr io.Writer) int {
	var reported reportedError
	switch {
	case err == nil || errors.Is(err, errHelp):
		return 0
	case !errors.As(err, &reported):
		fmt.Fprintln(stderr, "dingtalk-mcp:", err)
	}
	return 1
}

// A reportedError has been written to stderr already, above the help.
type reportedError struct{ error }

func (e reportedError) Unwrap() error { return e.error }

// run is the whole program, with its inputs and outputs passed in so that
// tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "sandbox" {
		return runSandbox(ctx, args[1:], getenv, stderr)
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.Version {
		fmt.Fprintln(stdout, versionLine())
		return nil
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	decls, err := tools.Select(cfg.selection())
	if err != nil {
		return errors.New(i18n.ErrorIn(cfg.Lang, err))
	}
	if cfg.ListTools {
		for _, d := range decls {
			s := d.Spec()
			fmt.Fprintf(stdout, "%-30s %-9s %s\n", s.Name, s.Toolset, d.MCPToolIn(cfg.Lang).Title)
		}
		return nil
	}
	srv, err := mcpserver.New(cfg.serverConfig(version, logger, stderr))
	if err != nil {
		return err
	}
	defer srv.Close()
	s := srv.MCP
	logger.Info("dingtalk-mcp starting", "version", version, "transport", cfg.Transport, "sandbox", cfg.Sandbox, "tools", len(srv.Tools), "read_only", cfg.ReadOnly)
	d := newDrain(cfg.ShutdownGrace, logger)
	s.Use(d.middleware)
	if cfg.Transport == "http" {
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("%s: %w", cfg.Lang.Textf("listen on %s", cfg.Addr), err)
		}
		// Each language's server counts its calls in d; New's has already.
		serverIn := func(l i18n.Lang) (*server.MCPServer, error) {
			m, err := srv.In(l)
			if err == nil && m != s {
				m.Use(d.middleware)
			}
			return m, err
		}
		var auth *signin.Server
		if cfg.Auth == "dingtalk" {
			if auth, err = newSignIn(cfg, srv, ln.Addr(), logger); err != nil {
				ln.Close()
				return err
			}
		}
		return serveHTTP(ctx, ln, cfg, serverIn, auth, d, logger)
	}
	return serveStdio(ctx, s, cfg.Lang, d, stdin, stdout, logger)
}

// newSignIn makes the DingTalk sign-in for srv listening at addr. Its
// clients, codes and tokens live in srv's store, which replicas share.
func newSignIn(cfg *config, srv *mcpserver.Server, addr net.Addr, logger *slog.Logger) (*signin.Server, error) {
	public := cfg.PublicURL
	if public == "" {
		public = "http://" + addr.String()
	}
	auth, err := signin.New(signin.Config{PublicURL: public, Store: srv.Store, DingTalk: srv.Env.Client, Logger: logger})
	if err != nil {
		return nil, err
	}
	logger.Info("sign-in with DingTalk", "public_url", public, "dingtalk_redirect_url", public+"/callback")
	return auth, nil
}
