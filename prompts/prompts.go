// Package prompts offers MCP prompts: the multi-step DingTalk workflows
// people ask agents for ("notify a department", "onboard a new employee"),
// each rendered into a text that names the exact tools and parameters to
// call, where to ask the human before a write, and what to do when a step
// fails. A user picks one in their client instead of hoping the model finds
// the right five calls.
//
// Every prompt speaks each language of package i18n: its title and
// descriptions come from the catalog, its text from a template of that
// language (templates/zh for Chinese); names and values are the same in
// all of them.
//
// The package knows tool names only: it does not import the tools package.
// Its tests check every tool, parameter and result field a prompt names
// against the registered tools.
package prompts

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// templateFiles holds one template per prompt and language: the English
// ones in templates/<name>.md, those of another language l in
// templates/<l>/<name>.md. Each language's directory has its own shared
// sections, in files whose names start with "_". A translation names
// exactly the tools, parameters and fields of the English template, in
// the same branches; the tests hold it to that.
//
//go:embed templates/*.md templates/zh/*.md
var templateFiles embed.FS

// templateDir is the directory of the templates in l.
func templateDir(l i18n.Lang) string {
	if l == i18n.En || l == "" {
		return "templates"
	}
	return "templates/" + string(l)
}

// templates holds, per language, every template file of that language,
// parsed at the first prompts/get in it rather than at start-up, which
// every client launch pays for: a language nobody asks a prompt in costs
// nothing. missingkey=error makes a misspelt argument in a template fail
// the golden tests instead of rendering "<no value>".
var templates = func() []func() *template.Template {
	parsed := make([]func() *template.Template, len(i18n.Langs))
	for _, l := range i18n.Langs {
		parsed[l.Index()] = sync.OnceValue(func() *template.Template {
			return template.Must(template.New("").Funcs(template.FuncMap{
				"lit":     lit,
				"fenced":  fenced,
				"folders": folders,
				"chatID":  isChatID,
				"last":    func(list []string) string { return list[len(list)-1] },
			}).Option("missingkey=error").ParseFS(templateFiles, templateDir(l)+"/*.md"))
		})
	}
	return parsed
}()

// completion says where the values offered for an argument come from.
type completion int

const (
	noCompletion completion = iota
	departmentName
	userName
	userNames // a comma-separated list of user names: the last one is completed
)

// argument is one argument of a prompt.
type argument struct {
	Name        string
	Title       string
	Description string
	Required    bool
	// Enum lists the allowed values (and the values completion offers).
	Enum []string
	// Default gives the value of an argument left out, from the others,
	// in the language of the prompt.
	Default  func(l i18n.Lang, args map[string]string) string
	Complete completion
}

// prompt is one workflow: its listing and the template that renders it.
type prompt struct {
	Name        string
	Title       string
	Description string
	Arguments   []argument
	// Tools are the tools its templates name, in all their branches (a
	// test holds them to the templates): a server that registers fewer
	// does not offer the prompt, and knows it without reading a template.
	Tools []string
}

