package schemagen

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// schemaText is a title or description member of a compact JSON schema, as
// encoding/json writes it; its value is the second group. Other members
// named so (a property called "title") hold an object, never a string.
var schemaText = regexp.MustCompile(`"(?:title|description)":("(?:[^"\\]|\\.)*")`)

// translate returns t, made in English, with its title, description and
// every title and description in its schemas in l: the names, numbers,
// enums and structure stay as they are. A text without a translation is
// added to missing, and stays English.
func translate(t mcp.Tool, l i18n.Lang, missing *missingTexts) mcp.Tool {
	table := i18n.Translations(l)
	text := func(en string) string {
		if zh, ok := table[en]; ok {
			return zh
		}
		missing.add(l, t.Name, en)
		return en
	}
	t.Title, t.Description = text(t.Title), text(t.Description)
	t.Annotations.Title = text(t.Annotations.Title)
	t.RawInputSchema = translateSchema(t.RawInputSchema, text)
	t.RawOutputSchema = translateSchema(t.RawOutputSchema, text)
	return t
}

func translateSchema(schema json.RawMessage, text func(string) string) json.RawMessage {
	return schemaText.ReplaceAllFunc(schema, func(m []byte) []byte {
		sub := schemaText.FindSubmatchIndex(m)
		var en string
		if err := json.Unmarshal(m[sub[2]:sub[3]], &en); err != nil {
			panic(fmt.Sprintf("schemagen: %s is not a JSON string: %v", m[sub[2]:sub[3]], err))
		}
		zh, err := json.Marshal(text(en))
		if err != nil {
			panic(err)
		}
		return slices.Concat(m[:sub[2]], zh)
	})
}

// missingTexts collects the tool texts without a translation.
type missingTexts map[i18n.Lang][]string

func (m *missingTexts) add(l i18n.Lang, tool, en string) {
	if *m == nil {
		*m = missingTexts{}
	}
	line := fmt.Sprintf("\t%q: \"…\", // %s", en, tool)
	if !slices.Contains((*m)[l], line) {
		(*m)[l] = append((*m)[l], line)
	}
}

// err names every missing text and where its translation goes.
func (m missingTexts) err() error {
	if len(m) == 0 {
		return nil
	}
	var b strings.Builder
	for _, l := range i18n.Langs {
		if len(m[l]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%d tool texts have no %s translation; add them to the table of i18n/%s_tools.go, in the words of i18n/glossary.go:\n%s\n",
			len(m[l]), l, l, strings.Join(m[l], "\n"))
	}
	return fmt.Errorf("%s", b.String())
}
