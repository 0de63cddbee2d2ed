package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// The knowledge base APIs as the sandbox records them.
const (
	wsAddAPI    = "POST /v2.0/wiki/workspaces"
	wsGetAPI    = "GET /v2.0/wiki/workspaces/{workspaceId}"
	wsListAPI   = "GET /v2.0/wiki/workspaces"
	wsBatchAPI  = "POST /v2.0/wiki/workspaces/batchQuery"
	docAddAPI   = "POST /v1.0/doc/workspaces/{workspaceId}/docs"
	nodeListAPI = "GET /v2.0/wiki/nodes"
	nodeGetAPI  = "GET /v2.0/wiki/nodes/{nodeId}"
	nodeBatAPI  = "POST /v2.0/wiki/nodes/batchQuery"
	nodeURLAPI  = "POST /v2.0/wiki/nodes/queryByUrl"
)

// wikiCase is one call of a knowledge base tool and what must come of it.
type wikiCase struct {
	name       string
	setup      func(h *harness)
	args       string
	wantStatus float64
	wantCode   string         // ErrorCode
	wantText   string         // a fragment of ErrorMessage or Summary
	wantHint   string         // a fragment of Hint
	wantCalls  map[string]int // requests the sandbox must have received, per API
	check      func(t *testing.T, h *harness, out map[string]any)
}

func runWikiCases(t *testing.T, tool string, cases []wikiCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			out, _ := h.call(tool, tt.args)
			if out["StatusCode"] != tt.wantStatus {
				t.Fatalf("StatusCode = %v, want %v: %v", out["StatusCode"], tt.wantStatus, out)
			}
			if tt.wantCode != "" && out["ErrorCode"] != tt.wantCode {
				t.Errorf("ErrorCode = %v, want %s", out["ErrorCode"], tt.wantCode)
			}
			if text := fmt.Sprint(out["ErrorMessage"], " ", out["Summary"]); !strings.Contains(text, tt.wantText) {
				t.Errorf("result %q does not mention %q", text, tt.wantText)
			}
			hint, _ := out["Hint"].(string)
			if tt.wantStatus != 200 && hint == "" {
				t.Errorf("failure without a Hint: %v", out)
			}
			if !strings.Contains(hint, tt.wantHint) {
				t.Errorf("Hint %q does not mention %q", hint, tt.wantHint)
			}
			for api, n := range tt.wantCalls {
				if got := h.upstreamCalls(api); got != n {
					t.Errorf("%s called %d times, want %d", api, got, n)
				}
			}
			if tt.check != nil {
				tt.check(t, h, out)
			}
		})
	}
}

// unionID returns a user's unionId as get_user reports it.
func (h *harness) unionID(userID string) string {
	h.t.Helper()
	out := h.callOK("get_user", fmt.Sprintf(`{"UserId":%q}`, userID))
	id, _ := dig(out, "UserData", "unionid").(string)
	if id == "" {
		h.t.Fatalf("no unionid for %s: %v", userID, out)
	}
	return id
}

// names returns the "name" field of each object in a list result.
func names(list any) []string {
	out := []string{}
	for _, v := range list.([]any) {
		out = append(out, dig(v, "name").(string))
	}
	return out
}

func ids(list any, key string) []string {
	out := []string{}
	for _, v := range list.([]any) {
		out = append(out, dig(v, key).(string))
	}
	return out
}

func TestGetWorkspace(t *testing.T) {
	t.Parallel()
	runWikiCases(t, "get_workspace", []wikiCase{
		{name: "seeded knowledge base", args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, wantStatus: 200, wantText: "产品知识库",
			wantCalls: map[string]int{wsGetAPI: 1},
			check: func(t *testing.T, h *harness, out map[string]any) {
				got := map[string]any{"id": dig(out, "WorkspaceData", "workspaceId"), "root": dig(out, "WorkspaceData", "rootNodeId"),
					"type": dig(out, "WorkspaceData", "type"), "creator": dig(out, "WorkspaceData", "creatorId")}
				want := map[string]any{"id": sandbox.SeedWorkspaceID, "root": sandbox.SeedRootNodeID, "type": "TEAM", "creator": sandbox.SeedManagerID}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("workspace (-want +got):\n%s", diff)
				}
			}},
		{name: "read-only member can read", args: `{"WorkspaceId":"` + sandbox.SeedReadOnlyWorkspaceID + `"}`, wantStatus: 200, wantText: "财务制度"},
		{name: "unknown id", args: `{"WorkspaceId":"NoSuchSpace0000"}`, wantStatus: 404, wantCode: "workspaceNotExist", wantHint: "get_workspaces"},
		{name: "not visible to the operator", args: `{"WorkspaceId":"` + sandbox.SeedPrivateWorkspaceID + `"}`, wantStatus: 403, wantCode: "permissionDenied", wantHint: "OperatorId"},
		{name: "a node id instead", args: `{"WorkspaceId":"` + sandbox.SeedDocNodeID + `"}`, wantStatus: 400, wantCode: "isNotWorkspace", wantHint: "get_workspace_node"},
		{name: "app lacks the scope", setup: func(h *harness) { h.sandbox.Deny("Wiki.Workspace.Read") },
			args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, wantStatus: 403, wantHint: "developer console", wantText: "Wiki.Workspace.Read"},
		{name: "DingTalk busy", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: wsGetAPI, Status: 500, Code: "systemError", Times: 10})
		},
			args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, wantStatus: 500, wantCode: "systemError", wantHint: "again",
			check: func(t *testing.T, h *harness, out map[string]any) {
				if out["Retryable"] != true || h.upstreamCalls(wsGetAPI) < 2 {
					t.Errorf("an idempotent read must be retried and Retryable: %v, %d calls", out, h.upstreamCalls(wsGetAPI))
				}
			}},
		{name: "DingTalk timed out", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: wsGetAPI, Status: 503, Code: "operationTimeout", Message: "operation timeout", Times: 10})
		}, args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, wantStatus: 504, wantCode: "operationTimeout", wantHint: "again"},
		{name: "missing WorkspaceId", args: `{}`, wantStatus: -1, wantText: "WorkspaceId is required", wantCalls: map[string]int{wsGetAPI: 0}},
		{name: "a link instead of an id", args: `{"WorkspaceId":"https://alidocs.dingtalk.com/i/spaces/x"}`, wantStatus: -1, wantText: "not a link", wantCalls: map[string]int{wsGetAPI: 0}},
		{name: "a dot segment would address another path", args: `{"WorkspaceId":"."}`, wantStatus: -1, wantText: `WorkspaceId "." is not an id`, wantCalls: map[string]int{wsGetAPI: 0}},
		{name: "unknown parameter", args: `{"WorkspaceID":"x"}`, wantStatus: -1, wantText: "did you mean WorkspaceId", wantCalls: map[string]int{wsGetAPI: 0}},
	})
}

