package bench

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLoadRun drives the stack over Streamable HTTP from 4 sessions for a
// moment: every call must succeed, and the result must be the seeded
// manager's profile, read from the sandbox.
func TestLoadRun(t *testing.T) {
	t.Parallel()
	st := startStack(t, StackOptions{Upstream: Memory})
	ctx := context.Background()
	hc := NewHTTPClient()
	sessions := make([]*Session, 4)
	for i := range sessions {
		s, err := OpenSession(ctx, hc, st.MCPURL)
		if err != nil {
			t.Fatal(err)
		}
		sessions[i] = s
	}
	res, err := sessions[0].CallTool(ctx, "get_user", getUserArgs)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		StructuredContent struct {
			UserData struct {
				Name string `json:"name"`
			}
		} `json:"structuredContent"`
	}
	if err := json.Unmarshal(res, &r); err != nil || r.StructuredContent.UserData.Name != "王芳" {
		t.Fatalf("get_user over HTTP: %v %s", err, truncate(res, 300))
	}
	// A window long enough that on a busy machine some calls start and end
	// inside it: a call that ends past it is not counted.
	got := Run(ctx, "get_user", len(sessions), 50*time.Millisecond, time.Second, func(ctx context.Context, w int) error {
		_, err := sessions[w].CallTool(ctx, "get_user", getUserArgs)
		return err
	})
	if got.Errors != 0 || got.Calls == 0 || got.P50 <= 0 || got.P99 < got.P50 {
		t.Fatalf("load run: %+v", got)
	}
}

// TestCallToolReportsIsError: a tool failure is an error of the load run,
// not a success.
func TestCallToolReportsIsError(t *testing.T) {
	t.Parallel()
	st := startStack(t, StackOptions{Upstream: Memory})
	s, err := OpenSession(context.Background(), NewHTTPClient(), st.MCPURL)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CallTool(context.Background(), "get_user", json.RawMessage(`{"UserId":"nobody-here"}`))
	if err == nil || !strings.Contains(err.Error(), "isError") {
		t.Fatalf("want an isError failure, got %v", err)
	}
}

func TestReadSSE(t *testing.T) {
	t.Parallel()
	stream := "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n" +
		"id: 7\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\n" + "data: \"result\":{\"ok\":true}}\n\n"
	r, err := readSSE(strings.NewReader(stream), 3)
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Result) != `{"ok":true}` {
		t.Errorf("result %s", r.Result)
	}
	if _, err := readSSE(strings.NewReader(stream), 4); err == nil {
		t.Error("a stream without the response must fail")
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i))
	}
	got := []time.Duration{Percentile(d, 50), Percentile(d, 99), Percentile(d, 100), Percentile(nil, 50)}
	if diff := cmp.Diff([]time.Duration{50, 99, 100, 0}, got); diff != "" {
		t.Error(diff)
	}
}

func TestReadRSS(t *testing.T) {
	t.Parallel()
	m, err := ReadRSS(os.Getpid())
	if err != nil {
		t.Skip("no /proc here:", err)
	}
	if m.Now <= 0 || m.Peak < m.Now {
		t.Errorf("RSS %+v", m)
	}
}
