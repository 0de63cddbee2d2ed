package tools_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// The DingTalk routes of the chat tools, as the sandbox records them.
const (
	apiChatCreate   = "POST /v1.0/im/group/create"
	apiChatGet      = "GET /chat/get"
	apiChatBaseInfo = "POST /v1.0/im/groups/baseInfos/query"
)

// engineerIDs returns n seeded engineers' userIds as a JSON array.
func engineerIDs(from, n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprintf("dev%03d", from+i))
	}
	return "[" + strings.Join(ids, ",") + "]"
}

func TestCreateChat(t *testing.T) {
	t.Parallel()
	const ok = `{"Name":"Launch","Owner":"zhangwei","UserIds":"lina, liuyang","MentionAllAuthority":1,"ShowHistoryType":1,"Confirm":true}`
	runDirCases(t, "create_chat", apiChatCreate, []dirCase{
		{name: "created, owner added to the members", args: ok, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiChatCreate, 0), map[string]any{
				"name": "Launch", "owner": "zhangwei", "useridlist": []any{"zhangwei", "lina", "liuyang"},
				"managementOptions": map[string]any{"mentionAllAuthority": float64(1), "showHistoryType": float64(1), "validationType": float64(0),
					"searchable": float64(0), "chatBannedType": float64(0), "managementType": float64(0)},
			})
			chatID, _ := dig(out, "ChatData", "chatid").(string)
			cid, _ := dig(out, "ChatData", "openConversationId").(string)
			if !strings.HasPrefix(chatID, "chat") || !strings.HasPrefix(cid, "cid") || dig(out, "ChatData", "conversationTag") != float64(2) {
				t.Fatalf("ChatData = %v, want a chatid, an openConversationId and conversationTag 2", out["ChatData"])
			}
			if s := out["Summary"].(string); !strings.Contains(s, chatID) || !strings.Contains(s, cid) {
				t.Errorf("Summary %q does not give both ids", s)
			}
			// The group really exists, as DingTalk reads it back by either id.
			info := h.callOK("get_chat_info", fmt.Sprintf(`{"ChatId":%q}`, chatID))
			dirWantEqual(t, "group by chatid", []any{dig(info, "ChatInfo", "name"), dig(info, "ChatInfo", "owner"), dig(info, "ChatInfo", "useridlist"),
				dig(info, "ChatInfo", "mentionAllAuthority"), dig(info, "ChatInfo", "showHistoryType"), dig(info, "ChatInfo", "searchable")},
				[]any{"Launch", "zhangwei", []any{"zhangwei", "lina", "liuyang"}, float64(1), float64(1), float64(0)})
			info = h.callOK("get_chat_info", fmt.Sprintf(`{"ChatId":%q}`, cid))
			dirWantEqual(t, "group by openConversationId", []any{dig(info, "ChatInfo", "title"), dig(info, "ChatInfo", "memberCount")}, []any{"Launch", float64(3)})
		}},
		{name: "owner already listed, repeats dropped", args: `{"Name":"Ops","Owner":"lina","UserIds":["zhangwei","lina","zhangwei"],"Confirm":true}`,
			wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
				dirWantEqual(t, "members sent", dirSentBody(t, h, apiChatCreate, 0)["useridlist"], []any{"zhangwei", "lina"})
			}},
		{name: "forty members with the owner among them", args: `{"Name":"Big","Owner":"dev001","UserIds":` + engineerIDs(1, 40) + `,"Confirm":true}`,
			wantStatus: 200, wantCalls: 1},
		{name: "preview without Confirm", args: `{"Name":"Launch","Owner":"zhangwei","UserIds":"lina,liuyang","MentionAllAuthority":1}`, wantStatus: -1, wantCalls: 0,
			wantHint: `create the group chat "Launch" owned by zhangwei with 3 member(s) (zhangwei, lina, liuyang), where only the owner may @all`},
		{name: "unknown member", args: `{"Name":"Launch","Owner":"zhangwei","UserIds":"lina,ghost","Confirm":true}`,
			wantStatus: 400, wantCode: "parameter.invalid", wantHint: "search_users", wantCalls: 1},
		{name: "unknown owner", args: `{"Name":"Launch","Owner":"ghost","UserIds":"lina","Confirm":true}`,
			wantStatus: 400, wantCode: "parameter.invalid", wantHint: "search_users", wantCalls: 1},
		{name: "missing permission", args: ok, deny: "qyapi_chat_manage",
			wantStatus: 403, wantCode: "Forbidden.AccessDenied.AccessTokenPermissionDenied", wantHint: "Grant the app the qyapi_chat_manage permission", wantCalls: 1},
		{name: "owner outside the app's visibility", args: ok, fault: &sandbox.Fault{API: apiChatCreate, Status: 400, Code: "permession.checkFailed", Message: "群主不在应用可见性内"},
			wantStatus: 403, wantCode: "permession.checkFailed", wantHint: "contact scope", wantCalls: 1},
		{name: "DingTalk failed: may have been created", args: ok, fault: &sandbox.Fault{API: apiChatCreate, Status: 500, Code: "system.error", Message: "系统错误"},
			wantStatus: 500, wantCode: "system.error", wantHint: "before calling create_chat again", wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
				if out["Retryable"] != false {
					t.Error("a create that may have been made must not be marked retryable")
				}
			}},
		{name: "forty members plus an owner not among them", args: `{"Name":"Big","Owner":"zhangwei","UserIds":` + engineerIDs(1, 40) + `,"Confirm":true}`,
			wantStatus: -1, wantHint: "create_chat", wantCalls: 0, check: func(t *testing.T, h *harness, out map[string]any) {
				if m := out["ErrorMessage"].(string); !strings.Contains(m, "UserIds") || !strings.Contains(m, "41") {
					t.Errorf("ErrorMessage %q must name UserIds and the count with the owner", m)
				}
			}},
		{name: "more than forty members", args: `{"Name":"Big","Owner":"dev001","UserIds":` + engineerIDs(1, 41) + `,"Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "name too long", args: `{"Name":"` + strings.Repeat("群", 21) + `","Owner":"zhangwei","UserIds":"lina","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "blank name", args: `{"Name":"   ","Owner":"zhangwei","UserIds":"lina","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "missing owner", args: `{"Name":"Launch","UserIds":"lina","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "no members", args: `{"Name":"Launch","Owner":"zhangwei","UserIds":"","Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "option outside 0 and 1", args: `{"Name":"Launch","Owner":"zhangwei","UserIds":"lina","MentionAllAuthority":2,"Confirm":true}`, wantStatus: -1, wantCalls: 0},
		{name: "option in camel case", args: `{"Name":"Launch","Owner":"zhangwei","UserIds":"lina","mentionAllAuthority":1,"Confirm":true}`, wantStatus: -1, wantCalls: 0},
	})
}

