package tools

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseInputSchema: decoding reads the published schema, in its
// order, and refuses one that names a parameter its type lacks, which is
// what a stale schema file looks like.
func TestParseInputSchema(t *testing.T) {
	t.Parallel()
	type In struct {
		B    int    `json:"B"`
		A    string `json:"A"`
		Skip string `json:"-"`
	}
	tests := []struct {
		name, raw string
		wantOrder []string
		wantErr   string
	}{
		{"published order", `{"properties":{"B":{"type":"integer","enum":[0,1]},"A":{"type":"string","maxLength":3}},"required":["A"]}`, []string{"B", "A"}, ""},
		{"stale file", `{"properties":{"A":{"type":"string"},"C":{"type":"string"}}}`, nil, "property C has no field"},
		{"not a schema", `{"properties":[]}`, nil, "properties is not an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			is, err := parseInputSchema(json.RawMessage(tc.raw), reflect.TypeFor[In]())
			if !wantError(t, err, tc.wantErr) {
				return
			}
			if diff := cmp.Diff(tc.wantOrder, is.order); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			if !is.required["A"] || is.required["B"] {
				t.Errorf("required = %v, want only A", is.required)
			}
			if got := fmt.Sprint(is.props["B"].Enum); got != "[0 1]" {
				t.Errorf("enum of B = %s, want [0 1]", got)
			}
		})
	}
}
