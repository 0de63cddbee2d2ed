package tools

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

func wikiTools() []Declaration {
	return []Declaration{
		createWorkspace, getWorkspace, getWorkspaces, batchGetWorkspaces,
		createDoc, getNodeList, getWorkspaceNode, batchGetNodes, getNodeByLink,
		getDocContent, appendDocContent, overwriteDocContent,
	}
}

// Hints shared by the knowledge base tools.
const (
	wikiPermissionHint = "OperatorId must be a member of this knowledge base: pass the unionId (the unionid field of get_user) or userId of someone with access. " +
		"If ErrorMessage names a permission scope, grant it to the app in the DingTalk developer console instead."
	workspaceNotFoundHint = "No knowledge base has this WorkspaceId: call get_workspaces to list the ones the operator can see."
	nodeNotFoundHint      = "No node has this NodeId, or the operator cannot see it: find nodeIds with get_node_list, or pass a document's link to get_node_by_link."
	wikiInvalidHint       = "DingTalk rejected the parameters: check OperatorId (a unionId from get_user, or a userId) and the ids, as its message says."
)

// checkWikiID trims an id parameter and refuses what cannot be an id, in
// particular a pasted link, which DingTalk would answer with a bare "not
// found". The id parameters allow 256 characters, well beyond DingTalk's
// 16- and 32-character ids, so that a link gets here and earns its Hint.
func checkWikiID(field string, id *string) error {
	*id = strings.TrimSpace(*id)
	if strings.ContainsAny(*id, "/:?# \t") {
		e := invalid(field, "%s must be an id such as a9E05BDRVQ9K600yf1NplNDxV63zgkYA, not a link or text (got %q)", field, truncate(*id, 60))
		e.Hint = i18n.Msg("To look a document up by its link, call get_node_by_link with the link as NodeUrl.")
		return e
	}
	return pathSegment(field, *id)
}

func checkWikiIDs(field string, ids StringList) error {
	for i := range ids {
		if err := checkWikiID(fmt.Sprintf("%s[%d]", field, i), &ids[i]); err != nil {
			return err
		}
	}
	return nil
}