// all is every prompt the package offers. prompts/list shows them sorted
// by name.
var all = []*prompt{
	{
		Name:  "notify_department",
		Tools: []string{"search_departments", "get_dept_detail", "get_dept_list", "get_dept_users", "send_work_notice", "get_message_status", "recall_message", "send_chat_message", "get_chat_message_status", "recall_chat_message"},
		Title: "Notify a department",
		Description: "Send a work notice to every member of a department, or post in the department's group chat: find the department, " +
			"list its members (page by page) or its group, preview the message and ask before sending, then report who has read it.",
		Arguments: []argument{
			{Name: "department", Title: "Department", Required: true, Complete: departmentName,
				Description: "The department's name as the directory shows it, e.g. 销售部 or Sales."},
			{Name: "message", Title: "Message", Required: true,
				Description: "The message to send: a work notice takes about 2,000 bytes (600 Chinese characters), a group post about 15,000."},
			{Name: "title", Title: "Title",
				Description: "A title for the notice; when given, the message is sent as Markdown under this title."},
			{Name: "include_sub_departments", Title: "Include sub-departments", Enum: []string{"no", "yes"}, Default: constant("no"),
				Description: "yes to notify the members of every department below it too; no (the default) for its direct members only."},
			{Name: "channel", Title: "Channel", Enum: []string{"notice", "group"}, Default: constant("notice"),
				Description: "notice (the default): a work notice to each member; group: a post in the department's group chat by the app's robot, which cannot @mention anyone."},
		},
	},
	{
		Name:  "onboard_employee",
		Tools: []string{"get_user", "search_users", "search_departments", "get_dept_detail", "get_dept_users", "create_user", "create_chat", "get_chat_info", "send_work_notice", "get_message_status"},
		Title: "Onboard a new employee",
		Description: "Add a new employee to the directory in their department, create a group chat with them and their team, " +
			"and send them a welcome work notice; every write is previewed and confirmed with you first.",
		Arguments: []argument{
			{Name: "name", Title: "Name", Required: true, Description: "The new employee's full name, 1-64 characters."},
			{Name: "mobile", Title: "Mobile", Required: true,
				Description: "Their mobile number, unique in the organisation: 11 digits for mainland China (13800001234), +country code-number otherwise (+852-61234567)."},
			{Name: "department", Title: "Department", Required: true, Complete: departmentName,
				Description: "The department they join, by name as the directory shows it."},
			{Name: "job_title", Title: "Job title", Description: "Their position, e.g. Account Manager."},
			{Name: "chat_name", Title: "Group chat name", Default: func(l i18n.Lang, a map[string]string) string { return l.Textf("%s team", a["department"]) },
				Description: "The team group chat's name, 1-20 characters; default: the department's name followed by \"team\"."},
			{Name: "chat_owner", Title: "Group chat owner", Complete: userName,
				Description: "Who owns the group chat, by name; default: the department's leader."},
			{Name: "welcome_message", Title: "Welcome message",
				Description: "The welcome notice to send them; default: a short welcome naming the department and the group chat."},
		},
	},
	{
		Name:  "append_to_sheet",
		Tools: []string{"get_node_by_link", "get_worksheets", "get_worksheet", "get_range_data", "append_rows"},
		Title: "Append records to a spreadsheet",
		Description: "Add a table of records as new rows at the end of a DingTalk spreadsheet found by its link: open the link, " +
			"pick the sheet, match the records to its header, preview the append and ask, then check what was written.",
		Arguments: []argument{
			{Name: "sheet_link", Title: "Spreadsheet link", Required: true,
				Description: "The spreadsheet's DingTalk Docs link, e.g. https://alidocs.dingtalk.com/i/nodes/<id>."},
			{Name: "records", Title: "Records", Required: true,
				Description: "The records to add, one per line (fields separated by commas or tabs, or name: value pairs), or a JSON array."},
			{Name: "sheet_name", Title: "Sheet name",
				Description: "The sheet (tab) to append to; default: the only sheet, or you are asked."},
		},
	},
	{
		Name:  "file_document",
		Tools: []string{"get_workspaces", "get_node_list", "get_workspace_node", "create_doc", "get_doc_content", "append_doc_content", "overwrite_doc_content"},
		Title: "File a document in a knowledge base folder",
		Description: "Create a document, spreadsheet or mind map in a folder of a knowledge base, found by their names: " +
			"check for a duplicate, preview and ask before creating, write the content given into a document, and return its link.",
		Arguments: []argument{
			{Name: "knowledge_base", Title: "Knowledge base", Required: true, Description: "The knowledge base's name."},
			{Name: "folder", Title: "Folder", Required: true,
				Description: "The folder's name, or a path of folders separated by / (e.g. Projects/2025)."},
			{Name: "document_name", Title: "Document name", Required: true,
				Description: "The new document's name, without an extension."},
			{Name: "doc_type", Title: "Document type", Enum: []string{"DOC", "WORKBOOK", "MIND"}, Default: constant("DOC"),
				Description: "DOC (text document, the default), WORKBOOK (spreadsheet) or MIND (mind map)."},
			{Name: "content", Title: "Content",
				Description: "Markdown to write into a new text document (DOC), at most 50,000 characters; without it the document is created empty."},
		},
	},
	{
		Name:  "meeting_minutes",
		Tools: []string{"get_workspaces", "get_node_list", "get_workspace_node", "create_doc", "get_doc_content", "overwrite_doc_content", "search_departments", "get_dept_detail", "send_chat_message"},
		Title: "Meeting minutes to a knowledge base and a group",
		Description: "Turn meeting notes into minutes, file them as a document in a knowledge base, and post the link in a group chat; " +
			"every write is previewed and confirmed with you first.",
		Arguments: []argument{
			{Name: "notes", Title: "Notes", Required: true,
				Description: "The meeting notes as taken: who attended, what was discussed and decided, who does what by when."},
			{Name: "knowledge_base", Title: "Knowledge base", Required: true, Description: "The knowledge base's name, where the minutes are filed."},
			{Name: "group", Title: "Group chat", Required: true, Complete: departmentName,
				Description: "Where to post the link: a group's chatid or openConversationId (from create_chat), or a department's name for its group chat."},
			{Name: "title", Title: "Title", Description: "The minutes' title and document name; default: taken from the notes (meeting and date)."},
			{Name: "folder", Title: "Folder", Description: "A folder of the knowledge base, or a path of folders separated by /; default: its top level."},
		},
	},
	{
		Name:  "weekly_report",
		Tools: []string{"get_node_by_link", "get_worksheets", "get_range_data", "search_users", "get_user", "send_work_notice", "get_message_status"},
		Title: "Weekly report from a spreadsheet",
		Description: "Read a range of a DingTalk spreadsheet found by its link, write a short report from its figures, " +
			"and send it as a Markdown work notice to the people named, after showing it to you; then report delivery.",
		Arguments: []argument{
			{Name: "sheet_link", Title: "Spreadsheet link", Required: true,
				Description: "The spreadsheet's DingTalk Docs link, e.g. https://alidocs.dingtalk.com/i/nodes/<id>."},
			{Name: "range", Title: "Range", Required: true, Description: "The cells to report on in A1 notation, e.g. A1:E20."},
			{Name: "recipients", Title: "Recipients", Required: true, Complete: userNames,
				Description: "Who receives the report: names separated by commas."},
			{Name: "sheet_name", Title: "Sheet name", Description: "The sheet (tab) to read; default: the only sheet, or you are asked."},
			{Name: "week", Title: "Week", Description: "The week the report covers, for its title, e.g. 2025-W47."},
		},
	},
	{
		Name:  "find_colleague",
		Tools: []string{"search_users", "get_user", "get_dept_detail"},
		Title: "Find a colleague",
		Description: "Look someone up in the directory by name (or pinyin, mobile, email) and say who they are: " +
			"title, department path, the department's leaders and their manager. Reads only.",
		Arguments: []argument{
			{Name: "name", Title: "Name", Required: true, Complete: userName,
				Description: "Their name or part of it; pinyin, an English name, a mobile number or an email work too."},
		},
	},
}