func TestGetWorkspaces(t *testing.T) {
	t.Parallel()
	runWikiCases(t, "get_workspaces", []wikiCase{
		{name: "everything visible fits one page", args: `{}`, wantStatus: 200, wantText: fmt.Sprintf("%d knowledge base(s)", sandbox.SeedWorkspaceCount),
			check: func(t *testing.T, h *harness, out map[string]any) {
				got := ids(out["WorkspaceList"], "workspaceId")
				if len(got) != sandbox.SeedWorkspaceCount || !slices.Contains(got, sandbox.SeedWorkspaceID) || slices.Contains(got, sandbox.SeedPrivateWorkspaceID) {
					t.Errorf("workspaces = %v: want the %d the manager can see, without the private one", got, sandbox.SeedWorkspaceCount)
				}
				if out["NextToken"] != "" {
					t.Errorf("NextToken = %v on the last page", out["NextToken"])
				}
				if q := h.sandbox.Calls(wsListAPI)[0].Query; q.Get("maxResults") != "30" {
					t.Errorf("maxResults sent = %q, want the default 30", q.Get("maxResults"))
				}
			}},
		{name: "MaxResults above DingTalk's 30", args: `{"MaxResults":31}`, wantStatus: -1, wantText: "at most 30", wantCalls: map[string]int{wsListAPI: 0}},
		{name: "MaxResults zero", args: `{"MaxResults":0}`, wantStatus: -1, wantText: "at least 1", wantCalls: map[string]int{wsListAPI: 0}},
		{name: "a token from elsewhere", args: `{"NextToken":"bm90LWEtdG9rZW4"}`, wantStatus: 400, wantCode: "paramError", wantHint: "NextToken"},
		{name: "unknown operator", args: `{"OperatorId":"nobody"}`, wantStatus: 403, wantCode: "permissionDenied", wantHint: "OperatorId"},
	})
}

// TestGetWorkspacesPaging walks every page with a small MaxResults and
// sees each knowledge base exactly once.
func TestGetWorkspacesPaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var seen []string
	token, pages := "", 0
	for {
		args := `{"MaxResults":3}`
		if token != "" {
			args = fmt.Sprintf(`{"MaxResults":3,"NextToken":%q}`, token)
		}
		out := h.callOK("get_workspaces", args)
		pages++
		seen = append(seen, ids(out["WorkspaceList"], "workspaceId")...)
		token, _ = out["NextToken"].(string)
		if token == "" {
			break
		}
		if !strings.Contains(out["Summary"].(string), "NextToken") {
			t.Errorf("Summary %q does not say how to get the next page", out["Summary"])
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 2 || len(seen) != sandbox.SeedWorkspaceCount {
		t.Errorf("%d pages holding %v: want 2 pages holding %d knowledge bases", pages, seen, sandbox.SeedWorkspaceCount)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(seen)))) != len(seen) {
		t.Errorf("a knowledge base was listed twice: %v", seen)
	}
}

