// Package bench measures what dingtalk-mcp costs the people who run it:
// start-up time, the context its tool list occupies, per-call latency and
// throughput, memory, and the DingTalk calls each tool makes. Every timing
// is taken beside a baseline measured in the same run (a bare mcp-go server,
// or the DingTalk client calling the sandbox directly), so that ratios hold
// on a noisy machine. BENCHMARKS.md at the repository root has the numbers
// and the commands that reproduce them; cmd/mcpbench runs them all.
package bench

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/fleet"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// Upstream says how the DingTalk client reaches the sandbox.
type Upstream string

const (
	// Loopback serves the sandbox on a loopback port, as --sandbox does.
	Loopback Upstream = "loopback"
	// Memory hands each request to the sandbox's handler in-process, so
	// that a run measures the client and the MCP layer rather than a
	// second TCP hop and HTTP codec.
	Memory Upstream = "memory"
)

// StackOptions configures a Stack.
type StackOptions struct {
	Upstream Upstream // Loopback if empty
	// OperatorID is the server's default OperatorId; the seeded manager's
	// userId if empty.
	OperatorID string
	Sandbox    []sandbox.Option // after sandbox.WithQPS(0)
	Client     []dingtalk.Option
	// RedisURL makes the stack one replica of a fleet on that Redis, its
	// DingTalk client limited by the fleet's shared limiter at
	// FleetLimits (which may be high enough never to wait, or zero to turn
	// it off) rather than by none.
	RedisURL    string
	FleetLimits fleet.Limits
	// UpstreamOf, when set, is a stack whose sandbox this one calls too,
	// as the replicas of a fleet call one DingTalk. Upstream, Sandbox are
	// then ignored; only Memory stacks can share.
	UpstreamOf *Stack
}

// Stack is dingtalk-mcp as `--transport http --sandbox` builds it, with one
// difference: DingTalk's 20 requests/s per API are off on both sides
// (dingtalk.WithRateLimit(0), sandbox.WithQPS(0)), because a throughput run
// would otherwise measure the limiter. The MCP server is mcpserver.New's, and
// the Streamable HTTP options are those of http.go (stateful sessions, the
// in-memory event store); the bearer, Origin and body-size middlewares,
// which cost a header lookup each, are left out.
type Stack struct {
	Sandbox    *sandbox.Server
	SandboxURL string // base URL of both API families; a placeholder with Memory
	MCPURL     string // Streamable HTTP endpoint
	Env        *tools.Env
	MCP        *server.MCPServer
	Fleet      *fleet.Fleet // with RedisURL

	servers     []*http.Server
	mcpHTTP     *server.StreamableHTTPServer
	closeServer func() // stops what mcpserver.New started
	stop        chan struct{}
	once        sync.Once
	wg          sync.WaitGroup
}

// StartStack serves the MCP server on a loopback port, with the sandbox
// behind it.
func StartStack(o StackOptions) (*Stack, error) {
	st := &Stack{stop: make(chan struct{})}
	if o.UpstreamOf != nil {
		st.Sandbox, o.Upstream = o.UpstreamOf.Sandbox, Memory
	} else {
		st.Sandbox = sandbox.New(append([]sandbox.Option{sandbox.WithQPS(0)}, o.Sandbox...)...)
	}
	var url string
	var transport http.RoundTripper
	if o.Upstream == Memory {
		url, transport = memoryURL, handlerTransport{st.Sandbox}
	} else {
		var err error
		if url, err = st.listen(st.Sandbox); err != nil {
			return nil, err
		}
		transport = loopbackTransport()
	}
	st.SandboxURL = url
	operator := o.OperatorID
	if operator == "" {
		operator = sandbox.SeedManagerID
	}
	cfg := mcpserver.Config{
		AppKey: sandbox.AppKey, AppSecret: sandbox.AppSecret,
		APIBaseURL: url, OAPIBaseURL: url,
		AgentID: sandbox.AgentID, OperatorID: operator,
		Version: "bench",
	}
	clientOpts := floorOptions(transport)
	if o.RedisURL != "" {
		// The fleet's limiter stands in for the client's own, which the
		// floor would turn off.
		cfg.RedisURL, cfg.FleetLimits = o.RedisURL, &o.FleetLimits
		clientOpts = []dingtalk.Option{dingtalk.WithHTTPClient(&http.Client{Transport: transport})}
	}
	clientOpts = append(clientOpts, o.Client...)
	srv, err := mcpserver.New(cfg, mcpserver.WithClientOptions(clientOpts...))
	if err != nil {
		st.Close()
		return nil, err
	}
	st.closeServer = srv.Close
	st.Env, st.MCP, st.Fleet = srv.Env, srv.MCP, srv.Fleet
	st.mcpHTTP = server.NewStreamableHTTPServer(st.MCP,
		server.WithEndpointPath("/mcp"),
		server.WithStateful(true),
		server.WithEventStore(server.NewInMemoryEventStore()),
		server.WithSessionIdleTTL(30*time.Minute),
		server.WithStreamableHTTPLogger(slog.New(slog.DiscardHandler)),
	)
	mux := http.NewServeMux()
	mux.Handle("/mcp", st.mcpHTTP)
	base, err := st.listen(mux)
	if err != nil {
		st.Close()
		return nil, err
	}
	st.MCPURL = base + "/mcp"
	return st, nil
}

