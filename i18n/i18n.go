// Package i18n holds every text the server writes for a person or a model,
// in each language it speaks, in one catalog.
//
// A text's key is its English wording, as the code states it
// (lang.Text("Create group chat"), lang.Textf("Deleted %d rows.", n)), so
// the English catalog is the code itself and every other language is a
// table from the English text to its translation (zh_*.go). The catalog is
// golang.org/x/text/message/catalog; formatting is fmt's, not
// message.Printer's, because the printer groups digits ("1,000") and
// numbers and ids must read the same in every language.
//
// The Chinese texts use DingTalk's own UI terms, listed in glossary.go;
// the package's tests hold every translation to the glossary, to the
// English text's format verbs, and to Chinese (no run of English words but
// identifiers), and fail naming the key to add, for every literal text the
// code passes to Text or Textf.
package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// Lang is a language the server speaks.
type Lang string

// The languages.
const (
	En Lang = "en"
	Zh Lang = "zh" // Simplified Chinese, as DingTalk writes it
)

// Langs lists the languages; the first is the default.
var Langs = []Lang{En, Zh}

// tags are the languages' tags, in the order of Langs.
var tags = []language.Tag{language.English, language.SimplifiedChinese}

// Parse returns the language s names ("" is the default, en), or an error
// listing the languages.
func Parse(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case "":
		return En, nil
	case En, Zh:
		return l, nil
	}
	return "", fmt.Errorf("--lang must be one of %s, got %q", List(), s)
}

// List is the languages, comma-separated, for messages.
func List() string {
	names := make([]string, len(Langs))
	for i, l := range Langs {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// Tag is l's BCP 47 tag.
func (l Lang) Tag() language.Tag {
	if l == Zh {
		return language.SimplifiedChinese
	}
	return language.English
}

// Text returns the text whose English wording is key, in l. A key without
// a translation is its own English text (the tests keep there being none).
func (l Lang) Text(key string) string {
	if l == En || l == "" {
		return key
	}
	var r renderer
	if err := cat.Context(l.Tag(), &r).Execute(key); err == nil {
		return r.s.String()
	}
	text, ok := Translations(l)[key]
	if !ok {
		return key
	}
	// The catalog is filled one text at a time, at its first use: compiling
	// every translation at the first one would cost each start in Chinese
	// a millisecond, for texts most sessions never show.
	if err := cat.SetString(l.Tag(), key, text); err != nil {
		panic(fmt.Sprintf("i18n: %s %q: %v", l, key, err)) // the tests compile every text
	}
	r = renderer{}
	if err := cat.Context(l.Tag(), &r).Execute(key); err != nil {
		return key
	}
	return r.s.String()
}

// Textf formats the text whose English wording is the format key, in l,
// with fmt's verbs and args.
func (l Lang) Textf(key string, args ...any) string {
	return fmt.Sprintf(l.Text(key), args...)
}

// renderer collects the message the catalog renders; it takes the format
// string as it is, for fmt to format.
type renderer struct{ s strings.Builder }

func (r *renderer) Render(s string) { r.s.WriteString(s) }
func (r *renderer) Arg(int) any     { return nil }

// cat is the catalog of every language but English, whose texts are their
// keys. Text fills it from the zh_*.go tables as their texts are used, so
// an English server never touches it.
var cat = catalog.NewBuilder(catalog.Fallback(language.English))

// Translations returns the table from English text to l's text; nil for
// English. Callers must not change it.
func Translations(l Lang) map[string]string {
	if l == Zh {
		return zh
	}
	return nil
}

// zh is the Chinese catalog, filled by the zh_*.go files, one per area.
var zh = map[string]string{}

// add puts the texts of one area into a catalog table; a key given twice
// is a mistake the tests would otherwise not see.
func add(table map[string]string, texts map[string]string) map[string]string {
	for k, v := range texts {
		if _, dup := table[k]; dup {
			panic(fmt.Sprintf("i18n: %q is translated twice", k))
		}
		table[k] = v
	}
	return table
}

// Index is l's place in Langs, for tables kept per language.
func (l Lang) Index() int {
	if l == Zh {
		return 1
	}
	return 0
}