// notReturned says, for a batch call's Summary, which requested ids it
// left out: DingTalk drops ids that do not exist or that the operator
// cannot see, without an error.
func notReturned[T any](l i18n.Lang, requested []string, got []T, idOf func(T) string) string {
	returned := map[string]bool{}
	for _, v := range got {
		returned[idOf(v)] = true
	}
	var gone []string
	for _, id := range requested {
		if !returned[id] && !slices.Contains(gone, id) {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return ""
	}
	return l.Textf(" Not returned (missing, or not visible to the operator): %s.", listShort(l, gone))
}

// ---- create_workspace ----

// CreateWorkspaceIn is the input of create_workspace.
type CreateWorkspaceIn struct {
	Name        string `json:"Name" jsonschema:"maxLength=100" jsonschema_description:"Knowledge base name."`
	Description string `json:"Description,omitempty" jsonschema:"maxLength=1000" jsonschema_description:"What it is for."`
	Operator
	Idempotency
	Confirmation
}

// CreateWorkspaceOut is the result of create_workspace.
type CreateWorkspaceOut struct {
	WorkspaceData *dingtalk.Workspace `json:"WorkspaceData,omitempty" jsonschema_description:"The new knowledge base in DingTalk's field names; workspaceId is what create_doc and get_node_list take."`
	Envelope
	Replay
}

var createWorkspace = &Tool[CreateWorkspaceIn, CreateWorkspaceOut]{
	Name:        "create_workspace",
	Title:       "Create knowledge base",
	Description: "Create a knowledge base (workspace) owned by the operator; returns its workspaceId. Not idempotent.",
	Toolset:     Wiki,
	Validate: func(in *CreateWorkspaceIn) error {
		if in.Name = strings.TrimSpace(in.Name); in.Name == "" {
			return invalid("Name", "Name must not be blank")
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *CreateWorkspaceIn) string {
		return l.Textf("create the knowledge base %s owned by operator %s", quoteShort(in.Name), in.OperatorId)
	},
	Run: func(ctx context.Context, env *Env, in *CreateWorkspaceIn) (out CreateWorkspaceOut, err error) {
		ws, err := env.Client.Wiki.CreateWorkspace(ctx, in.OperatorId, in.Name, in.Description)
		if err != nil {
			return out, err
		}
		out.WorkspaceData = ws
		out.Summary = env.Lang.Textf("Created knowledge base %q (WorkspaceId %s); add documents with create_doc.", ws.Name, ws.WorkspaceID)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindPermission: "The operator may not create knowledge bases, or the app lacks the Wiki.Workspace.Write permission: use another OperatorId (a unionId from get_user), or grant the permission in the DingTalk developer console.",
		dingtalk.KindInvalid:    "DingTalk rejected the parameters: check Name and Description as its message says, and OperatorId (a unionId from get_user, or a userId).",
		Uncertain:               "The knowledge base may have been created: call get_workspaces and look for it before calling create_workspace again.",
	},
}

// ---- get_workspace ----

// GetWorkspaceIn is the input of get_workspace.
type GetWorkspaceIn struct {
	WorkspaceId string `json:"WorkspaceId" jsonschema:"minLength=1,maxLength=256" jsonschema_description:"workspaceId, from get_workspaces."`
	Operator
}

// GetWorkspaceOut is the result of get_workspace.
type GetWorkspaceOut struct {
	WorkspaceData *dingtalk.Workspace `json:"WorkspaceData,omitempty" jsonschema_description:"The knowledge base in DingTalk's field names; rootNodeId is its top-level folder."`
	Envelope
}

var getWorkspace = &Tool[GetWorkspaceIn, GetWorkspaceOut]{
	Name:        "get_workspace",
	Title:       "Get knowledge base",
	Description: "Get a knowledge base (workspace): name, description, link, owner and rootNodeId.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate:    func(in *GetWorkspaceIn) error { return checkWikiID("WorkspaceId", &in.WorkspaceId) },
	Run: func(ctx context.Context, env *Env, in *GetWorkspaceIn) (out GetWorkspaceOut, err error) {
		ws, err := env.Client.Wiki.GetWorkspace(ctx, in.OperatorId, in.WorkspaceId)
		if err != nil {
			return out, err
		}
		out.WorkspaceData = ws
		out.Summary = env.Lang.Textf("Knowledge base %q (WorkspaceId %s); list its top level with get_node_list and this WorkspaceId.", ws.Name, ws.WorkspaceID)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound:   workspaceNotFoundHint,
		dingtalk.KindPermission: wikiPermissionHint,
		dingtalk.KindInvalid:    "WorkspaceId must be a knowledge base's workspaceId (from get_workspaces), not a node's id; for a node call get_workspace_node.",
	},
}

// ---- get_workspaces ----

// GetWorkspacesIn is the input of get_workspaces.
type GetWorkspacesIn struct {
	MaxResults int    `json:"MaxResults,omitempty" jsonschema:"minimum=1,maximum=30,default=30" jsonschema_description:"Page size."`
	NextToken  string `json:"NextToken,omitempty" jsonschema:"maxLength=2048" jsonschema_description:"NextToken of the previous page."`
	Operator
}

// GetWorkspacesOut is the result of get_workspaces.
type GetWorkspacesOut struct {
	WorkspaceList []dingtalk.Workspace `json:"WorkspaceList" jsonschema_description:"The knowledge bases on this page, in DingTalk's field names."`
	NextToken     string               `json:"NextToken" jsonschema_description:"Pass it as NextToken to get the next page; empty on the last page."`
	Envelope
}

var getWorkspaces = &Tool[GetWorkspacesIn, GetWorkspacesOut]{
	Name:        "get_workspaces",
	Title:       "List knowledge bases",
	Description: "List the knowledge bases (workspaces) the operator can see, a page at a time.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate: func(in *GetWorkspacesIn) error {
		in.NextToken = strings.TrimSpace(in.NextToken)
		return nil
	},
	Run: func(ctx context.Context, env *Env, in *GetWorkspacesIn) (out GetWorkspacesOut, err error) {
		p, err := env.Client.Wiki.ListWorkspaces(ctx, in.OperatorId, in.MaxResults, in.NextToken)
		if err != nil {
			return out, err
		}
		out.WorkspaceList, out.NextToken = p.Workspaces, p.NextToken
		out.Summary = env.Lang.Textf("%d knowledge base(s) on this page.", len(p.Workspaces))
		if p.NextToken != "" {
			out.Summary += env.Lang.Text(" More follow: call get_workspaces again with NextToken.")
		}
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindPermission: "The operator or the app may not list knowledge bases: pass the unionId (get_user's unionid) or userId of a member as OperatorId, or grant the app Wiki.Workspace.Read in the DingTalk developer console.",
		dingtalk.KindInvalid:    "DingTalk rejected the parameters: MaxResults must be 1 to 30 and NextToken must come from the previous get_workspaces page of the same OperatorId.",
	},
}

// ---- batch_get_workspaces ----

// BatchGetWorkspacesIn is the input of batch_get_workspaces.
type BatchGetWorkspacesIn struct {
	WorkspaceIds StringList `json:"WorkspaceIds" jsonschema:"minItems=1,maxItems=20" jsonschema_description:"workspaceIds, from get_workspaces."`
	Operator
}

// BatchGetWorkspacesOut is the result of batch_get_workspaces.
type BatchGetWorkspacesOut struct {
	WorkspaceList []dingtalk.Workspace `json:"WorkspaceList" jsonschema_description:"The knowledge bases found, in DingTalk's field names; ids that do not exist or that the operator cannot see are left out."`
	Envelope
}

var batchGetWorkspaces = &Tool[BatchGetWorkspacesIn, BatchGetWorkspacesOut]{
	Name:        "batch_get_workspaces",
	Title:       "Get knowledge bases by id",
	Description: "Get several knowledge bases (workspaces) by id in one call.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate:    func(in *BatchGetWorkspacesIn) error { return checkWikiIDs("WorkspaceIds", in.WorkspaceIds) },
	Run: func(ctx context.Context, env *Env, in *BatchGetWorkspacesIn) (out BatchGetWorkspacesOut, err error) {
		list, err := env.Client.Wiki.BatchGetWorkspaces(ctx, in.OperatorId, in.WorkspaceIds)
		if err != nil {
			return out, err
		}
		out.WorkspaceList = list
		out.Summary = env.Lang.Textf("Found %d knowledge base(s).", len(list)) +
			notReturned(env.Lang, in.WorkspaceIds, list, func(ws dingtalk.Workspace) string { return ws.WorkspaceID })
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound:   workspaceNotFoundHint,
		dingtalk.KindPermission: wikiPermissionHint,
		dingtalk.KindInvalid:    wikiInvalidHint,
	},
}

// ---- create_doc ----

// CreateDocIn is the input of create_doc.
type CreateDocIn struct {
	WorkspaceId  string `json:"WorkspaceId" jsonschema:"minLength=1,maxLength=256" jsonschema_description:"workspaceId, from get_workspaces or create_workspace."`
	Name         string `json:"Name" jsonschema:"maxLength=200" jsonschema_description:"Name, without extension."`
	DocType      string `json:"DocType" jsonschema:"enum=DOC,enum=WORKBOOK,enum=MIND,enum=FOLDER" jsonschema_description:"WORKBOOK is a spreadsheet, MIND a mind map."`
	ParentNodeId string `json:"ParentNodeId,omitempty" jsonschema:"maxLength=256" jsonschema_description:"Folder or document nodeId to create it in, from get_node_list; omit for the top level."`
	TemplateId   string `json:"TemplateId,omitempty" jsonschema:"maxLength=128" jsonschema_description:"Template to start from."`
	TemplateType string `json:"TemplateType,omitempty" jsonschema:"enum=public_template,enum=team_template,enum=user_template" jsonschema_description:"TemplateId's kind."`
	Operator
	Idempotency
	Confirmation
}

// CreateDocOut is the result of create_doc.
type CreateDocOut struct {
	DocData *dingtalk.CreatedDoc `json:"DocData,omitempty" jsonschema_description:"What DingTalk returned for the new document, in its field names."`
	NodeId  string               `json:"NodeId,omitempty" jsonschema_description:"The new node's id (dentryUuid): NodeId for get_workspace_node and ParentNodeId for get_node_list and create_doc."`
	// WorkbookId repeats NodeId for a spreadsheet, so an agent sees which
	// parameter of the sheet tools it fills.
	WorkbookId string `json:"WorkbookId,omitempty" jsonschema_description:"Set when DocType is WORKBOOK: the WorkbookId of the sheet tools (get_worksheets, update_range_data, ...)."`
	Envelope
	Replay
}

// docTypeWord names a DocType for people, in l.
func docTypeWord(l i18n.Lang, docType string) string {
	switch docType {
	case "WORKBOOK":
		return l.Text("spreadsheet")
	case "MIND":
		return l.Text("mind map")
	case "FOLDER":
		return l.Text("folder")
	}
	return l.Text("document")
}

var createDoc = &Tool[CreateDocIn, CreateDocOut]{
	Name:        "create_doc",
	Title:       "Create document",
	Description: "Create a document, spreadsheet, mind map or folder in a knowledge base; returns its NodeId (a spreadsheet's WorkbookId). Not idempotent.",
	Toolset:     Wiki,
	Validate: func(in *CreateDocIn) error {
		if in.Name = strings.TrimSpace(in.Name); in.Name == "" {
			return invalid("Name", "Name must not be blank")
		}
		if err := checkWikiID("WorkspaceId", &in.WorkspaceId); err != nil {
			return err
		}
		if err := checkWikiID("ParentNodeId", &in.ParentNodeId); err != nil {
			return err
		}
		in.TemplateId = strings.TrimSpace(in.TemplateId)
		if in.TemplateType != "" && in.TemplateId == "" {
			return invalid("TemplateType", "TemplateType is only meaningful with TemplateId; give both or neither")
		}
		return nil
	},
	Preview: func(l i18n.Lang, in *CreateDocIn) string {
		where := l.Textf("at the top level of knowledge base %s", in.WorkspaceId)
		if in.ParentNodeId != "" {
			where = l.Textf("in node %s of knowledge base %s", in.ParentNodeId, in.WorkspaceId)
		}
		return l.Textf("create the %s %s %s as operator %s", docTypeWord(l, in.DocType), quoteShort(in.Name), where, in.OperatorId)
	},
	Run: func(ctx context.Context, env *Env, in *CreateDocIn) (out CreateDocOut, err error) {
		doc, err := env.Client.Wiki.CreateDoc(ctx, dingtalk.CreateDocRequest{
			WorkspaceID: in.WorkspaceId, Name: in.Name, DocType: in.DocType, OperatorID: in.OperatorId,
			ParentNodeID: in.ParentNodeId, TemplateID: in.TemplateId, TemplateType: in.TemplateType,
		})
		if err != nil {
			return out, err
		}
		out.DocData, out.NodeId = doc, doc.ID()
		switch in.DocType {
		case "WORKBOOK":
			out.WorkbookId = out.NodeId
			out.Summary = env.Lang.Textf("Created spreadsheet %q; its WorkbookId for the sheet tools is %s (get_worksheets lists its sheets).", in.Name, out.NodeId)
		case "FOLDER":
			out.Summary = env.Lang.Textf("Created folder %q (NodeId %s); create documents in it with create_doc and ParentNodeId %s.", in.Name, out.NodeId, out.NodeId)
		default:
			out.Summary = env.Lang.Textf("Created %s %q (NodeId %s).", docTypeWord(env.Lang, in.DocType), in.Name, out.NodeId)
		}
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound: "Check WorkspaceId (from get_workspaces), ParentNodeId (a folder or document nodeId from get_node_list in that knowledge base; leave it out for the top level) and TemplateId, if given.",
		dingtalk.KindConflict: "A document with this Name already exists there: choose another Name, or use the existing one (get_node_list with the same WorkspaceId and ParentNodeId shows it).",
		dingtalk.KindPermission: "OperatorId needs edit rights (OWNER, MANAGER or EDITOR) in this knowledge base: pass the unionId (get_user's unionid) or userId of such a member. " +
			"If ErrorMessage names a permission scope, grant it to the app in the DingTalk developer console instead.",
		dingtalk.KindInvalid: "DingTalk rejected the parameters: OperatorId must be a member's unionId (from get_user) or userId, and ParentNodeId a folder or text document; see its message.",
		Uncertain:            "The document may have been created: call get_node_list with the same WorkspaceId and ParentNodeId and look for it before calling create_doc again.",
	},
}

// ---- get_node_list ----

// GetNodeListIn is the input of get_node_list.
type GetNodeListIn struct {
	WorkspaceId  string `json:"WorkspaceId,omitempty" jsonschema:"maxLength=256" jsonschema_description:"workspaceId, from get_workspaces: lists its top level."`
	ParentNodeId string `json:"ParentNodeId,omitempty" jsonschema:"maxLength=256" jsonschema_description:"nodeId of a node with hasChildren: lists its children."`
	MaxResults   int    `json:"MaxResults,omitempty" jsonschema:"minimum=1,maximum=50,default=50" jsonschema_description:"Page size."`
	NextToken    string `json:"NextToken,omitempty" jsonschema:"maxLength=2048" jsonschema_description:"NextToken of the previous page."`
	Operator
}

// GetNodeListOut is the result of get_node_list.
type GetNodeListOut struct {
	NodeList  []dingtalk.Node `json:"NodeList" jsonschema_description:"The nodes on this page, in DingTalk's field names; nodeId is what get_workspace_node, ParentNodeId and (for a spreadsheet) WorkbookId take."`
	NextToken string          `json:"NextToken" jsonschema_description:"Pass it as NextToken to get the next page; empty on the last page."`
	// ParentNodeId tells which folder was listed, including the root found
	// when the call named only the knowledge base.
	ParentNodeId string `json:"ParentNodeId,omitempty" jsonschema_description:"The nodeId whose children were listed (the knowledge base's rootNodeId when ParentNodeId was left out)."`
	Envelope
}

var getNodeList = &Tool[GetNodeListIn, GetNodeListOut]{
	Name:        "get_node_list",
	Title:       "List knowledge base nodes",
	Description: "List the documents, spreadsheets and folders directly under WorkspaceId's top level or ParentNodeId, a page at a time.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate: func(in *GetNodeListIn) error {
		if err := checkWikiID("WorkspaceId", &in.WorkspaceId); err != nil {
			return err
		}
		if err := checkWikiID("ParentNodeId", &in.ParentNodeId); err != nil {
			return err
		}
		if in.WorkspaceId == "" && in.ParentNodeId == "" {
			return &InputError{Field: "WorkspaceId", Message: i18n.Msg("WorkspaceId or ParentNodeId is required"),
				Hint: i18n.Msg("Pass WorkspaceId (from get_workspaces) to list a knowledge base's top level, or ParentNodeId to list a folder.")}
		}
		in.NextToken = strings.TrimSpace(in.NextToken)
		return nil
	},
	Run: func(ctx context.Context, env *Env, in *GetNodeListIn) (out GetNodeListOut, err error) {
		parent := in.ParentNodeId
		if parent == "" {
			// ListNodes needs a parent: the top level is the children of
			// the knowledge base's root folder.
			ws, err := env.Client.Wiki.GetWorkspace(ctx, in.OperatorId, in.WorkspaceId)
			if err != nil {
				return out, err
			}
			parent = ws.RootNodeID
		}
		p, err := env.Client.Wiki.ListNodes(ctx, in.OperatorId, parent, in.MaxResults, in.NextToken)
		if err != nil {
			return out, err
		}
		out.NodeList, out.NextToken, out.ParentNodeId = p.Nodes, p.NextToken, parent
		out.Summary = env.Lang.Textf("%d node(s) on this page under %s.", len(p.Nodes), parent)
		if p.NextToken != "" {
			out.Summary += env.Lang.Text(" More follow: call get_node_list again with the same parameters and NextToken.")
		}
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound:   "The knowledge base or ParentNodeId does not exist: get WorkspaceId from get_workspaces and folder nodeIds from get_node_list; leave ParentNodeId out for the top level.",
		dingtalk.KindPermission: wikiPermissionHint,
		dingtalk.KindInvalid:    "DingTalk rejected the parameters: MaxResults must be 1 to 50, and NextToken must come from the previous page with the same WorkspaceId and ParentNodeId.",
	},
}

