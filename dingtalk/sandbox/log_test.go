package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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

func TestUnknownRoutesAnswerInEachFamilysShape(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(New())
	defer ts.Close()
	for _, tc := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/v1.0/contact/nothing", 404, `"code":"InvalidAction.NotFound"`},
		{"DELETE", "/v2.0/wiki/workspaces", 404, `"code":"InvalidAction.NotFound"`},
		{"POST", "/topapi/v2/user/notexist", 200, `"errcode":22`},
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s %s: HTTP %d %s, want %d with %s", tc.method, tc.path, resp.StatusCode, body, tc.status, tc.want)
		}
	}
}
