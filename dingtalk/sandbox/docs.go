package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxDocMarkdown is the most Markdown one write takes, in characters: the
// documented limit of overwriteContent, assumed for inserting content too
// (UNVERIFIED).
const maxDocMarkdown = 50000

// docStore holds the bodies of the text documents (DOC nodes), by
// dentryUuid. A document nobody has written yet reads as its seed.
type docStore struct {
	bodies map[string][]docBlock
}

func newDocStore() *docStore { return &docStore{bodies: map[string][]docBlock{}} }

// newBlockID makes a block id like DingTalk's ("lc4si5p3n84zwqxxx").
func newBlockID() string { return randomString(17, idAlphabet) }

// body returns the blocks of the document n, seeding it on first use.
func (d *docStore) body(n *wikiNode) []docBlock {
	b, ok := d.bodies[n.NodeID]
	if !ok {
		b = markdownBlocks(seedDocMarkdown(n), newBlockID)
		d.bodies[n.NodeID] = b
	}
	return b
}

// seedDocMarkdown is what a seeded document holds; a document made by
// create_doc starts empty.
func seedDocMarkdown(n *wikiNode) string {
	switch {
	case n.NodeID == SeedDocNodeID:
		return seedProductDoc
	case n.seeded:
		title := strings.TrimSuffix(n.Name, ".adoc")
		return "# " + title + "\n\n本文档记录" + title + "的要点。\n\n- 背景\n- 进展\n- 下一步"
	}
	return ""
}

// seedProductDoc is the body of SeedDocNodeID: one block of each kind the
// blocks API returns, and a code block, which it reports as Undefined.
const seedProductDoc = `# 产品介绍

沙箱演示科技的协作平台，帮助团队管理通讯录、群聊与知识库。

## 核心功能

1. 通讯录与部门管理
2. 群聊与工作通知
   - 机器人消息
3. 知识库与在线表格

> 所有功能均可通过开放接口调用。

| 版本 | 发布时间 | 说明 |
| --- | --- | --- |
| 1.0 | 2025-03 | 首个版本 |
| 2.0 | 2026-01 | 支持知识库 |

` + "```" + `
curl https://api.dingtalk.com
` + "```" + `

## 联系我们

如有问题，请在产品群中反馈。`

func (s *Server) docRoutes() {
	s.api("GET /v1.0/doc/suites/documents/{docKey}/blocks", "Storage.File.Read", s.docBlocks)
	s.api("POST /v1.0/doc/suites/documents/{docKey}/content", "Storage.File.Write", s.docInsert)
	s.api("POST /v1.0/doc/suites/documents/{docKey}/overwriteContent", "Storage.File.Write", s.docOverwrite)
}

func docArgsInvalid(why string) *apiError {
	return errAPI(http.StatusBadRequest, "invalidRequest.inputArgs.invalid", "方法入参校验失败: "+why)
}

var (
	errDocNotExist     = errAPI(http.StatusNotFound, "docNotExist", "文档不存在")
	errDocAccessDenied = errAPI(http.StatusForbidden, "forbidden.accessDenied", "用户无操作权限")
)

// docFor finds the text document the path names, by docKey or dentryUuid,
// and checks that the operator may read it (or write it).
func (s *Server) docFor(x *exchange, write bool) (*wikiNode, *user, *apiError) {
	id := strings.TrimSpace(x.r.URL.Query().Get("operatorId"))
	if id == "" {
		return nil, nil, docArgsInvalid("operatorId is required")
	}
	op := s.state.dir.byUnionID[id]
	if op == nil || !op.Active || op.external {
		return nil, nil, errDocAccessDenied
	}
	w := s.state.wiki
	key := x.r.PathValue("docKey")
	n := w.nodes[key]
	if n == nil {
		n = w.nodes[w.byDocKey[key]]
	}
	if n == nil {
		return nil, nil, errDocNotExist
	}
	ws := w.workspaces[n.WorkspaceID]
	role := wikiRoleNone
	if ws != nil {
		role = ws.role(op.UnionID)
	}
	if role == wikiRoleNone || (write && !wikiCanWrite(role)) {
		return nil, nil, errDocAccessDenied
	}
	// Which error a workbook, a folder or an uploaded file gets is
	// UNVERIFIED; the blocks APIs serve text documents only.
	if n.docType != "DOC" {
		return nil, nil, docArgsInvalid("the document is not a text document (adoc)")
	}
	return n, op, nil
}

