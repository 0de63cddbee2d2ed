package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestControlHandler(t *testing.T) {
	t.Parallel()
	s := New()
	mux := http.NewServeMux()
	mux.Handle(ControlPrefix, s.ControlHandler())
	mux.Handle("/", s)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	post := func(path, body string) *http.Response {
		t.Helper()
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(ControlPrefix+"faults", `{"api":"GET /gettoken","errcode":-1,"times":1}`); resp.StatusCode != 200 {
		t.Fatalf("inject: HTTP %d", resp.StatusCode)
	}
	if resp := post(ControlPrefix+"faults", `{"apii":"x"}`); resp.StatusCode != 400 {
		t.Fatalf("a fault with an unknown field: HTTP %d, want 400", resp.StatusCode)
	}
	resp, err := http.Get(srv.URL + "/gettoken?appkey=" + AppKey + "&appsecret=" + AppSecret)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Errcode int `json:"errcode"`
	}
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if got.Errcode != -1 {
		t.Fatalf("the injected fault did not apply: errcode %d", got.Errcode)
	}

	var log struct {
		TokensIssued int `json:"tokensIssued"`
		Requests     []struct {
			API     string `json:"api"`
			Errcode string `json:"errcode"`
		} `json:"requests"`
	}
	resp, err = http.Get(srv.URL + ControlPrefix + "requests")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&log)
	resp.Body.Close()
	if len(log.Requests) != 1 || log.Requests[0].API != "GET /gettoken" || log.Requests[0].Errcode != "-1" || log.TokensIssued != 0 {
		t.Fatalf("log = %+v, want the one failed token request", log)
	}
	post(ControlPrefix+"reset", "")
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("after reset the log holds %d requests", n)
	}
}
