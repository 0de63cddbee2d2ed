package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// The stdio transport is this server's own, not mcp-go's StdioServer: that
// one cancels every call in flight when stdin ends, which is how an MCP
// client says it is done. Here the end of stdin (or a signal) goes through
// the drain: no new request is read, the calls in flight finish and their
// answers are written, and a confirmation that can no longer be answered
// counts as cancelled.

// errShuttingDown is the JSON-RPC error code of a request that arrives
// after the shutdown began: in the range JSON-RPC leaves to servers.
const errShuttingDown = -32000

// shuttingDown is the message of errShuttingDown, in the catalog.
const shuttingDown = "the server is shutting down and takes no new requests"

// serveStdio serves one client on stdin and stdout until stdin ends or ctx
// is done, then shuts down through d. Its own refusals are in l.
func serveStdio(ctx context.Context, s *server.MCPServer, l i18n.Lang, d *drain, stdin io.Reader, stdout io.Writer, logger *slog.Logger) error {
	out := &lineWriter{w: stdout, logger: logger}
	session := newStdioSession(out)
	if err := s.RegisterSession(ctx, session); err != nil {
		return fmt.Errorf("register the stdio session: %w", err)
	}
	defer s.UnregisterSession(context.Background(), session.SessionID())
	base := s.WithContext(d.calls, session)

	stopNotifying := make(chan struct{})
	notified := make(chan struct{})
	go func() {
		defer close(notified)
		session.forwardNotifications(stopNotifying)
	}()

	inputDone := make(chan error, 1)
	go func() { inputDone <- readRequests(base, s, l, d, session, out, stdin, logger) }()
	var inputErr error
	select {
	case inputErr = <-inputDone:
		session.endInput()
		if inputErr != nil {
			d.shutdown("input failed: " + inputErr.Error())
		} else {
			d.shutdown("end of input")
		}
	case <-ctx.Done():
		// stdin stays open: answers to confirmations still come in, and a
		// new request is refused.
		d.shutdown("signal")
	}
	close(stopNotifying)
	<-notified
	return inputErr
}