// docBlocks answers DocBlocksQuery: GET …/documents/{docKey}/blocks, the
// top-level blocks from startIndex to endIndex, both included (whether
// DingTalk includes endIndex is UNVERIFIED).
func (s *Server) docBlocks(x *exchange) (any, *apiError) {
	n, _, aerr := s.docFor(x, false)
	if aerr != nil {
		return nil, aerr
	}
	q := x.r.URL.Query()
	index := func(name string, def int) (int, *apiError) {
		v := q.Get(name)
		if v == "" {
			return def, nil
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 {
			return 0, docArgsInvalid(name + " must be an integer of at least 0")
		}
		return i, nil
	}
	body := s.state.docs.body(n)
	start, aerr := index("startIndex", 0)
	if aerr != nil {
		return nil, aerr
	}
	end, aerr := index("endIndex", len(body)-1)
	if aerr != nil {
		return nil, aerr
	}
	typ := q.Get("blockType")
	if typ != "" && !slices.Contains(blockTypes, typ) {
		return nil, docArgsInvalid("blockType must be one of " + strings.Join(blockTypes, ", "))
	}
	data := []docBlock{}
	for i := start; i <= end && i < len(body); i++ {
		if typ != "" && body[i].BlockType != typ {
			continue
		}
		b := body[i]
		b.Index = i
		data = append(data, b)
	}
	return map[string]any{"success": true, "result": map[string]any{"data": data}}, nil
}

// docInsert answers InsertContent: POST …/documents/{docKey}/content. With
// neither path nor index the content goes at the end; index places it
// among the top-level blocks. A path names a block whose children are
// blocks, which Markdown never makes here, so any path is refused.
func (s *Server) docInsert(x *exchange) (any, *apiError) {
	n, op, aerr := s.docFor(x, true)
	if aerr != nil {
		return nil, aerr
	}
	var req struct {
		Content *struct {
			Type    string  `json:"type"`
			Content *string `json:"content"`
		} `json:"content"`
		Path  []int `json:"path"`
		Index *int  `json:"index"`
	}
	if err := docDecode(x, &req); err != nil {
		return nil, err
	}
	switch {
	case req.Content == nil || req.Content.Content == nil:
		return nil, docArgsInvalid("content.content is required")
	case req.Content.Type != "markdown":
		return nil, docArgsInvalid("content.type only supports markdown")
	case len(req.Path) > 0:
		return nil, docArgsInvalid("path does not name a block that holds blocks")
	}
	md := *req.Content.Content
	if aerr := checkDocMarkdown(md); aerr != nil {
		return nil, aerr
	}
	body := slices.Clone(s.state.docs.body(n))
	at := len(body)
	if req.Index != nil {
		if *req.Index < 0 || *req.Index > len(body) {
			return nil, docArgsInvalid(fmt.Sprintf("index must be between 0 and %d", len(body)))
		}
		at = *req.Index
	}
	body = slices.Insert(body, at, markdownBlocks(md, newBlockID)...)
	s.writeDoc(n, op, body)
	return map[string]any{"success": true, "result": map[string]any{}}, nil
}

// docOverwrite answers DocUpdateContent: POST
// …/documents/{docKey}/overwriteContent, which clears the document and
// writes the Markdown.
func (s *Server) docOverwrite(x *exchange) (any, *apiError) {
	n, op, aerr := s.docFor(x, true)
	if aerr != nil {
		return nil, aerr
	}
	var req struct {
		Content  *string `json:"content"`
		DataType string  `json:"dataType"`
	}
	if err := docDecode(x, &req); err != nil {
		return nil, err
	}
	switch {
	case req.Content == nil:
		return nil, docArgsInvalid("content is required")
	case req.DataType != "" && req.DataType != "markdown":
		return nil, docArgsInvalid("dataType only supports markdown")
	}
	if aerr := checkDocMarkdown(*req.Content); aerr != nil {
		return nil, aerr
	}
	s.writeDoc(n, op, markdownBlocks(*req.Content, newBlockID))
	return map[string]any{"success": true, "result": map[string]any{"data": map[string]any{}}}, nil
}

func docDecode(x *exchange, v any) *apiError {
	if len(strings.TrimSpace(string(x.body))) == 0 {
		return errAPI(http.StatusBadRequest, "Missingbody", "body is mandatory for this action.")
	}
	if err := json.Unmarshal(x.body, v); err != nil {
		return errAPI(http.StatusBadRequest, "paramError", "请求体不是合法的JSON: "+err.Error())
	}
	return nil
}

func checkDocMarkdown(md string) *apiError {
	if n := utf8.RuneCountInString(md); n > maxDocMarkdown {
		return docArgsInvalid(fmt.Sprintf("content has %d characters, more than %d", n, maxDocMarkdown))
	}
	return nil
}

// writeDoc stores a document's new body and updates its node as a change
// by op.
func (s *Server) writeDoc(n *wikiNode, op *user, body []docBlock) {
	s.state.docs.bodies[n.NodeID] = body
	now := s.now()
	text := blocksText(body)
	n.wordCount = int64(utf8.RuneCountInString(text))
	n.Size = int64(512 + len(text))
	touchNode(n, op, now)
}

func touchNode(n *wikiNode, op *user, now time.Time) {
	n.ModifierID, n.ModifiedTime, n.ModifiedTimestamp = op.UserID, wikiTime(now), now.UnixMilli()
}

// DocBlockTypes returns the types of the blocks of the text document
// nodeID, in order, and whether it is one.
func (s *Server) DocBlockTypes(nodeID string) ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.state.wiki.nodes[nodeID]
	if n == nil || n.docType != "DOC" {
		return nil, false
	}
	var types []string
	for _, b := range s.state.docs.body(n) {
		types = append(types, b.BlockType)
	}
	return types, true
}
