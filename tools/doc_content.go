package tools

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// The document content tools read and write the body of a DingTalk text
// document (extension adoc) as Markdown.

// DocRef names the document a content tool acts on: by id or by link.
type DocRef struct {
	NodeId string `json:"NodeId,omitempty" jsonschema:"maxLength=256" jsonschema_description:"Document nodeId or docKey, from get_node_list or create_doc."`
	DocUrl string `json:"DocUrl,omitempty" jsonschema:"maxLength=2048" jsonschema_description:"Or its link."`

	key string // the id the content APIs take, once resolved
}

// check normalises ref and refuses anything but exactly one of NodeId and
// DocUrl.
func (r *DocRef) check() error {
	if err := checkWikiID("NodeId", &r.NodeId); err != nil {
		return err
	}
	r.DocUrl = strings.TrimSpace(r.DocUrl)
	switch {
	case r.NodeId == "" && r.DocUrl == "":
		return &InputError{Field: "NodeId", Message: i18n.Msg("NodeId or DocUrl is required"),
			Hint: i18n.Msg("Pass the document's NodeId (from get_node_list or create_doc) or its link as DocUrl.")}
	case r.NodeId != "" && r.DocUrl != "":
		return invalid("DocUrl", "give NodeId or DocUrl, not both")
	case r.DocUrl != "":
		link, err := docLink("DocUrl", r.DocUrl)
		r.DocUrl = link
		return err
	}
	return nil
}

// resolve finds the id the content APIs take with the fewest DingTalk
// calls: a NodeId is one already (a dentryUuid or a docKey), and so is the
// id in a node link; only another DingTalk Docs link is looked up.
func (r *DocRef) resolve(ctx context.Context, env *Env, operatorID string) (string, error) {
	if r.key != "" {
		return r.key, nil
	}
	if r.NodeId != "" {
		r.key = r.NodeId
		return r.key, nil
	}
	if id, ok := dingtalk.DocKeyFromLink(r.DocUrl); ok {
		r.key = id
		return r.key, nil
	}
	n, err := env.Client.Wiki.GetNodeByURL(ctx, operatorID, r.DocUrl)
	if err != nil {
		return "", err
	}
	if n.Extension != "adoc" {
		return "", &InputError{Field: "DocUrl", Message: i18n.Msg("DocUrl is %q, which is not a DingTalk text document (extension %q, not adoc)", n.Name, n.Extension),
			Hint: i18n.Msg("A spreadsheet's content is read with the sheet tools (its NodeId is the WorkbookId); other files have no editable content.")}
	}
	r.key = n.NodeID
	return r.key, nil
}

// name is how a Summary or a preview names the document.
func (r *DocRef) name() string {
	if r.NodeId != "" {
		return r.NodeId
	}
	return r.DocUrl
}

// Hints shared by the document content tools.
var docContentHints = map[dingtalk.Cause]string{
	dingtalk.KindNotFound: "No document has this NodeId or link, or the operator cannot see it: find it with get_node_list, or pass its link as DocUrl.",
	dingtalk.KindPermission: "OperatorId must be able to read the document, and to edit it for a write (OWNER, MANAGER or EDITOR of its knowledge base): pass such a member's unionId or userId. " +
		"If ErrorMessage names a permission scope, grant it to the app in the DingTalk developer console instead.",
	dingtalk.KindInvalid: "DingTalk refused the call as its message says: NodeId must be a text document (extension adoc; spreadsheets use the sheet tools).",
}

// ---- get_doc_content ----

// GetDocContentIn is the input of get_doc_content.
type GetDocContentIn struct {
	DocRef
	StartBlock int `json:"StartBlock,omitempty" jsonschema:"minimum=0" jsonschema_description:"First block: NextBlock of a cut read."`
	MaxChars   int `json:"MaxChars,omitempty" jsonschema:"minimum=200,maximum=50000,default=20000" jsonschema_description:"Markdown size limit."`
	Operator
}

