package dingtalk

import (
	"context"
	"strconv"
)

// WikiService manages knowledge bases (workspaces) and their nodes.
type WikiService service

// Workspace is a knowledge base as the wiki v2.0 APIs return it
// (WorkspaceModel).
type Workspace struct {
	WorkspaceID    string         `json:"workspaceId" jsonschema_description:"The knowledge base's id (WorkspaceId of the wiki tools)."`
	CorpID         string         `json:"corpId,omitempty" jsonschema_description:"The organisation that owns it."`
	TeamID         string         `json:"teamId,omitempty" jsonschema_description:"The knowledge team it belongs to; empty when none."`
	RootNodeID     string         `json:"rootNodeId" jsonschema_description:"The nodeId of its root folder: get_node_list lists it when ParentNodeId is left out."`
	Name           string         `json:"name"`
	Type           string         `json:"type,omitempty" jsonschema_description:"TEAM for a knowledge base or PERSONAL for a user's own documents."`
	Description    string         `json:"description,omitempty"`
	URL            string         `json:"url,omitempty" jsonschema_description:"Its link in DingTalk Docs."`
	Icon           *WorkspaceIcon `json:"icon,omitempty"`
	Cover          string         `json:"cover,omitempty" jsonschema_description:"The cover image URL."`
	CreatorID      string         `json:"creatorId,omitempty" jsonschema_description:"The creator's userId."`
	ModifierID     string         `json:"modifierId,omitempty" jsonschema_description:"The last modifier's userId."`
	CreateTime     string         `json:"createTime,omitempty" jsonschema_description:"ISO-8601, e.g. 2023-05-15T11:29Z."`
	ModifiedTime   string         `json:"modifiedTime,omitempty" jsonschema_description:"ISO-8601, e.g. 2023-05-15T11:29Z."`
	PermissionRole string         `json:"permissionRole,omitempty" jsonschema_description:"The operator's role when DingTalk reports it: OWNER, MANAGER, EDITOR, DOWNLOADER, READER or NONE."`
}

// WorkspaceIcon is a knowledge base's icon.
type WorkspaceIcon struct {
	Type  string `json:"type" jsonschema_description:"URL or EMOJI."`
	Value string `json:"value"`
}

// Node is a document, folder or file of a knowledge base as the wiki v2.0
// APIs return it (NodeModel). For a spreadsheet, NodeID is the workbookId.
type Node struct {
	NodeID            string          `json:"nodeId" jsonschema_description:"The node's id (dentryUuid): NodeId and ParentNodeId of the wiki tools and, for a spreadsheet (extension axls), WorkbookId of the sheet tools."`
	WorkspaceID       string          `json:"workspaceId" jsonschema_description:"The knowledge base it belongs to."`
	Name              string          `json:"name" jsonschema_description:"Its name; DingTalk documents carry their extension, e.g. Report.adoc."`
	Size              int64           `json:"size" jsonschema_description:"Size in bytes."`
	Type              string          `json:"type" jsonschema_description:"FILE or FOLDER."`
	Category          string          `json:"category,omitempty" jsonschema_description:"ALIDOC (a DingTalk online document), DOCUMENT, IMAGE, VIDEO, AUDIO, ARCHIVE or OTHER."`
	Extension         string          `json:"extension,omitempty" jsonschema_description:"adoc (document), axls (spreadsheet), amind (mind map), able, awbd, appt, or a file's own extension."`
	URL               string          `json:"url,omitempty" jsonschema_description:"Its link; get_node_by_link accepts it."`
	CreatorID         string          `json:"creatorId,omitempty" jsonschema_description:"The creator's userId."`
	ModifierID        string          `json:"modifierId,omitempty" jsonschema_description:"The last modifier's userId."`
	CreateTime        string          `json:"createTime,omitempty" jsonschema_description:"ISO-8601, e.g. 2023-05-15T11:29Z."`
	ModifiedTime      string          `json:"modifiedTime,omitempty" jsonschema_description:"ISO-8601, e.g. 2023-05-15T11:29Z."`
	CreateTimestamp   int64           `json:"createTimestamp,omitempty" jsonschema_description:"Creation time in epoch milliseconds."`
	ModifiedTimestamp int64           `json:"modifiedTimestamp,omitempty" jsonschema_description:"Last change in epoch milliseconds."`
	HasChildren       bool            `json:"hasChildren" jsonschema_description:"Whether it has child nodes: list them with get_node_list and this nodeId as ParentNodeId."`
	StatisticalInfo   *NodeStatistics `json:"statisticalInfo,omitempty"`
	PermissionRole    string          `json:"permissionRole,omitempty" jsonschema_description:"The operator's role when DingTalk reports it: OWNER, MANAGER, EDITOR, DOWNLOADER, READER or NONE."`
}

// NodeStatistics is a document's statistics.
type NodeStatistics struct {
	WordCount int64 `json:"wordCount"`
}