// ---- get_workspace_node ----

// GetWorkspaceNodeIn is the input of get_workspace_node.
type GetWorkspaceNodeIn struct {
	NodeId string `json:"NodeId" jsonschema:"minLength=1,maxLength=256" jsonschema_description:"nodeId, from get_node_list or create_doc."`
	Operator
}

// GetWorkspaceNodeOut is the result of get_workspace_node.
type GetWorkspaceNodeOut struct {
	NodeData *dingtalk.Node `json:"NodeData,omitempty" jsonschema_description:"The node in DingTalk's field names."`
	Envelope
}

// nodeSummary says what a node is and what to do with it next.
func nodeSummary(l i18n.Lang, n *dingtalk.Node) string {
	var s string
	switch strings.ToUpper(n.Type) {
	case "FOLDER":
		s = l.Textf("%q is a folder in knowledge base %s (NodeId %s).", n.Name, n.WorkspaceID, n.NodeID)
	case "FILE":
		s = l.Textf("%q is a file in knowledge base %s (NodeId %s).", n.Name, n.WorkspaceID, n.NodeID)
	default:
		s = l.Textf("%q is a node of type %s in knowledge base %s (NodeId %s).", n.Name, n.Type, n.WorkspaceID, n.NodeID)
	}
	switch {
	case n.Extension == "axls":
		s += l.Text(" It is a spreadsheet: pass its NodeId as WorkbookId to the sheet tools.")
	case n.HasChildren:
		s += l.Textf(" It has children: list them with get_node_list and ParentNodeId %s.", n.NodeID)
	}
	return s
}

