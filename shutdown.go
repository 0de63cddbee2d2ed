package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

// defaultShutdownGrace is how long the calls in flight may run once the
// server stops taking requests, unless --shutdown-grace says otherwise.
const defaultShutdownGrace = 10 * time.Second

// settleTime bounds the wait for the calls cancelled at the end of the
// grace to return their answers. They return at once, since every DingTalk
// request honours its context; this only keeps a stuck call from holding
// the process.
const settleTime = 2 * time.Second

// A drain is the one shutdown path of both transports. A transport counts
// each request it takes with begin and end; shutdown then refuses new
// requests, waits up to the grace for those in flight to be answered,
// cancels what is left, and waits for the cancelled calls to answer.
//
// Tool calls run in the drain's context (see middleware), not in the
// context a signal cancels: a call keeps running after a signal or the end
// of stdin, and is cancelled only when the grace runs out.
type drain struct {
	grace  time.Duration
	logger *slog.Logger
	calls  context.Context // cancelled when the grace runs out
	cancel context.CancelFunc

	mu       sync.Mutex
	closing  bool
	inFlight int
	idle     chan struct{} // closed once closing with nothing in flight
}

func newDrain(grace time.Duration, logger *slog.Logger) *drain {
	ctx, cancel := context.WithCancel(context.Background())
	return &drain{grace: grace, logger: logger, calls: ctx, cancel: cancel, idle: make(chan struct{})}
}

// begin counts a request the transport has read. It reports false once the
// shutdown has begun: the transport must then refuse the request.
func (d *drain) begin() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closing {
		return false
	}
	d.inFlight++
	return true
}

// end says that a request counted by begin has been answered, or that its
// answer can no longer be delivered.
func (d *drain) end() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inFlight--
	if d.closing && d.inFlight == 0 {
		close(d.idle)
	}
}

// stopping reports whether the shutdown has begun.
func (d *drain) stopping() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closing
}

// shutdown stops taking requests and returns once every request in flight
// is answered, or the grace has run out and the calls still running were
// cancelled and have answered (or settleTime has passed).
func (d *drain) shutdown(reason string) {
	d.mu.Lock()
	d.closing = true
	n := d.inFlight
	if n == 0 {
		close(d.idle)
	}
	d.mu.Unlock()
	defer d.cancel()
	d.logger.Info("shutting down: taking no new requests, finishing those in flight", "reason", reason, "in_flight", n, "grace", d.grace)
	grace := time.NewTimer(d.grace)
	defer grace.Stop()
	select {
	case <-d.idle:
		return
	case <-grace.C:
	}
	d.logger.Warn("the shutdown grace ran out: cancelling the calls still running", "in_flight", d.count(), "grace", d.grace)
	d.cancel()
	settle := time.NewTimer(settleTime)
	defer settle.Stop()
	select {
	case <-d.idle:
	case <-settle.C:
		d.logger.Error("calls still running after their cancellation: exiting without their answers", "in_flight", d.count())
	}
}

func (d *drain) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.inFlight
}

// middleware runs every tool call in a context that the end of the grace
// cancels, and reports the writes that cancellation left in doubt.
func (d *drain) middleware(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(d.calls, cancel)()
		ctx, writes := dingtalk.WithUncertainWrites(ctx)
		res, err := next(ctx, req)
		if d.calls.Err() != nil {
			for _, w := range writes.List() {
				reportUncertainWrite(d.logger, req, w)
			}
		}
		return res, err
	}
}

// reportUncertainWrite is where a write cut off by the shutdown, after it
// was sent and before DingTalk answered, is reported: it may have taken
// effect, and it is not sent again. Whoever must know of such a write
// learns it here.
func reportUncertainWrite(logger *slog.Logger, req mcp.CallToolRequest, w dingtalk.UncertainWrite) {
	logger.Error("uncertain write: the shutdown cancelled it after it was sent, so it may have taken effect at DingTalk; it will not be sent again",
		"tool", req.Params.Name, "RequestId", w.RequestID, "endpoint", w.Endpoint, knownIDs(req))
}

// knownIDs gathers the ids among a call's arguments (UserIds, WorkbookId,
// ChatId…): what a reader needs to check whether the write took effect.
func knownIDs(req mcp.CallToolRequest) slog.Attr {
	args := req.GetArguments()
	var keys []string
	for k := range args {
		if strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "Ids") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	attrs := make([]any, len(keys))
	for i, k := range keys {
		attrs[i] = slog.Any(k, args[k])
	}
	return slog.Group("ids", attrs...)
}

// signalContext returns a context that the first SIGINT or SIGTERM
// cancels, which starts the shutdown. A second one exits the process at
// once, with status 128 plus the signal's number (130 for SIGINT, 143 for
// SIGTERM), as a shell reports a process the signal killed.
func signalContext(stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel()
		sig := <-sigs
		slog.New(slog.NewTextHandler(stderr, nil)).Warn("second signal: exiting at once, without waiting for the calls in flight", "signal", sig.String())
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
	return ctx, func() { signal.Stop(sigs); cancel() }
}