func TestBatchGetWorkspaces(t *testing.T) {
	t.Parallel()
	tooMany := strings.TrimSuffix(strings.Repeat("ws,", 21), ",")
	runWikiCases(t, "batch_get_workspaces", []wikiCase{
		{name: "array", args: `{"WorkspaceIds":["` + sandbox.SeedWorkspaceID + `","` + sandbox.SeedReadOnlyWorkspaceID + `"]}`, wantStatus: 200, wantText: "Found 2",
			check: func(t *testing.T, h *harness, out map[string]any) {
				if diff := cmp.Diff([]string{"产品知识库", "财务制度"}, names(out["WorkspaceList"])); diff != "" {
					t.Errorf("names (-want +got):\n%s", diff)
				}
				var body struct {
					WorkspaceIDs []string `json:"workspaceIds"`
				}
				json.Unmarshal(h.sandbox.Calls(wsBatchAPI)[0].Body, &body)
				if len(body.WorkspaceIDs) != 2 {
					t.Errorf("body sent %s", h.sandbox.Calls(wsBatchAPI)[0].Body)
				}
			}},
		{name: "comma-separated string", args: `{"WorkspaceIds":"` + sandbox.SeedWorkspaceID + ` , ` + sandbox.SeedReadOnlyWorkspaceID + `"}`, wantStatus: 200, wantText: "Found 2"},
		{name: "unknown and hidden ids are named", args: `{"WorkspaceIds":"` + sandbox.SeedWorkspaceID + `,NoSuchSpace0000,` + sandbox.SeedPrivateWorkspaceID + `"}`,
			wantStatus: 200, wantText: "Not returned (missing, or not visible to the operator): NoSuchSpace0000, " + sandbox.SeedPrivateWorkspaceID},
		{name: "21 ids", args: `{"WorkspaceIds":"` + tooMany + `"}`, wantStatus: -1, wantText: "at most 20", wantCalls: map[string]int{wsBatchAPI: 0}},
		{name: "none", args: `{"WorkspaceIds":[]}`, wantStatus: -1, wantText: "at least 1", wantCalls: map[string]int{wsBatchAPI: 0}},
		{name: "a number", args: `{"WorkspaceIds":{"a":1}}`, wantStatus: -1, wantText: "WorkspaceIds", wantCalls: map[string]int{wsBatchAPI: 0}},
		{name: "workspaceNotExist from DingTalk", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: wsBatchAPI, Status: 404, Code: "workspaceNotExist", Message: "The workspace does not exist."})
		}, args: `{"WorkspaceIds":"NoSuchSpace0000"}`, wantStatus: 404, wantCode: "workspaceNotExist", wantHint: "get_workspaces"},
		{name: "unknown operator", args: `{"WorkspaceIds":"` + sandbox.SeedWorkspaceID + `","OperatorId":"nobody"}`, wantStatus: 403, wantCode: "permissionDenied", wantHint: "OperatorId"},
	})
}

func TestCreateWorkspace(t *testing.T) {
	t.Parallel()
	runWikiCases(t, "create_workspace", []wikiCase{
		{name: "preview without Confirm", args: `{"Name":"市场活动","Description":"活动策划与复盘"}`, wantStatus: -1, wantText: "Confirm must be true",
			wantHint: `create the knowledge base "市场活动"`, wantCalls: map[string]int{wsAddAPI: 0}},
		{name: "created and listed", args: `{"Name":"市场活动","Description":"活动策划与复盘","Confirm":true}`, wantStatus: 200, wantText: `Created knowledge base "市场活动"`,
			wantCalls: map[string]int{wsAddAPI: 1},
			check: func(t *testing.T, h *harness, out map[string]any) {
				id := dig(out, "WorkspaceData", "workspaceId").(string)
				if dig(out, "WorkspaceData", "description") != "活动策划与复盘" || dig(out, "WorkspaceData", "rootNodeId") == "" {
					t.Errorf("WorkspaceData = %v", out["WorkspaceData"])
				}
				list := h.callOK("get_workspaces", `{}`)
				if !slices.Contains(ids(list["WorkspaceList"], "workspaceId"), id) {
					t.Errorf("new knowledge base %s not in get_workspaces", id)
				}
				nodes := h.callOK("get_node_list", fmt.Sprintf(`{"WorkspaceId":%q}`, id))
				if len(nodes["NodeList"].([]any)) != 0 {
					t.Errorf("a new knowledge base is empty: %v", nodes["NodeList"])
				}
			}},
		{name: "blank Name", args: `{"Name":"   ","Confirm":true}`, wantStatus: -1, wantText: "Name must not be blank", wantCalls: map[string]int{wsAddAPI: 0}},
		{name: "Name too long", args: `{"Name":"` + strings.Repeat("名", 101) + `","Confirm":true}`, wantStatus: -1, wantText: "at most 100", wantCalls: map[string]int{wsAddAPI: 0}},
		{name: "DingTalk refuses the name", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: wsAddAPI, Status: 400, Code: "paramError.name", Message: "name is invalid"})
		}, args: `{"Name":"x","Confirm":true}`, wantStatus: 400, wantCode: "paramError.name", wantHint: "Name"},
		{name: "operator may not", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: wsAddAPI, Status: 403, Code: "permissionDenied", Message: "The operator has no permission."})
		}, args: `{"Name":"x","Confirm":true}`, wantStatus: 403, wantCode: "permissionDenied", wantHint: "Wiki.Workspace.Write"},
		{name: "outcome unknown is not retried", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: wsAddAPI, Status: 500, Code: "systemError", Times: 5})
		}, args: `{"Name":"x","Confirm":true}`, wantStatus: 500, wantHint: "get_workspaces", wantCalls: map[string]int{wsAddAPI: 1},
			check: func(t *testing.T, h *harness, out map[string]any) {
				if out["Retryable"] != false {
					t.Errorf("a write that may have happened must not be Retryable: %v", out)
				}
			}},
	})
}

func TestCreateWorkspaceElicitation(t *testing.T) {
	t.Parallel()
	for _, accept := range []bool{true, false} {
		t.Run(fmt.Sprint("accept=", accept), func(t *testing.T) {
			t.Parallel()
			var asked string
			h := newHarness(t, withElicitation(elicitAnswer(&asked, accept)))
			out, _ := h.call("create_workspace", `{"Name":"市场活动"}`)
			if !strings.Contains(asked, `create the knowledge base "市场活动"`) {
				t.Errorf("question %q does not say what will happen", asked)
			}
			want, calls := float64(200), 1
			if !accept {
				want, calls = -1, 0
			}
			if out["StatusCode"] != want || h.upstreamCalls(wsAddAPI) != calls {
				t.Errorf("StatusCode %v with %d calls, want %v with %d: %v", out["StatusCode"], h.upstreamCalls(wsAddAPI), want, calls, out)
			}
		})
	}
}

