package sandbox

import (
	"net/http"
)

// issueToken returns the app's token, renewing its life if it is still
// valid, as DingTalk does.
func (s *Server) issueToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if exp, ok := s.tokens[s.currentToken]; !ok || !now.Before(exp) {
		s.currentToken = randomString(32, "0123456789abcdef")
	}
	s.tokens[s.currentToken] = now.Add(tokenTTL)
	s.tokensIssued++
	return s.currentToken
}

func (s *Server) validToken(t string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[t]
	return ok && s.now().Before(exp)
}

func (s *Server) tokenRoutes() {
	// POST /v1.0/oauth2/accessToken: the new family's token endpoint.
	s.mux.HandleFunc("POST /v1.0/oauth2/accessToken", s.serve("POST /v1.0/oauth2/accessToken", func(x *exchange) {
		var req struct {
			AppKey    string `json:"appKey"`
			AppSecret string `json:"appSecret"`
		}
		if x.decode(&req) != nil || (req.AppKey == "" && req.AppSecret == "") {
			x.apiError(http.StatusBadRequest, "Missingbody", "body is mandatory for this action.")
			return
		}
		if req.AppKey != AppKey || req.AppSecret != AppSecret {
			x.apiError(http.StatusBadRequest, "invalidClientIdOrSecret", "无效的clientId或者clientSecret")
			return
		}
		x.writeJSON(http.StatusOK, map[string]any{"accessToken": s.issueToken(), "expireIn": int(tokenTTL.Seconds())})
	}))
	// GET /gettoken: the legacy family's token endpoint.
	s.mux.HandleFunc("GET /gettoken", s.serve("GET /gettoken", func(x *exchange) {
		q := x.r.URL.Query()
		key, secret := q.Get("appkey"), q.Get("appsecret")
		if key == "" || secret == "" {
			x.legacyError(40035, "", "缺少参数 corpid or appkey")
			return
		}
		if key != AppKey || secret != AppSecret {
			x.legacyError(40096, "", "不合法的appKey或appSecret")
			return
		}
		x.writeJSON(http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": s.issueToken(), "expires_in": int(tokenTTL.Seconds())})
	}))
}
