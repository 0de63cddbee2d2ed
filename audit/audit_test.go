package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/internal/syncbuf"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

func TestPreviewArgs(t *testing.T) {
	t.Parallel()
	type in struct {
		WorkbookId string     `json:"WorkbookId"`
		UserIds    []string   `json:"UserIds"`
		Content    string     `json:"Content"`
		Values     [][]string `json:"Values"`
		Mobile     string     `json:"Mobile,omitempty"`
		Row        int        `json:"Row"`
		Note       string     `json:"Note"`
	}
	args := in{
		WorkbookId: "wb-0123456789",
		UserIds:    []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7"},
		Content:    "The quarterly results are confidential until Friday",
		Values:     [][]string{{"Acme Corporation Ltd", "1200"}, {"b", "c"}},
		Mobile:     "13800000001",
		Row:        7,
		Note:       "token s3cr3t-app-secret here",
	}
	redact := func(s string) string { return strings.ReplaceAll(s, "s3cr3t-app-secret", "[REDACTED]") }
	want := map[string]string{
		"WorkbookId": "wb-0123456789",
		"UserIds":    "[u1, u2, u3, u4, u5, … 7 in all]",
		"Content":    "The quarterl…",
		"Values":     "[[Acme Corpora…, 1200], [b, c]]",
		"Mobile":     "138******01",
		"Row":        "7",
		"Note":       "token [REDACTED] here",
	}
	if diff := cmp.Diff(want, audit.PreviewArgs(args, redact)); diff != "" {
		t.Fatalf("PreviewArgs (-want +got):\n%s", diff)
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		result string
		want   map[string]string
	}{
		{"work notice", `{"MessageData":{"task_id":987654321,"recipients":["u1"]},"StatusCode":200,"RequestId":"r-1"}`, map[string]string{"task_id": "987654321"}},
		{"append", `{"AppendResult":{"a1Notation":"A6:C7","appendedRange":"A6:C7","appendedRows":2},"RequestId":"r"}`, map[string]string{"a1Notation": "A6:C7", "appendedRange": "A6:C7"}},
		{"chat", `{"ChatData":{"chatid":"chat1","openConversationId":"cid1","conversationTag":2}}`, map[string]string{"chatid": "chat1", "openConversationId": "cid1"}},
		{"nothing created", `{"Success":true,"StatusCode":-1}`, nil},
		{"not JSON", `{`, nil},
	} {
		if diff := cmp.Diff(tc.want, audit.IDs(json.RawMessage(tc.result))); diff != "" {
			t.Errorf("%s: IDs (-want +got):\n%s", tc.name, diff)
		}
	}
}

func entry(i int) *audit.Entry {
	return &audit.Entry{Time: time.Date(2026, 12, 4, 9, 0, i, 0, time.UTC), Person: "app", Tool: "append_rows", Digest: fmt.Sprint(i), StatusCode: 200}
}

func TestSinkWritesJSONLines(t *testing.T) {
	t.Parallel()
	var out syncbuf.Buffer
	s := audit.NewSink(&out, slog.New(slog.DiscardHandler))
	for i := range 3 {
		s.Write(entry(i))
	}
	if err := s.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), out.String())
	}
	for i, l := range lines {
		var got audit.Entry
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v", i, err)
		}
		if diff := cmp.Diff(*entry(i), got); diff != "" {
			t.Errorf("line %d (-want +got):\n%s", i, diff)
		}
	}
}

// blockingWriter hangs until released, as a full pipe or a stuck disk.
type blockingWriter struct{ release chan struct{} }

func (w blockingWriter) Write(p []byte) (int, error) { <-w.release; return len(p), nil }

// TestSinkNeverBlocks: with the writer hung, Write still returns at once;
// what does not fit the queue is dropped, counted and reported.
func TestSinkNeverBlocks(t *testing.T) {
	t.Parallel()
	var logs syncbuf.Buffer
	w := blockingWriter{release: make(chan struct{})}
	s := audit.NewSink(w, slog.New(slog.NewTextHandler(&logs, nil)))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 10_000 {
			s.Write(entry(i))
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Write blocked behind a hung writer")
	}
	close(w.release)
	if err := s.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "audit log: lines lost") || !strings.Contains(logs.String(), "dropped_queue_full=") {
		t.Fatalf("dropped lines were not reported; log:\n%s", logs.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestSinkReportsAFailingWriter(t *testing.T) {
	t.Parallel()
	var logs syncbuf.Buffer
	s := audit.NewSink(failingWriter{}, slog.New(slog.NewTextHandler(&logs, nil)))
	s.Write(entry(1))
	s.Write(entry(2))
	if err := s.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"audit log: cannot write", "disk full", "write_failed=2"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.DiscardHandler)
	var stderr syncbuf.Buffer
	s, err := audit.Open("-", &stderr, logger)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(entry(1))
	if err := s.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), `"Tool":"append_rows"`) {
		t.Fatalf("--audit-log - wrote %q to stderr", stderr.String())
	}

	path := filepath.Join(t.TempDir(), "logs", "audit.jsonl")
	s, err = audit.Open(path, &stderr, logger)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(entry(2))
	if err := s.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), `"Digest":"2"`) {
		t.Fatalf("audit file = %q, %v", b, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("audit file mode = %v, want 0600", fi.Mode().Perm())
	}

	if _, err := audit.Open(filepath.Join(path, "under-a-file"), &stderr, logger); err == nil || !strings.Contains(err.Error(), "--audit-log") {
		t.Fatalf("Open under a regular file = %v, want an error naming --audit-log", err)
	}
}

func TestRecentIsPerPersonAndBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := audit.New(nil, store.NewMemory(), nil)
	for i := range audit.RecentKeep + 5 {
		l.Record(ctx, "app", entry(i))
	}
	l.Record(ctx, "user:u1", &audit.Entry{Tool: "create_doc"})
	got, err := l.Recent(ctx, "app", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != audit.RecentKeep || got[0].Digest != fmt.Sprint(audit.RecentKeep+4) {
		t.Fatalf("Recent(app) = %d entries starting with %q; want %d, newest first", len(got), got[0].Digest, audit.RecentKeep)
	}
	mine, err := l.Recent(ctx, "user:u1", 10)
	if err != nil || len(mine) != 1 || mine[0].Tool != "create_doc" {
		t.Fatalf("Recent(user:u1) = %+v, %v; want only their own write", mine, err)
	}
}
