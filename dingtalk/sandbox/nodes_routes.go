package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// docCreate answers CreateWorkspaceDoc (doc v1.0): POST
// /v1.0/doc/workspaces/{workspaceId}/docs, with operatorId in the body.
// Its errors are the doc v1.0 family's, not the wiki's.
func (s *Server) docCreate(x *exchange) (any, *apiError) {
	var req struct {
		Name         string  `json:"name"`
		DocType      string  `json:"docType"`
		OperatorID   string  `json:"operatorId"`
		ParentNodeID string  `json:"parentNodeId"`
		TemplateID   string  `json:"templateId"`
		TemplateType *string `json:"templateType"`
	}
	invalid := func(why string) *apiError {
		return errAPI(http.StatusBadRequest, "invalidRequest.inputArgs.invalid", "方法入参校验失败: "+why)
	}
	if len(strings.TrimSpace(string(x.body))) == 0 {
		return nil, errAPI(http.StatusBadRequest, "Missingbody", "body is mandatory for this action.")
	}
	if err := json.Unmarshal(x.body, &req); err != nil {
		return nil, invalid("the body is not valid JSON")
	}
	name := strings.TrimSpace(req.Name)
	_, knownType := wikiDocKinds[req.DocType]
	switch {
	case strings.TrimSpace(req.OperatorID) == "":
		return nil, invalid("operatorId is required")
	case name == "":
		return nil, invalid("name is required")
	case utf8.RuneCountInString(name) > maxDocName:
		return nil, invalid(fmt.Sprintf("name must be at most %d characters", maxDocName))
	case !knownType:
		return nil, invalid("docType must be one of DOC, WORKBOOK, MIND, FOLDER")
	case req.TemplateType != nil && !slices.Contains([]string{"public_template", "team_template", "user_template"}, *req.TemplateType):
		return nil, invalid("templateType must be one of public_template, team_template, user_template")
	}
	w := s.state.wiki
	// DingTalk's "Create team space document" page lists a bad unionId under
	// inputArgs.invalid.
	op := s.state.dir.byUnionID[req.OperatorID]
	if op == nil || !op.Active || op.external {
		return nil, invalid("operatorId is not the unionId of a member of the organisation")
	}
	ws := w.workspaces[x.r.PathValue("workspaceId")]
	if ws == nil {
		return nil, errAPI(http.StatusNotFound, "invalidRequest.resource.notFound", "知识库不存在")
	}
	if !wikiCanWrite(ws.role(op.UnionID)) {
		return nil, errAPI(http.StatusForbidden, "forbidden.accessDenied", "用户无操作权限")
	}
	parent := w.nodes[ws.RootNodeID]
	if req.ParentNodeID != "" {
		parent = w.nodes[req.ParentNodeID]
		if parent == nil || parent.WorkspaceID != ws.WorkspaceID {
			return nil, errAPI(http.StatusBadRequest, "invalidRequest.workspaceNode.parentNotFound", "父节点不存在")
		}
		// Documents nest under folders and text documents only (DingTalk's
		// "Create team space document" page); the answer for other parents is UNVERIFIED.
		if parent.docType != "FOLDER" && parent.docType != "DOC" {
			return nil, invalid("parentNodeId must be a folder or a text document")
		}
	}
	if req.TemplateID != "" && w.templates[req.TemplateID] == "" {
		return nil, errAPI(http.StatusBadRequest, "invalidRequest.template.notFound", "模板不存在")
	}
	// A name conflict is the same name under the same parent (UNVERIFIED).
	full := wikiNodeName(name, req.DocType)
	for _, id := range parent.children {
		if w.nodes[id].Name == full {
			return nil, errAPI(http.StatusBadRequest, "invalidRequest.workspaceNode.nameConflict", "知识库文档名称冲突")
		}
	}
	now := s.now()
	n := w.addNode("", parent, name, req.DocType, op, now)
	ws.modified, ws.ModifiedTime, ws.ModifierID = now, wikiTime(now), op.UserID
	if req.DocType == "WORKBOOK" {
		s.state.sheets.createWorkbook(n.NodeID, name, now)
	}
	return map[string]any{
		"workspaceId": ws.WorkspaceID,
		"nodeId":      n.docID,
		"docKey":      n.docKey,
		"url":         n.URL,
		"dentryUuid":  n.NodeID,
	}, nil
}

