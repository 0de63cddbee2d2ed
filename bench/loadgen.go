package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// ProtocolVersion is the MCP revision the load generator speaks: the last
// one with an initialize handshake, which is what clients use today.
const ProtocolVersion = "2025-11-25"

// Session is one MCP session over Streamable HTTP, driven with raw JSON-RPC
// so that the load generator stays cheap beside the server it measures. A
// Session is used by one goroutine at a time.
type Session struct {
	hc     *http.Client
	url    string
	id     string
	nextID int64
	buf    []byte
}

// NewHTTPClient is an HTTP client for load runs: enough idle connections
// for 64 sessions, a bounded wait per request.
func NewHTTPClient() *http.Client {
	return &http.Client{Transport: loopbackTransport(), Timeout: 30 * time.Second}
}

// OpenSession initializes a session at url (a Streamable HTTP endpoint).
func OpenSession(ctx context.Context, hc *http.Client, url string) (*Session, error) {
	s := &Session{hc: hc, url: url}
	_, hdr, err := s.send(ctx, []byte(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"`+ProtocolVersion+`","capabilities":{},"clientInfo":{"name":"mcpbench","version":"1"}}}`), 0)
	if err != nil {
		return nil, fmt.Errorf("initialize: %w", err)
	}
	s.id = hdr.Get("Mcp-Session-Id")
	if _, _, err := s.send(ctx, []byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`), -1); err != nil {
		return nil, fmt.Errorf("notifications/initialized: %w", err)
	}
	return s, nil
}

// CallTool calls a tool with arguments given as a JSON object and returns
// the result; a result flagged isError is an error.
func (s *Session) CallTool(ctx context.Context, name string, args json.RawMessage) (json.RawMessage, error) {
	s.nextID++
	s.buf = fmt.Appendf(s.buf[:0], `{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":%q,"arguments":%s}}`, s.nextID, name, args)
	res, _, err := s.send(ctx, s.buf, s.nextID)
	if err == nil && bytes.Contains(res, []byte(`"isError":true`)) {
		err = fmt.Errorf("%s: isError: %s", name, truncate(res, 300))
	}
	return res, err
}

type rpcResponse struct {
	ID     *int64          `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// send posts body and returns the result of the response whose id is id;
// id -1 is a notification, answered with 202 and no body.
func (s *Session) send(ctx context.Context, body []byte, id int64) (json.RawMessage, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if s.id != "" {
		req.Header.Set("Mcp-Session-Id", s.id)
		req.Header.Set("Mcp-Protocol-Version", ProtocolVersion)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if id < 0 {
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode/100 != 2 {
			return nil, nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return nil, resp.Header, nil
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
	}
	var r rpcResponse
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		r, err = readSSE(resp.Body, id)
	} else {
		err = json.NewDecoder(resp.Body).Decode(&r)
	}
	if err != nil {
		return nil, nil, err
	}
	if r.Error != nil {
		return nil, nil, fmt.Errorf("JSON-RPC error %d: %s", r.Error.Code, r.Error.Message)
	}
	return r.Result, resp.Header, nil
}

// readSSE reads server-sent events until the response with id arrives;
// notifications before it are skipped.
func readSSE(body io.Reader, id int64) (rpcResponse, error) {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var data []byte
	for sc.Scan() {
		line := sc.Bytes()
		if d, ok := bytes.CutPrefix(line, []byte("data:")); ok {
			data = append(data, bytes.TrimSpace(d)...)
			continue
		}
		if len(line) != 0 || len(data) == 0 {
			continue
		}
		var r rpcResponse
		if err := json.Unmarshal(data, &r); err == nil && r.ID != nil && *r.ID == id {
			return r, nil
		}
		data = data[:0]
	}
	if err := sc.Err(); err != nil {
		return rpcResponse{}, err
	}
	return rpcResponse{}, errors.New("event stream ended before the response")
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}

// Result is one load run: calls that started and finished inside the
// measured window, and their latencies.
type Result struct {
	Name       string
	Sessions   int
	Calls      int
	Errors     int
	FirstError string
	Window     time.Duration
	P50, P99   time.Duration
}

// PerSecond is the completed calls per second of the window.
func (r Result) PerSecond() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.Calls) / r.Window.Seconds()
}

// maxCallsPerWorker bounds a run by count as well as by time.
const maxCallsPerWorker = 2_000_000

// Run calls fn from n concurrent workers for warm+window and measures the
// calls that start after warm and finish within the window. Worker w owns
// whatever per-session state fn keeps for it.
func Run(ctx context.Context, name string, n int, warm, window time.Duration, fn func(ctx context.Context, worker int) error) Result {
	start := time.Now()
	from, until := start.Add(warm), start.Add(warm+window)
	type tally struct {
		lat    []time.Duration
		errors int
		first  error
	}
	tallies := make([]tally, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			t.lat = make([]time.Duration, 0, 4096)
			for range maxCallsPerWorker {
				t0 := time.Now()
				if !t0.Before(until) || ctx.Err() != nil {
					return
				}
				err := fn(ctx, w)
				t1 := time.Now()
				if t0.Before(from) || t1.After(until) {
					continue
				}
				if err != nil {
					t.errors++
					if t.first == nil {
						t.first = err
					}
					continue
				}
				t.lat = append(t.lat, t1.Sub(t0))
			}
		}()
	}
	wg.Wait()
	r := Result{Name: name, Sessions: n, Window: window}
	var all []time.Duration
	for _, t := range tallies {
		all = append(all, t.lat...)
		r.Errors += t.errors
		if t.first != nil && r.FirstError == "" {
			r.FirstError = t.first.Error()
		}
	}
	r.Calls = len(all)
	r.P50, r.P99 = Percentile(all, 50), Percentile(all, 99)
	return r
}

// Percentile returns the p-th percentile of d (nearest rank), sorting d.
func Percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(float64(len(d))*p/100+0.5) - 1
	return d[min(max(i, 0), len(d)-1)]
}