// elicitAnswer answers the Confirm question and records it.
func elicitAnswer(asked *string, accept bool) elicitFunc {
	return func(ctx context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
		*asked = req.Params.Message
		if !accept {
			return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionDecline}}, nil
		}
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}}, nil
	}
}

// topLevel lists the names at the top of a knowledge base.
func (h *harness) topLevel(workspaceID string) []string {
	h.t.Helper()
	out := h.callOK("get_node_list", fmt.Sprintf(`{"WorkspaceId":%q}`, workspaceID))
	return names(out["NodeList"])
}

func TestCreateDoc(t *testing.T) {
	t.Parallel()
	ws := sandbox.SeedWorkspaceID
	runWikiCases(t, "create_doc", []wikiCase{
		{name: "preview without Confirm", args: `{"WorkspaceId":"` + ws + `","Name":"Q3 计划","DocType":"DOC"}`, wantStatus: -1, wantText: "Confirm must be true",
			wantHint: `create the document "Q3 计划" at the top level of knowledge base ` + ws, wantCalls: map[string]int{docAddAPI: 0}},
		{name: "document at the top level", args: `{"WorkspaceId":"` + ws + `","Name":"Q3 计划","DocType":"DOC","Confirm":true}`, wantStatus: 200, wantText: `Created document "Q3 计划"`,
			check: func(t *testing.T, h *harness, out map[string]any) {
				id := out["NodeId"].(string)
				if id == "" || id != dig(out, "DocData", "dentryUuid") || id == dig(out, "DocData", "nodeId") || out["WorkbookId"] != nil {
					t.Errorf("NodeId must be the dentryUuid and WorkbookId unset for a DOC: %v", out)
				}
				top := h.callOK("get_node_list", `{"WorkspaceId":"`+ws+`"}`)
				i := slices.Index(ids(top["NodeList"], "nodeId"), id)
				if i < 0 || names(top["NodeList"])[i] != "Q3 计划.adoc" {
					t.Errorf("new document %s not listed at the top level: %v", id, names(top["NodeList"]))
				}
				// operatorId goes in the body for this API, not the query.
				call := h.sandbox.Calls(docAddAPI)[0]
				var body map[string]any
				json.Unmarshal(call.Body, &body)
				if body["operatorId"] != h.unionID(sandbox.SeedManagerID) || call.Query.Has("operatorId") || body["docType"] != "DOC" || body["name"] != "Q3 计划" {
					t.Errorf("sent query %v body %s", call.Query, call.Body)
				}
			}},
		{name: "workbook", args: `{"WorkspaceId":"` + ws + `","Name":"预算","DocType":"WORKBOOK","Confirm":true}`, wantStatus: 200, wantText: "WorkbookId for the sheet tools is",
			check: func(t *testing.T, h *harness, out map[string]any) {
				id := out["NodeId"].(string)
				if out["WorkbookId"] != id || !strings.Contains(out["Summary"].(string), id) {
					t.Errorf("WorkbookId must be the NodeId: %v", out)
				}
				node := h.callOK("get_workspace_node", fmt.Sprintf(`{"NodeId":%q}`, id))
				if dig(node, "NodeData", "extension") != "axls" || dig(node, "NodeData", "name") != "预算.axls" {
					t.Errorf("node %v", node["NodeData"])
				}
			}},
		{name: "folder then a document inside", args: `{"WorkspaceId":"` + ws + `","Name":"会议纪要","DocType":"FOLDER","Confirm":true}`, wantStatus: 200, wantText: "ParentNodeId",
			check: func(t *testing.T, h *harness, out map[string]any) {
				folder := out["NodeId"].(string)
				h.callOK("create_doc", fmt.Sprintf(`{"WorkspaceId":%q,"ParentNodeId":%q,"Name":"周会","DocType":"DOC","Confirm":true}`, ws, folder))
				in := h.callOK("get_node_list", fmt.Sprintf(`{"ParentNodeId":%q}`, folder))
				if diff := cmp.Diff([]string{"周会.adoc"}, names(in["NodeList"])); diff != "" {
					t.Errorf("folder contents (-want +got):\n%s", diff)
				}
				if slices.Contains(h.topLevel(ws), "周会.adoc") {
					t.Error("the document was created at the top level, not in the folder")
				}
			}},
		{name: "from a template", args: `{"WorkspaceId":"` + ws + `","Name":"周报","DocType":"DOC","TemplateId":"` + sandbox.SeedTemplateID + `","TemplateType":"public_template","Confirm":true}`, wantStatus: 200},
		{name: "name taken", args: `{"WorkspaceId":"` + ws + `","Name":"产品介绍","DocType":"DOC","Confirm":true}`, wantStatus: 409,
			wantCode: "invalidRequest.workspaceNode.nameConflict", wantHint: "choose another Name"},
		{name: "parent not found", args: `{"WorkspaceId":"` + ws + `","ParentNodeId":"NoSuchNode000","Name":"x","DocType":"DOC","Confirm":true}`, wantStatus: 404,
			wantCode: "invalidRequest.workspaceNode.parentNotFound", wantHint: "ParentNodeId"},
		{name: "knowledge base not found", args: `{"WorkspaceId":"NoSuchSpace0000","Name":"x","DocType":"DOC","Confirm":true}`, wantStatus: 404,
			wantCode: "invalidRequest.resource.notFound", wantHint: "get_workspaces"},
		{name: "reader may not create", args: `{"WorkspaceId":"` + sandbox.SeedReadOnlyWorkspaceID + `","Name":"x","DocType":"DOC","Confirm":true}`, wantStatus: 403,
			wantCode: "forbidden.accessDenied", wantHint: "edit rights"},
		{name: "unknown template", args: `{"WorkspaceId":"` + ws + `","Name":"x","DocType":"DOC","TemplateId":"nope","Confirm":true}`, wantStatus: 404,
			wantCode: "invalidRequest.template.notFound", wantHint: "TemplateId"},
		{name: "operator outside the organisation", args: `{"WorkspaceId":"` + ws + `","Name":"x","DocType":"DOC","OperatorId":"nobody","Confirm":true}`, wantStatus: 400,
			wantCode: "invalidRequest.inputArgs.invalid", wantHint: "OperatorId"},
		{name: "unknown DocType", args: `{"WorkspaceId":"` + ws + `","Name":"x","DocType":"PPT","Confirm":true}`, wantStatus: -1,
			wantText: "DocType must be one of DOC, WORKBOOK, MIND, FOLDER", wantCalls: map[string]int{docAddAPI: 0}},
		{name: "TemplateType alone", args: `{"WorkspaceId":"` + ws + `","Name":"x","DocType":"DOC","TemplateType":"team_template","Confirm":true}`, wantStatus: -1,
			wantText: "TemplateType", wantCalls: map[string]int{docAddAPI: 0}},
		{name: "missing Name", args: `{"WorkspaceId":"` + ws + `","DocType":"DOC","Confirm":true}`, wantStatus: -1, wantText: "Name is required", wantCalls: map[string]int{docAddAPI: 0}},
		{name: "outcome unknown is not retried", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: docAddAPI, Status: 500, Code: "internalError", Times: 5})
		}, args: `{"WorkspaceId":"` + ws + `","Name":"x","DocType":"DOC","Confirm":true}`, wantStatus: 500, wantHint: "get_node_list", wantCalls: map[string]int{docAddAPI: 1}},
	})
}

