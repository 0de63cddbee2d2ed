package dingtalk

import (
	"strings"
	"sync"
)

// maxRememberedTokens bounds the redactor's memory: a token lives two hours,
// so a long-running server remembers the last few.
const maxRememberedTokens = 8

// redactor removes the app secret and the access tokens from any text that
// might leave the client: error messages, log lines.
type redactor struct {
	mu      sync.RWMutex
	secrets []string // secrets[0] is the app secret
}

func newRedactor(appSecret string) *redactor {
	return &redactor{secrets: []string{appSecret}}
}

func (r *redactor) add(token string) {
	if token == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.secrets {
		if s == token {
			return
		}
	}
	r.secrets = append(r.secrets, token)
	if n := len(r.secrets); n > maxRememberedTokens+1 {
		r.secrets = append(r.secrets[:1], r.secrets[n-maxRememberedTokens:]...)
	}
}

func (r *redactor) redact(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, secret := range r.secrets {
		if secret != "" && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "[REDACTED]")
		}
	}
	return s
}

// Redact removes the app secret and any access token the client has seen
// from s. Callers use it on text that did not come from this package.
func (c *Client) Redact(s string) string { return c.secrets.redact(s) }