// TrimSandboxLog empties the sandbox's request log every interval until
// the stack closes.
func (st *Stack) TrimSandboxLog(every time.Duration) {
	stop := TrimLog(st.Sandbox, every)
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		<-st.stop
		stop()
	}()
}

// TrimLog empties sb's request log every interval until stop is called.
// The log exists for tests to inspect; under load it would grow without
// bound and be counted as the server's memory.
func TrimLog(sb *sandbox.Server, every time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sb.ResetLog()
			}
		}
	}()
	return sync.OnceFunc(func() { close(done); wg.Wait() })
}

// memoryURL is the base URL of a sandbox served in-process: no request
// reaches it over the network.
const memoryURL = "http://sandbox.invalid"

// NewDirectClient is the DingTalk client of the floor measurements: the
// product's client, with the per-API rate limit off, pointed at a sandbox
// served at sandboxURL.
func NewDirectClient(sandboxURL string, opts ...dingtalk.Option) *dingtalk.Client {
	return dingtalk.New(sandbox.AppKey, sandbox.AppSecret, append(append([]dingtalk.Option{
		dingtalk.WithBaseURLs(sandboxURL, sandboxURL)}, floorOptions(loopbackTransport())...), opts...)...)
}

// NewMemoryClient is NewDirectClient with sb in-process: each request is
// served by sb's handler without a socket.
func NewMemoryClient(sb http.Handler, opts ...dingtalk.Option) *dingtalk.Client {
	return dingtalk.New(sandbox.AppKey, sandbox.AppSecret, append(append([]dingtalk.Option{
		dingtalk.WithBaseURLs(memoryURL, memoryURL)}, floorOptions(handlerTransport{sb})...), opts...)...)
}

// floorOptions are the client options of every measurement: DingTalk's
// rate limit off, requests through transport.
func floorOptions(transport http.RoundTripper) []dingtalk.Option {
	return []dingtalk.Option{dingtalk.WithRateLimit(0), dingtalk.WithHTTPClient(&http.Client{Transport: transport})}
}

// handlerTransport serves a client's requests with an http.Handler in the
// same process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	// A RoundTripper must not change the caller's request: the handler
	// gets a copy with what a server-side request has and a client's lacks.
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI, in.RemoteAddr = r.URL.RequestURI(), "127.0.0.1:1"
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	res := rec.Result()
	res.Request = r
	return res, nil
}

// loopbackTransport keeps enough idle connections for 256 concurrent
// sessions, so that the runs measure calls, not TCP handshakes.
func loopbackTransport() *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     90 * time.Second,
	}
}

func (st *Stack) listen(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	st.servers = append(st.servers, srv)
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		srv.Serve(ln) // returns http.ErrServerClosed once Close shuts it down
	}()
	return "http://" + ln.Addr().String(), nil
}

// Close stops the servers and the log trimmer.
func (st *Stack) Close() {
	st.once.Do(func() {
		close(st.stop)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, s := range st.servers {
			s.Shutdown(ctx)
		}
		if st.mcpHTTP != nil {
			st.mcpHTTP.Shutdown(ctx) // its session sweeper
		}
		if st.closeServer != nil {
			st.closeServer()
		}
		st.wg.Wait()
	})
}
