package sandbox

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Documented limits of the wiki v2.0 APIs (DingTalk's "Get knowledge base
// list" and "Get node list" pages on open.dingtalk.com).
const (
	maxWorkspacePage = 30
	maxNodePage      = 50
	maxWikiBatch     = 20
	// The longest knowledge base name and description DingTalk accepts are
	// UNVERIFIED; these bounds only make paramError.name and
	// paramError.description reachable.
	maxWorkspaceName = 100
	maxWorkspaceDesc = 1000
	// The longest document name is UNVERIFIED.
	maxDocName = 200
)

func (s *Server) wikiRoutes() {
	s.api("POST /v2.0/wiki/workspaces", "Wiki.Workspace.Write", s.wikiAddWorkspace)
	s.api("GET /v2.0/wiki/workspaces/{workspaceId}", "Wiki.Workspace.Read", s.wikiGetWorkspace)
	s.api("GET /v2.0/wiki/workspaces", "Wiki.Workspace.Read", s.wikiListWorkspaces)
	s.api("POST /v2.0/wiki/workspaces/batchQuery", "Wiki.Workspace.Read", s.wikiBatchWorkspaces)
	s.api("POST /v1.0/doc/workspaces/{workspaceId}/docs", "Document.WorkspaceDocument.Write", s.docCreate)
	s.api("GET /v2.0/wiki/nodes", "Wiki.Node.Read", s.wikiListNodes)
	s.api("GET /v2.0/wiki/nodes/{nodeId}", "Wiki.Node.Read", s.wikiGetNode)
	s.api("POST /v2.0/wiki/nodes/batchQuery", "Wiki.Node.Read", s.wikiBatchNodes)
	s.api("POST /v2.0/wiki/nodes/queryByUrl", "Wiki.Node.Read", s.wikiNodeByURL)
}

func wikiParamError(code, msg string) *apiError { return errAPI(http.StatusBadRequest, code, msg) }

var (
	errWikiPermission     = errAPI(http.StatusForbidden, "permissionDenied", "The operator has no permission.")
	errWorkspaceNotExist  = errAPI(http.StatusNotFound, "workspaceNotExist", "The workspace does not exist.")
	errNodeNotExist       = errAPI(http.StatusNotFound, "nodeNotExist", "The node does not exist.")
	errParentNodeNotExist = errAPI(http.StatusNotFound, "parentNodeNotExist", "The parent node does not exist.")
)

// wikiOperator finds the member named by the required operatorId query
// parameter. A missing one is a paramError; one that is no active member's
// unionId is refused as having no permission (UNVERIFIED: DingTalk's exact
// answer to an unknown unionId is not documented).
func (s *Server) wikiOperator(x *exchange) (*user, *apiError) {
	id := strings.TrimSpace(x.r.URL.Query().Get("operatorId"))
	if id == "" {
		return nil, wikiParamError("paramError", "operatorId is required.")
	}
	u := s.state.dir.byUnionID[id]
	if u == nil || !u.Active || u.external {
		return nil, errWikiPermission
	}
	return u, nil
}

// wikiQueryBool reads an optional boolean query parameter.
func wikiQueryBool(x *exchange, name string) (bool, *apiError) {
	v := x.r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, wikiParamError("paramError", name+" must be true or false.")
	}
	return b, nil
}

// pageSize reads maxResults: absent means def; outside 1..max is refused
// (DingTalk lists paramError.maxResults; whether it clamps instead is
// UNVERIFIED).
func wikiPageSize(x *exchange, def, limit int) (int, *apiError) {
	v := x.r.URL.Query().Get("maxResults")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > limit {
		return 0, wikiParamError("paramError.maxResults", fmt.Sprintf("maxResults must be between 1 and %d.", limit))
	}
	return n, nil
}

// The nextToken is opaque to clients; here it carries what is being listed
// and the offset, so a token from another listing is refused.
func wikiPageToken(scope string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(scope + "|" + strconv.Itoa(offset)))
}