func TestCreateChatElicitation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action   mcp.ElicitationResponseAction
		wantSent int
	}{
		{mcp.ElicitationResponseActionAccept, 1},
		{mcp.ElicitationResponseActionDecline, 0},
	} {
		t.Run(string(tc.action), func(t *testing.T) {
			t.Parallel()
			var asked string
			h := newHarness(t, withElicitation(elicitFunc(func(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
				asked = req.Params.Message
				return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: tc.action, Content: map[string]any{"confirm": true}}}, nil
			})))
			out, _ := h.call("create_chat", `{"Name":"Launch","Owner":"zhangwei","UserIds":["lina"],"ChatBannedType":1}`)
			if !strings.Contains(asked, `create the group chat "Launch" owned by zhangwei with 2 member(s) (zhangwei, lina), where everyone but the owner is muted`) {
				t.Errorf("question %q does not say what will be created", asked)
			}
			if got := h.upstreamCalls(apiChatCreate); got != tc.wantSent {
				t.Fatalf("sent %d, want %d: %v", got, tc.wantSent, out)
			}
			if want := map[int]float64{1: 200, 0: -1}[tc.wantSent]; out["StatusCode"] != want {
				t.Errorf("StatusCode = %v, want %v", out["StatusCode"], want)
			}
		})
	}
}