// TestCreateDocParentElsewhere creates in a new knowledge base under a
// folder of another one: DingTalk's parentNotFound.
func TestCreateDocParentElsewhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ws := h.callOK("create_workspace", `{"Name":"市场活动","Confirm":true}`)
	id := dig(ws, "WorkspaceData", "workspaceId").(string)
	out, _ := h.call("create_doc", fmt.Sprintf(`{"WorkspaceId":%q,"ParentNodeId":%q,"Name":"x","DocType":"DOC","Confirm":true}`, id, sandbox.SeedFolderNodeID))
	if out["StatusCode"] != float64(404) || out["ErrorCode"] != "invalidRequest.workspaceNode.parentNotFound" || !strings.Contains(out["Hint"].(string), "ParentNodeId") {
		t.Errorf("want parentNotFound with a Hint on ParentNodeId: %v", out)
	}
	if got := names(h.callOK("get_node_list", `{"ParentNodeId":"`+sandbox.SeedFolderNodeID+`"}`)["NodeList"]); slices.Contains(got, "x.adoc") {
		t.Error("the document was created in the other knowledge base")
	}
}

func TestCreateDocElicitation(t *testing.T) {
	t.Parallel()
	for _, accept := range []bool{true, false} {
		t.Run(fmt.Sprint("accept=", accept), func(t *testing.T) {
			t.Parallel()
			var asked string
			h := newHarness(t, withElicitation(elicitAnswer(&asked, accept)))
			out, _ := h.call("create_doc", `{"WorkspaceId":"`+sandbox.SeedWorkspaceID+`","Name":"预算","DocType":"WORKBOOK"}`)
			if !strings.Contains(asked, `create the spreadsheet "预算"`) {
				t.Errorf("question %q does not say what will happen", asked)
			}
			want, calls := float64(200), 1
			if !accept {
				want, calls = -1, 0
			}
			if out["StatusCode"] != want || h.upstreamCalls(docAddAPI) != calls {
				t.Errorf("StatusCode %v with %d calls, want %v with %d: %v", out["StatusCode"], h.upstreamCalls(docAddAPI), want, calls, out)
			}
			if got := slices.Contains(h.topLevel(sandbox.SeedWorkspaceID), "预算.axls"); got != accept {
				t.Errorf("workbook listed = %v, want %v", got, accept)
			}
		})
	}
}

// TestCreatedWorkbookServesSheetTools checks the hand-over to the sheet
// tools: a WORKBOOK made by create_doc has one sheet, and the seeded
// workbook has two.
func TestCreatedWorkbookServesSheetTools(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.callOK("create_doc", `{"WorkspaceId":"`+sandbox.SeedWorkspaceID+`","Name":"预算","DocType":"WORKBOOK","Confirm":true}`)
	sheets := h.callOK("get_worksheets", fmt.Sprintf(`{"WorkbookId":%q}`, out["WorkbookId"]))
	if sheets["SheetCount"] != float64(1) || dig(sheets, "SheetList", 0, "name") != "Sheet1" {
		t.Errorf("a new workbook has one sheet named Sheet1: %v", sheets)
	}
	seeded := h.callOK("get_worksheets", fmt.Sprintf(`{"WorkbookId":%q}`, sandbox.SeedWorkbookID))
	if seeded["SheetCount"] != float64(2) {
		t.Errorf("the seeded workbook has two sheets: %v", seeded)
	}
}