// GetDocContentOut is the result of get_doc_content.
type GetDocContentOut struct {
	Markdown  string         `json:"Markdown" jsonschema_description:"The blocks read, as Markdown; inline formatting is lost when DingTalk returns plain text."`
	NextBlock int            `json:"NextBlock,omitempty" jsonschema_description:"Set when cut at MaxChars: the StartBlock that reads on."`
	Skipped   map[string]int `json:"Skipped,omitempty" jsonschema_description:"Blocks left out, by type: code, dividers and files (Undefined), callouts and columns."`
	Envelope
}

var getDocContent = &Tool[GetDocContentIn, GetDocContentOut]{
	Name:        "get_doc_content",
	Title:       "Read document",
	Description: "Read a DingTalk document as Markdown, by NodeId or link; cut at MaxChars, saying where to read on.",
	Toolset:     Wiki,
	ReadOnly:    true,
	Validate:    func(in *GetDocContentIn) error { return in.DocRef.check() },
	Run: func(ctx context.Context, env *Env, in *GetDocContentIn) (out GetDocContentOut, err error) {
		key, err := in.resolve(ctx, env, in.OperatorId)
		if err != nil {
			return out, err
		}
		blocks, err := env.Client.Docs.Blocks(ctx, in.OperatorId, key, dingtalk.BlockQuery{StartIndex: in.StartBlock})
		if err != nil {
			return out, err
		}
		md := dingtalk.RenderMarkdown(blocks, in.MaxChars)
		out.Markdown = md.Markdown
		if len(md.Skipped) > 0 {
			out.Skipped = md.Skipped
		}
		last := in.StartBlock + md.Blocks - 1
		switch {
		case len(blocks) == 0 && in.StartBlock > 0:
			out.Summary = env.Lang.Textf("The document %s has no blocks from StartBlock %d on: it has been read to the end.", in.name(), in.StartBlock)
		case len(blocks) == 0:
			out.Summary = env.Lang.Textf("The document %s is empty.", in.name())
		case md.Cut && md.Blocks == 0:
			out.NextBlock = in.StartBlock + 1
			out.Summary = env.Lang.Textf("Block %d of %s alone is longer than MaxChars %d and was cut; raise MaxChars to read it whole, or read on with StartBlock %d.", in.StartBlock, in.name(), in.MaxChars, out.NextBlock)
		case md.Cut:
			out.NextBlock = last + 1
			out.Summary = env.Lang.Textf("Read blocks %d-%d of %s (%d characters); cut at MaxChars: call again with StartBlock %d for the rest.", in.StartBlock, last, in.name(), utf8.RuneCountInString(md.Markdown), out.NextBlock)
		default:
			out.Summary = env.Lang.Textf("Read blocks %d-%d of %s (%d characters), to the end.", in.StartBlock, last, in.name(), utf8.RuneCountInString(md.Markdown))
		}
		if n := skippedCount(md.Skipped); n > 0 {
			out.Summary += env.Lang.Textf(" %d block(s) with no text DingTalk returns were left out (see Skipped).", n)
		}
		return out, nil
	},
	Hints: docContentHints,
}

