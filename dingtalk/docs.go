package dingtalk

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DocsService reads and writes the content of DingTalk documents: the
// online text documents (extension adoc) of a knowledge base. Every call
// acts as an operator (a unionId) and takes the document's docKey or its
// dentryUuid, which is the wiki nodeId.
//
// The whole-document export of the v2.0 API is asynchronous and needs a
// permission internal apps cannot be granted, so content is read as blocks
// and rendered to Markdown (RenderMarkdown).
type DocsService service

// MaxDocMarkdown is the most Markdown, in characters, one write takes.
// DingTalk documents it for overwriteContent; for inserting content no
// limit is documented, and the same one is assumed (UNVERIFIED).
const MaxDocMarkdown = 50000

// CheckDocMarkdown refuses Markdown longer than MaxDocMarkdown characters.
func CheckDocMarkdown(markdown string) error {
	if n := utf8.RuneCountInString(markdown); n > MaxDocMarkdown {
		return &InvalidArgumentError{Field: "content", Message: fmt.Sprintf("%d characters of Markdown, more than DingTalk's limit of %d", n, MaxDocMarkdown)}
	}
	return nil
}

// BlockQuery narrows a block read. The zero value reads every top-level
// block.
type BlockQuery struct {
	// StartIndex is the first top-level block to return, from 0.
	StartIndex int
	// EndIndex is the last one to return; 0 or less reads to the end.
	// Whether DingTalk includes it is UNVERIFIED: it is passed as given.
	EndIndex int
	// BlockType keeps only blocks of one type, e.g. heading.
	BlockType string
}

var (
	docBlocksEndpoint    = &endpoint{family: apiFamily, method: "GET", path: "/v1.0/doc/suites/documents/{}/blocks", idempotent: true}
	docInsertEndpoint    = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/doc/suites/documents/{}/content"}
	docOverwriteEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/doc/suites/documents/{}/overwriteContent", idempotent: true}
)

// Blocks returns the top-level blocks of the document docKey. Blocks
// nested in a callout or in columns are not returned.
//
// DingTalk: GET /v1.0/doc/suites/documents/{docKey}/blocks
// (DocBlocksQuery). Idempotent.
func (s *DocsService) Blocks(ctx context.Context, operatorID, docKey string, q BlockQuery) ([]Block, error) {
	query := operatorQuery(operatorID)
	if q.StartIndex > 0 {
		query.Set("startIndex", strconv.Itoa(q.StartIndex))
	}
	if q.EndIndex > 0 {
		query.Set("endIndex", strconv.Itoa(q.EndIndex))
	}
	if q.BlockType != "" {
		query.Set("blockType", q.BlockType)
	}
	var out struct {
		Success *bool `json:"success"`
		Result  struct {
			Data []Block `json:"data"`
		} `json:"result"`
	}
	if err := s.client.do(ctx, &call{ep: docBlocksEndpoint, pathParams: []string{docKey}, query: query}, &out); err != nil {
		return nil, err
	}
	if err := checkSuccess(docBlocksEndpoint, out.Success, false); err != nil {
		return nil, err
	}
	if out.Result.Data == nil {
		out.Result.Data = []Block{}
	}
	return out.Result.Data, nil
}

// AppendMarkdown inserts markdown at the end of the document docKey, as
// DingTalk renders it to blocks. It refuses Markdown over MaxDocMarkdown
// before sending.
//
// DingTalk: POST /v1.0/doc/suites/documents/{docKey}/content
// (InsertContent) with neither path nor index, which appends. Not
// idempotent: sending twice appends twice.
func (s *DocsService) AppendMarkdown(ctx context.Context, operatorID, docKey, markdown string) error {
	if err := CheckDocMarkdown(markdown); err != nil {
		return err
	}
	body := map[string]any{"content": map[string]string{"type": "markdown", "content": markdown}}
	var out struct {
		Success *bool `json:"success"`
	}
	c := &call{ep: docInsertEndpoint, pathParams: []string{docKey}, query: operatorQuery(operatorID), body: body}
	if err := s.client.do(ctx, c, &out); err != nil {
		return err
	}
	return checkSuccess(docInsertEndpoint, out.Success, true)
}

// OverwriteMarkdown clears the document docKey and writes markdown in its
// place. It refuses Markdown over MaxDocMarkdown before sending.
//
// DingTalk: POST /v1.0/doc/suites/documents/{docKey}/overwriteContent
// (DocUpdateContent). Idempotent: writing the same content again leaves
// the same document.
func (s *DocsService) OverwriteMarkdown(ctx context.Context, operatorID, docKey, markdown string) error {
	if err := CheckDocMarkdown(markdown); err != nil {
		return err
	}
	body := map[string]string{"content": markdown, "dataType": "markdown"}
	var out struct {
		Success *bool `json:"success"`
	}
	c := &call{ep: docOverwriteEndpoint, pathParams: []string{docKey}, query: operatorQuery(operatorID), body: body}
	if err := s.client.do(ctx, c, &out); err != nil {
		return err
	}
	return checkSuccess(docOverwriteEndpoint, out.Success, true)
}

// checkSuccess turns the document APIs' success=false into an error. A
// write answered that way may or may not have been applied.
func checkSuccess(ep *endpoint, success *bool, write bool) error {
	if success == nil || *success {
		return nil
	}
	return (&Error{Endpoint: ep.name(), HTTPStatus: 200, Kind: KindUnknown, MaybeSent: write}).describe(phrasef("DingTalk answered success=false without an error code"))
}

// DocKeyFromLink returns the dentryUuid a DingTalk Docs link names, as in
// https://alidocs.dingtalk.com/i/nodes/<dentryUuid>, without calling
// DingTalk. ok is false for any other link, which WikiService.GetNodeByURL
// resolves.
func DocKeyFromLink(link string) (dentryUUID string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", false
	}
	switch strings.ToLower(u.Hostname()) {
	case "alidocs.dingtalk.com", "alidocs.dingtalk.io":
	default:
		return "", false
	}
	id, ok := strings.CutPrefix(strings.TrimSuffix(u.Path, "/"), "/i/nodes/")
	if !ok || id == "" || strings.ContainsAny(id, "/.") {
		return "", false
	}
	return id, true
}
