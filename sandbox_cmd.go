package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// runSandbox is "dingtalk-mcp sandbox": the DingTalk emulator with its
// demo organisation, served on its own so that several replicas of the
// server can share one emulated DingTalk through --api-base-url and
// --oapi-base-url. Its request log and fault injection are served under
// /_sandbox/ for tests in other processes.
func runSandbox(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	l := helpLang(args, getenv)
	fs := flag.NewFlagSet("dingtalk-mcp sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8090", l.Text("the address to listen on"))
	qps := fs.Int("qps", 20, l.Text("requests per second each API accepts before it throttles, as DingTalk's 20; 0 turns throttling off"))
	// The emulator writes no text of its own but its help and errors;
	// --lang is accepted here so that one command line serves both.
	lang := fs.String("lang", "", l.Text("the language of this help and of the errors: en or zh (default en)")+l.Textf(" (env %s)", "DINGTALK_MCP_LANG"))
	header := l.Textf("dingtalk-mcp sandbox: serve the DingTalk emulator on its own.\n\nUsage:\n  dingtalk-mcp sandbox [flags]\n\nPoint servers at it with --api-base-url and --oapi-base-url set to its URL, and\n--app-key %s --app-secret %s.\n\nFlags:\n", sandbox.AppKey, sandbox.AppSecret)
	if err := parseFlags(fs, args, l, header); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New(l.Textf("unexpected argument %q; see dingtalk-mcp sandbox --help", fs.Arg(0)))
	}
	if _, err := i18n.Parse(*lang); err != nil {
		return errors.New(l.Textf("%s must be one of %s, got %q", "--lang", i18n.List(), *lang))
	}
	if *qps < 0 {
		return errors.New(l.Textf("--qps must be 0 or more, not %d", *qps))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("%s: %w", l.Textf("--addr: listen on %s", *addr), err)
	}
	emulator := sandbox.New(sandbox.WithQPS(*qps))
	mux := http.NewServeMux()
	mux.Handle(sandbox.ControlPrefix, emulator.ControlHandler())
	mux.Handle("/", emulator)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	logger.Info("sandbox: serving the DingTalk emulator", "url", "http://"+ln.Addr().String(), "app_key", sandbox.AppKey, "agent_id", sandbox.AgentID)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
}
