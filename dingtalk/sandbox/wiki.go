package sandbox

import (
	"fmt"
	"hash/fnv"
	"time"
)

// Ids of the seeded knowledge base. Tests and the other areas use them.
const (
	// SeedWorkbookID is the dentryUuid of the seeded demo workbook: the
	// WorkbookId the sheet tools accept.
	SeedWorkbookID = "r9xmyYP7YK1w1mEO4kXz6v3rJ8zgnVAo"

	// SeedWorkspaceID is the demo knowledge base "产品知识库", owned by the
	// seeded manager. Its top level holds a folder, a doc and the workbook.
	SeedWorkspaceID = "MJ0pDSKMV9dO20E4"
	// SeedRootNodeID is the root folder of SeedWorkspaceID.
	SeedRootNodeID = "ydxXB52LJqqK7xxNTXyo390kJqjMp697"
	// SeedFolderNodeID is the folder "项目周报" in SeedWorkspaceID. It holds
	// SeedFolderSize documents: more than one page of get_node_list.
	SeedFolderNodeID = "a9E05BDRVQ9K600yf1NplNDxV63zgkYA"
	// SeedDocNodeID is the document "产品介绍.adoc" at the top level of
	// SeedWorkspaceID.
	SeedDocNodeID = "EpGBa2Lm8aZxe5myC1gN7R35yQbA6pMz"
	// SeedFolderSize is how many documents SeedFolderNodeID holds.
	SeedFolderSize = 55

	// SeedReadOnlyWorkspaceID is "财务制度": the seeded manager is a READER
	// there, so reading works and creating documents is refused.
	SeedReadOnlyWorkspaceID = "By8jQS1ZYjGn5b0M"
	// SeedPrivateWorkspaceID is "个人草稿", which the seeded manager cannot
	// see at all: the wiki APIs answer permissionDenied.
	SeedPrivateWorkspaceID = "Qx7LmN2pR4sT6vW8"
	// SeedWorkspaceCount is how many knowledge bases the seeded manager can
	// see (get_workspaces).
	SeedWorkspaceCount = 4

	// SeedTeamID is the knowledge team SeedWorkspaceID belongs to.
	SeedTeamID = "lHiicjNFM2iSFYSdz2iPuI8ZwiEiE"
	// SeedTemplateID is the one document template the sandbox knows (a DOC
	// template of type public_template).
	SeedTemplateID = "tpl-weekly-report"
)

// The roles a member may hold in a knowledge base, strongest first.
const (
	wikiRoleOwner      = "OWNER"
	wikiRoleManager    = "MANAGER"
	wikiRoleEditor     = "EDITOR"
	wikiRoleDownloader = "DOWNLOADER"
	wikiRoleReader     = "READER"
	wikiRoleNone       = "NONE"
)

// wikiCanWrite reports whether role may create documents.
func wikiCanWrite(role string) bool {
	return role == wikiRoleOwner || role == wikiRoleManager || role == wikiRoleEditor
}

// wikiDocKind is what a Create Doc docType becomes in the tree.
type wikiDocKind struct {
	extension string // the node's extension, also its name suffix
	category  string
	size      int64 // a plausible size in bytes of an empty document
}

// wikiDocKinds maps Create Doc's docType to the node it makes. The mapping
// DOC→adoc, WORKBOOK→axls, MIND→amind is UNVERIFIED beyond adoc (the
// node examples of DingTalk's knowledge base API pages show adoc only).
var wikiDocKinds = map[string]wikiDocKind{
	"DOC":      {extension: "adoc", category: "ALIDOC", size: 512},
	"WORKBOOK": {extension: "axls", category: "ALIDOC", size: 2048},
	"MIND":     {extension: "amind", category: "ALIDOC", size: 1024},
	"FOLDER":   {},
}

// workspace is a knowledge base in the wiki v2.0 wire form (WorkspaceModel).
type workspace struct {
	WorkspaceID    string         `json:"workspaceId"`
	CorpID         string         `json:"corpId"`
	TeamID         string         `json:"teamId,omitempty"`
	RootNodeID     string         `json:"rootNodeId"`
	Name           string         `json:"name"`
	Type           string         `json:"type"`
	Description    string         `json:"description,omitempty"`
	URL            string         `json:"url"`
	Icon           *workspaceIcon `json:"icon,omitempty"`
	Cover          string         `json:"cover,omitempty"`
	CreatorID      string         `json:"creatorId"`
	ModifierID     string         `json:"modifierId"`
	CreateTime     string         `json:"createTime"`
	ModifiedTime   string         `json:"modifiedTime"`
	PermissionRole string         `json:"permissionRole,omitempty"`

	roles    map[string]string // unionId → role
	created  time.Time
	modified time.Time
}

