package mcpserver

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// agentGuide is the guide a client can attach to a conversation: how the
// tools fit together, where each id comes from, how to read a result.
//
//go:embed agent-guide.md
var agentGuide string

// The addresses of the resources.
const (
	// AgentGuideURI is the agent guide.
	AgentGuideURI = "dingtalk://guide"
	// RecentWritesURI lists the writes made recently for the person
	// asking.
	RecentWritesURI = "dingtalk://audit/recent"
)

// recentWritesShown is how many writes the recent-writes resource lists.
const recentWritesShown = 50

// addResources registers the server's read-only resources.
func addResources(s *server.MCPServer, env *tools.Env) {
	s.AddResource(mcp.NewResource(AgentGuideURI, "DingTalk tools guide",
		mcp.WithResourceDescription("How the DingTalk tools fit together: reading a result, confirming writes, where each id comes from."),
		mcp.WithMIMEType("text/markdown")),
		func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: AgentGuideURI, MIMEType: "text/markdown", Text: agentGuide}}, nil
		})
	s.AddResource(mcp.NewResource(RecentWritesURI, "Your recent writes",
		mcp.WithResourceDescription("The writes this server made for you (the signed-in person, or the app) in the last 24 hours, newest first: tool, time, outcome, the ids created, replayed or not."),
		mcp.WithMIMEType("application/json")),
		func(ctx context.Context, _ mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			writes, err := env.RecentWrites(ctx, recentWritesShown)
			if err != nil {
				return nil, fmt.Errorf("the recent writes cannot be read: %w", err)
			}
			b, err := json.MarshalIndent(writes, "", "  ")
			if err != nil {
				return nil, err
			}
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: RecentWritesURI, MIMEType: "application/json", Text: string(b)}}, nil
		})
}