func TestGetNodeList(t *testing.T) {
	t.Parallel()
	topNames := []string{"项目周报", "产品介绍.adoc", "销售数据.axls", "产品路线图.amind"}
	runWikiCases(t, "get_node_list", []wikiCase{
		{name: "top level through the root", args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `"}`, wantStatus: 200, wantText: "4 node(s)",
			wantCalls: map[string]int{wsGetAPI: 1, nodeListAPI: 1},
			check: func(t *testing.T, h *harness, out map[string]any) {
				if diff := cmp.Diff(topNames, names(out["NodeList"])); diff != "" {
					t.Errorf("top level (-want +got):\n%s", diff)
				}
				if q := h.sandbox.Calls(nodeListAPI)[0].Query; q.Get("parentNodeId") != sandbox.SeedRootNodeID || q.Get("maxResults") != "50" {
					t.Errorf("query sent %v", q)
				}
				if out["ParentNodeId"] != sandbox.SeedRootNodeID || out["NextToken"] != "" {
					t.Errorf("ParentNodeId %v NextToken %v", out["ParentNodeId"], out["NextToken"])
				}
				folder := dig(out, "NodeList", 0)
				if dig(folder, "nodeId") != sandbox.SeedFolderNodeID || dig(folder, "type") != "FOLDER" || dig(folder, "hasChildren") != true {
					t.Errorf("folder node %v", folder)
				}
			}},
		{name: "a folder needs no workspace call", args: `{"ParentNodeId":"` + sandbox.SeedFolderNodeID + `"}`, wantStatus: 200, wantText: "50 node(s)",
			wantCalls: map[string]int{wsGetAPI: 0, nodeListAPI: 1},
			check: func(t *testing.T, h *harness, out map[string]any) {
				if out["NextToken"] == "" || dig(out, "NodeList", 0, "name") != "周报 第01周.adoc" {
					t.Errorf("first page of the folder: %v", out["NextToken"])
				}
			}},
		{name: "MaxResults above DingTalk's 50", args: `{"WorkspaceId":"` + sandbox.SeedWorkspaceID + `","MaxResults":51}`, wantStatus: -1, wantText: "at most 50",
			wantCalls: map[string]int{wsGetAPI: 0, nodeListAPI: 0}},
		{name: "neither WorkspaceId nor ParentNodeId", args: `{}`, wantStatus: -1, wantText: "WorkspaceId or ParentNodeId is required", wantHint: "get_workspaces",
			wantCalls: map[string]int{wsGetAPI: 0, nodeListAPI: 0}},
		{name: "unknown knowledge base", args: `{"WorkspaceId":"NoSuchSpace0000"}`, wantStatus: 404, wantCode: "workspaceNotExist", wantHint: "get_workspaces",
			wantCalls: map[string]int{nodeListAPI: 0}},
		{name: "unknown folder", args: `{"ParentNodeId":"NoSuchNode000"}`, wantStatus: 404, wantCode: "parentNodeNotExist", wantHint: "ParentNodeId"},
		{name: "private knowledge base", args: `{"WorkspaceId":"` + sandbox.SeedPrivateWorkspaceID + `"}`, wantStatus: 403, wantCode: "permissionDenied", wantHint: "OperatorId"},
		{name: "a token from another folder", args: `{"ParentNodeId":"` + sandbox.SeedRootNodeID + `","NextToken":"bm9kZXM6eHw1MA"}`, wantStatus: 400, wantCode: "paramError", wantHint: "NextToken"},
	})
}

// TestGetNodeListPaging walks a folder of more than 50 documents with the
// default page size, and the top level two at a time: each node once.
func TestGetNodeListPaging(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, args string
		wantPages  int
		wantNodes  int
	}{
		{"folder at the default size", `"ParentNodeId":"` + sandbox.SeedFolderNodeID + `"`, 2, sandbox.SeedFolderSize},
		{"top level two at a time", `"WorkspaceId":"` + sandbox.SeedWorkspaceID + `","MaxResults":2`, 2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			var seen []string
			token, pages := "", 0
			for pages < 10 {
				args := "{" + tc.args + "}"
				if token != "" {
					args = fmt.Sprintf(`{%s,"NextToken":%q}`, tc.args, token)
				}
				out := h.callOK("get_node_list", args)
				pages++
				seen = append(seen, ids(out["NodeList"], "nodeId")...)
				if token, _ = out["NextToken"].(string); token == "" {
					break
				}
			}
			unique := slices.Compact(slices.Sorted(slices.Values(seen)))
			if pages != tc.wantPages || len(seen) != tc.wantNodes || len(unique) != len(seen) {
				t.Errorf("%d pages, %d nodes (%d distinct): want %d pages of %d distinct nodes", pages, len(seen), len(unique), tc.wantPages, tc.wantNodes)
			}
		})
	}
}