// CreatedDoc is what Create Doc returns.
type CreatedDoc struct {
	WorkspaceID string `json:"workspaceId" jsonschema_description:"The knowledge base the document was created in."`
	NodeID      string `json:"nodeId" jsonschema_description:"The document's id in the older doc API."`
	DocKey      string `json:"docKey,omitempty" jsonschema_description:"The document's key."`
	URL         string `json:"url,omitempty" jsonschema_description:"The document's link."`
	DentryUUID  string `json:"dentryUuid,omitempty" jsonschema_description:"The document's id in the knowledge base (the nodeId the wiki tools and the workbookId the sheet tools accept)."`
}

// ID is the id the wiki v2.0 and workbook APIs accept for the new document:
// the dentryUuid, or the nodeId when DingTalk gives no dentryUuid (the SDK
// marks only nodeId as always present).
func (d *CreatedDoc) ID() string { return firstNonEmpty(d.DentryUUID, d.NodeID) }

// WorkspacePage is one page of knowledge bases.
type WorkspacePage struct {
	Workspaces []Workspace `json:"workspaces"`
	// NextToken fetches the next page; empty on the last one.
	NextToken string `json:"nextToken"`
}

// NodePage is one page of a folder's nodes.
type NodePage struct {
	Nodes []Node `json:"nodes"`
	// NextToken fetches the next page; empty on the last one.
	NextToken string `json:"nextToken"`
}

// CreateDocRequest is a document to create in a knowledge base.
type CreateDocRequest struct {
	WorkspaceID string `json:"-"`
	Name        string `json:"name"`
	// DocType is DOC, WORKBOOK, MIND or FOLDER.
	DocType    string `json:"docType"`
	OperatorID string `json:"operatorId"`
	// ParentNodeID is the folder or document to create it under; empty
	// means the knowledge base's top level.
	ParentNodeID string `json:"parentNodeId,omitempty"`
	TemplateID   string `json:"templateId,omitempty"`
	// TemplateType is public_template, team_template or user_template.
	TemplateType string `json:"templateType,omitempty"`
}

// Paging limits of the list APIs.
const (
	MaxWorkspacesPage = 30
	MaxNodesPage      = 50
	// MaxWikiBatch is how many ids one batch query takes.
	MaxWikiBatch = 20
)

var (
	workspaceAddEndpoint   = &endpoint{family: apiFamily, method: "POST", path: "/v2.0/wiki/workspaces"}
	workspaceGetEndpoint   = &endpoint{family: apiFamily, method: "GET", path: "/v2.0/wiki/workspaces/{}", idempotent: true}
	workspaceListEndpoint  = &endpoint{family: apiFamily, method: "GET", path: "/v2.0/wiki/workspaces", idempotent: true}
	workspaceBatchEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v2.0/wiki/workspaces/batchQuery", idempotent: true}
	docCreateEndpoint      = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/doc/workspaces/{}/docs"}
	nodeListEndpoint       = &endpoint{family: apiFamily, method: "GET", path: "/v2.0/wiki/nodes", idempotent: true}
	nodeGetEndpoint        = &endpoint{family: apiFamily, method: "GET", path: "/v2.0/wiki/nodes/{}", idempotent: true}
	nodeBatchEndpoint      = &endpoint{family: apiFamily, method: "POST", path: "/v2.0/wiki/nodes/batchQuery", idempotent: true}
	nodeByURLEndpoint      = &endpoint{family: apiFamily, method: "POST", path: "/v2.0/wiki/nodes/queryByUrl", idempotent: true}
)

// CreateWorkspace creates a knowledge base owned by the operator (a
// unionId). description may be empty.
//
// DingTalk: POST /v2.0/wiki/workspaces (AddWorkspace). Not idempotent:
// calling twice creates two knowledge bases.
func (s *WikiService) CreateWorkspace(ctx context.Context, operatorID, name, description string) (*Workspace, error) {
	body := map[string]any{"name": name}
	if description != "" {
		body["option"] = map[string]any{"description": description}
	}
	var out struct {
		Workspace Workspace `json:"workspace"`
	}
	if err := s.client.do(ctx, &call{ep: workspaceAddEndpoint, query: operatorQuery(operatorID), body: body}, &out); err != nil {
		return nil, err
	}
	return &out.Workspace, nil
}

// GetWorkspace returns the knowledge base workspaceID as the operator sees
// it.
//
// DingTalk: GET /v2.0/wiki/workspaces/{workspaceId} (GetWorkspace).
// Idempotent.
func (s *WikiService) GetWorkspace(ctx context.Context, operatorID, workspaceID string) (*Workspace, error) {
	var out struct {
		Workspace Workspace `json:"workspace"`
	}
	c := &call{ep: workspaceGetEndpoint, pathParams: []string{workspaceID}, query: operatorQuery(operatorID)}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out.Workspace, nil
}

