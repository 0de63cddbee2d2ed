package tools

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// contract is the tools' contract, written out apart from their
// declarations: every tool's toolset, effect, idempotency and guard.
var contract = []Spec{
	{Name: "create_chat", Toolset: Chat, Guarded: true},
	{Name: "get_chat_info", Toolset: Chat, ReadOnly: true, Idempotent: true},
	{Name: "create_user", Toolset: Contacts, Guarded: true},
	{Name: "get_user", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "get_user_count", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "get_userid_by_unionid", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "get_dept_users", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "search_users", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "get_dept_detail", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "get_dept_list", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "search_departments", Toolset: Contacts, ReadOnly: true, Idempotent: true},
	{Name: "create_doc", Toolset: Wiki, Guarded: true},
	{Name: "batch_get_nodes", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "get_node_by_link", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "get_node_list", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "get_workspace_node", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "create_workspace", Toolset: Wiki, Guarded: true},
	{Name: "batch_get_workspaces", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "get_workspace", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "get_workspaces", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "create_worksheet", Toolset: Sheet, Guarded: true},
	{Name: "delete_worksheet", Toolset: Sheet, Idempotent: true, Guarded: true},
	{Name: "get_worksheet", Toolset: Sheet, ReadOnly: true, Idempotent: true},
	{Name: "get_worksheets", Toolset: Sheet, ReadOnly: true, Idempotent: true},
	{Name: "delete_columns", Toolset: Sheet, Guarded: true},
	{Name: "set_columns_visibility", Toolset: Sheet, Idempotent: true},
	{Name: "insert_columns_before", Toolset: Sheet, Guarded: true},
	{Name: "delete_rows", Toolset: Sheet, Guarded: true},
	{Name: "set_rows_visibility", Toolset: Sheet, Idempotent: true},
	{Name: "insert_rows_before", Toolset: Sheet, Guarded: true},
	{Name: "append_rows", Toolset: Sheet, Guarded: true},
	{Name: "insert_rows_before_with_data", Toolset: Sheet, Guarded: true},
	{Name: "get_range_data", Toolset: Sheet, ReadOnly: true, Idempotent: true},
	{Name: "update_range_data", Toolset: Sheet, Idempotent: true, Guarded: true},
	{Name: "clear_range_content", Toolset: Sheet, Idempotent: true, Guarded: true},
	{Name: "clear_range_data", Toolset: Sheet, Idempotent: true, Guarded: true},
	{Name: "send_work_notice", Toolset: Message, Guarded: true},
	{Name: "get_message_status", Toolset: Message, ReadOnly: true, Idempotent: true},
	{Name: "recall_message", Toolset: Message, Idempotent: true, Guarded: true},
}

// beyondContract are the tools that stand beside the contract's, in its
// style: posting into group chats and reading and writing documents.
var beyondContract = []Spec{
	{Name: "send_chat_message", Toolset: Chat, Guarded: true},
	{Name: "get_chat_message_status", Toolset: Chat, ReadOnly: true, Idempotent: true},
	{Name: "recall_chat_message", Toolset: Chat, Idempotent: true, Guarded: true},
	{Name: "get_doc_content", Toolset: Wiki, ReadOnly: true, Idempotent: true},
	{Name: "append_doc_content", Toolset: Wiki, Guarded: true},
	{Name: "overwrite_doc_content", Toolset: Wiki, Idempotent: true, Guarded: true},
}

// TestRegistryMatchesContract checks that every tool of the contract is
// registered as tools.md declares it, and that the registry holds nothing
// else but the tools beyond it.
func TestRegistryMatchesContract(t *testing.T) {
	t.Parallel()
	if len(contract) != 39 || len(beyondContract) != 6 {
		t.Fatalf("%d contract and %d further tools listed, want 39 and 6", len(contract), len(beyondContract))
	}
	got := map[string]Spec{}
	for _, d := range All() {
		s := d.Spec()
		if _, dup := got[s.Name]; dup {
			t.Errorf("tool %s declared twice", s.Name)
		}
		s.Destructive = false // not part of the contract's table
		got[s.Name] = s
	}
	want := map[string]Spec{}
	for _, s := range contract {
		want[s.Name] = s
		if got[s.Name] != s {
			t.Errorf("contract tool %s is registered as %+v, want %+v", s.Name, got[s.Name], s)
		}
	}
	for _, s := range beyondContract {
		want[s.Name] = s
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("registry differs from the contract and the tools beyond it (-want +got):\n%s", diff)
	}
}

