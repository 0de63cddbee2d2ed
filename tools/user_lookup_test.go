package tools_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

const (
	userGetAPI      = "POST /topapi/v2/user/get"
	byMobileAPI     = "POST /topapi/v2/user/getbymobile"
	userSearchAPI   = "POST /v1.0/contact/users/search"
	notFoundHintFor = "search_users"
)

func TestGetUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       string
		deny       string
		wantStatus float64
		wantName   string
		wantCode   string
		wantHint   string
		wantCalls  map[string]int
	}{
		{name: "by userId", args: `{"UserId":"zhangwei"}`, wantStatus: 200, wantName: "张伟", wantCalls: map[string]int{userGetAPI: 1, byMobileAPI: 0}},
		{name: "by mobile", args: `{"Mobile":"13800000001"}`, wantStatus: 200, wantName: "王芳", wantCalls: map[string]int{userGetAPI: 1, byMobileAPI: 1}},
		{name: "unknown user", args: `{"UserId":"ghost"}`, wantStatus: 404, wantCode: "60121", wantHint: notFoundHintFor, wantCalls: map[string]int{userGetAPI: 1}},
		{name: "unknown mobile", args: `{"Mobile":"19999999999"}`, wantStatus: 404, wantCode: "60121", wantHint: notFoundHintFor, wantCalls: map[string]int{userGetAPI: 0, byMobileAPI: 1}},
		{name: "missing permission", args: `{"Mobile":"13800000001"}`, deny: "qyapi_get_member_by_mobile", wantStatus: 403, wantCode: "88/60011", wantHint: "qyapi_get_member_by_mobile", wantCalls: map[string]int{userGetAPI: 0}},
		{name: "both ids", args: `{"UserId":"zhangwei","Mobile":"13800000001"}`, wantStatus: -1, wantHint: "", wantCalls: map[string]int{userGetAPI: 0, byMobileAPI: 0}},
		{name: "neither id", args: `{}`, wantStatus: -1, wantHint: "search_users", wantCalls: map[string]int{userGetAPI: 0, byMobileAPI: 0}},
		{name: "unknown field", args: `{"userid":"zhangwei"}`, wantStatus: -1, wantCalls: map[string]int{userGetAPI: 0}},
		{name: "wrong type", args: `{"UserId":42}`, wantStatus: -1, wantCalls: map[string]int{userGetAPI: 0}},
		{name: "too long", args: `{"UserId":"` + strings.Repeat("x", 65) + `"}`, wantStatus: -1, wantCalls: map[string]int{userGetAPI: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			if tt.deny != "" {
				h.sandbox.Deny(tt.deny)
			}
			out, _ := h.call("get_user", tt.args)
			if out["StatusCode"] != tt.wantStatus {
				t.Fatalf("StatusCode = %v, want %v: %v", out["StatusCode"], tt.wantStatus, out)
			}
			if tt.wantName != "" && dig(out, "UserData", "name") != tt.wantName {
				t.Errorf("name = %v, want %s", dig(out, "UserData", "name"), tt.wantName)
			}
			if tt.wantCode != "" && out["ErrorCode"] != tt.wantCode {
				t.Errorf("ErrorCode = %v, want %s", out["ErrorCode"], tt.wantCode)
			}
			if !strings.Contains(out["Hint"].(string), tt.wantHint) {
				t.Errorf("Hint %q does not mention %q", out["Hint"], tt.wantHint)
			}
			for api, n := range tt.wantCalls {
				if got := h.upstreamCalls(api); got != n {
					t.Errorf("calls to %s = %d, want %d", api, got, n)
				}
			}
		})
	}
}

func TestGetUserErrorMessagesNameTheField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for args, want := range map[string]string{
		`{"userid":"zhangwei"}`:                        `unknown parameter "userid": did you mean UserId?`,
		`{"UserId":42}`:                                "UserId must be a string, got the number 42",
		`{"UserId":"a","Mobile":"1"}`:                  "give UserId or Mobile, not both",
		`{"Mobile":"` + strings.Repeat("1", 21) + `"}`: "Mobile must be at most 20 characters (got 21)",
	} {
		out, _ := h.call("get_user", args)
		if !strings.HasPrefix(out["ErrorMessage"].(string), want) {
			t.Errorf("%s: ErrorMessage = %q, want %q", args, out["ErrorMessage"], want)
		}
	}
}

func TestSearchUsersWalksEveryPageOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Six seeded engineers are called Wei; 张伟 matches through his email.
	want := map[string]int{"dev001": 1, "dev011": 1, "dev021": 1, "dev031": 1, "dev041": 1, "dev051": 1, "zhangwei": 1}
	// Pages of three make the walk take three pages.
	const size = 3
	seen := map[string]int{}
	offset, pages := 0, 0
	for {
		out := h.callOK("search_users", fmt.Sprintf(`{"QueryWord":"Wei","Offset":%d,"Size":%d}`, offset, size))
		if pages++; pages > len(want) {
			t.Fatalf("still walking after %d pages: %v", pages, out)
		}
		for _, id := range dig(out, "SearchResult", "list").([]any) {
			seen[id.(string)]++
		}
		if dig(out, "SearchResult", "hasMore") != true {
			if _, ok := out["NextOffset"]; ok {
				t.Errorf("last page carries NextOffset: %v", out)
			}
			break
		}
		if !strings.Contains(out["Summary"].(string), "Offset") {
			t.Errorf("Summary does not say how to get the next page: %q", out["Summary"])
		}
		offset = int(out["NextOffset"].(float64))
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("users seen across pages (-want +got):\n%s", diff)
	}
	if wantPages := (len(want) + size - 1) / size; pages != wantPages {
		t.Errorf("walked %d pages of %d, want %d", pages, size, wantPages)
	}
}

func TestSearchUsersBounds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for args, want := range map[string]string{
		`{"QueryWord":"a","Size":21}`:   "Size must be at most 20 (got 21)",
		`{"QueryWord":"a","Size":0}`:    "Size must be at least 1 and at most 20 (got 0)",
		`{"QueryWord":"a","Offset":-1}`: "Offset must be at least 0",
		`{"QueryWord":""}`:              "QueryWord must not be empty",
		`{"Size":5}`:                    "QueryWord is required",
	} {
		out, _ := h.call("search_users", args)
		if msg, _ := out["ErrorMessage"].(string); out["StatusCode"] != float64(-1) || !strings.HasPrefix(msg, want) {
			t.Errorf("%s: got %v %q, want -1 %q", args, out["StatusCode"], msg, want)
		}
	}
	if n := h.upstreamCalls(userSearchAPI); n != 0 {
		t.Errorf("invalid searches reached DingTalk %d times", n)
	}
	// The default page size is 10.
	h.callOK("search_users", `{"QueryWord":"Engineer"}`)
	if body := string(h.sandbox.Calls(userSearchAPI)[0].Body); !strings.Contains(body, `"size":10`) || !strings.Contains(body, `"offset":0`) {
		t.Errorf("defaults not sent: %s", body)
	}
	_ = sandbox.SeedEngDept
}