type workspaceIcon struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// wikiNode is a node of a knowledge base in the wiki v2.0 wire form
// (NodeModel). Its NodeID is the dentryUuid.
type wikiNode struct {
	NodeID            string         `json:"nodeId"`
	WorkspaceID       string         `json:"workspaceId"`
	Name              string         `json:"name"`
	Size              int64          `json:"size"`
	Type              string         `json:"type"`
	Category          string         `json:"category,omitempty"`
	Extension         string         `json:"extension,omitempty"`
	URL               string         `json:"url"`
	CreatorID         string         `json:"creatorId"`
	ModifierID        string         `json:"modifierId"`
	CreateTime        string         `json:"createTime"`
	ModifiedTime      string         `json:"modifiedTime"`
	CreateTimestamp   int64          `json:"createTimestamp"`
	ModifiedTimestamp int64          `json:"modifiedTimestamp"`
	HasChildren       bool           `json:"hasChildren"`
	StatisticalInfo   *wikiNodeStats `json:"statisticalInfo,omitempty"`
	PermissionRole    string         `json:"permissionRole,omitempty"`

	parent    string   // dentryUuid of the parent; "" for a root folder
	children  []string // dentryUuids in creation order: the list order
	docType   string   // DOC, WORKBOOK, MIND or FOLDER
	docID     string   // Create Doc's nodeId, which differs from the dentryUuid
	docKey    string
	wordCount int64
	seeded    bool // part of the demo organisation, with a seeded body
}

type wikiNodeStats struct {
	WordCount int64 `json:"wordCount"`
}

// wikiStore holds the knowledge bases and their trees.
type wikiStore struct {
	workspaces map[string]*workspace
	order      []string // workspaceIds in creation order
	nodes      map[string]*wikiNode
	byDocKey   map[string]string // docKey → dentryUuid
	teams      map[string]bool
	templates  map[string]string // templateId → the docType it makes
}

// nodeDocType returns the docType (DOC, WORKBOOK, MIND, FOLDER) of the
// knowledge-base node with this dentryUuid, the id the wiki v2.0 and
// workbook APIs accept.
func (w *wikiStore) nodeDocType(id string) (docType string, ok bool) {
	n := w.nodes[id]
	if n == nil {
		return "", false
	}
	return n.docType, true
}

// wikiTime is the wiki v2.0 time format, e.g. "2023-05-15T11:29Z".
func wikiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04Z") }

const wikiIDLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// wikiSeededID derives a stable id of n characters from label, so the seeded
// tree keeps its ids from run to run.
func wikiSeededID(label string, n int) string {
	h := fnv.New64a()
	h.Write([]byte(label))
	x := h.Sum64()
	b := make([]byte, n)
	for i := range b {
		b[i] = wikiIDLetters[x%uint64(len(wikiIDLetters))]
		x = x*6364136223846793005 + 1442695040888963407
	}
	return string(b)
}

// addWorkspace creates a TEAM knowledge base with its root folder; owner
// becomes its OWNER.
func (w *wikiStore) addWorkspace(id, rootID, name, description, teamID string, owner *user, now time.Time) *workspace {
	if id == "" {
		id = randomString(16, wikiIDLetters)
	}
	if rootID == "" {
		rootID = randomString(32, wikiIDLetters)
	}
	ws := &workspace{
		WorkspaceID: id, CorpID: CorpID, TeamID: teamID, RootNodeID: rootID, Name: name, Type: "TEAM",
		Description: description, URL: "https://alidocs.dingtalk.com/i/spaces/" + id + "/overview",
		Icon:      &workspaceIcon{Type: "EMOJI", Value: "📘"},
		CreatorID: owner.UserID, ModifierID: owner.UserID, CreateTime: wikiTime(now), ModifiedTime: wikiTime(now),
		roles: map[string]string{owner.UnionID: wikiRoleOwner}, created: now, modified: now,
	}
	w.workspaces[id] = ws
	w.order = append(w.order, id)
	w.nodes[rootID] = &wikiNode{
		NodeID: rootID, WorkspaceID: id, Name: name, Type: "FOLDER", URL: "https://alidocs.dingtalk.com/i/nodes/" + rootID,
		CreatorID: owner.UserID, ModifierID: owner.UserID, CreateTime: wikiTime(now), ModifiedTime: wikiTime(now),
		CreateTimestamp: now.UnixMilli(), ModifiedTimestamp: now.UnixMilli(), docType: "FOLDER",
	}
	return ws
}

// addNode creates a node of docType under parent. A document's name
// carries its extension ("周报.adoc"), as live DingTalk shows it
// (community finding, UNVERIFIED officially); a folder's does not.
func (w *wikiStore) addNode(id string, parent *wikiNode, name, docType string, creator *user, now time.Time) *wikiNode {
	if id == "" {
		id = randomString(32, wikiIDLetters)
	}
	kind := wikiDocKinds[docType]
	n := &wikiNode{
		NodeID: id, WorkspaceID: parent.WorkspaceID, Name: wikiNodeName(name, docType), Size: kind.size,
		Type: "FILE", Category: kind.category, Extension: kind.extension, URL: "https://alidocs.dingtalk.com/i/nodes/" + id,
		CreatorID: creator.UserID, ModifierID: creator.UserID, CreateTime: wikiTime(now), ModifiedTime: wikiTime(now),
		CreateTimestamp: now.UnixMilli(), ModifiedTimestamp: now.UnixMilli(),
		parent: parent.NodeID, docType: docType, docID: randomString(20, wikiIDLetters), docKey: randomString(16, wikiIDLetters),
	}
	if docType == "FOLDER" {
		n.Type, n.Size = "FOLDER", 0
	}
	w.nodes[id] = n
	w.byDocKey[n.docKey] = id
	parent.children = append(parent.children, id)
	return n
}

