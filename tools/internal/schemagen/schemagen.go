// Package schemagen makes what go generate writes from the tool
// declarations: each tool as tools/list shows it, one indented JSON file per
// tool in the tools package's SchemaDir, and the tool table of README.md.
// The server embeds the tool files (tools/schemafile.go); this package, and
// the reflector with it, is linked only into the generator and the tests.
package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// reflector makes the flat schemas every MCP client accepts: no $ref or
// $defs (many clients cannot resolve them), a root of type object, and
// additionalProperties false on every object.
var reflector = &jsonschema.Reflector{Anonymous: true, DoNotReference: true, ExpandedStruct: true, Mapper: mapType}

// mapType gives DingTalk's untyped values (a spreadsheet cell: text, a
// number or a boolean) a schema: invopop would write the bare schema true,
// which strict clients reject.
func mapType(t reflect.Type) *jsonschema.Schema {
	if t.Kind() == reflect.Interface && t.NumMethod() == 0 {
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}, {Type: "object"}}}
	}
	return nil
}

// schemaOf is the JSON schema of t as a tool publishes it.
func schemaOf(t reflect.Type) json.RawMessage {
	s := reflector.ReflectFromType(t)
	s.Version = "" // some model APIs reject "$schema"; 2020-12 is MCP's default
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("schemagen: schema of %v: %v", t, err))
	}
	return b
}

// SchemaDir is the English tool files' directory, from the repository's
// root: the golden snapshots' (package toolsnaps).
const SchemaDir = "testdata/toolsnaps"

// SchemaDirIn is the directory of the tool files in l, from the
// repository's root.
func SchemaDirIn(l i18n.Lang) string { return path.Join(SchemaDir, tools.SchemaDirIn(l)) }

// README is the file whose tool table is generated, between these markers.
const (
	README     = "README.md"
	tableStart = "<!-- The tool table is generated from the tool declarations by go generate ./... -->\n"
	tableEnd   = "<!-- End of the generated tool table. -->\n"
)

// File is one generated file.
type File struct {
	Path string // slash-separated, from the repository's root
	Data []byte
}

// Files returns every file go generate writes, in the repository at root:
// a file per tool and language, then README.md as it stands with its tool
// table made afresh. A text without a translation fails it, naming every
// such text and where to add it.
func Files(root string) ([]File, error) {
	var files []File
	var missing missingTexts
	var rows strings.Builder
	rows.WriteString("\n| toolset | tool | what it does | effect |\n|---|---|---|---|\n")
	for _, d := range tools.All() {
		t, err := d.Generate(schemaOf)
		if err != nil {
			return nil, err
		}
		b, err := json.MarshalIndent(t, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		files = append(files, File{Path: path.Join(SchemaDir, t.Name+".json"), Data: append(b, '\n')})
		for _, l := range i18n.Langs[1:] {
			lt := translate(t, l, &missing)
			b, err := json.MarshalIndent(lt, "", "  ")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name, err)
			}
			files = append(files, File{Path: path.Join(SchemaDirIn(l), t.Name+".json"), Data: append(b, '\n')})
		}
		s := d.Spec()
		fmt.Fprintf(&rows, "| `%s` | `%s` | %s | %s |\n", s.Toolset, s.Name, strings.ReplaceAll(t.Description, "|", `\|`), effect(s))
	}
	if err := missing.err(); err != nil {
		return nil, err
	}
	readme, err := os.ReadFile(filepath.Join(root, README))
	if err != nil {
		return nil, err
	}
	before, rest, ok := bytes.Cut(readme, []byte(tableStart))
	_, after, ok2 := bytes.Cut(rest, []byte(tableEnd))
	if !ok || !ok2 {
		return nil, fmt.Errorf("%s has no tool table between the lines %q and %q", README, strings.TrimSpace(tableStart), strings.TrimSpace(tableEnd))
	}
	table := slices.Concat(before, []byte(tableStart), []byte(rows.String()), []byte("\n"+tableEnd), after)
	return append(files, File{Path: README, Data: table}), nil
}

// effect says in the README's table what calling a tool may change.
func effect(s tools.Spec) string {
	switch {
	case s.ReadOnly:
		return "read"
	case s.Destructive && s.Guarded:
		return "destructive write, needs `Confirm`"
	case s.Guarded:
		return "write, needs `Confirm`"
	}
	return "write"
}

// Stale returns the paths of the files in the languages' tool directories
// that are not among files: those of tools that are no longer declared.
func Stale(root string, files []File) ([]string, error) {
	var stale []string
	for _, l := range i18n.Langs {
		dir := SchemaDirIn(l)
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			if !IsToolFile(e) {
				continue // another language's directory, the package's Go file
			}
			if !slices.ContainsFunc(files, func(f File) bool { return f.Path == p }) {
				stale = append(stale, p)
			}
		}
	}
	return stale, nil
}

// IsToolFile reports whether e, an entry of a tool files' directory, is a
// tool's file.
func IsToolFile(e fs.DirEntry) bool { return !e.IsDir() && path.Ext(e.Name()) == ".json" }

// Write writes every generated file in the repository at root and removes
// the stale ones.
func Write(root string) error {
	files, err := Files(root)
	if err != nil {
		return err
	}
	for _, l := range i18n.Langs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(SchemaDirIn(l))), 0o755); err != nil {
			return err
		}
	}
	stale, err := Stale(root, files)
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(p))); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(f.Path)), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
