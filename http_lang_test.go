package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/mcpserver"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// TestEachRequestPicksItsLanguage: over HTTP one server speaks every
// language, each session the one its first request asked for, by the lang
// parameter, then Accept-Language, then --lang; a language nobody asks
// for is never built.
func TestEachRequestPicksItsLanguage(t *testing.T) {
	t.Parallel()
	srv, err := mcpserver.New(mcpserver.Config{Sandbox: true, Version: "1", Tools: tools.Selection{Tools: []string{"get_user"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var built []i18n.Lang
	serverIn := func(l i18n.Lang) (*server.MCPServer, error) {
		mu.Lock()
		built = append(built, l)
		mu.Unlock()
		return srv.In(l)
	}
	handler, stop := languageHandler(i18n.En, serverIn, "", newDrain(0, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(handler)
	t.Cleanup(func() { stop(context.Background()); ts.Close() })

	tests := []struct {
		name, query, accept string
		wantTitle           string
	}{
		{"the default", "", "", "Get user"},
		{"Accept-Language", "", "zh-CN,zh;q=0.9,en;q=0.8", "获取员工"},
		{"lang wins over Accept-Language", "?lang=en", "zh-CN", "Get user"},
		{"lang", "?lang=zh", "", "获取员工"},
		{"a language the server does not speak", "", "fr-FR", "Get user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{}
			if tt.accept != "" {
				headers["Accept-Language"] = tt.accept
			}
			c := connectHTTP(t, ts.URL+"/mcp"+tt.query, headers)
			list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Tools) != 1 || list.Tools[0].Title != tt.wantTitle {
				t.Errorf("tools/list = %+v, want one tool titled %q", list.Tools, tt.wantTitle)
			}
		})
	}
	if diff := cmp.Diff([]i18n.Lang{i18n.En, i18n.Zh}, built); diff != "" {
		t.Errorf("servers built, in order (-want +got):\n%s", diff)
	}
}

// TestSessionStaysInItsLanguage: every request of a session reaches the
// server that created it, whatever language the request asks for.
func TestSessionStaysInItsLanguage(t *testing.T) {
	t.Parallel()
	srv, err := mcpserver.New(mcpserver.Config{Sandbox: true, Version: "1", Tools: tools.Selection{Tools: []string{"get_user"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	handler, stop := languageHandler(i18n.En, srv.In, "", newDrain(0, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(handler)
	t.Cleanup(func() { stop(context.Background()); ts.Close() })

	c := connectHTTP(t, ts.URL+"/mcp?lang=zh", nil)
	sid := c.GetSessionId()
	if !strings.HasPrefix(sid, "zh.") {
		t.Fatalf("session id %q does not name its language", sid)
	}
	// The same session, asking for English on every count.
	body := `{"jsonrpc":"2.0","id":7,"method":"tools/list"}`
	req, _ := http.NewRequest("POST", ts.URL+"/mcp?lang=en", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Accept-Language", "en")
	req.Header.Set(server.HeaderKeySessionID, sid)
	req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(b.String(), "获取员工") {
		t.Errorf("HTTP %d %s; want the session's Chinese tools/list", resp.StatusCode, b.String())
	}
}

func TestUnknownLangIsRefused(t *testing.T) {
	t.Parallel()
	handler, _ := languageHandler(i18n.En, oneServer(slowServer(0)), "tok", newDrain(0, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(handler)
	defer ts.Close()
	for _, tt := range []struct {
		name, token string
		want        int
	}{{"with the token", "tok", http.StatusBadRequest}, {"without it", "", http.StatusUnauthorized}} {
		req, _ := http.NewRequest("POST", ts.URL+"/mcp?lang=fr", strings.NewReader(`{}`))
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		io.Copy(&b, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: HTTP %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
		if tt.want == http.StatusBadRequest && !strings.Contains(b.String(), "en, zh") {
			t.Errorf("%s: %q does not list the languages", tt.name, b.String())
		}
	}
}

// connectHTTP returns an initialized Streamable HTTP client of url.
func connectHTTP(t *testing.T, url string, headers map[string]string) *client.Client {
	t.Helper()
	tr, err := transport.NewStreamableHTTP(url, transport.WithHTTPHeaders(headers))
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(tr)
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var init mcp.InitializeRequest
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	init.Params.ClientInfo = mcp.Implementation{Name: "lang-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRefusalsSpeakTheRequestsLanguage: what the HTTP server itself
// answers a request it refuses (no token, another site's page, a body too
// large, a shutdown under way) is in the language the request asked for.
func TestRefusalsSpeakTheRequestsLanguage(t *testing.T) {
	t.Parallel()
	srv, err := mcpserver.New(mcpserver.Config{Sandbox: true, Version: "1", Tools: tools.Selection{Tools: []string{"get_user"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	d := newDrain(0, slog.New(slog.DiscardHandler))
	handler, stop := languageHandler(i18n.En, srv.In, "tok", d, slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(handler)
	t.Cleanup(func() { stop(context.Background()); ts.Close() })
	post := func(query string, header map[string]string, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/mcp"+query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	ping := `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	bearer := map[string]string{"Authorization": "Bearer tok"}
	for _, tc := range []struct {
		name   string
		query  string
		header map[string]string
		status int
		en, zh string
	}{
		{"no token", "", nil, http.StatusUnauthorized, "unauthorized", "未授权"},
		{"another site's page", "", map[string]string{"Authorization": "Bearer tok", "Origin": "https://evil.example"}, http.StatusForbidden, "cross-origin", "跨源"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, body := post("", tc.header, ping); status != tc.status || !strings.Contains(body, tc.en) {
				t.Errorf("in English: %d %s, want %d saying %q", status, body, tc.status, tc.en)
			}
			if status, body := post("?lang=zh", tc.header, ping); status != tc.status || !strings.Contains(body, tc.zh) {
				t.Errorf("in Chinese: %d %s, want %d saying %q", status, body, tc.status, tc.zh)
			}
		})
	}
	go d.shutdown("test")
	for d.begin() {
		d.end()
	}
	if status, body := post("?lang=zh", bearer, ping); status != http.StatusServiceUnavailable || !strings.Contains(body, "服务器正在关闭") {
		t.Errorf("a request during the shutdown, in Chinese: %d %s", status, body)
	}
}

// TestRefusalsOfUnreadableRequests: an unknown lang parameter is refused
// in the language of Accept-Language, and a body past the limit that gave
// no Content-Length in the request's language; each a JSON {"error": …}.
func TestRefusalsOfUnreadableRequests(t *testing.T) {
	t.Parallel()
	handler, _ := languageHandler(i18n.En, oneServer(slowServer(0)), "", newDrain(0, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	ts := httptest.NewServer(handler)
	defer ts.Close()
	huge := `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"` + strings.Repeat("a", maxRequestBytes) + `"}}`
	for _, tt := range []struct {
		name, query, acceptLanguage string
		body                        io.Reader
		status                      int
		want                        string
	}{
		{"unknown lang", "?lang=fr", "", strings.NewReader(`{}`), http.StatusBadRequest, `the lang parameter must be one of en, zh, got "fr"`},
		{"unknown lang, Chinese browser", "?lang=fr", "zh-CN,zh;q=0.9", strings.NewReader(`{}`), http.StatusBadRequest, `lang 参数须为 en, zh 之一，实际为 "fr"`},
		{"streamed body too large", "", "", io.MultiReader(strings.NewReader(huge)), http.StatusRequestEntityTooLarge, "request body too large: at most 4194304 bytes"},
		{"streamed body too large, in Chinese", "?lang=zh", "", io.MultiReader(strings.NewReader(huge)), http.StatusRequestEntityTooLarge, "请求体过大：最多 4194304 字节"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/mcp"+tt.query, tt.body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			if tt.acceptLanguage != "" {
				req.Header.Set("Accept-Language", tt.acceptLanguage)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct{ Error string }
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("HTTP %d: the body is not JSON: %v", resp.StatusCode, err)
			}
			if resp.StatusCode != tt.status || got.Error != tt.want {
				t.Errorf("HTTP %d %q, want %d %q", resp.StatusCode, got.Error, tt.status, tt.want)
			}
		})
	}
}