// ListWorkspaces returns one page of the knowledge bases the operator can
// see. maxResults is at most MaxWorkspacesPage (0 means DingTalk's default,
// 30); nextToken is empty for the first page.
//
// DingTalk: GET /v2.0/wiki/workspaces (ListWorkspaces; the SDK's
// "GetWorkspaces" is the batch call). Idempotent.
func (s *WikiService) ListWorkspaces(ctx context.Context, operatorID string, maxResults int, nextToken string) (*WorkspacePage, error) {
	q := operatorQuery(operatorID)
	if maxResults > 0 {
		q.Set("maxResults", strconv.Itoa(maxResults))
	}
	if nextToken != "" {
		q.Set("nextToken", nextToken)
	}
	var out WorkspacePage
	if err := s.client.do(ctx, &call{ep: workspaceListEndpoint, query: q}, &out); err != nil {
		return nil, err
	}
	if out.Workspaces == nil {
		out.Workspaces = []Workspace{}
	}
	return &out, nil
}

// BatchGetWorkspaces returns the knowledge bases with the given ids (at
// most MaxWikiBatch). Whether DingTalk leaves out ids that do not exist or
// fails the call is undocumented.
//
// DingTalk: POST /v2.0/wiki/workspaces/batchQuery (GetWorkspaces).
// Idempotent.
func (s *WikiService) BatchGetWorkspaces(ctx context.Context, operatorID string, workspaceIDs []string) ([]Workspace, error) {
	var out struct {
		Workspaces []Workspace `json:"workspaces"`
	}
	c := &call{ep: workspaceBatchEndpoint, query: operatorQuery(operatorID), body: map[string]any{"workspaceIds": workspaceIDs}}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	if out.Workspaces == nil {
		out.Workspaces = []Workspace{}
	}
	return out.Workspaces, nil
}

// CreateDoc creates a document, spreadsheet, mind map or folder in a
// knowledge base. Unlike the wiki v2.0 calls, this doc v1.0 API takes the
// operator in the body. Use CreatedDoc.ID for the new node's id.
//
// DingTalk: POST /v1.0/doc/workspaces/{workspaceId}/docs
// (CreateWorkspaceDoc). Not idempotent: calling twice creates two
// documents, or fails with a name conflict.
func (s *WikiService) CreateDoc(ctx context.Context, req CreateDocRequest) (*CreatedDoc, error) {
	var out CreatedDoc
	c := &call{ep: docCreateEndpoint, pathParams: []string{req.WorkspaceID}, body: req}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListNodes returns one page of the direct children of parentNodeID (a
// folder or document; a knowledge base's rootNodeId for its top level).
// maxResults is at most MaxNodesPage (0 means DingTalk's default, 50);
// nextToken is empty for the first page.
//
// DingTalk: GET /v2.0/wiki/nodes (ListNodes). Idempotent.
func (s *WikiService) ListNodes(ctx context.Context, operatorID, parentNodeID string, maxResults int, nextToken string) (*NodePage, error) {
	q := operatorQuery(operatorID)
	q.Set("parentNodeId", parentNodeID)
	if maxResults > 0 {
		q.Set("maxResults", strconv.Itoa(maxResults))
	}
	if nextToken != "" {
		q.Set("nextToken", nextToken)
	}
	var out NodePage
	if err := s.client.do(ctx, &call{ep: nodeListEndpoint, query: q}, &out); err != nil {
		return nil, err
	}
	if out.Nodes == nil {
		out.Nodes = []Node{}
	}
	return &out, nil
}

// GetNode returns the node nodeID (a dentryUuid).
//
// DingTalk: GET /v2.0/wiki/nodes/{nodeId} (GetNode). Idempotent.
func (s *WikiService) GetNode(ctx context.Context, operatorID, nodeID string) (*Node, error) {
	var out struct {
		Node Node `json:"node"`
	}
	c := &call{ep: nodeGetEndpoint, pathParams: []string{nodeID}, query: operatorQuery(operatorID)}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out.Node, nil
}

// BatchGetNodes returns the nodes with the given ids (at most
// MaxWikiBatch). Whether DingTalk leaves out ids that do not exist or fails
// the call is undocumented.
//
// DingTalk: POST /v2.0/wiki/nodes/batchQuery (GetNodes). Idempotent.
func (s *WikiService) BatchGetNodes(ctx context.Context, operatorID string, nodeIDs []string) ([]Node, error) {
	var out struct {
		Nodes []Node `json:"nodes"`
	}
	c := &call{ep: nodeBatchEndpoint, query: operatorQuery(operatorID), body: map[string]any{"nodeIds": nodeIDs}}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	if out.Nodes == nil {
		out.Nodes = []Node{}
	}
	return out.Nodes, nil
}

// GetNodeByURL returns the node a DingTalk Docs link points to, e.g.
// https://alidocs.dingtalk.com/i/nodes/<dentryUuid>.
//
// DingTalk: POST /v2.0/wiki/nodes/queryByUrl (GetNodeByUrl). Idempotent.
func (s *WikiService) GetNodeByURL(ctx context.Context, operatorID, link string) (*Node, error) {
	var out struct {
		Node Node `json:"node"`
	}
	c := &call{ep: nodeByURLEndpoint, query: operatorQuery(operatorID), body: map[string]any{"url": link}}
	if err := s.client.do(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out.Node, nil
}
