package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestSignInPageRefusesBadParameters(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(New(WithQPS(0)))
	t.Cleanup(ts.Close)
	good := url.Values{"client_id": {AppKey}, "redirect_uri": {"http://127.0.0.1:1/cb"}, "response_type": {"code"}, "scope": {"openid"}, "prompt": {"consent"}, "state": {"s"}}
	for _, tc := range []struct {
		name, key, value string
		want             int
	}{
		{"good", "", "", http.StatusOK},
		{"another app", "client_id", "dingother", http.StatusBadRequest},
		{"relative redirect", "redirect_uri", "/cb", http.StatusBadRequest},
		{"token flow", "response_type", "token", http.StatusBadRequest},
		{"no openid", "scope", "corpid", http.StatusBadRequest},
	} {
		q := url.Values{}
		for k, v := range good {
			q[k] = v
		}
		if tc.key != "" {
			q.Set(tc.key, tc.value)
		}
		resp, err := http.Get(ts.URL + "/oauth2/auth?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: HTTP %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
}

func TestUsersMeRefusesTheAppToken(t *testing.T) {
	t.Parallel()
	s := New(WithQPS(0))
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	for _, tc := range []struct {
		name, token string
		status      int
		code        string
	}{
		{"app token", s.issueToken(), http.StatusForbidden, "Forbidden.AccessDenied.AccessTokenPermissionDenied"},
		{"unknown token", "feedface", http.StatusBadRequest, "InvalidAuthentication"},
		{"no token", "", http.StatusBadRequest, "AuthenticationFailed.MissingParameter"},
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/v1.0/contact/users/me", nil)
		if tc.token != "" {
			req.Header.Set("x-acs-dingtalk-access-token", tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Code string }
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || body.Code != tc.code {
			t.Errorf("%s: HTTP %d %s, want %d %s", tc.name, resp.StatusCode, body.Code, tc.status, tc.code)
		}
	}
}
