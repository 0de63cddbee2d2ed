package tools

import (
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// All returns every tool declaration, grouped by toolset.
func All() []Declaration {
	var all []Declaration
	for _, ts := range [][]Declaration{chatTools(), contactsTools(), wikiTools(), sheetTools(), messageTools()} {
		all = append(all, ts...)
	}
	return all
}

// Selection says which tools to register.
type Selection struct {
	// ReadOnly registers only tools that change nothing. It wins over
	// Toolsets and Tools.
	ReadOnly bool
	// Toolsets limits the tools to these toolsets; empty means all.
	Toolsets []string
	// Tools limits the tools to these names; empty means all.
	Tools []string
}

// Select returns the declarations sel chooses, or an error naming an
// unknown toolset or tool.
func Select(sel Selection) ([]Declaration, error) {
	all := All()
	for _, name := range sel.Toolsets {
		if !slices.Contains(Toolsets, Toolset(name)) {
			return nil, i18n.Errorf("unknown toolset %q; the toolsets are %s", name, joinToolsets())
		}
	}
	for _, name := range sel.Tools {
		if !slices.ContainsFunc(all, func(d Declaration) bool { return d.Spec().Name == name }) {
			return nil, i18n.Errorf("unknown tool %q; run with --list-tools to see them", name)
		}
	}
	var out []Declaration
	for _, d := range all {
		s := d.Spec()
		if sel.ReadOnly && !s.ReadOnly {
			continue
		}
		if len(sel.Toolsets) > 0 && !slices.Contains(sel.Toolsets, string(s.Toolset)) {
			continue
		}
		if len(sel.Tools) > 0 && !slices.Contains(sel.Tools, s.Name) {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

func joinToolsets() string {
	names := make([]string, len(Toolsets))
	for i, t := range Toolsets {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// Register adds the tools decls, from Select, to s, served with env.
func Register(s *server.MCPServer, env *Env, decls []Declaration) {
	tools := make([]server.ServerTool, len(decls))
	for i, d := range decls {
		tools[i] = server.ServerTool{Tool: d.MCPToolIn(env.Lang), Handler: d.Handler(env)}
	}
	s.AddTools(tools...)
}
