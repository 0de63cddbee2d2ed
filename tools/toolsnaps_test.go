package tools

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestToolSnapshots compares each tool as tools/list shows it with its
// golden file in testdata/toolsnaps, so that every change to a name,
// description, annotation or schema is a visible diff in review. Run with
// UPDATE_GOLDEN=1 to rewrite the files.
func TestToolSnapshots(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "toolsnaps")
	for _, d := range All() {
		tool := d.MCPTool()
		t.Run(tool.Name, func(t *testing.T) {
			t.Parallel()
			got, err := json.MarshalIndent(tool, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join(dir, tool.Name+".json")
			if os.Getenv("UPDATE_GOLDEN") == "1" {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("no snapshot for %s (run the test with UPDATE_GOLDEN=1): %v", tool.Name, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from its snapshot (-want +got); if the change is intended, run with UPDATE_GOLDEN=1:\n%s", tool.Name, cmp.Diff(string(want), string(got)))
			}
		})
	}
}
