package tools_test

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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
// file says, so the files are the golden snapshots of tools/list.
func TestServedToolsAreTheirFiles(t *testing.T) {
	t.Parallel()
	for _, d := range tools.All() {
		name := d.Spec().Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			served, err := json.MarshalIndent(d.MCPTool(), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			file, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(schemagen.SchemaDir), name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(file), string(served)+"\n"); diff != "" {
				t.Errorf("%s is served otherwise than its file says (-file +served):\n%s", name, diff)
			}
		})
	}
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
		files = append(files, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
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
