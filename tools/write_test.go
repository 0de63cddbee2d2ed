package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/internal/syncbuf"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
	"github.com/dingtalk-mcp/dingtalk-mcp/store/storetest"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// nonIdempotentWrites are the writes that do it again when repeated.
var nonIdempotentWrites = []string{
	"append_doc_content", "append_rows", "create_chat", "create_doc", "create_user", "create_worksheet", "create_workspace",
	"delete_columns", "delete_rows", "insert_columns_before", "insert_rows_before", "insert_rows_before_with_data",
	"send_chat_message", "send_work_notice",
}

// TestIdempotencyKeyIsOnEveryNonIdempotentWrite: exactly the writes that
// are not idempotent take IdempotencyKey, describe it, and say whether
// their result was replayed.
func TestIdempotencyKeyIsOnEveryNonIdempotentWrite(t *testing.T) {
	t.Parallel()
	var keyed, notIdempotent []string
	for _, d := range tools.All() {
		s := d.Spec()
		var schema struct {
			Properties map[string]struct {
				Description string `json:"description"`
			} `json:"properties"`
		}
		tool := d.MCPTool()
		if err := json.Unmarshal(tool.RawInputSchema, &schema); err != nil {
			t.Fatal(err)
		}
		if p, ok := schema.Properties["IdempotencyKey"]; ok {
			keyed = append(keyed, s.Name)
			if p.Description == "" {
				t.Errorf("%s: IdempotencyKey has no description", s.Name)
			}
			if !strings.Contains(string(tool.RawOutputSchema), `"Replayed"`) {
				t.Errorf("%s takes IdempotencyKey but its result has no Replayed", s.Name)
			}
		}
		if !s.Idempotent {
			notIdempotent = append(notIdempotent, s.Name)
		}
	}
	slices.Sort(keyed)
	slices.Sort(notIdempotent)
	if diff := cmp.Diff(nonIdempotentWrites, keyed); diff != "" {
		t.Errorf("tools with IdempotencyKey (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(nonIdempotentWrites, notIdempotent); diff != "" {
		t.Errorf("non-idempotent tools (-want +got):\n%s", diff)
	}
}

// withKey adds an IdempotencyKey to a JSON object of arguments.
func withKey(args, key string) string {
	k, _ := json.Marshal(key)
	return strings.TrimSuffix(args, "}") + `,"IdempotencyKey":` + string(k) + "}"
}

// writes counts the requests other than token requests in the sandbox's
// log: every call a tool made to DingTalk.
func writes(h *harness) int {
	n := 0
	for _, r := range h.sandbox.Requests() {
		if !isTokenRequest(r.API) {
			n++
		}
	}
	return n
}

func isTokenRequest(api string) bool {
	return strings.Contains(api, "accessToken") || strings.Contains(api, "gettoken")
}

// TestRetriedKeySendsOnce: every non-idempotent write, retried with its
// key, reaches DingTalk once and returns the first result, replayed.
func TestRetriedKeySendsOnce(t *testing.T) {
	t.Parallel()
	for _, name := range nonIdempotentWrites {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			for _, p := range prepare[name] {
				h.callOK(p, examples[p])
			}
			h.sandbox.ResetLog()
			args := withKey(examples[name], "retry-"+name)
			first := h.callOK(name, args)
			sent := writes(h)
			if sent == 0 {
				t.Fatal("the first call sent nothing")
			}
			again := h.callOK(name, args)
			if got := writes(h); got != sent {
				t.Fatalf("the retry sent %d more request(s) to DingTalk", got-sent)
			}
			if again["Replayed"] != true || first["Replayed"] != false {
				t.Fatalf("Replayed = %v then %v, want false then true", first["Replayed"], again["Replayed"])
			}
			at, err := time.Parse(time.RFC3339, fmt.Sprint(again["ReplayedAt"]))
			if err != nil || time.Since(at) > time.Minute {
				t.Fatalf("ReplayedAt = %v (%v), want the first call's time in RFC 3339", again["ReplayedAt"], err)
			}
			delete(again, "Replayed")
			delete(again, "ReplayedAt")
			delete(first, "Replayed")
			if diff := cmp.Diff(first, again); diff != "" {
				t.Fatalf("the replay differs from the first result (-first +replay):\n%s", diff)
			}
		})
	}
}

