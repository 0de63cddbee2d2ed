package tools_test

import (
	"encoding/json"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools/internal/schemagen"
)

// root is the repository's root, seen from this package's directory.
const root = ".."

// TestGeneratedFiles fails when a file go generate ./... writes is not what
// it would write now: a tool's file (every change to a tool's name,
// description, annotations or schemas is a diff in review) or the README's
// tool table; or when a tool file belongs to no declared tool.
func TestGeneratedFiles(t *testing.T) {
	t.Parallel()
	files, err := schemagen.Files(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(f.Path, func(t *testing.T) {
			t.Parallel()
			got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatalf("%v; run go generate ./...", err)
			}
			if diff := cmp.Diff(string(f.Data), string(got)); diff != "" {
				t.Errorf("%s is not what go generate ./... writes now (-generated +file); run it:\n%s", f.Path, diff)
			}
		})
	}
	stale, err := schemagen.Stale(root, files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range stale {
		t.Errorf("%s is the file of no declared tool; go generate ./... removes it", p)
	}
}

// TestServedToolsAreTheirFiles: tools/list shows each tool exactly as its
// file in the server's language says, so the files are the golden
// snapshots of tools/list in every language.
func TestServedToolsAreTheirFiles(t *testing.T) {
	t.Parallel()
	for _, l := range i18n.Langs {
		for _, d := range tools.All() {
			name := d.Spec().Name
			t.Run(string(l)+"/"+name, func(t *testing.T) {
				t.Parallel()
				served, err := json.MarshalIndent(d.MCPToolIn(l), "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				file, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(schemagen.SchemaDirIn(l)), name+".json"))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(string(file), string(served)+"\n"); diff != "" {
					t.Errorf("%s is served in %s otherwise than its file says (-file +served):\n%s", name, l, diff)
				}
			})
		}
	}
}

// TestTranslatedToolsDifferOnlyInTexts: a tool's file in any language is
// its English file with other titles and descriptions: the same names,
// numbers, enums, annotations and structure, and every text translated.
func TestTranslatedToolsDifferOnlyInTexts(t *testing.T) {
	t.Parallel()
	for _, l := range i18n.Langs[1:] {
		for _, d := range tools.All() {
			name := d.Spec().Name
			t.Run(string(l)+"/"+name, func(t *testing.T) {
				t.Parallel()
				en, enTexts := toolFileWithoutTexts(t, schemagen.SchemaDir, name)
				tr, trTexts := toolFileWithoutTexts(t, schemagen.SchemaDirIn(l), name)
				if diff := cmp.Diff(en, tr); diff != "" {
					t.Errorf("%s in %s differs from English in more than its texts (-en +%s):\n%s", name, l, l, diff)
				}
				if len(enTexts) != len(trTexts) {
					t.Fatalf("%s has %d texts in English and %d in %s", name, len(enTexts), len(trTexts), l)
				}
				for i := range enTexts {
					if enTexts[i] == trTexts[i] {
						t.Errorf("%s: %q is English in %s", name, enTexts[i], l)
					}
				}
			})
		}
	}
}

// toolFileWithoutTexts reads a tool file and returns it without its titles
// and descriptions, and those texts in the order met.
func toolFileWithoutTexts(t *testing.T, dir, name string) (any, []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(dir), name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var texts []string
	var strip func(v any)
	strip = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				if s, ok := v[k].(string); ok && (k == "title" || k == "description") {
					texts = append(texts, s)
					delete(v, k)
					continue
				}
				strip(v[k])
			}
		case []any:
			for _, e := range v {
				strip(e)
			}
		}
	}
	strip(v)
	return v, texts
}

// TestEveryToolIsEverywhere: the declared tools, the tool files and the
// rows of the README's tool table name the same tools, whatever the
// generator does. Every tool's example call against the sandbox
// (TestEveryToolHasAWorkingExample) is what fails for a tool without an
// emulator route.
func TestEveryToolIsEverywhere(t *testing.T) {
	t.Parallel()
	var declared []string
	for _, d := range tools.All() {
		declared = append(declared, d.Spec().Name)
	}
	slices.Sort(declared)

	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(schemagen.SchemaDir)))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if schemagen.IsToolFile(e) {
			files = append(files, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
		}
	}
	if diff := cmp.Diff(declared, files); diff != "" {
		t.Errorf("declared tools and the files in %s differ (-declared +files); go generate ./... makes them agree:\n%s", schemagen.SchemaDir, diff)
	}

	readme, err := os.ReadFile(filepath.Join(root, schemagen.README))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, m := range regexp.MustCompile("(?m)^\\| `[a-z]+` \\| `([a-z_]+)` \\|").FindAllSubmatch(readme, -1) {
		rows = append(rows, string(m[1]))
	}
	slices.Sort(rows)
	if diff := cmp.Diff(declared, rows); diff != "" {
		t.Errorf("declared tools and the rows of the tool table in %s differ (-declared +rows); go generate ./... makes them agree:\n%s", schemagen.README, diff)
	}
}
