package mcpserver

import (
	"context"
	_ "embed"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// agentGuide is the guide a client can attach to a conversation: how the
// tools fit together, where each id comes from, how to read a result.
//
//go:embed agent-guide.md
var agentGuide string

// AgentGuideURI is the address of the agent guide resource.
const AgentGuideURI = "dingtalk://guide"

// addResources registers the server's read-only resources.
func addResources(s *server.MCPServer) {
	s.AddResource(mcp.NewResource(AgentGuideURI, "DingTalk tools guide",
		mcp.WithResourceDescription("How the DingTalk tools fit together: reading a result, confirming writes, where each id comes from."),
		mcp.WithMIMEType("text/markdown")),
		func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: AgentGuideURI, MIMEType: "text/markdown", Text: agentGuide}}, nil
		})
}
