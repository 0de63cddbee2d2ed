package prompts

import (
	"context"
	"strings"
	"sync"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

// directoryLimit is how many names one lookup returns: a completion list
// is read by a person, and each name costs a DingTalk call.
const directoryLimit = 10

// NewDirectory returns the Directory of the organisation c reaches: names
// come from DingTalk's directory search, then one profile read per match,
// as the search returns ids only.
func NewDirectory(c *dingtalk.Client) Directory { return &clientDirectory{c: c} }

type clientDirectory struct{ c *dingtalk.Client }

// DepartmentNames returns the names of departments matching query; with an
// empty query, the departments just below the root, where people usually
// start. A department found by its English name is offered by that name,
// the one the user is typing.
func (d *clientDirectory) DepartmentNames(ctx context.Context, query string) ([]string, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		subs, err := d.c.Departments.ListSub(ctx, 1, "")
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, min(len(subs), directoryLimit))
		for _, s := range subs[:min(len(subs), directoryLimit)] {
			names = append(names, s.Name)
		}
		return names, nil
	}
	r, err := d.c.Departments.Search(ctx, dingtalk.SearchRequest{QueryWord: query, Size: directoryLimit})
	if err != nil {
		return nil, err
	}
	return eachName(ctx, r.List, func(ctx context.Context, id int64) (string, error) {
		dep, err := d.c.Departments.Get(ctx, id, "")
		if err != nil {
			return "", err
		}
		if containsFold(dep.Name, query) {
			return dep.Name, nil
		}
		if en, err := d.c.Departments.Get(ctx, id, "en_US"); err == nil && containsFold(en.Name, query) {
			return en.Name, nil
		}
		return dep.Name, nil
	})
}

// UserNames returns the names of members matching query. An empty query
// matches nobody: DingTalk's search needs a word.
func (d *clientDirectory) UserNames(ctx context.Context, query string) ([]string, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return []string{}, nil
	}
	r, err := d.c.Users.Search(ctx, dingtalk.SearchRequest{QueryWord: query, Size: directoryLimit})
	if err != nil {
		return nil, err
	}
	return eachName(ctx, r.List, func(ctx context.Context, id string) (string, error) {
		u, err := d.c.Users.Get(ctx, id, "")
		if err != nil {
			return "", err
		}
		return u.Name, nil
	})
}

// eachName looks up the name of each id at once, keeping the ids' order.
// Ids whose lookup failed are left out; it fails only if all did, so that
// one member who left in the meantime does not empty the list.
func eachName[ID any](ctx context.Context, ids []ID, name func(context.Context, ID) (string, error)) ([]string, error) {
	names := make([]string, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { names[i], errs[i] = name(ctx, id) })
	}
	wg.Wait()
	out := []string{}
	var firstErr error
	for i, n := range names {
		if errs[i] != nil {
			if firstErr == nil {
				firstErr = errs[i]
			}
			continue
		}
		out = append(out, n)
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