// constant is the default of an enum argument: one of its values, which
// are the same in every language.
func constant(v string) func(i18n.Lang, map[string]string) string {
	return func(i18n.Lang, map[string]string) string { return v }
}

// mcpPrompt is p as prompts/list shows it in l: the names stay, the titles
// and descriptions are l's.
func (p *prompt) mcpPrompt(l i18n.Lang) mcp.Prompt {
	opts := []mcp.PromptOption{mcp.WithPromptTitle(l.Text(p.Title)), mcp.WithPromptDescription(l.Text(p.Description))}
	for _, a := range p.Arguments {
		ao := []mcp.ArgumentOption{mcp.ArgumentTitle(l.Text(a.Title)), mcp.ArgumentDescription(l.Text(a.Description))}
		if a.Required {
			ao = append(ao, mcp.RequiredArgument())
		}
		opts = append(opts, mcp.WithArgument(a.Name, ao...))
	}
	return mcp.NewPrompt(p.Name, opts...)
}

// ArgumentError is a prompts/get request whose arguments do not fit the
// prompt. mcp-go reports it to the client as a JSON-RPC error. Message is
// in the language of the server; the prompt's and arguments' names and
// the allowed values are the same in every language.
type ArgumentError struct {
	Prompt, Argument, Message string
	Lang                      i18n.Lang
}

func (e *ArgumentError) Error() string {
	return e.Lang.Textf("prompt %s: argument %s: %s", e.Prompt, e.Argument, e.Message)
}