var getWorkspaceNode = &Tool[GetWorkspaceNodeIn, GetWorkspaceNodeOut]{
	Name:        "get_workspace_node",
	Title:       "Get knowledge base node",
	Description: "Get a knowledge base node (document, spreadsheet or folder): name, type, link, owner, hasChildren.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate:    func(in *GetWorkspaceNodeIn) error { return checkWikiID("NodeId", &in.NodeId) },
	Run: func(ctx context.Context, env *Env, in *GetWorkspaceNodeIn) (out GetWorkspaceNodeOut, err error) {
		n, err := env.Client.Wiki.GetNode(ctx, in.OperatorId, in.NodeId)
		if err != nil {
			return out, err
		}
		out.NodeData = n
		out.Summary = nodeSummary(env.Lang, n)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound:   nodeNotFoundHint,
		dingtalk.KindPermission: wikiPermissionHint,
		dingtalk.KindInvalid:    wikiInvalidHint,
	},
}

// ---- batch_get_nodes ----

// BatchGetNodesIn is the input of batch_get_nodes.
type BatchGetNodesIn struct {
	NodeIds StringList `json:"NodeIds" jsonschema:"minItems=1,maxItems=20" jsonschema_description:"nodeIds, from get_node_list or create_doc."`
	Operator
}