func skippedCount(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// ---- append_doc_content ----

// DocWriteIn is the input of the document writes.
type DocWriteIn struct {
	DocRef
	Markdown string `json:"Markdown" jsonschema:"maxLength=50000" jsonschema_description:"Headings, lists, quotes, tables, emphasis, links."`
	Operator
	Confirmation

	current *dingtalk.DocMarkdown // what the document holds now, for the preview
}

// DocWriteOut is the result of the document writes.
type DocWriteOut struct {
	NodeId string `json:"NodeId,omitempty" jsonschema_description:"The document written: NodeId of get_doc_content."`
	Envelope
}

func checkDocWrite(in *DocWriteIn) error {
	if strings.TrimSpace(in.Markdown) == "" {
		return invalid("Markdown", "Markdown must not be blank")
	}
	return in.DocRef.check()
}

// AppendDocContentIn is the input of append_doc_content: a document write
// that doing twice does twice, so it takes an IdempotencyKey.
type AppendDocContentIn struct {
	DocWriteIn
	Idempotency
}

// AppendDocContentOut is the result of append_doc_content.
type AppendDocContentOut struct {
	DocWriteOut
	Replay
}

var appendDocContent = &Tool[AppendDocContentIn, AppendDocContentOut]{
	Name:        "append_doc_content",
	Title:       "Append to document",
	Description: "Add Markdown at the end of a DingTalk document. Not idempotent.",
	Toolset:     Wiki,
	Validate:    func(in *AppendDocContentIn) error { return checkDocWrite(&in.DocWriteIn) },
	Preview: func(l i18n.Lang, in *AppendDocContentIn) string {
		return l.Textf("append %d characters of Markdown (%s) to the end of document %s", utf8.RuneCountInString(in.Markdown), quoteShort(in.Markdown), in.name())
	},
	Run: func(ctx context.Context, env *Env, in *AppendDocContentIn) (out AppendDocContentOut, err error) {
		key, err := in.resolve(ctx, env, in.OperatorId)
		if err != nil {
			return out, err
		}
		if err := env.Client.Docs.AppendMarkdown(ctx, in.OperatorId, key, in.Markdown); err != nil {
			return out, err
		}
		out.NodeId = key
		out.Summary = env.Lang.Textf("Appended %d characters of Markdown to document %s.", utf8.RuneCountInString(in.Markdown), in.name())
		return out, nil
	},
	Hints: withHints(docContentHints, map[dingtalk.Cause]string{
		Uncertain: "The Markdown may have been appended: read the end of the document with get_doc_content before appending again, or it will be there twice.",
	}),
}

// ---- overwrite_doc_content ----

var overwriteDocContent = &Tool[DocWriteIn, DocWriteOut]{
	Name:        "overwrite_doc_content",
	Title:       "Overwrite document",
	Description: "Replace a DingTalk document's whole content with Markdown; the preview says how much is replaced.",
	Toolset:     Wiki,
	Destructive: true,
	Idempotent:  true,
	Validate:    checkDocWrite,
	Inspect: func(ctx context.Context, env *Env, in *DocWriteIn) error {
		key, err := in.resolve(ctx, env, in.OperatorId)
		if err != nil {
			return err
		}
		blocks, err := env.Client.Docs.Blocks(ctx, in.OperatorId, key, dingtalk.BlockQuery{})
		if err != nil {
			return err
		}
		md := dingtalk.RenderMarkdown(blocks, dingtalk.MaxDocMarkdown)
		md.Blocks = len(blocks)
		in.current = &md
		return nil
	},
	Preview: func(l i18n.Lang, in *DocWriteIn) string {
		return l.Textf("replace %s of document %s with %d characters of Markdown (%s)", replacedAmount(l, in.current), in.name(), utf8.RuneCountInString(in.Markdown), quoteShort(in.Markdown))
	},
	Run: func(ctx context.Context, env *Env, in *DocWriteIn) (out DocWriteOut, err error) {
		key, err := in.resolve(ctx, env, in.OperatorId)
		if err != nil {
			return out, err
		}
		if err := env.Client.Docs.OverwriteMarkdown(ctx, in.OperatorId, key, in.Markdown); err != nil {
			return out, err
		}
		out.NodeId = key
		out.Summary = env.Lang.Textf("Replaced the content of document %s with %d characters of Markdown.", in.name(), utf8.RuneCountInString(in.Markdown))
		return out, nil
	},
	Hints: docContentHints,
}

// replacedAmount says how much of a document an overwrite would replace.
func replacedAmount(l i18n.Lang, cur *dingtalk.DocMarkdown) string {
	switch {
	case cur == nil:
		return l.Text("the whole content")
	case cur.Blocks == 0:
		return l.Text("the content (the document is empty now)")
	}
	size := l.Textf("%d characters", utf8.RuneCountInString(cur.Markdown))
	if cur.Cut {
		size = l.Textf("more than %d characters", utf8.RuneCountInString(cur.Markdown))
	}
	return l.Textf("all %d blocks (%s, starting %s)", cur.Blocks, size, quoteShort(cur.Markdown))
}