func TestEveryToolIsFullyDescribed(t *testing.T) {
	t.Parallel()
	for _, d := range All() {
		tool := d.MCPTool()
		s := d.Spec()
		if tool.Title == "" || len(tool.Description) < 40 {
			t.Errorf("%s: title %q and a description that says what it does and when are required", tool.Name, tool.Title)
		}
		a := tool.Annotations
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil || a.Title == "" {
			t.Errorf("%s: every annotation must be set explicitly: %+v", tool.Name, a)
			continue
		}
		if *a.ReadOnlyHint != s.ReadOnly || *a.IdempotentHint != s.Idempotent || !*a.OpenWorldHint || (*a.DestructiveHint && s.ReadOnly) {
			t.Errorf("%s: annotations %+v disagree with its spec %+v", tool.Name, a, s)
		}
		for _, raw := range []json.RawMessage{tool.RawInputSchema, tool.RawOutputSchema} {
			if strings.Contains(string(raw), `"$ref"`) || strings.Contains(string(raw), `"$defs"`) || strings.Contains(string(raw), `"$schema"`) {
				t.Errorf("%s: schema has $ref, $defs or $schema", tool.Name)
			}
			var root map[string]any
			if err := json.Unmarshal(raw, &root); err != nil || root["type"] != "object" {
				t.Errorf("%s: schema root must be an object: %s", tool.Name, raw)
			}
		}
		var in map[string]any
		json.Unmarshal(tool.RawInputSchema, &in)
		checkDescribed(t, tool.Name, "", in)
		props, _ := in["properties"].(map[string]any)
		if _, ok := props["Confirm"]; ok != s.Guarded {
			t.Errorf("%s: Confirm parameter present = %v, guarded = %v", tool.Name, ok, s.Guarded)
		}
	}
}

// checkDescribed fails for any input property without a description, and
// any string or array without a bound, at any depth.
func checkDescribed(t *testing.T, tool, path string, schema map[string]any) {
	t.Helper()
	props, _ := schema["properties"].(map[string]any)
	for name, p := range props {
		prop := p.(map[string]any)
		if d, _ := prop["description"].(string); d == "" {
			t.Errorf("%s: property %s%s has no description", tool, path, name)
		}
		switch prop["type"] {
		case "string":
			if prop["maxLength"] == nil && prop["enum"] == nil {
				t.Errorf("%s: string property %s%s has no maxLength or enum", tool, path, name)
			}
		case "array":
			if prop["maxItems"] == nil && prop["items"].(map[string]any)["type"] != "array" {
				t.Errorf("%s: array property %s%s has no maxItems", tool, path, name)
			}
		case "object":
			checkDescribed(t, tool, path+name+".", prop)
		}
	}
}

func TestSelection(t *testing.T) {
	t.Parallel()
	names := func(sel Selection) []string {
		decls, err := Select(sel)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range decls {
			out = append(out, d.Spec().Name)
		}
		slices.Sort(out)
		return out
	}
	var readOnly, message []string
	for _, s := range append(slices.Clone(contract), beyondContract...) {
		if s.ReadOnly {
			readOnly = append(readOnly, s.Name)
		}
		if s.Toolset == Message {
			message = append(message, s.Name)
		}
	}
	slices.Sort(readOnly)
	slices.Sort(message)
	tests := []struct {
		name string
		sel  Selection
		want []string
	}{
		{"read-only registers only read tools", Selection{ReadOnly: true}, readOnly},
		{"one toolset", Selection{Toolsets: []string{"message"}}, message},
		{"read-only wins over toolsets", Selection{ReadOnly: true, Toolsets: []string{"message"}}, []string{"get_message_status"}},
		{"read-only wins over tools", Selection{ReadOnly: true, Tools: []string{"send_work_notice", "get_user"}}, []string{"get_user"}},
		{"tools within toolsets", Selection{Toolsets: []string{"contacts"}, Tools: []string{"get_user", "send_work_notice"}}, []string{"get_user"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, names(tt.sel)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, bad := range []Selection{{Toolsets: []string{"calendar"}}, {Tools: []string{"delete_everything"}}} {
		if _, err := Select(bad); err == nil {
			t.Errorf("%+v: want an error", bad)
		}
	}
}