// BatchGetNodesOut is the result of batch_get_nodes.
type BatchGetNodesOut struct {
	NodeList []dingtalk.Node `json:"NodeList" jsonschema_description:"The nodes found, in DingTalk's field names; ids that do not exist or that the operator cannot see are left out."`
	Envelope
}

var batchGetNodes = &Tool[BatchGetNodesIn, BatchGetNodesOut]{
	Name:        "batch_get_nodes",
	Title:       "Get knowledge base nodes by id",
	Description: "Get several knowledge base nodes (documents, spreadsheets, folders) by id in one call.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate:    func(in *BatchGetNodesIn) error { return checkWikiIDs("NodeIds", in.NodeIds) },
	Run: func(ctx context.Context, env *Env, in *BatchGetNodesIn) (out BatchGetNodesOut, err error) {
		list, err := env.Client.Wiki.BatchGetNodes(ctx, in.OperatorId, in.NodeIds)
		if err != nil {
			return out, err
		}
		out.NodeList = list
		out.Summary = env.Lang.Textf("Found %d node(s).", len(list)) +
			notReturned(env.Lang, in.NodeIds, list, func(n dingtalk.Node) string { return n.NodeID })
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound:   nodeNotFoundHint,
		dingtalk.KindPermission: wikiPermissionHint,
		dingtalk.KindInvalid:    wikiInvalidHint,
	},
}