// render checks args against p's arguments and returns p's text in l.
func (p *prompt) render(l i18n.Lang, args map[string]string) (string, error) {
	for name := range args {
		if !slices.ContainsFunc(p.Arguments, func(a argument) bool { return a.Name == name }) {
			return "", &ArgumentError{p.Name, name, l.Textf("unknown argument; the arguments are %s", p.argumentNames()), l}
		}
	}
	data := make(map[string]string, len(p.Arguments))
	for _, a := range p.Arguments {
		v := strings.TrimSpace(args[a.Name])
		switch {
		case v == "" && a.Required:
			return "", &ArgumentError{p.Name, a.Name, l.Textf("is required: %s", l.Text(a.Description)), l}
		case v != "" && len(a.Enum) > 0:
			i := slices.IndexFunc(a.Enum, func(e string) bool { return strings.EqualFold(e, v) })
			if i < 0 {
				return "", &ArgumentError{p.Name, a.Name, l.Textf("%q is not one of %s", v, strings.Join(a.Enum, ", ")), l}
			}
			v = a.Enum[i]
		}
		data[a.Name] = v
	}
	// Defaults may depend on other arguments, so they come once all are read.
	for _, a := range p.Arguments {
		if data[a.Name] == "" && a.Default != nil {
			data[a.Name] = a.Default(l, data)
		}
	}
	var b bytes.Buffer
	if err := templates[l.Index()]().ExecuteTemplate(&b, p.Name+".md", data); err != nil {
		return "", fmt.Errorf("prompt %s: %w", p.Name, err)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

func (p *prompt) argumentNames() string {
	names := make([]string, len(p.Arguments))
	for i, a := range p.Arguments {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// handler answers prompts/get for p in l.
func (p *prompt) handler(l i18n.Lang) server.PromptHandlerFunc {
	return func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		text, err := p.render(l, req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		return mcp.NewGetPromptResult(l.Text(p.Description), []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))}), nil
	}
}

// templateComment matches a text/template comment, which may hold
// backticks that are not references.
var templateComment = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)\{\{-?\s*/\*.*?\*/\s*-?\}\}`) })

// TemplateSource returns the template in l of the prompt or shared section
// file name (without .md), without its template comments: what References
// reads to find every name a prompt can mention, whatever its arguments.
func TemplateSource(l i18n.Lang, name string) string {
	b, err := templateFiles.ReadFile(templateDir(l) + "/" + name + ".md")
	if err != nil {
		return ""
	}
	return templateComment().ReplaceAllString(string(b), "")
}

// Option configures Register.
type Option func(*config)

type config struct {
	tools    []string
	toolsSet bool
	logger   *slog.Logger
	lang     i18n.Lang
}

// WithLang sets the language of the prompts' titles, descriptions, texts
// and argument errors; without it they are English.
func WithLang(l i18n.Lang) Option { return func(c *config) { c.lang = l } }

// WithTools says which tools the server registered: a prompt that names a
// tool outside this list (a write tool in read-only mode, a tool of a
// toolset left out) is not offered. Without it every prompt is offered.
func WithTools(names []string) Option {
	return func(c *config) { c.tools = slices.Clone(names); c.toolsSet = true }
}

// WithLogger logs what completion could not look up.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// Register adds the prompts to s and answers completion/complete for their
// arguments, department and user names coming from dir (nil: no names are
// offered). It returns the names of the prompts added. The server must be
// built with server.WithCompletions() for clients to ask for completions.
func Register(s *server.MCPServer, dir Directory, opts ...Option) []string {
	cfg := config{logger: slog.New(slog.DiscardHandler), lang: i18n.En}
	for _, o := range opts {
		o(&cfg)
	}
	var entries []server.ServerPrompt
	offered := map[string]*prompt{}
	for _, p := range all {
		if cfg.toolsSet && slices.ContainsFunc(p.Tools, func(t string) bool { return !slices.Contains(cfg.tools, t) }) {
			continue
		}
		entries = append(entries, server.ServerPrompt{Prompt: p.mcpPrompt(cfg.lang), Handler: p.handler(cfg.lang)})
		offered[p.Name] = p
	}
	if len(entries) > 0 {
		s.AddPrompts(entries...)
	}
	// mcp-go v1.2.1 takes the completion provider only as a server option;
	// an option is a function of the server, so it is applied here, before
	// the server serves, to keep completion beside the prompts it serves.
	server.WithPromptCompletionProvider(&completer{prompts: offered, dir: dir, logger: cfg.logger})(s)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Prompt.Name)
	}
	return names
}

// lit renders a value as a JSON string literal, as the model should send
// it. A backtick becomes \u0060, which JSON reads back as a backtick, so
// that a value never ends the `Name=value` span around it.
func lit(v string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // a string always encodes
	return strings.ReplaceAll(strings.TrimSuffix(b.String(), "\n"), "`", `\u0060`)
}

// fenced renders user text as a ~~~ block, with a fence longer than any
// run of tildes in the text, so that the text cannot end it.
func fenced(v string) string {
	fence := "~~~"
	for strings.Contains(v, fence) {
		fence += "~"
	}
	return fence + "\n" + strings.TrimSpace(v) + "\n" + fence
}

// isChatID reports whether v is a group's chatid or openConversationId
// rather than a department's name.
func isChatID(v string) bool {
	return strings.HasPrefix(v, "chat") || strings.HasPrefix(v, "cid")
}

// folders splits a folder path such as "Projects/2025" into its folders.
func folders(path string) []string {
	var out []string
	for _, f := range strings.Split(path, "/") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return []string{strings.TrimSpace(path)}
	}
	return out
}