// TestConfirmationNeverMakesAReplaySend: a retry with its key is answered
// from the ledger whatever it says of Confirm, and the human is not asked
// again to confirm what will not be done.
func TestConfirmationNeverMakesAReplaySend(t *testing.T) {
	t.Parallel()
	var asked int
	var mu sync.Mutex
	h := newHarness(t, withElicitation(elicitFunc(func(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
		mu.Lock()
		asked++
		mu.Unlock()
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}}, nil
	})))
	args := `{"UserIds":["lina"],"MsgType":"text","Content":"Budget review at 4pm","IdempotencyKey":"k-confirm"}`
	first := h.callOK("send_work_notice", args)
	if asked != 1 || h.upstreamCalls(sendAPI) != 1 {
		t.Fatalf("first call: asked %d time(s), sent %d; want 1 and 1", asked, h.upstreamCalls(sendAPI))
	}
	for _, retry := range []string{args, strings.Replace(args, `"IdempotencyKey"`, `"Confirm":true,"IdempotencyKey"`, 1)} {
		out := h.callOK("send_work_notice", retry)
		if out["Replayed"] != true || dig(out, "MessageData", "task_id") != dig(first, "MessageData", "task_id") {
			t.Fatalf("retry = %v, want the first result replayed", out)
		}
	}
	if asked != 1 || h.upstreamCalls(sendAPI) != 1 {
		t.Fatalf("after two retries: asked %d time(s), sent %d; want 1 and 1", asked, h.upstreamCalls(sendAPI))
	}
}

func TestReusedKeyWithOtherArgumentsIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.callOK("send_work_notice", `{"UserIds":["lina"],"MsgType":"text","Content":"Lunch at noon","Confirm":true,"IdempotencyKey":"k1"}`)
	out, _ := h.call("send_work_notice", `{"UserIds":["lina"],"MsgType":"text","Content":"Lunch at one","Confirm":true,"IdempotencyKey":"k1"}`)
	if out["StatusCode"] != float64(-1) || !strings.Contains(fmt.Sprint(out["ErrorMessage"]), "IdempotencyKey") || !strings.Contains(fmt.Sprint(out["Hint"]), "new IdempotencyKey") {
		t.Fatalf("reused key with other arguments = %v, want -1 naming IdempotencyKey", out)
	}
	// Another tool is another call too.
	out, _ = h.call("create_chat", withKey(examples["create_chat"], "k1"))
	if out["StatusCode"] != float64(-1) || !strings.Contains(fmt.Sprint(out["ErrorMessage"]), "send_work_notice") {
		t.Fatalf("reused key on another tool = %v, want -1 naming the key's tool", out)
	}
	if got := h.upstreamCalls(sendAPI); got != 1 {
		t.Fatalf("notices sent = %d, want 1", got)
	}
	if got := writes(h); got != 1 {
		t.Fatalf("%d requests reached DingTalk, want the first notice only", got)
	}
}

func TestBadIdempotencyKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		name, key, want string
	}{
		{"empty", "", "IdempotencyKey must not be empty"},
		{"256 bytes", strings.Repeat("k", 256), "IdempotencyKey must be at most 255"},
		{"255 characters, 765 bytes", strings.Repeat("键", 255), "IdempotencyKey must be at most 255 bytes"},
		{"newline", "retry\n1", "IdempotencyKey must not hold control characters"},
		{"NUL", "a\x00b", "IdempotencyKey must not hold control characters"},
	} {
		out, _ := h.call("send_work_notice", withKey(examples["send_work_notice"], tc.key))
		if out["StatusCode"] != float64(-1) || !strings.Contains(fmt.Sprint(out["ErrorMessage"]), tc.want) {
			t.Errorf("%s: %v, want -1 saying %q", tc.name, out, tc.want)
		}
	}
	out, _ := h.call("send_work_notice", `{"UserIds":["lina"],"MsgType":"text","Content":"x","Confirm":true,"IdempotencyKey":7}`)
	if out["StatusCode"] != float64(-1) || !strings.Contains(fmt.Sprint(out["ErrorMessage"]), "IdempotencyKey must be a string") {
		t.Errorf("numeric key: %v", out)
	}
	if got := h.upstreamCalls(sendAPI); got != 0 {
		t.Fatalf("bad keys sent %d notices", got)
	}
	// The server still serves, and a good key of 255 bytes works.
	h.callOK("send_work_notice", withKey(examples["send_work_notice"], strings.Repeat("k", 255)))
}

// TestIdenticalCallWithoutKey: inside the window an identical call is
// refused with the first call's ids and time; outside it, or with a new
// key, it is sent.
func TestIdenticalCallWithoutKey(t *testing.T) {
	t.Parallel()
	clock := storetest.NewClock(time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC))
	l := ledger.New(store.NewMemory(store.WithClock(clock.Now)), ledger.WithClock(clock.Now))
	h := newHarness(t, withLedger(l))
	args := examples["send_work_notice"]
	first := h.callOK("send_work_notice", args)
	taskID := fmt.Sprintf("%.0f", dig(first, "MessageData", "task_id"))

	clock.Advance(ledger.DefaultWindow - time.Second)
	out, _ := h.call("send_work_notice", args)
	msg := fmt.Sprint(out["ErrorMessage"])
	if out["StatusCode"] != float64(-1) || !strings.Contains(msg, "2026-12-04T09:30:00Z") || !strings.Contains(msg, fmt.Sprint(taskID)) {
		t.Fatalf("identical call inside the window = %v, want -1 with the first call's time and task id", out)
	}
	if fmt.Sprintf("%.0f", dig(out, "MessageData", "task_id")) != taskID || out["Replayed"] != true {
		t.Fatalf("the refusal does not carry the first result: %v", out)
	}
	if !strings.Contains(fmt.Sprint(out["Hint"]), "new IdempotencyKey") {
		t.Fatalf("Hint %q does not say how to send it again on purpose", out["Hint"])
	}
	// The same arguments written another way are the same call.
	out, _ = h.call("send_work_notice", `{"UserIds":"zhangwei, lina","MsgType":"text","Content":"Meeting moved to 3pm","Confirm":true,"AgentId":`+fmt.Sprint(sandbox.AgentID)+`}`)
	if out["StatusCode"] != float64(-1) {
		t.Fatalf("the same call with a comma-separated list and the default AgentId = %v, want refused", out)
	}
	if got := h.upstreamCalls(sendAPI); got != 1 {
		t.Fatalf("notices sent inside the window = %d, want 1", got)
	}
	h.callOK("send_work_notice", withKey(args, "on-purpose"))
	if got := h.upstreamCalls(sendAPI); got != 2 {
		t.Fatalf("with a new key: notices sent = %d, want 2", got)
	}

	clock.Advance(2 * time.Second)
	// Still inside the window of the keyed call.
	if out, _ := h.call("send_work_notice", args); out["StatusCode"] != float64(-1) {
		t.Fatalf("identical call after the keyed one = %v, want refused", out)
	}
	clock.Advance(ledger.DefaultWindow)
	h.callOK("send_work_notice", args)
	if got := h.upstreamCalls(sendAPI); got != 3 {
		t.Fatalf("after the window: notices sent = %d, want 3", got)
	}
}

// TestIdempotentWritesAreNotDeduplicated: repeating an idempotent write is
// harmless, so the window leaves it alone.
func TestIdempotentWritesAreNotDeduplicated(t *testing.T) {
	t.Parallel()
	api := targetAPI(t, "update_range_data")
	h := newHarness(t)
	args := examples["update_range_data"]
	h.callOK("update_range_data", args)
	h.callOK("update_range_data", args)
	if got := len(h.sandbox.Calls(api)); got != 2 {
		t.Fatalf("two identical update_range_data calls sent %d request(s) to %s, want 2", got, api)
	}
}

