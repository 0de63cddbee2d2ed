package mcpserver

import (
	"context"
	_ "embed"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// agentGuide is the guide a client can attach to a conversation: how the
// tools fit together, where each id comes from, how to read a result.
//
//go:embed agent-guide.md
var agentGuide string

// AgentGuideURI is the address of the agent guide resource.
const AgentGuideURI = "dingtalk://guide"

// addResources registers the server's read-only resources, in l.
func addResources(s *server.MCPServer, l i18n.Lang) {
	guide := Guide(l)
	s.AddResource(mcp.NewResource(AgentGuideURI, l.Text("DingTalk tools guide"),
		mcp.WithResourceDescription(l.Text("How the DingTalk tools fit together: reading a result, confirming writes, where each id comes from.")),
		mcp.WithMIMEType("text/markdown")),
		func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: AgentGuideURI, MIMEType: "text/markdown", Text: guide}}, nil
		})
}

// Guide is the agent guide in l. Each paragraph of agent-guide.md (the
// text between blank lines: a heading, a list, a table) is one text of
// the catalog, so that changing a paragraph asks for its translation
// alone.
func Guide(l i18n.Lang) string {
	paragraphs := GuideParagraphs()
	for i, p := range paragraphs {
		paragraphs[i] = l.Text(p)
	}
	return strings.Join(paragraphs, "\n\n") + "\n"
}

// GuideParagraphs returns the English guide's paragraphs, the catalog's
// keys of the guide.
func GuideParagraphs() []string {
	return strings.Split(strings.TrimSpace(agentGuide), "\n\n")
}
