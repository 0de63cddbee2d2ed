package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// ModelView is a tool as a model is shown it: clients pass name,
// description and inputSchema to the model API (title, annotations and
// outputSchema stay with the client), as compact JSON without HTML
// escaping.
func ModelView(t mcp.Tool) []byte {
	return compactJSON(struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"inputSchema"`
	}{t.Name, t.Description, t.RawInputSchema})
}

// WireView is a tool as tools/list sends it, compact.
func WireView(t mcp.Tool) []byte { return compactJSON(t) }

func compactJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("bench: encode %T: %v", v, err))
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// ToolCost is what one tool costs in a model's context.
type ToolCost struct {
	Name        string
	Toolset     tools.Toolset
	Bytes       int // ModelView
	Description int // bytes of the description
	InputSchema int // bytes of the compact input schema
	Wire        int // bytes of the whole tools/list entry
	Tokens      int // ModelView in o200k_base tokens; 0 if not counted
}

// Costs measures every registered tool; with tokens, it also counts each
// model view in o200k_base tokens (GPT-4o's tokenizer, an offline stand-in
// for models whose tokenizers are not published).
func Costs(tokens bool) ([]ToolCost, error) { return CostsIn(i18n.En, tokens) }

// CostsIn is Costs of the tools as a server in l lists them.
func CostsIn(l i18n.Lang, tokens bool) ([]ToolCost, error) {
	var enc *tiktoken.Tiktoken
	if tokens {
		var err error
		if enc, err = Tokenizer(); err != nil {
			return nil, err
		}
	}
	var out []ToolCost
	for _, d := range tools.All() {
		t, s := d.MCPToolIn(l), d.Spec()
		mv := ModelView(t)
		c := ToolCost{Name: s.Name, Toolset: s.Toolset, Bytes: len(mv), Description: len(t.Description),
			InputSchema: len(compactJSON(t.RawInputSchema)), Wire: len(WireView(t))}
		if enc != nil {
			c.Tokens = len(enc.EncodeOrdinary(string(mv)))
		}
		out = append(out, c)
	}
	return out, nil
}

// Total adds up costs; Name says what was added.
func Total(name string, costs []ToolCost) (sum ToolCost, n int) {
	sum.Name = name
	for _, c := range costs {
		sum.Bytes += c.Bytes
		sum.Description += c.Description
		sum.InputSchema += c.InputSchema
		sum.Wire += c.Wire
		sum.Tokens += c.Tokens
		n++
	}
	return sum, n
}

var tokenizer = sync.OnceValues(func() (*tiktoken.Tiktoken, error) {
	tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
	return tiktoken.GetEncoding(tiktoken.MODEL_O200K_BASE)
})

// Tokenizer is o200k_base, loaded from the vocabulary embedded in
// tiktoken-go-loader: no network.
func Tokenizer() (*tiktoken.Tiktoken, error) { return tokenizer() }

// ContextParts splits the tools' model views: what is structure and what
// is words.
type ContextParts struct {
	Tools, Params int
	// Skeleton is the views with no description text and no description
	// key on any parameter: names, types, bounds, enums, defaults,
	// required, the object wrapper, and each tool's empty description.
	Skeleton int
	// DescriptionKeys is what `"description":""` on every parameter adds.
	DescriptionKeys int
	// ToolDescriptions and ParamDescriptions are the description texts,
	// as encoded in JSON.
	ToolDescriptions, ParamDescriptions int
}

// Floor is the least the model views can take with every parameter
// described: the skeleton and an empty description on each parameter. No
// rewording goes below it; only fewer parameters or fewer bounds could.
func (p ContextParts) Floor() int { return p.Skeleton + p.DescriptionKeys }

// Total is the model views' size: every part added up.
func (p ContextParts) Total() int {
	return p.Floor() + p.ToolDescriptions + p.ParamDescriptions
}

// SplitContext measures the parts of every registered tool's model view.
func SplitContext() (ContextParts, error) {
	var parts ContextParts
	for _, d := range tools.All() {
		t := d.MCPTool()
		dec := json.NewDecoder(bytes.NewReader(t.RawInputSchema))
		dec.UseNumber() // numbers re-encode exactly as published
		var schema map[string]any
		if err := dec.Decode(&schema); err != nil {
			return parts, fmt.Errorf("%s: %w", t.Name, err)
		}
		props, _ := schema["properties"].(map[string]any)
		keyed, bare := t, t
		keyed.Description, bare.Description = "", ""
		var texts []string
		for _, p := range props {
			p := p.(map[string]any)
			if s, ok := p["description"].(string); ok {
				texts = append(texts, s)
			}
			p["description"] = ""
		}
		keyed.RawInputSchema = compactJSON(schema)
		for _, p := range props {
			delete(p.(map[string]any), "description")
		}
		bare.RawInputSchema = compactJSON(schema)

		skeleton, withKeys := len(ModelView(bare)), len(ModelView(keyed))
		parts.Tools++
		parts.Params += len(props)
		parts.Skeleton += skeleton
		parts.DescriptionKeys += withKeys - skeleton
		parts.ToolDescriptions += len(compactJSON(t.Description)) - len(`""`)
		for _, s := range texts {
			parts.ParamDescriptions += len(compactJSON(s)) - len(`""`)
		}
	}
	return parts, nil
}