// readRequests reads JSON-RPC messages, one per line, until stdin ends. It
// serves each request but initialize on its own goroutine, handles
// notifications in order, and routes the client's answers to the
// confirmations waiting for them.
func readRequests(ctx context.Context, s *server.MCPServer, l i18n.Lang, d *drain, session *stdioSession, out *lineWriter, stdin io.Reader, logger *slog.Logger) error {
	r := bufio.NewReaderSize(stdin, 64<<10)
	for {
		line, err := readLine(r, maxRequestBytes)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, errLineTooLong) {
			out.write(mcp.NewJSONRPCError(mcp.NewRequestId(nil), mcp.INVALID_REQUEST, l.Textf("message longer than %d bytes", maxRequestBytes), nil))
			continue
		}
		if err != nil {
			return err
		}
		if len(line) == 0 {
			continue
		}
		var msg struct {
			ID     any             `json:"id"`
			Method string          `json:"method"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &msg) != nil {
			// JSON-RPC 2.0's own message for its code, as the specification writes it.
			out.write(mcp.NewJSONRPCError(mcp.NewRequestId(nil), mcp.PARSE_ERROR, "Parse error", nil))
			continue
		}
		raw := json.RawMessage(line)
		switch {
		case msg.Method == "" && (msg.Result != nil || msg.Error != nil):
			if !session.deliver(raw) {
				logger.Debug("stdio: an answer to no pending request", "id", msg.ID)
			}
		case msg.ID == nil:
			// A notification: in order, and even during the shutdown, since
			// it may cancel a call in flight.
			s.HandleMessage(ctx, raw)
		case !d.begin():
			out.write(mcp.NewJSONRPCError(mcp.NewRequestId(msg.ID), errShuttingDown, l.Text(shuttingDown), nil))
		default:
			serve := func() {
				defer d.end()
				if resp := handle(ctx, s, l, msg.ID, raw, logger); resp != nil {
					out.write(resp)
				}
			}
			if msg.Method == string(mcp.MethodInitialize) {
				// In order: the calls that follow need the client's
				// capabilities, and piped requests arrive all at once.
				serve()
			} else {
				go serve()
			}
		}
	}
}

// handle serves one request, turning a panic into an internal error in l.
func handle(ctx context.Context, s *server.MCPServer, l i18n.Lang, id any, raw json.RawMessage, logger *slog.Logger) (resp mcp.JSONRPCMessage) {
	defer func() {
		if r := recover(); r != nil {
			logger.Error("stdio: a request panicked", "id", id, "panic", r)
			resp = mcp.NewJSONRPCError(mcp.NewRequestId(id), mcp.INTERNAL_ERROR, l.Textf("internal error: %v", r), nil)
		}
	}()
	return s.HandleMessage(ctx, raw)
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most limit bytes, without its newline. A
// longer line is skipped whole and reported as errLineTooLong. The last line
// may lack its newline.
func readLine(r *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			line = append(line, chunk...)
			tooLong = len(line) > limit+1
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil || (errors.Is(err, io.EOF) && len(line) > 0):
			if tooLong {
				return nil, errLineTooLong
			}
			return trimNewline(line), nil
		default:
			return nil, err
		}
	}
}

func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// lineWriter writes JSON-RPC messages to stdout, one per line. Once a write
// fails (the client closed its end), it drops the rest.
type lineWriter struct {
	mu     sync.Mutex
	w      io.Writer
	logger *slog.Logger
	broken bool
}

func (o *lineWriter) write(msg any) error {
	b, err := json.Marshal(msg)
	if err != nil {
		o.logger.Error("stdio: cannot encode a message", "error", err)
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.broken {
		return io.ErrClosedPipe
	}
	if _, err := o.w.Write(append(b, '\n')); err != nil {
		o.broken = true
		o.logger.Warn("stdout is closed: answers are no longer delivered", "error", err)
		return err
	}
	return nil
}

// stdioSession is the one client of the stdio transport, as mcp-go sees it.
type stdioSession struct {
	out           *lineWriter
	notifications chan mcp.JSONRPCNotification
	initialized   atomic.Bool
	logLevel      atomic.Value // mcp.LoggingLevel
	clientInfo    atomic.Value // mcp.Implementation
	capabilities  atomic.Value // mcp.ClientCapabilities
	version       atomic.Value // string
	lastID        atomic.Int64

	mu        sync.Mutex
	inputDone bool                                  // stdin ended: no answer can come any more
	pending   map[int64]chan *mcp.ElicitationResult // confirmations waiting for the client's answer
}

var (
	_ server.SessionWithLogging         = (*stdioSession)(nil)
	_ server.SessionWithClientInfo      = (*stdioSession)(nil)
	_ server.SessionWithElicitation     = (*stdioSession)(nil)
	_ server.SessionWithProtocolVersion = (*stdioSession)(nil)
)

func newStdioSession(out *lineWriter) *stdioSession {
	return &stdioSession{out: out, notifications: make(chan mcp.JSONRPCNotification, 100), pending: map[int64]chan *mcp.ElicitationResult{}}
}

func (s *stdioSession) SessionID() string { return "stdio" }
func (s *stdioSession) Initialize()       { s.initialized.Store(true) }
func (s *stdioSession) Initialized() bool { return s.initialized.Load() }
func (s *stdioSession) NotificationChannel() chan<- mcp.JSONRPCNotification {
	return s.notifications
}

func (s *stdioSession) SetLogLevel(level mcp.LoggingLevel) { s.logLevel.Store(level) }
func (s *stdioSession) GetLogLevel() mcp.LoggingLevel {
	if v, ok := s.logLevel.Load().(mcp.LoggingLevel); ok {
		return v
	}
	return mcp.LoggingLevelError
}

func (s *stdioSession) SetClientInfo(info mcp.Implementation) { s.clientInfo.Store(info) }
func (s *stdioSession) GetClientInfo() mcp.Implementation {
	v, _ := s.clientInfo.Load().(mcp.Implementation)
	return v
}

func (s *stdioSession) SetClientCapabilities(c mcp.ClientCapabilities) { s.capabilities.Store(c) }
func (s *stdioSession) GetClientCapabilities() mcp.ClientCapabilities {
	v, _ := s.capabilities.Load().(mcp.ClientCapabilities)
	return v
}

func (s *stdioSession) SetProtocolVersion(v string) { s.version.Store(v) }
func (s *stdioSession) ProtocolVersion() string {
	v, _ := s.version.Load().(string)
	return v
}

// cancelled is the answer of a confirmation that can no longer be
// answered: never a yes.
var cancelled = &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionCancel}}

// RequestElicitation asks the client and waits for its answer. Once stdin
// has ended, the answer is "cancel" without asking.
func (s *stdioSession) RequestElicitation(ctx context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	answer := make(chan *mcp.ElicitationResult, 1)
	s.mu.Lock()
	if s.inputDone {
		s.mu.Unlock()
		return cancelled, nil
	}
	id := s.lastID.Add(1)
	s.pending[id] = answer
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.pending, id)
		s.mu.Unlock()
	}()
	msg := mcp.JSONRPCRequest{JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(id), Request: mcp.Request{Method: string(mcp.MethodElicitationCreate)}, Params: req.Params}
	if err := s.out.write(msg); err != nil {
		return nil, fmt.Errorf("send the confirmation request: %w", err)
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-answer:
		return res, nil
	}
}

// deliver routes the client's answer to the confirmation waiting for it,
// and reports whether one was.
func (s *stdioSession) deliver(raw json.RawMessage) bool {
	var msg struct {
		ID     json.Number            `json:"id"`
		Result *mcp.ElicitationResult `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &msg) != nil {
		return false
	}
	id, err := msg.ID.Int64()
	if err != nil {
		return false
	}
	s.mu.Lock()
	answer, ok := s.pending[id]
	delete(s.pending, id)
	s.mu.Unlock()
	if !ok {
		return false
	}
	res := msg.Result
	if res == nil {
		// The client failed to ask: not a yes.
		res = cancelled
	}
	answer <- res
	return true
}

// endInput resolves every pending confirmation as cancelled: with stdin
// closed, no answer can come.
func (s *stdioSession) endInput() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inputDone = true
	for id, answer := range s.pending {
		answer <- cancelled
		delete(s.pending, id)
	}
}

// forwardNotifications writes the server's notifications (progress, log
// messages) to stdout until stop is closed, then those already queued.
func (s *stdioSession) forwardNotifications(stop <-chan struct{}) {
	for {
		select {
		case n := <-s.notifications:
			s.out.write(n)
		case <-stop:
			for {
				select {
				case n := <-s.notifications:
					s.out.write(n)
				default:
					return
				}
			}
		}
	}
}