func TestGetChatInfo(t *testing.T) {
	t.Parallel()
	byChatID := fmt.Sprintf(`{"ChatId":%q}`, sandbox.SeedChatID)
	byCID := fmt.Sprintf(`{"ChatId":%q}`, sandbox.SeedOpenConversationID)
	runDirCases(t, "get_chat_info", apiChatGet, []dirCase{
		{name: "by chatid", args: byChatID, wantStatus: 200, wantCalls: 1, check: func(t *testing.T, h *harness, out map[string]any) {
			c := out["ChatInfo"].(map[string]any)
			dirWantEqual(t, "group", []any{c["chatid"], c["name"], c["owner"], len(c["useridlist"].([]any)), c["mentionAllAuthority"], c["status"]},
				[]any{sandbox.SeedChatID, sandbox.SeedChatName, sandbox.SeedManagerID, seedEmployees, float64(1), float64(1)})
			if got := h.sandbox.Calls(apiChatGet)[0].Query.Get("chatid"); got != sandbox.SeedChatID {
				t.Errorf("chatid sent = %q", got)
			}
			if s := out["Summary"].(string); !strings.Contains(s, sandbox.SeedChatName) || !strings.Contains(s, fmt.Sprint(seedEmployees)) {
				t.Errorf("Summary %q does not give the name and member count", s)
			}
		}},
		{name: "by openConversationId", args: byCID, wantStatus: 200, wantCalls: 0, check: func(t *testing.T, h *harness, out map[string]any) {
			dirWantEqual(t, "group", out["ChatInfo"], map[string]any{"openConversationId": sandbox.SeedOpenConversationID,
				"title": sandbox.SeedChatName, "memberCount": float64(seedEmployees), "icon": "@lADPDfJ6Q7LLejDNAljNAlg"})
			dirWantEqual(t, "body sent", dirSentBody(t, h, apiChatBaseInfo, 0), map[string]any{"openConversationId": sandbox.SeedOpenConversationID})
		}},
		{name: "unknown chatid", args: `{"ChatId":"chat00000000000000000000000000000000"}`, wantStatus: 404, wantCode: "40016", wantHint: "create_chat returned", wantCalls: 1},
		{name: "unknown openConversationId", args: `{"ChatId":"cidAAAAAAAAAAAAAAAAAAAAAAA=="}`, wantStatus: 404, wantCode: "group.notExist", wantHint: "create_chat returned", wantCalls: 0},
		{name: "missing permission by chatid", args: byChatID, deny: "qyapi_chat_read",
			wantStatus: 403, wantCode: "88/60011", wantHint: "Grant the app the qyapi_chat_read permission", wantCalls: 1},
		{name: "missing permission by openConversationId", args: byCID, deny: "qyapi_chat_read",
			wantStatus: 403, wantCode: "Forbidden.AccessDenied.AccessTokenPermissionDenied", wantHint: "Grant the app the qyapi_chat_read permission", wantCalls: 0},
		{name: "openConversationId DingTalk gives nothing for", args: byCID, fault: &sandbox.Fault{API: apiChatBaseInfo, Body: `{"success":false}`},
			wantStatus: 400, wantHint: "with the group's chatid", wantCalls: 0},
		{name: "neither kind of id", args: `{"ChatId":"Launch"}`, wantStatus: -1, wantHint: "get_chat_info", wantCalls: 0, check: func(t *testing.T, h *harness, out map[string]any) {
			if n := h.upstreamCalls(apiChatBaseInfo); n != 0 {
				t.Errorf("%d calls to %s", n, apiChatBaseInfo)
			}
		}},
		{name: "empty", args: `{"ChatId":""}`, wantStatus: -1, wantCalls: 0},
		{name: "missing", args: `{}`, wantStatus: -1, wantCalls: 0},
		{name: "too long", args: `{"ChatId":"chat` + strings.Repeat("0", 130) + `"}`, wantStatus: -1, wantCalls: 0},
	})
}

// TestDepartmentGroupChat follows a department to its group chat.
func TestDepartmentGroupChat(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := h.callOK("get_dept_detail", fmt.Sprintf(`{"DeptId":%d}`, sandbox.SeedEngDept))
	info := h.callOK("get_chat_info", fmt.Sprintf(`{"ChatId":%q}`, dig(d, "DeptDetail", "dept_group_chat_id")))
	dirWantEqual(t, "engineering group", []any{dig(info, "ChatInfo", "name"), dig(info, "ChatInfo", "owner"), len(dig(info, "ChatInfo", "useridlist").([]any))},
		[]any{"研发部", "dev001", 60})
}
