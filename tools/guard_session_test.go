package tools

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// infoSession is a legacy session that knows the client's capabilities but
// cannot send server-to-client requests, like mcp-go's SSE session.
type infoSession struct {
	caps mcp.ClientCapabilities
}

func (s *infoSession) SessionID() string                                   { return "s1" }
func (s *infoSession) NotificationChannel() chan<- mcp.JSONRPCNotification { return nil }
func (s *infoSession) Initialize()                                         {}
func (s *infoSession) Initialized() bool                                   { return true }
func (s *infoSession) GetClientInfo() mcp.Implementation                   { return mcp.Implementation{} }
func (s *infoSession) SetClientInfo(mcp.Implementation)                    {}
func (s *infoSession) GetClientCapabilities() mcp.ClientCapabilities       { return s.caps }
func (s *infoSession) SetClientCapabilities(c mcp.ClientCapabilities)      { s.caps = c }

// elicitingSession can also send elicitation/create, like the stdio and
// stateful Streamable HTTP sessions.
type elicitingSession struct{ infoSession }

func (s *elicitingSession) RequestElicitation(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	return &mcp.ElicitationResult{}, nil
}

// TestClientCanElicitNeedsASessionThatCanAsk: a client that declares
// elicitation over a transport whose session cannot send the request (the
// legacy SSE transport) must get the preview, not a protocol error.
func TestClientCanElicitNeedsASessionThatCanAsk(t *testing.T) {
	t.Parallel()
	declared := mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapability{}}
	srv := server.NewMCPServer("t", "1")
	tests := []struct {
		name    string
		session server.ClientSession
		want    bool
	}{
		{"declared, session can ask", &elicitingSession{infoSession{caps: declared}}, true},
		{"declared, session cannot ask (SSE)", &infoSession{caps: declared}, false},
		{"not declared", &elicitingSession{}, false},
		{"no session", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			if tt.session != nil {
				ctx = srv.WithContext(ctx, tt.session)
			}
			if got := clientCanElicit(ctx); got != tt.want {
				t.Errorf("clientCanElicit = %v, want %v", got, tt.want)
			}
		})
	}
}
