package sandbox

import (
	"testing"
	"time"
)

// TestNodeDocType checks the answer the sheet APIs rely on to tell a
// workbook from another node, for the seeded tree and a created workbook.
func TestNodeDocType(t *testing.T) {
	t.Parallel()
	s := New()
	ws := s.state.wiki.workspaces[SeedWorkspaceID]
	n := s.state.wiki.addNode("", s.state.wiki.nodes[ws.RootNodeID], "新表格", "WORKBOOK", s.state.dir.users[SeedManagerID], time.Now())
	tests := []struct {
		id     string
		want   string
		wantOK bool
	}{
		{SeedWorkbookID, "WORKBOOK", true},
		{SeedDocNodeID, "DOC", true},
		{SeedFolderNodeID, "FOLDER", true},
		{SeedRootNodeID, "FOLDER", true},
		{n.NodeID, "WORKBOOK", true},
		{n.docID, "", false}, // Create Doc's nodeId is not the id the APIs take
		{"NoSuchNode000", "", false},
	}
	for _, tt := range tests {
		got, ok := s.state.wiki.nodeDocType(tt.id)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("nodeDocType(%q) = %q, %v; want %q, %v", tt.id, got, ok, tt.want, tt.wantOK)
		}
	}
}

// TestSeededWiki checks the seed the tests and the README rely on.
func TestSeededWiki(t *testing.T) {
	t.Parallel()
	w := New().state.wiki
	if got := len(w.nodes[SeedFolderNodeID].children); got != SeedFolderSize {
		t.Errorf("folder holds %d documents, want %d", got, SeedFolderSize)
	}
	boss := New().state.dir.users[SeedManagerID]
	visible := 0
	for _, ws := range w.workspaces {
		if ws.role(boss.UnionID) != wikiRoleNone {
			visible++
		}
	}
	if visible != SeedWorkspaceCount {
		t.Errorf("the manager sees %d knowledge bases, want %d", visible, SeedWorkspaceCount)
	}
	if w.nodes[SeedWorkbookID].parent != SeedRootNodeID || w.nodes[SeedDocNodeID].parent != SeedRootNodeID {
		t.Error("the seeded doc and workbook sit at the top level of SeedWorkspaceID")
	}
}
