package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"golang.org/x/oauth2"
)

func TestSignInFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--sandbox", "--transport", "http", "--auth", "dingtalk", "--admins", "manager4220,dept:2", "--allow-other-operators"}, ""},
		{[]string{"--sandbox", "--auth", "dingtalk"}, "needs --transport http"},
		{[]string{"--sandbox", "--transport", "http", "--auth", "ldap"}, "must be dingtalk"},
		{[]string{"--sandbox", "--transport", "http", "--auth", "dingtalk", "--http-token", "t"}, "exclude each other"},
		{[]string{"--sandbox", "--transport", "http", "--admins", "manager4220"}, "--admins applies only with --auth dingtalk"},
		{[]string{"--sandbox", "--transport", "http", "--allow-other-operators"}, "applies only with --auth dingtalk"},
		{[]string{"--sandbox", "--transport", "http", "--auth", "dingtalk", "--addr", "0.0.0.0:8080"}, "needs --public-url"},
		{[]string{"--sandbox", "--transport", "http", "--auth", "dingtalk", "--public-url", "http://mcp.example.com"}, "must use https"},
		{[]string{"--sandbox", "--transport", "http", "--auth", "dingtalk", "--public-url", "https://mcp.example.com/mcp"}, "no path"},
		{[]string{"--sandbox", "--transport", "http", "--auth", "dingtalk", "--admins", "dept:sales"}, "numeric department id"},
	} {
		cfg, err := parseConfig(tc.args, func(string) string { return "" }, io.Discard)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.wantErr == "" && (cfg.Auth != "dingtalk" || cfg.Admins[0] != "manager4220" || cfg.AdminDepts[0] != 2 || !cfg.AllowOtherOperators):
			t.Errorf("%v: config %+v", tc.args, cfg)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v: error %v, want one saying %q", tc.args, err, tc.wantErr)
		}
	}
}

// TestSignInEndToEnd signs a demo member in to the built binary
// (--sandbox --auth dingtalk) as an MCP client would, then calls tools
// over Streamable HTTP as them.
func TestSignInEndToEnd(t *testing.T) {
	t.Parallel()
	base := startHTTP(t, buildBinary(t), "--auth", "dingtalk")
	resp, err := http.Post(base+"/mcp", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `resource_metadata="`+base+`/.well-known/oauth-protected-resource/mcp"`) {
		t.Fatalf("unauthenticated: %s, WWW-Authenticate %q", resp.Status, resp.Header.Get("WWW-Authenticate"))
	}
	token := signInAs(t, base, "lina")

	c, err := client.NewStreamableHttpClient(base+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + token}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var init mcp.InitializeRequest
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	call := toolCaller(ctx, t, c)
	me := call("get_user", map[string]any{"UserId": "lina"})
	unionID, _ := me["UserData"].(map[string]any)["unionid"].(string)
	if unionID == "" || !strings.HasPrefix(me["Summary"].(string), "Asked by 李娜 (lina): ") {
		t.Fatalf("get_user: %v", me)
	}
	preview := call("create_workspace", map[string]any{"Name": "Lina's notes"})
	if !strings.Contains(preview["Hint"].(string), "owned by operator "+unionID) {
		t.Fatalf("create_workspace preview %q does not act as lina (%s)", preview["Hint"], unionID)
	}
	other := call("get_workspaces", map[string]any{"OperatorId": "manager4220"})
	if other["StatusCode"] != float64(403) {
		t.Fatalf("OperatorId naming someone else: %v", other)
	}
}

// signInAs runs the OAuth flow against the server at base as the sandbox
// member userID, with a headless browser, and returns the access token.
func signInAs(t *testing.T, base, userID string) string {
	t.Helper()
	const redirect = "http://127.0.0.1:1/callback"
	var reg struct {
		ClientID string `json:"client_id"`
	}
	resp, err := http.Post(base+"/register", "application/json", strings.NewReader(`{"redirect_uris":["`+redirect+`"],"client_name":"e2e"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&reg)
	resp.Body.Close()
	conf := &oauth2.Config{ClientID: reg.ClientID, RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: base + "/authorize", TokenURL: base + "/token", AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), redirect) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	page, err := browser.Get(conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)))
	if err != nil || page.StatusCode != http.StatusOK {
		t.Fatalf("sign-in page: %v %v", page.Status, err)
	}
	page.Body.Close()
	form := page.Request.URL.Query()
	form.Set("userid", userID)
	form.Set("decision", "allow")
	back, err := browser.PostForm(page.Request.URL.Scheme+"://"+page.Request.URL.Host+page.Request.URL.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	back.Body.Close()
	loc, _ := url.Parse(back.Header.Get("Location"))
	tok, err := conf.Exchange(context.Background(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("token: %v (redirected to %s)", err, loc)
	}
	return tok.AccessToken
}