func TestGetWorkspaceNode(t *testing.T) {
	t.Parallel()
	runWikiCases(t, "get_workspace_node", []wikiCase{
		{name: "document", args: `{"NodeId":"` + sandbox.SeedDocNodeID + `"}`, wantStatus: 200, wantText: `"产品介绍.adoc" is a file`,
			check: func(t *testing.T, h *harness, out map[string]any) {
				got := map[string]any{"ws": dig(out, "NodeData", "workspaceId"), "ext": dig(out, "NodeData", "extension"),
					"cat": dig(out, "NodeData", "category"), "url": dig(out, "NodeData", "url")}
				want := map[string]any{"ws": sandbox.SeedWorkspaceID, "ext": "adoc", "cat": "ALIDOC", "url": "https://alidocs.dingtalk.com/i/nodes/" + sandbox.SeedDocNodeID}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("node (-want +got):\n%s", diff)
				}
				if q := h.sandbox.Calls(nodeGetAPI)[0]; q.Path != "/v2.0/wiki/nodes/"+sandbox.SeedDocNodeID {
					t.Errorf("path sent %s", q.Path)
				}
			}},
		{name: "workbook points to the sheet tools", args: `{"NodeId":"` + sandbox.SeedWorkbookID + `"}`, wantStatus: 200, wantText: "WorkbookId"},
		{name: "folder points to its children", args: `{"NodeId":"` + sandbox.SeedFolderNodeID + `"}`, wantStatus: 200, wantText: "ParentNodeId " + sandbox.SeedFolderNodeID},
		{name: "unknown node", args: `{"NodeId":"NoSuchNode000"}`, wantStatus: 404, wantCode: "nodeNotExist", wantHint: "get_node_list"},
	})
	// The private node's id is found through its owner, zhangwei, given
	// as a userId: the operator resolution is exercised on the way.
	t.Run("another member's private node", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		top := h.callOK("get_node_list", `{"WorkspaceId":"`+sandbox.SeedPrivateWorkspaceID+`","OperatorId":"zhangwei"}`)
		id := dig(top, "NodeList", 0, "nodeId").(string)
		out, _ := h.call("get_workspace_node", fmt.Sprintf(`{"NodeId":%q}`, id))
		if out["StatusCode"] != float64(403) || out["ErrorCode"] != "permissionDenied" || !strings.Contains(out["Hint"].(string), "OperatorId") {
			t.Errorf("want 403 permissionDenied with a Hint on OperatorId: %v", out)
		}
		if mine := h.callOK("get_workspace_node", fmt.Sprintf(`{"NodeId":%q,"OperatorId":"zhangwei"}`, id)); dig(mine, "NodeData", "name") != "草稿.adoc" {
			t.Errorf("the owner sees it: %v", mine)
		}
	})
	runWikiCases(t, "get_workspace_node", []wikiCase{
		{name: "a link instead of an id", args: `{"NodeId":"https://alidocs.dingtalk.com/i/nodes/` + sandbox.SeedDocNodeID + `"}`, wantStatus: -1,
			wantText: "not a link", wantHint: "get_node_by_link", wantCalls: map[string]int{nodeGetAPI: 0}},
		{name: "a dot segment would address another path", args: `{"NodeId":".."}`, wantStatus: -1, wantText: `NodeId ".." is not an id`, wantCalls: map[string]int{nodeGetAPI: 0}},
		{name: "empty NodeId", args: `{"NodeId":""}`, wantStatus: -1, wantText: "NodeId must not be empty", wantCalls: map[string]int{nodeGetAPI: 0}},
	})
}

