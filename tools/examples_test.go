package tools

import (
	"testing"
)

// examples holds, for every tool, a valid call against the seeded sandbox,
// as an agent would send it. Guarded tools carry Confirm. Tests that must
// cover every tool (faults, hostile input, upstream economy) start here.
var examples = map[string]string{
	"get_user":           `{"UserId":"zhangwei"}`,
	"search_users":       `{"QueryWord":"Wei","Size":5}`,
	"send_work_notice":   `{"UserIds":["zhangwei","lina"],"MsgType":"text","Content":"Meeting moved to 3pm","Confirm":true}`,
	"get_message_status": `{"TaskId":256271667526}`,
	"recall_message":     `{"MsgTaskId":256271667526,"Confirm":true}`,
}

// prepare runs what a tool's example needs first (e.g. a notice to read
// the status of).
var prepare = map[string][]string{
	"get_message_status": {"send_work_notice"},
	"recall_message":     {"send_work_notice"},
}

// runExample calls tool with its example after its preparations.
func runExample(h *harness, tool string) (map[string]any, bool) {
	h.t.Helper()
	for _, p := range prepare[tool] {
		h.callOK(p, examples[p])
	}
	return h.call(tool, examples[tool])
}

func TestEveryToolHasAWorkingExample(t *testing.T) {
	t.Parallel()
	for _, d := range All() {
		name := d.Spec().Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, ok := examples[name]; !ok {
				t.Fatalf("no example call for %s in examples_test.go", name)
			}
			h := newHarness(t)
			if out, isErr := runExample(h, name); isErr {
				t.Fatalf("example failed: %v", out)
			}
		})
	}
}