// ---- get_node_by_link ----

// GetNodeByLinkIn is the input of get_node_by_link.
type GetNodeByLinkIn struct {
	NodeUrl string `json:"NodeUrl" jsonschema:"maxLength=2048" jsonschema_description:"The alidocs.dingtalk.com link."`
	Operator
}

// GetNodeByLinkOut is the result of get_node_by_link.
type GetNodeByLinkOut struct {
	NodeData *dingtalk.Node `json:"NodeData,omitempty" jsonschema_description:"The node the link points to, in DingTalk's field names."`
	Envelope
}

// docLink checks that link is a DingTalk Docs link and returns what to send:
// a node link (/i/nodes/<id>) reduced to its documented form, without the
// query string and fragment that shared links carry; other DingTalk Docs
// paths as given.
func docLink(field, link string) (string, error) {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	notDoc := func() error {
		return &InputError{Field: field,
			Message: i18n.Msg("%s must be a DingTalk Docs link such as https://alidocs.dingtalk.com/i/nodes/<id> (got %q)", field, truncate(link, 80)),
			Hint:    i18n.Msg("Copy the document's link from DingTalk Docs (Share > Copy link), or look the document up with get_node_list.")}
	}
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", notDoc()
	}
	host := strings.ToLower(u.Hostname())
	if host != "alidocs.dingtalk.com" && host != "alidocs.dingtalk.io" {
		return "", notDoc()
	}
	path := strings.TrimSuffix(u.Path, "/")
	if id, ok := strings.CutPrefix(path, "/i/nodes/"); ok && id != "" && !strings.Contains(id, "/") {
		return "https://" + host + "/i/nodes/" + id, nil
	}
	if rest, ok := strings.CutPrefix(path, "/i/spaces/"); ok && rest != "" {
		id, _, _ := strings.Cut(rest, "/")
		return "", &InputError{Field: field, Message: i18n.Msg("%s is the link of a knowledge base, not of a document", field),
			Hint: i18n.Msg("Call get_workspace with WorkspaceId %s, or get_node_list with it to see its documents.", id)}
	}
	if path == "" {
		return "", notDoc()
	}
	return link, nil
}

