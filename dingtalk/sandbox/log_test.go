package sandbox

import (
	"testing"
	"time"
)

func TestRequestLogIsBounded(t *testing.T) {
	t.Parallel()
	s := New()
	start := time.Unix(1700000000, 0)
	var last int
	for i := range maxLog + maxLog/2 + 7 {
		last = s.record(Request{Time: start.Add(time.Duration(i)), API: "GET /x"})
	}
	if n := len(s.Requests()); n > maxLog {
		t.Fatalf("log holds %d requests, want at most %d", n, maxLog)
	}
	s.update(last, Request{Time: start.Add(time.Duration(maxLog + maxLog/2 + 6)), API: "GET /x", Status: 200})
	reqs := s.Requests()
	if got := reqs[len(reqs)-1].Status; got != 200 {
		t.Errorf("the newest request was not updated after the log was trimmed: status %d", got)
	}
	s.ResetLog()
	s.update(last, Request{Time: start, API: "GET /x"})
	if n := len(s.Requests()); n != 0 {
		t.Errorf("an update after ResetLog added %d requests", n)
	}
}