func wikiReadPageToken(x *exchange, scope string) (int, *apiError) {
	tok := x.r.URL.Query().Get("nextToken")
	if tok == "" {
		return 0, nil
	}
	bad := wikiParamError("paramError", "nextToken is invalid.")
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, bad
	}
	sc, off, ok := strings.Cut(string(b), "|")
	n, err := strconv.Atoi(off)
	if !ok || sc != scope || err != nil || n < 0 {
		return 0, bad
	}
	return n, nil
}

// page cuts items[offset:offset+size] and the token for what follows.
func wikiPage[T any](items []T, offset, size int, scope string) ([]T, string) {
	if offset > len(items) {
		offset = len(items)
	}
	end := min(offset+size, len(items))
	next := ""
	if end < len(items) {
		next = wikiPageToken(scope, end)
	}
	return items[offset:end], next
}

// workspaceView is ws as one operator sees it.
func (ws *workspace) view(op *user, withRole bool) workspace {
	v := *ws
	if withRole {
		v.PermissionRole = ws.role(op.UnionID)
	}
	return v
}

// nodeView is n as one operator sees it, with the optional extras.
func (w *wikiStore) nodeView(n *wikiNode, op *user, withStats, withRole bool) wikiNode {
	v := *n
	v.HasChildren = len(n.children) > 0
	if withStats {
		v.StatisticalInfo = &wikiNodeStats{WordCount: n.wordCount}
	}
	if withRole {
		v.PermissionRole = w.workspaces[n.WorkspaceID].role(op.UnionID)
	}
	return v
}

// canRead reports whether op may see the node.
func (w *wikiStore) canRead(n *wikiNode, op *user) bool {
	ws := w.workspaces[n.WorkspaceID]
	return ws != nil && ws.role(op.UnionID) != wikiRoleNone
}

// wikiAddWorkspace answers AddWorkspace: POST /v2.0/wiki/workspaces.
func (s *Server) wikiAddWorkspace(x *exchange) (any, *apiError) {
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	var req struct {
		Name   string `json:"name"`
		Option struct {
			Description string `json:"description"`
			TeamID      string `json:"teamId"`
		} `json:"option"`
	}
	if aerr := x.decode(&req); aerr != nil {
		return nil, aerr
	}
	name := strings.TrimSpace(req.Name)
	switch {
	case name == "":
		return nil, wikiParamError("paramError.name", "name is required.")
	case utf8.RuneCountInString(name) > maxWorkspaceName:
		return nil, wikiParamError("paramError.name", fmt.Sprintf("name must be at most %d characters.", maxWorkspaceName))
	case utf8.RuneCountInString(req.Option.Description) > maxWorkspaceDesc:
		return nil, wikiParamError("paramError.description", fmt.Sprintf("description must be at most %d characters.", maxWorkspaceDesc))
	case req.Option.TeamID != "" && !s.state.wiki.teams[req.Option.TeamID]:
		// AddWorkspace lists no teamNotExist; a paramError is the
		// plausible answer (UNVERIFIED).
		return nil, wikiParamError("paramError", "teamId is invalid.")
	}
	ws := s.state.wiki.addWorkspace("", "", name, req.Option.Description, req.Option.TeamID, op, s.now())
	return map[string]any{"workspace": ws.view(op, true)}, nil
}

// wikiGetWorkspace answers GetWorkspace: GET /v2.0/wiki/workspaces/{id}.
func (s *Server) wikiGetWorkspace(x *exchange) (any, *apiError) {
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	withRole, aerr := wikiQueryBool(x, "withPermissionRole")
	if aerr != nil {
		return nil, aerr
	}
	id := x.r.PathValue("workspaceId")
	ws := s.state.wiki.workspaces[id]
	switch {
	case ws == nil && s.state.wiki.nodes[id] != nil:
		return nil, wikiParamError("isNotWorkspace", "The id is not a workspace.")
	case ws == nil:
		return nil, errWorkspaceNotExist
	case ws.role(op.UnionID) == wikiRoleNone:
		return nil, errWikiPermission
	}
	return map[string]any{"workspace": ws.view(op, withRole)}, nil
}