var getNodeByLink = &Tool[GetNodeByLinkIn, GetNodeByLinkOut]{
	Name:        "get_node_by_link",
	Title:       "Get knowledge base node by link",
	Description: "Get the node a DingTalk Docs link points to, when the user gives a link; a spreadsheet's nodeId is its WorkbookId.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate: func(in *GetNodeByLinkIn) (err error) {
		in.NodeUrl, err = docLink("NodeUrl", in.NodeUrl)
		return err
	},
	Run: func(ctx context.Context, env *Env, in *GetNodeByLinkIn) (out GetNodeByLinkOut, err error) {
		n, err := env.Client.Wiki.GetNodeByURL(ctx, in.OperatorId, in.NodeUrl)
		if err != nil {
			return out, err
		}
		out.NodeData = n
		out.Summary = nodeSummary(env.Lang, n)
		return out, nil
	},
	Hints: map[dingtalk.Cause]string{
		dingtalk.KindNotFound:   "No document at this link is visible to the operator: check the link (copy it again from DingTalk Docs), or find the document with get_node_list.",
		dingtalk.KindPermission: wikiPermissionHint,
		dingtalk.KindInvalid:    "DingTalk did not accept the link: pass a document link of the form https://alidocs.dingtalk.com/i/nodes/<id>.",
	},
}
