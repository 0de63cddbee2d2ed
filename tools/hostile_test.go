package tools_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// hostileValues are adversarial JSON values for any parameter.
var hostileValues = []string{
	`null`, `true`, `0`, `-1`, `-0`, `1e308`, `-1e308`, `9007199254740993`, `1.5`, `"NaN"`, `"Infinity"`, `"-0"`,
	`""`, `" "`, `"\u0000"`, `"A1:C3\u0000"`, `"Ａ１:Ｃ３"`, `"𝔸1:ℂ3"`, `"A1:C3; DROP TABLE"`, `"../../etc/passwd"`,
	`"` + strings.Repeat("长", 5000) + `"`, `"` + strings.Repeat("x", 200_000) + `"`,
	`[]`, `[[]]`, `[""]`, `[1,2,3]`, `[null]`, `{}`, `{"a":1}`,
	strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
	`"ZZZZZZZZ99999999999:A1"`, `"1048577:1048578"`, `"A0"`, `"XFE1"`, `"A1:A1:A1"`,
}

// hostileCalls returns n sets of arguments for tool, the same for the same
// seed: each parameter left out or given a hostile value at random, and an
// unknown parameter in one call of ten.
func hostileCalls(t *testing.T, tool mcp.Tool, seed uint64, n int) []string {
	t.Helper()
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(tool.RawInputSchema, &schema); err != nil {
		t.Fatal(err)
	}
	props := slices.Sorted(maps.Keys(schema.Properties))
	rng := rand.New(rand.NewPCG(seed, uint64(len(tool.Name))))
	calls := make([]string, n)
	for i := range calls {
		args := map[string]json.RawMessage{}
		for _, p := range props {
			if rng.IntN(3) > 0 {
				args[p] = json.RawMessage(hostileValues[rng.IntN(len(hostileValues))])
			}
		}
		if i%10 == 0 {
			args[fmt.Sprintf("Unknown%d", i)] = json.RawMessage(`1`)
		}
		b, _ := json.Marshal(args)
		calls[i] = string(b)
	}
	return calls
}

// TestHostileInput sends every tool random and adversarial arguments and
// requires a clean result every time: an envelope, never a protocol error
// or a panic, and nothing sent to DingTalk for a refused call.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	for _, d := range tools.All() {
		tool := d.MCPTool()
		t.Run(tool.Name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			for _, b := range hostileCalls(t, tool, 1, 40) {
				before := len(h.sandbox.Requests())
				out, _ := h.call(tool.Name, b)
				status, ok := out["StatusCode"].(float64)
				if !ok {
					t.Fatalf("no StatusCode for %.200s: %v", b, out)
				}
				if status == -1 && len(h.sandbox.Requests()) != before {
					t.Errorf("a refused call reached DingTalk: %.200s", b)
				}
				if status == -1 && out["ErrorMessage"] == "" {
					t.Errorf("a refusal without a message: %.200s", b)
				}
			}
			if _, isErr := h.call("get_user", `{"UserId":"lina"}`); isErr {
				t.Error("the server stopped serving")
			}
		})
	}
}

// TestMillionCellValuesAreRefusedCheaply sends a 10^6-cell Values matrix:
// it must be refused with -1 and without holding the matrix in memory
// many times over. It is not parallel: the allocation count is the whole
// process's, and parallel tests would add theirs.
func TestMillionCellValuesAreRefusedCheaply(t *testing.T) {
	row := "[" + strings.TrimSuffix(strings.Repeat(`"x",`, 1000), ",") + "]"
	values := "[" + strings.TrimSuffix(strings.Repeat(row+",", 1000), ",") + "]"
	var m tools.Matrix
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := json.Unmarshal([]byte(values), &m)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("10^6 cells accepted: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Errorf("refusing 10^6 cells allocated %d MiB", grew>>20)
	}
	for _, d := range tools.All() {
		var schema struct {
			Properties map[string]any `json:"properties"`
		}
		tool := d.MCPTool()
		json.Unmarshal(tool.RawInputSchema, &schema)
		if _, ok := schema.Properties["Values"]; !ok {
			continue
		}
		h := newHarness(t)
		out, _ := h.call(tool.Name, `{"WorkbookId":"w","SheetId":"s","RangeAddress":"A1:ALL1000","Row":1,"Values":`+values+`,"Confirm":true}`)
		if out["StatusCode"] != float64(-1) || len(h.sandbox.Requests()) != 0 {
			t.Errorf("%s: 10^6 cells: %v", tool.Name, out["ErrorMessage"])
		}
	}
}