// wikiListNodes answers ListNodes: GET /v2.0/wiki/nodes, the direct
// children of parentNodeId in creation order (DingTalk's order is
// UNVERIFIED).
func (s *Server) wikiListNodes(x *exchange) (any, *apiError) {
	q := x.r.URL.Query()
	parentID := q.Get("parentNodeId")
	if parentID == "" {
		return nil, wikiParamError("paramError", "parentNodeId is required.")
	}
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	size, aerr := wikiPageSize(x, maxNodePage, maxNodePage)
	if aerr != nil {
		return nil, aerr
	}
	withRole, aerr := wikiQueryBool(x, "withPermissionRole")
	if aerr != nil {
		return nil, aerr
	}
	w := s.state.wiki
	parent := w.nodes[parentID]
	if parent == nil {
		return nil, errParentNodeNotExist
	}
	if !w.canRead(parent, op) {
		return nil, errWikiPermission
	}
	offset, aerr := wikiReadPageToken(x, "nodes:"+parentID)
	if aerr != nil {
		return nil, aerr
	}
	ids, next := wikiPage(parent.children, offset, size, "nodes:"+parentID)
	out := make([]wikiNode, len(ids))
	for i, id := range ids {
		out[i] = w.nodeView(w.nodes[id], op, false, withRole)
	}
	body := map[string]any{"nodes": out}
	if next != "" {
		body["nextToken"] = next
	}
	return body, nil
}

// wikiGetNode answers GetNode: GET /v2.0/wiki/nodes/{nodeId}.
func (s *Server) wikiGetNode(x *exchange) (any, *apiError) {
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	withStats, aerr := wikiQueryBool(x, "withStatisticalInfo")
	if aerr != nil {
		return nil, aerr
	}
	withRole, aerr := wikiQueryBool(x, "withPermissionRole")
	if aerr != nil {
		return nil, aerr
	}
	return s.nodeAnswer(x.r.PathValue("nodeId"), op, withStats, withRole)
}

func (s *Server) nodeAnswer(id string, op *user, withStats, withRole bool) (any, *apiError) {
	w := s.state.wiki
	n := w.nodes[id]
	if n == nil {
		return nil, errNodeNotExist
	}
	if !w.canRead(n, op) {
		return nil, errWikiPermission
	}
	return map[string]any{"node": w.nodeView(n, op, withStats, withRole)}, nil
}

type wikiNodeOption struct {
	WithStatisticalInfo bool `json:"withStatisticalInfo"`
	WithPermissionRole  bool `json:"withPermissionRole"`
}

// wikiBatchNodes answers GetNodes: POST /v2.0/wiki/nodes/batchQuery. Ids
// that do not exist or that the operator cannot see are left out
// (UNVERIFIED; DingTalk's "Obtain nodes in batch" page lists no 404).
func (s *Server) wikiBatchNodes(x *exchange) (any, *apiError) {
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	var req struct {
		NodeIDs []string       `json:"nodeIds"`
		Option  wikiNodeOption `json:"option"`
	}
	if aerr := x.decode(&req); aerr != nil {
		return nil, aerr
	}
	if aerr := wikiCheckBatch("nodeIds", req.NodeIDs); aerr != nil {
		return nil, aerr
	}
	w := s.state.wiki
	out := []wikiNode{}
	seen := map[string]bool{}
	for _, id := range req.NodeIDs {
		n := w.nodes[id]
		if n == nil || seen[id] || !w.canRead(n, op) {
			continue
		}
		seen[id] = true
		out = append(out, w.nodeView(n, op, req.Option.WithStatisticalInfo, req.Option.WithPermissionRole))
	}
	return map[string]any{"nodes": out}, nil
}

// wikiNodeByURL answers GetNodeByUrl: POST /v2.0/wiki/nodes/queryByUrl. It
// understands the documented link form https://alidocs.dingtalk.com/i/nodes/<dentryUuid>
// and ignores a query string or fragment; other alidocs paths are answered
// nodeNotExist and links elsewhere paramError (both UNVERIFIED).
func (s *Server) wikiNodeByURL(x *exchange) (any, *apiError) {
	op, aerr := s.wikiOperator(x)
	if aerr != nil {
		return nil, aerr
	}
	var req struct {
		URL    string         `json:"url"`
		Option wikiNodeOption `json:"option"`
	}
	if aerr := x.decode(&req); aerr != nil {
		return nil, aerr
	}
	raw := strings.TrimSpace(req.URL)
	if raw == "" {
		return nil, wikiParamError("paramError", "url is required.")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !isAlidocsHost(u.Hostname()) {
		return nil, wikiParamError("paramError", "url is not a DingTalk document link.")
	}
	id, ok := strings.CutPrefix(strings.TrimSuffix(u.Path, "/"), "/i/nodes/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return nil, errNodeNotExist
	}
	return s.nodeAnswer(id, op, req.Option.WithStatisticalInfo, req.Option.WithPermissionRole)
}

func isAlidocsHost(h string) bool {
	h = strings.ToLower(h)
	return h == "alidocs.dingtalk.com" || h == "alidocs.dingtalk.io"
}