func TestBatchGetNodes(t *testing.T) {
	t.Parallel()
	tooMany := `["` + strings.TrimSuffix(strings.Repeat(`n","`, 21), `","`) + `"]`
	runWikiCases(t, "batch_get_nodes", []wikiCase{
		{name: "array", args: `{"NodeIds":["` + sandbox.SeedDocNodeID + `","` + sandbox.SeedWorkbookID + `"]}`, wantStatus: 200, wantText: "Found 2 node(s).",
			check: func(t *testing.T, h *harness, out map[string]any) {
				if diff := cmp.Diff([]string{"产品介绍.adoc", "销售数据.axls"}, names(out["NodeList"])); diff != "" {
					t.Errorf("names (-want +got):\n%s", diff)
				}
			}},
		{name: "comma-separated string", args: `{"NodeIds":"` + sandbox.SeedDocNodeID + `,` + sandbox.SeedFolderNodeID + `"}`, wantStatus: 200, wantText: "Found 2 node(s).",
			check: func(t *testing.T, h *harness, out map[string]any) {
				var body struct {
					NodeIDs []string `json:"nodeIds"`
				}
				json.Unmarshal(h.sandbox.Calls(nodeBatAPI)[0].Body, &body)
				if diff := cmp.Diff([]string{sandbox.SeedDocNodeID, sandbox.SeedFolderNodeID}, body.NodeIDs); diff != "" {
					t.Errorf("nodeIds sent (-want +got):\n%s", diff)
				}
			}},
		{name: "unknown ids are named", args: `{"NodeIds":"` + sandbox.SeedDocNodeID + `,NoSuchNode000"}`, wantStatus: 200, wantText: "Found 1 node(s). Not returned (missing, or not visible to the operator): NoSuchNode000."},
		{name: "21 ids", args: `{"NodeIds":` + tooMany + `}`, wantStatus: -1, wantText: "NodeIds must have at most 20 items (got 21)", wantCalls: map[string]int{nodeBatAPI: 0}},
		{name: "empty string", args: `{"NodeIds":""}`, wantStatus: -1, wantText: "at least 1", wantCalls: map[string]int{nodeBatAPI: 0}},
		{name: "a link among the ids", args: `{"NodeIds":["` + sandbox.SeedDocNodeID + `","https://alidocs.dingtalk.com/i/nodes/x"]}`, wantStatus: -1, wantText: "NodeIds[1]",
			wantCalls: map[string]int{nodeBatAPI: 0}},
		{name: "app lacks the scope", setup: func(h *harness) { h.sandbox.Deny("Wiki.Node.Read") }, args: `{"NodeIds":"` + sandbox.SeedDocNodeID + `"}`,
			wantStatus: 403, wantText: "Wiki.Node.Read", wantHint: "developer console"},
		{name: "throttled", setup: func(h *harness) {
			h.sandbox.Inject(sandbox.Fault{API: nodeBatAPI, Status: 403, Code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", Times: 10})
		}, args: `{"NodeIds":"` + sandbox.SeedDocNodeID + `"}`, wantStatus: 429, wantHint: "wait"},
	})
}

func TestGetNodeByLink(t *testing.T) {
	t.Parallel()
	link := "https://alidocs.dingtalk.com/i/nodes/" + sandbox.SeedWorkbookID
	sentURL := func(want string) func(t *testing.T, h *harness, out map[string]any) {
		return func(t *testing.T, h *harness, out map[string]any) {
			var body struct {
				URL string `json:"url"`
			}
			json.Unmarshal(h.sandbox.Calls(nodeURLAPI)[0].Body, &body)
			if body.URL != want {
				t.Errorf("url sent %q, want %q", body.URL, want)
			}
		}
	}
	runWikiCases(t, "get_node_by_link", []wikiCase{
		{name: "node link", args: `{"NodeUrl":"` + link + `"}`, wantStatus: 200, wantText: `"销售数据.axls" is a file`, check: sentURL(link)},
		{name: "shared link with a query string", args: `{"NodeUrl":" ` + link + `?utm_scene=team_space&iframeQuery=x#anchor "}`, wantStatus: 200, wantText: "WorkbookId",
			check: sentURL(link)},
		{name: "unknown document", args: `{"NodeUrl":"https://alidocs.dingtalk.com/i/nodes/NoSuchNode000"}`, wantStatus: 404, wantCode: "nodeNotExist", wantHint: "get_node_list"},
		{name: "other DingTalk Docs path is sent as given", args: `{"NodeUrl":"https://alidocs.dingtalk.com/document/edit?dentryKey=abc"}`, wantStatus: 404,
			wantCode: "nodeNotExist", check: sentURL("https://alidocs.dingtalk.com/document/edit?dentryKey=abc")},
		{name: "not a DingTalk link", args: `{"NodeUrl":"https://example.com/i/nodes/` + sandbox.SeedDocNodeID + `"}`, wantStatus: -1,
			wantText: "NodeUrl must be a DingTalk Docs link", wantHint: "Copy the document's link", wantCalls: map[string]int{nodeURLAPI: 0}},
		{name: "not a link at all", args: `{"NodeUrl":"产品介绍"}`, wantStatus: -1, wantText: "NodeUrl must be a DingTalk Docs link", wantCalls: map[string]int{nodeURLAPI: 0}},
		{name: "a knowledge base link", args: `{"NodeUrl":"https://alidocs.dingtalk.com/i/spaces/` + sandbox.SeedWorkspaceID + `/overview"}`, wantStatus: -1,
			wantText: "link of a knowledge base", wantHint: "get_workspace with WorkspaceId " + sandbox.SeedWorkspaceID, wantCalls: map[string]int{nodeURLAPI: 0}},
		{name: "operator without access", args: `{"NodeUrl":"https://alidocs.dingtalk.com/i/nodes/` + sandbox.SeedDocNodeID + `","OperatorId":"lina"}`,
			wantStatus: 403, wantCode: "permissionDenied", wantHint: "OperatorId"},
	})
}

// TestWikiOperator checks how OperatorId reaches DingTalk: a userId (the
// configured default here) is resolved once to the unionId, a unionId goes
// as is, and a missing one names both ways to supply it.
func TestWikiOperator(t *testing.T) {
	t.Parallel()
	const userGetAPI = "POST /topapi/v2/user/get"
	t.Run("default userId resolved once", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		for range 2 {
			h.callOK("get_workspace", `{"WorkspaceId":"`+sandbox.SeedWorkspaceID+`"}`)
		}
		resolutions := h.upstreamCalls(userGetAPI)
		want := h.unionID(sandbox.SeedManagerID)
		for _, c := range h.sandbox.Calls(wsGetAPI) {
			if got := c.Query.Get("operatorId"); got != want {
				t.Errorf("operatorId sent %q, want the unionId %q", got, want)
			}
		}
		if resolutions != 1 {
			t.Errorf("userId resolved %d times, want once", resolutions)
		}
	})
	t.Run("unionId passed through", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		union := h.unionID("zhangwei")
		h.sandbox.ResetLog()
		out := h.callOK("get_workspaces", fmt.Sprintf(`{"OperatorId":%q}`, union))
		if h.upstreamCalls(userGetAPI) != 0 || h.sandbox.Calls(wsListAPI)[0].Query.Get("operatorId") != union {
			t.Errorf("a unionId must go to DingTalk as is")
		}
		// zhangwei sees his private knowledge base and not the finance one.
		got := ids(out["WorkspaceList"], "workspaceId")
		if !slices.Contains(got, sandbox.SeedPrivateWorkspaceID) || slices.Contains(got, sandbox.SeedReadOnlyWorkspaceID) {
			t.Errorf("zhangwei's knowledge bases: %v", got)
		}
	})
	t.Run("no operator anywhere", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, withDefaults(sandbox.AgentID, ""))
		out, _ := h.call("get_workspaces", `{}`)
		if out["StatusCode"] != float64(-1) || !strings.Contains(out["Hint"].(string), "DINGTALK_OPERATOR_ID") || h.upstreamCalls(wsListAPI) != 0 {
			t.Errorf("want -1 naming both ways to give OperatorId: %v", out)
		}
	})
}
