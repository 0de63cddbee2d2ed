package prompts

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// Directory looks up names in the organisation's directory for argument
// completion. Each method returns at most a few names containing query
// (by name, pinyin or English name, as DingTalk's search matches them).
type Directory interface {
	DepartmentNames(ctx context.Context, query string) ([]string, error)
	UserNames(ctx context.Context, query string) ([]string, error)
}

// maxCompletions is the most values one answer carries (the MCP limit).
const maxCompletions = 100

// completionTimeout bounds a directory lookup: completion runs as the user
// types, and a late answer is no answer.
const completionTimeout = 5 * time.Second

// completer answers completion/complete for the offered prompts.
type completer struct {
	prompts map[string]*prompt
	dir     Directory
	logger  *slog.Logger
}

// CompletePromptArgument offers values for one argument of a prompt. An
// unknown prompt or argument, or one without suggestions, gets no values
// rather than an error: completion is a convenience, and the prompt's own
// steps find and report what is wrong. A failed directory lookup is logged
// and answered the same way, for the same reason.
func (c *completer) CompletePromptArgument(ctx context.Context, promptName string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	none := &mcp.Completion{Values: []string{}}
	p := c.prompts[promptName]
	if p == nil {
		return none, nil
	}
	i := slices.IndexFunc(p.Arguments, func(a argument) bool { return a.Name == arg.Name })
	if i < 0 {
		return none, nil
	}
	a := p.Arguments[i]
	if len(a.Enum) > 0 {
		return &mcp.Completion{Values: matching(a.Enum, arg.Value)}, nil
	}
	if c.dir == nil || a.Complete == noCompletion {
		return none, nil
	}
	// For a list, complete its last item and keep the items before it.
	head, query := "", arg.Value
	if a.Complete == userNames {
		if j := strings.LastIndex(query, ","); j >= 0 {
			head, query = query[:j+1]+" ", query[j+1:]
		}
	}
	query = strings.TrimSpace(query)
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	var names []string
	var err error
	if a.Complete == departmentName {
		names, err = c.dir.DepartmentNames(ctx, query)
	} else {
		names, err = c.dir.UserNames(ctx, query)
	}
	if err != nil {
		c.logger.Warn("prompt argument completion: directory lookup failed", "prompt", promptName, "argument", a.Name, "error", err)
		return none, nil
	}
	values := rank(names, query)
	if len(values) > maxCompletions {
		values = values[:maxCompletions]
	}
	for j := range values {
		values[j] = head + values[j]
	}
	return &mcp.Completion{Values: values}, nil
}

// matching returns the values that start with prefix, ignoring case.
func matching(values []string, prefix string) []string {
	out := []string{}
	for _, v := range values {
		if hasPrefixFold(v, strings.TrimSpace(prefix)) {
			out = append(out, v)
		}
	}
	return out
}

// rank removes repeats and puts the names that start with query first, so
// that a client showing only prefix matches still shows the best ones;
// otherwise it keeps the directory's order.
func rank(names []string, query string) []string {
	var first, rest []string
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		if hasPrefixFold(n, query) {
			first = append(first, n)
		} else {
			rest = append(rest, n)
		}
	}
	return append(append([]string{}, first...), rest...)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
