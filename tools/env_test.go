package tools_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// TestOperatorIdIsLookedUpOnce passes, as OperatorId, a userId and an id
// that is not one (taken as a unionId, though not shaped like the sandbox's):
// each is looked up in the directory on its first call only.
func TestOperatorIdIsLookedUpOnce(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"zhangwei", "z21HjQliSzpw0YWxxxxx"} {
		h := newHarness(t)
		var lookups []int
		for range 3 {
			h.sandbox.ResetLog()
			h.call("get_worksheets", fmt.Sprintf(`{"WorkbookId":%q,"OperatorId":%q}`, sandbox.SeedWorkbookID, op))
			lookups = append(lookups, h.upstreamCalls(userGetAPI))
		}
		if diff := cmp.Diff([]int{1, 0, 0}, lookups); diff != "" {
			t.Errorf("OperatorId %s: directory lookups per call (-want +got):\n%s", op, diff)
		}
	}
}
