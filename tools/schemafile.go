package tools

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// Every tool, exactly as tools/list shows it (name, title, description,
// annotations, input and output schema), is a generated file that people
// review: schemas/en/<tool>.json, written by
//
//	go generate ./...
//
// from the tool's declaration, its schemas reflected from its In and Out
// types with invopop/jsonschema (tools/internal/schemagen). The server
// embeds these files and publishes the schemas in them as they stand, so
// the files are also the golden snapshots of tools/list: a test fails when
// one differs from what generation would write now or from what the server
// serves, and CI fails when go generate changes any file.
//
// Reflecting at start-up is what this avoids: reflecting the 78 schemas took
// longer than the rest of the server's start, which a client waits for at
// every launch; the reflector is not even linked into the server.
//
// schemas/ holds one directory per language of the descriptions (package
// i18n): en, made from the declarations, and zh, the same files with every
// title and description translated through the catalog, written by the
// same generator. A server serves the directory of its language.
//
//go:generate go run ./internal/cmd/schemagen
//go:embed schemas
var schemaFiles embed.FS

// SchemaDir is the directory, within this package's, of the English tool
// files, those the generator makes from the declarations themselves.
const SchemaDir = "schemas/en"

// SchemaDirIn is the directory, within this package's, of the tool files in
// l: the English files with every title and description translated.
func SchemaDirIn(l i18n.Lang) string { return path.Join("schemas", string(l)) }

// loadSchemas returns the input and output schemas in the generated file of
// the tool name in l.
func loadSchemas(l i18n.Lang, name string) (in, out json.RawMessage, err error) {
	file := path.Join(SchemaDirIn(l), name+".json")
	b, err := schemaFiles.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("no generated file %s", file)
	}
	if in, out, err = cutSchemas(b); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	return in, out, nil
}

// cutSchemas returns the schemas of the tool file b, compacted where they
// lie in b.
//
// The file is json.MarshalIndent of an mcp.Tool, indented by two spaces, and
// the schemas are nine tenths of its bytes. They are cut out rather than
// decoded: decoding the files took about 0.8 ms at every start, a tenth of
// the whole start-up. mcp.Tool writes its members sorted by name, so
// inputSchema comes before outputSchema, and a line that opens with two
// spaces and a quote starts a top-level member (JSON strings hold no raw
// newline, and nested lines are indented further). Each schema is compacted
// as it is cut, in one pass that also finds where it ends: mcp-go decodes
// the input schema again at registration and compacts both schemas in every
// tools/list, and the indentation would double that work.
func cutSchemas(b []byte) (in, out json.RawMessage, err error) {
	for _, s := range []struct {
		key    string
		schema *json.RawMessage
	}{{"inputSchema", &in}, {"outputSchema", &out}} {
		line := []byte("\n  \"" + s.key + "\": ")
		i := bytes.Index(b, line)
		if i < 0 {
			return nil, nil, fmt.Errorf("no %s member on a line of its own, two spaces in", s.key)
		}
		b = b[i+len(line):]
		schema, n, err := compactObject(b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.key, err)
		}
		*s.schema, b = schema, b[n:]
	}
	return in, out, nil
}

// compactObject compacts, where it lies, the JSON object that b starts with,
// and returns it and how many bytes of b it took up.
func compactObject(b []byte) (object []byte, n int, err error) {
	if !bytes.HasPrefix(b, []byte("{")) {
		return nil, 0, errors.New("not an object")
	}
	w, depth, inString := 0, 0, false
	for r := 0; r < len(b); r++ {
		c := b[r]
		switch {
		case inString:
			if c == '\\' && r+1 < len(b) { // the escaped byte is copied as it is
				b[w] = c
				w++
				r++
				c = b[r]
			} else if c == '"' {
				inString = false
			}
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			continue
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
		b[w] = c
		w++
		if depth == 0 {
			return b[:w], r + 1, nil
		}
	}
	return nil, 0, errors.New("not closed")
}