// TestUncertainSendIsNeverResent: after a send whose outcome is unknown
// (the connection dropped after DingTalk acted, or no answer in time),
// neither a retry with the key nor an identical call without one is sent;
// both get the uncertain result and the Hint to check first.
func TestUncertainSendIsNeverResent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tool, checkWith string
		fault           sandbox.Fault
	}{
		{"send_work_notice", "get_message_status", sandbox.Fault{ResetAfterApply: true}},
		{"send_work_notice", "get_message_status", sandbox.Fault{Delay: 500 * time.Millisecond}},
		{"append_rows", "get_range_data", sandbox.Fault{ResetAfterApply: true}},
		{"append_rows", "get_range_data", sandbox.Fault{Delay: 500 * time.Millisecond}},
		{"create_worksheet", "get_worksheets", sandbox.Fault{ResetAfterApply: true}},
		{"delete_rows", "get_range_data", sandbox.Fault{ResetAfterApply: true}},
		{"append_doc_content", "get_doc_content", sandbox.Fault{ResetAfterApply: true}},
	} {
		t.Run(fmt.Sprintf("%s %+v", tc.tool, tc.fault), func(t *testing.T) {
			t.Parallel()
			api := targetAPI(t, tc.tool)
			h := newHarness(t, withClientOptions(dingtalk.WithCallTimeout(200*time.Millisecond)))
			for _, p := range prepare[tc.tool] {
				h.callOK(p, examples[p])
			}
			f := tc.fault
			f.API = api
			h.sandbox.Inject(f)
			args := withKey(examples[tc.tool], "uncertain-1")
			first, _ := h.call(tc.tool, args)
			if !strings.Contains(fmt.Sprint(first["ErrorMessage"]), "may have been made") {
				t.Fatalf("first call = %v, want an uncertain outcome", first)
			}
			sent := len(h.sandbox.Calls(api))
			for _, repeat := range []string{args, examples[tc.tool]} {
				out, isErr := h.call(tc.tool, repeat)
				if !isErr || out["Replayed"] != true || out["StatusCode"] != first["StatusCode"] || out["Retryable"] != false {
					t.Fatalf("repeat = %v, want the uncertain result replayed", out)
				}
				if hint := fmt.Sprint(out["Hint"]); !strings.Contains(hint, tc.checkWith) {
					t.Fatalf("repeat's Hint %q does not say to check with %s", hint, tc.checkWith)
				}
			}
			if got := len(h.sandbox.Calls(api)); got != sent {
				t.Fatalf("the repeats sent %d more request(s) to %s", got-sent, api)
			}
			recent, err := h.env.RecentWrites(context.Background(), 10)
			if err != nil {
				t.Fatal(err)
			}
			var audited []string
			for _, e := range recent {
				if e.Tool == tc.tool {
					audited = append(audited, fmt.Sprintf("uncertain=%v replayed=%v", e.Uncertain, e.Replayed))
				}
			}
			want := []string{"uncertain=true replayed=true", "uncertain=true replayed=true", "uncertain=true replayed=false"}
			if diff := cmp.Diff(want, audited); diff != "" {
				t.Fatalf("audited writes, newest first (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCallThatNeverFinishedIsNeverResent: a reservation older than any
// call lasts belongs to a call whose server stopped while it ran; a
// repeat gets an uncertain answer and the Hint to check first, and sends
// nothing.
func TestCallThatNeverFinishedIsNeverResent(t *testing.T) {
	t.Parallel()
	clock := storetest.NewClock(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	l := ledger.New(store.NewMemory(store.WithClock(clock.Now)), ledger.WithClock(clock.Now), ledger.WithWait(50*time.Millisecond))
	h := newHarness(t, withLedger(l))
	h.sandbox.Inject(sandbox.Fault{API: sendAPI, Delay: time.Second})
	args := withKey(examples["send_work_notice"], "never-finished")
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.call("send_work_notice", args)
	}()
	for h.upstreamCalls(sendAPI) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	clock.Advance(ledger.DefaultStale + time.Minute)
	for _, repeat := range []string{args, examples["send_work_notice"]} {
		out, isErr := h.call("send_work_notice", repeat)
		if !isErr || out["StatusCode"] != float64(500) || out["Replayed"] != true || out["ReplayedAt"] != "2026-12-04T10:00:00Z" ||
			!strings.Contains(fmt.Sprint(out["ErrorMessage"]), "never recorded its outcome") || !strings.Contains(fmt.Sprint(out["Hint"]), "get_message_status") {
			t.Fatalf("repeat of a call that never finished = %v, want an uncertain answer that says to check with get_message_status", out)
		}
	}
	<-done
	if got := h.upstreamCalls(sendAPI); got != 1 {
		t.Fatalf("notices sent = %d, want 1", got)
	}
}

// TestConcurrentCallsWithOneKeySendOnce: 50 identical calls with one key
// at once reach DingTalk once; each gets the result or, if it tired of
// waiting, a clear "in progress".
func TestConcurrentCallsWithOneKeySendOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sandbox.Inject(sandbox.Fault{API: sendAPI, Delay: 100 * time.Millisecond})
	args := withKey(examples["send_work_notice"], "burst")
	var wg sync.WaitGroup
	results := make([]map[string]any, 50)
	for i := range results {
		wg.Go(func() {
			var req mcp.CallToolRequest
			req.Params.Name = "send_work_notice"
			req.Params.Arguments = json.RawMessage(args)
			res, err := h.client.CallTool(context.Background(), req)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := json.Marshal(res.StructuredContent)
			json.Unmarshal(b, &results[i])
		})
	}
	wg.Wait()
	if got := h.upstreamCalls(sendAPI); got != 1 {
		t.Fatalf("50 concurrent calls with one key sent %d notices, want 1", got)
	}
	var sent, replayed int
	var task any
	for _, r := range results {
		switch {
		case r["StatusCode"] == float64(200) && r["Replayed"] == false:
			sent++
			task = dig(r, "MessageData", "task_id")
		case r["StatusCode"] == float64(200) && r["Replayed"] == true:
			replayed++
		case r["StatusCode"] == float64(-1) && strings.Contains(fmt.Sprint(r["ErrorMessage"]), "has not finished"):
		default:
			t.Errorf("unexpected result: %v", r)
		}
	}
	if sent != 1 || replayed == 0 {
		t.Fatalf("%d sent and %d replayed, want 1 and the rest replayed or in progress", sent, replayed)
	}
	for _, r := range results {
		if r["StatusCode"] == float64(200) && dig(r, "MessageData", "task_id") != task {
			t.Fatalf("a replay carries task %v, not the sent task %v", dig(r, "MessageData", "task_id"), task)
		}
	}
}

// TestRefusedCallIsNotRecorded: a call DingTalk refused did nothing, so
// the same call may be made again, with its key or without.
func TestRefusedCallIsNotRecorded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sandbox.Inject(sandbox.Fault{API: sendAPI, Errcode: 60011})
	args := withKey(examples["send_work_notice"], "after-a-refusal")
	if out, _ := h.call("send_work_notice", args); out["StatusCode"] != float64(403) {
		t.Fatalf("first call = %v, want 403", out)
	}
	out := h.callOK("send_work_notice", args)
	if out["Replayed"] != false || h.upstreamCalls(sendAPI) != 2 {
		t.Fatalf("after the refusal: %v, %d sends; want a fresh send", out, h.upstreamCalls(sendAPI))
	}
	// A preview records nothing either.
	h2 := newHarness(t)
	preview := strings.Replace(examples["send_work_notice"], `,"Confirm":true`, "", 1)
	if out, _ := h2.call("send_work_notice", preview); out["StatusCode"] != float64(-1) {
		t.Fatalf("preview = %v", out)
	}
	h2.callOK("send_work_notice", examples["send_work_notice"])
}

// TestAuditLines: one line per write attempt, with who, what, the outcome
// and whether it was replayed; content cut short; reads are not audited.
func TestAuditLines(t *testing.T) {
	t.Parallel()
	var buf syncbuf.Buffer
	sink := audit.NewSink(&buf, slog.New(slog.DiscardHandler))
	h := newHarness(t, withAudit(audit.New(sink, store.NewMemory(), nil)))
	long := strings.Repeat("Quarterly numbers are in. ", 4)
	args := `{"UserIds":["zhangwei","lina"],"MsgType":"text","Content":"` + long + `","Confirm":true,"IdempotencyKey":"audit-1"}`
	first := h.callOK("send_work_notice", args)
	h.callOK("send_work_notice", args)
	h.callOK("get_user", `{"UserId":"lina"}`)
	h.sandbox.Inject(sandbox.Fault{API: sendAPI, Errcode: 60011})
	h.call("send_work_notice", strings.Replace(args, "audit-1", "audit-2", 1))
	if err := sink.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	var lines []audit.Entry
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var e audit.Entry
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		lines = append(lines, e)
	}
	if len(lines) != 3 {
		t.Fatalf("%d audit lines, want 3 (send, replay, refused send):\n%s", len(lines), buf.String())
	}
	task := fmt.Sprintf("%.0f", dig(first, "MessageData", "task_id"))
	want := audit.Entry{Person: "app", Client: "harness", Tool: "send_work_notice", IdempotencyKey: "audit-1", StatusCode: 200,
		Args: map[string]string{"AgentId": fmt.Sprint(sandbox.AgentID), "UserIds": "[zhangwei, lina]", "MsgType": "text", "Content": "Quarterly nu…"},
		Ids:  map[string]string{"task_id": task}}
	ignore := cmpIgnoreAuditVolatile()
	if diff := cmp.Diff(want, lines[0], ignore); diff != "" {
		t.Errorf("the send's line (-want +got):\n%s", diff)
	}
	want.Replayed = true
	if diff := cmp.Diff(want, lines[1], ignore); diff != "" {
		t.Errorf("the replay's line (-want +got):\n%s", diff)
	}
	if lines[2].StatusCode != 403 || lines[2].ErrorCode != "60011" || lines[2].RequestId == "" || lines[2].Replayed {
		t.Errorf("the refused send's line = %+v, want 403 with DingTalk's code and request id", lines[2])
	}
	if lines[0].Digest == "" || lines[0].Digest != lines[1].Digest {
		t.Errorf("digests %q, %q: want one digest for identical calls", lines[0].Digest, lines[1].Digest)
	}
	if strings.Contains(buf.String(), long[:30]) {
		t.Error("the message body reached the audit log uncut")
	}
	recent, err := h.env.RecentWrites(context.Background(), 10)
	if err != nil || len(recent) != 3 || recent[0].StatusCode != 403 {
		t.Fatalf("RecentWrites = %d entries (%v), want the 3 writes, newest first", len(recent), err)
	}
}

func cmpIgnoreAuditVolatile() cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".Time", ".Digest", ".RequestId":
			return true
		}
		return false
	}, cmp.Ignore())
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk on fire") }

// TestBrokenAuditSinkNeverFailsACall: the writes go through, and the
// failure is reported on the log.
func TestBrokenAuditSinkNeverFailsACall(t *testing.T) {
	t.Parallel()
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	sink := audit.NewSink(brokenWriter{}, logger)
	h := newHarness(t, withAudit(audit.New(sink, nil, logger)))
	h.callOK("send_work_notice", examples["send_work_notice"])
	h.callOK("create_chat", examples["create_chat"])
	if err := sink.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "disk on fire") || !strings.Contains(logs.String(), "write_failed=2") {
		t.Fatalf("the broken sink was not reported:\n%s", logs.String())
	}
}
