package tools

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestCutSchemas: the schemas are cut from a file in the generator's layout
// exactly, whatever their strings hold, and a file in any other shape is
// refused rather than cut wrongly.
func TestCutSchemas(t *testing.T) {
	t.Parallel()
	yes := true
	tool := mcp.Tool{
		Name:            "get_thing",
		Title:           "Get {thing}",
		Description:     "Get a thing; \"quoted\" and\nsplit, with a } and a \n  } inside.",
		RawInputSchema:  json.RawMessage(`{"properties":{"Id":{"type":"string","description":"a \"}\" and\n  }, a \\ and \u003c: ok"}},"required":["Id"],"type":"object"}`),
		RawOutputSchema: json.RawMessage(`{"properties":{"Rows":{"items":{"type":"object","properties":{}},"type":"array"}},"type":"object"}`),
		Annotations:     mcp.ToolAnnotation{Title: "Get {thing}", ReadOnlyHint: &yes},
	}
	generated, err := json.MarshalIndent(tool, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := string(generated) + "\n"
	var compact bytes.Buffer
	if err := json.Compact(&compact, generated); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, wantErr string
	}{
		{"as generated", file, ""},
		{"compact, not as generated", compact.String(), "no inputSchema member"},
		{"no outputSchema", strings.Replace(file, `"outputSchema"`, `"outputschema"`, 1), "no outputSchema member"},
		{"outputSchema not an object", strings.Replace(file, `"outputSchema": {`, `"outputSchema": [{`, 1), "outputSchema: not an object"},
		{"outputSchema before inputSchema", strings.Replace(strings.Replace(file, `"inputSchema"`, `"x"`, 1), `"outputSchema"`, `"inputSchema"`, 1), "no outputSchema member"},
		{"inputSchema not closed", file[:strings.Index(file, `"required"`)], "inputSchema: not closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in, out, err := cutSchemas([]byte(tc.file))
			if !wantError(t, err, tc.wantErr) {
				return
			}
			// What was written is compact, so this also checks that the cut is.
			if diff := cmp.Diff(string(tool.RawInputSchema), string(in)); diff != "" {
				t.Errorf("inputSchema (-written +cut):\n%s", diff)
			}
			if diff := cmp.Diff(string(tool.RawOutputSchema), string(out)); diff != "" {
				t.Errorf("outputSchema (-written +cut):\n%s", diff)
			}
		})
	}
}

// TestCompactIndented: a value laid out by json.MarshalIndent is compacted
// as json.Compact does it, whatever its strings and member names hold.
func TestCompactIndented(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value any
	}{
		{"nested", map[string]any{"a": []any{1, map[string]any{"b": true}}, "c": nil}},
		{"strings that look like structure", map[string]any{
			"a":          "} ] { [ , : \" \\ \n  }",
			"b\": \"x":   []any{"\\", "<\t", "k\": v", ": "},
			"\\":         map[string]any{"\"": ": \""},
			"ends in \\": "",
		}},
		{"empty object and array", map[string]any{"o": map[string]any{}, "a": []any{}, "n": 1.5}},
		{"empty", map[string]any{}},
		{"array", []any{"a: b", []any{}, map[string]any{"k": "v"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			indented, err := json.MarshalIndent(tc.value, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := json.Compact(&want, indented); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), string(compactIndented(indented))); diff != "" {
				t.Errorf("compacted (-json.Compact +got):\n%s", diff)
			}
		})
	}
}

// TestMemberObjectEnd: the object a tool file's member starts with ends at
// the line that closes it, two spaces in, whatever the lines inside hold.
func TestMemberObjectEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, object, wantErr string
	}{
		{"nested", "{\n    \"a\": [\n      {\n        \"b\": \"}\"\n      }\n    ]\n  }", ""},
		{"empty", "{}", ""},
		{"not an object", "[\n    1\n  ]", "not an object"},
		{"not closed", "{\n    \"a\": 1\n", "not closed"},
		{"closed further in only", "{\n    \"a\": {\n    }\n", "not closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const after = ",\n  \"next\": {}\n}\n"
			b := []byte(tc.object + after)
			if tc.wantErr != "" {
				b = []byte(tc.object) // what follows would close it
			}
			n, err := memberObjectEnd(b)
			if !wantError(t, err, tc.wantErr) {
				return
			}
			if n != len(tc.object) {
				t.Errorf("took up %d bytes, want %d, leaving %q", n, len(tc.object), b[n:])
			}
		})
	}
}

// wantError fails t unless err is nil and want empty, or err contains
// want; it says whether the test goes on to check a result.
func wantError(t *testing.T, err error, want string) bool {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatal(err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want one containing %q", err, want)
	}
	return want == ""
}
