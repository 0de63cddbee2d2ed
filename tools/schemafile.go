package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/testdata/toolsnaps"
)

// Every tool, exactly as tools/list shows it (name, title, description,
// annotations, input and output schema), is a generated file that people
// review: testdata/toolsnaps/<tool>.json, written by
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
// The English files, made from the declarations, stand in
// testdata/toolsnaps itself; each other language of the descriptions
// (package i18n) has a directory there, zh, of the same files with every
// title and description translated through the catalog, written by the
// same generator. A server serves the files of its language.
//
//go:generate go run ./internal/cmd/schemagen

// SchemaDirIn is the directory, within testdata/toolsnaps, of the tool files
// in l: "." for English, the language's name for the others.
func SchemaDirIn(l i18n.Lang) string {
	if l == i18n.En {
		return "."
	}
	return string(l)
}

// loadSchemas returns the input and output schemas in the generated file of
// the tool name in l.
func loadSchemas(l i18n.Lang, name string) (in, out json.RawMessage, err error) {
	file := path.Join(SchemaDirIn(l), name+".json")
	b, err := toolsnaps.Files.ReadFile(file)
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
// spaces and a quote starts a top-level member, one that opens with two
// spaces and a brace closes it: JSON strings hold no raw newline, and nested
// lines are indented further. Each schema is compacted as it is cut: mcp-go
// decodes the input schema again at registration and compacts both schemas
// in every tools/list, and the indentation would double that work.
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
		n, err := memberObjectEnd(b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.key, err)
		}
		*s.schema, b = compactIndented(b[:n]), b[n:]
	}
	return in, out, nil
}

// memberObjectEnd returns the length of the object that b, the value of a
// top-level member of a tool file, starts with: up to the line that closes
// it, two spaces in.
func memberObjectEnd(b []byte) (int, error) {
	switch {
	case bytes.HasPrefix(b, []byte("{}")):
		return len("{}"), nil
	case !bytes.HasPrefix(b, []byte("{\n")):
		return 0, errors.New("not an object")
	}
	closing := []byte("\n  }")
	i := bytes.Index(b, closing)
	if i < 0 {
		return 0, errors.New("not closed")
	}
	return i + len(closing), nil
}

// compactIndented compacts, in place, the JSON value b laid out as
// json.MarshalIndent lays it out, and returns it. Outside its strings such
// a value holds no white space but the line breaks, the indentation that
// opens each line and the space after each member name's colon; so each
// line is copied whole but for these, and only member names are read byte
// by byte. Reading every byte to track strings, as json.Compact does, took
// about a tenth of the server's start-up.
func compactIndented(b []byte) []byte {
	w := 0
	for r := 0; r < len(b); {
		for r < len(b) && b[r] == ' ' {
			r++
		}
		end := bytes.IndexByte(b[r:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += r
		}
		if name := stringLen(b[r:end]); name > 0 && bytes.HasPrefix(b[r+name:end], []byte(": ")) {
			w += copy(b[w:], b[r:r+name+1]) // the name and its colon
			r += name + 2
		}
		w += copy(b[w:], b[r:end])
		r = end + 1
	}
	return b[:w]
}

// stringLen returns the length of the JSON string that line starts with,
// quotes included, or 0 if line does not start with a string.
func stringLen(line []byte) int {
	if len(line) == 0 || line[0] != '"' {
		return 0
	}
	for i := 1; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}
