package mcpserver

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
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

// addResources registers the server's read-only resources, in the
// language of env.
func addResources(s *server.MCPServer, env *tools.Env) {
	l := env.Lang
	guide := Guide(l)
	s.AddResource(mcp.NewResource(AgentGuideURI, l.Text("DingTalk tools guide"),
		mcp.WithResourceDescription(l.Text("How the DingTalk tools fit together: reading a result, confirming writes, where each id comes from.")),
		mcp.WithMIMEType("text/markdown")),
		func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: AgentGuideURI, MIMEType: "text/markdown", Text: guide}}, nil
		})
	s.AddResource(mcp.NewResource(RecentWritesURI, l.Text("Your recent writes"),
		mcp.WithResourceDescription(l.Text("The writes this server made for you (the signed-in person, or the app) in the last 24 hours, newest first: tool, time, outcome, the ids created, replayed or not.")),
		mcp.WithMIMEType("application/json")),
		func(ctx context.Context, _ mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			writes, err := env.RecentWrites(ctx, recentWritesShown)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", l.Text("the recent writes cannot be read"), err)
			}
			b, err := json.MarshalIndent(writes, "", "  ")
			if err != nil {
				return nil, err
			}
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: RecentWritesURI, MIMEType: "application/json", Text: string(b)}}, nil
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