// wikiNodeName is the name a node of docType shows for a document called name.
func wikiNodeName(name, docType string) string {
	if ext := wikiDocKinds[docType].extension; ext != "" {
		return name + "." + ext
	}
	return name
}

// role returns the role of the user with unionID in ws; NONE if they have
// no access.
func (ws *workspace) role(unionID string) string {
	if r, ok := ws.roles[unionID]; ok {
		return r
	}
	return wikiRoleNone
}

// seedWiki builds the demo knowledge bases. The sheet store must exist: the
// seeded workbook's sheets live there.
func seedWiki(st *state, now time.Time) *wikiStore {
	w := &wikiStore{
		workspaces: map[string]*workspace{}, nodes: map[string]*wikiNode{}, byDocKey: map[string]string{},
		teams:     map[string]bool{SeedTeamID: true},
		templates: map[string]string{SeedTemplateID: "DOC"},
	}
	d := st.dir
	boss := d.users[SeedManagerID]
	at := func(days int) time.Time { return now.AddDate(0, 0, days) }

	product := w.addWorkspace(SeedWorkspaceID, SeedRootNodeID, "产品知识库", "产品资料、项目周报与销售数据", SeedTeamID, boss, at(-90))
	root := w.nodes[SeedRootNodeID]
	folder := w.addNode(SeedFolderNodeID, root, "项目周报", "FOLDER", boss, at(-89))
	doc := w.addNode(SeedDocNodeID, root, "产品介绍", "DOC", boss, at(-88))
	doc.wordCount, doc.Size = 1860, 24576
	w.addNode(SeedWorkbookID, root, "销售数据", "WORKBOOK", boss, at(-87))
	st.sheets.seedDemoWorkbook(SeedWorkbookID, "销售数据", at(-87))
	w.addNode(wikiSeededID("roadmap", 32), root, "产品路线图", "MIND", boss, at(-86))
	for i := 1; i <= SeedFolderSize; i++ {
		author := d.users[fmt.Sprintf("dev%03d", 1+i%5)]
		n := w.addNode(wikiSeededID(fmt.Sprintf("weekly-%d", i), 32), folder, fmt.Sprintf("周报 第%02d周", i), "DOC", author, at(-80+i))
		n.wordCount = int64(300 + 7*i)
	}
	product.roles[d.users["zhangwei"].UnionID] = wikiRoleEditor
	product.roles[d.users["dev001"].UnionID] = wikiRoleManager

	sales := w.addWorkspace(wikiSeededID("ws-sales", 16), wikiSeededID("root-sales", 32), "销售资料库", "销售话术与客户案例", "", d.users["zhangwei"], at(-60))
	sales.roles[boss.UnionID] = wikiRoleEditor
	sroot := w.nodes[sales.RootNodeID]
	w.addNode(wikiSeededID("sales-playbook", 32), sroot, "销售话术", "DOC", d.users["zhangwei"], at(-59))
	w.addNode(wikiSeededID("sales-cases", 32), sroot, "客户案例", "FOLDER", d.users["lina"], at(-58))

	eng := w.addWorkspace(wikiSeededID("ws-eng", 16), wikiSeededID("root-eng", 32), "研发文档", "架构设计与接口说明", "", d.users["dev001"], at(-45))
	eng.roles[boss.UnionID] = wikiRoleManager
	w.addNode(wikiSeededID("eng-arch", 32), w.nodes[eng.RootNodeID], "系统架构", "DOC", d.users["dev001"], at(-44))

	fin := w.addWorkspace(SeedReadOnlyWorkspaceID, wikiSeededID("root-fin", 32), "财务制度", "报销与预算制度", "", d.users["huangmin"], at(-30))
	fin.roles[boss.UnionID] = wikiRoleReader
	w.addNode(wikiSeededID("fin-expense", 32), w.nodes[fin.RootNodeID], "报销制度", "DOC", d.users["huangmin"], at(-29))

	private := w.addWorkspace(SeedPrivateWorkspaceID, wikiSeededID("root-private", 32), "个人草稿", "", "", d.users["zhangwei"], at(-10))
	w.addNode(wikiSeededID("private-draft", 32), w.nodes[private.RootNodeID], "草稿", "DOC", d.users["zhangwei"], at(-9))
	for _, n := range w.nodes {
		n.seeded = true
	}
	return w
}