// workspaceOrders are ListWorkspaces' orderBy values. Without one the
// sandbox lists in creation order (DingTalk's default is UNVERIFIED).
var workspaceOrders = []string{"VIEW_TIME_DESC", "CREATE_TIME_DESC", "MODIFIED_TIME_DESC"}

// wikiListWorkspaces answers ListWorkspaces: GET /v2.0/wiki/workspaces,
// the knowledge bases the operator can see, a page at a time.
func (s *Server) wikiListWorkspaces(x *exchange) (any, *apiError) {
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	q := x.r.URL.Query()
	size, aerr := wikiPageSize(x, maxWorkspacePage, maxWorkspacePage)
	if aerr != nil {
		return nil, aerr
	}
	withRole, aerr := wikiQueryBool(x, "withPermissionRole")
	if aerr != nil {
		return nil, aerr
	}
	orderBy, teamID := q.Get("orderBy"), q.Get("teamId")
	if orderBy != "" && !slices.Contains(workspaceOrders, orderBy) {
		return nil, wikiParamError("paramError.orderBy", "orderBy must be one of "+strings.Join(workspaceOrders, ", ")+".")
	}
	if teamID != "" && !s.state.wiki.teams[teamID] {
		return nil, errAPI(http.StatusNotFound, "teamNotExist", "The team does not exist.")
	}
	scope := "workspaces:" + op.UnionID + ":" + orderBy + ":" + teamID
	offset, aerr := wikiReadPageToken(x, scope)
	if aerr != nil {
		return nil, aerr
	}
	var visible []*workspace
	for _, id := range s.state.wiki.order {
		ws := s.state.wiki.workspaces[id]
		if ws.role(op.UnionID) != wikiRoleNone && (teamID == "" || ws.TeamID == teamID) {
			visible = append(visible, ws)
		}
	}
	switch orderBy {
	case "CREATE_TIME_DESC":
		slices.SortStableFunc(visible, func(a, b *workspace) int { return b.created.Compare(a.created) })
	case "MODIFIED_TIME_DESC", "VIEW_TIME_DESC":
		// The sandbox keeps no view times: the last change stands in.
		slices.SortStableFunc(visible, func(a, b *workspace) int { return b.modified.Compare(a.modified) })
	}
	items, next := wikiPage(visible, offset, size, scope)
	out := make([]workspace, len(items))
	for i, ws := range items {
		out[i] = ws.view(op, withRole)
	}
	body := map[string]any{"workspaces": out}
	if next != "" {
		body["nextToken"] = next
	}
	return body, nil
}

// wikiBatchWorkspaces answers GetWorkspaces (the batch call): POST
// /v2.0/wiki/workspaces/batchQuery. Ids that do not exist or that the
// operator cannot see are left out rather than failing the call
// (UNVERIFIED: DingTalk's "Batch acquisition of knowledge base" page lists
// 404 workspaceNotExist without saying when it applies).
func (s *Server) wikiBatchWorkspaces(x *exchange) (any, *apiError) {
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	var req struct {
		WorkspaceIDs []string `json:"workspaceIds"`
		Option       struct {
			WithPermissionRole bool `json:"withPermissionRole"`
		} `json:"option"`
	}
	if aerr := x.decode(&req); aerr != nil {
		return nil, aerr
	}
	if aerr := wikiCheckBatch("workspaceIds", req.WorkspaceIDs); aerr != nil {
		return nil, aerr
	}
	out := []workspace{}
	seen := map[string]bool{}
	for _, id := range req.WorkspaceIDs {
		ws := s.state.wiki.workspaces[id]
		if ws == nil || seen[id] || ws.role(op.UnionID) == wikiRoleNone {
			continue
		}
		seen[id] = true
		out = append(out, ws.view(op, req.Option.WithPermissionRole))
	}
	return map[string]any{"workspaces": out}, nil
}

func wikiCheckBatch(field string, ids []string) *apiError {
	switch {
	case len(ids) == 0:
		return wikiParamError("paramError", field+" is required.")
	case len(ids) > maxWikiBatch:
		return wikiParamError("paramError", fmt.Sprintf("%s can hold at most %d ids.", field, maxWikiBatch))
	}
	return nil
}
