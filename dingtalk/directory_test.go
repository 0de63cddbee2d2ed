package dingtalk_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// TestChatCreateThenReadByEitherID creates a group and reads it back by
// both of its ids, through the typed results.
func TestChatCreateThenReadByEitherID(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	ctx := context.Background()
	created, err := c.Chats.Create(ctx, dingtalk.NewChat{Name: "Launch", Owner: "zhangwei", UserIDList: []string{"zhangwei", "lina"},
		Options: dingtalk.ChatOptions{MentionAllAuthority: 1, Searchable: 1}})
	if err != nil {
		t.Fatal(err)
	}
	byID, err := c.Chats.Get(ctx, created.ChatID)
	if err != nil {
		t.Fatal(err)
	}
	one, zero, two := 1, 0, int64(2)
	normal := 1
	want := &dingtalk.ChatInfo{ChatID: created.ChatID, Name: "Launch", Owner: "zhangwei", UserIDList: []string{"zhangwei", "lina"},
		ConversationTag: &two, Status: &normal, MentionAllAuthority: &one, Searchable: &one,
		ChatBannedType: &zero, ValidationType: &zero, ManagementType: &zero, ShowHistoryType: &zero}
	if diff := cmp.Diff(want, byID); diff != "" {
		t.Errorf("by chatid (-want +got):\n%s", diff)
	}
	byCID, err := c.Chats.BaseInfo(ctx, created.OpenConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&dingtalk.ChatInfo{OpenConversationID: created.OpenConversationID, Title: "Launch", MemberCount: 2}, byCID); diff != "" {
		t.Errorf("by openConversationId (-want +got):\n%s", diff)
	}
}

// TestChatGetRefreshesARejectedToken: /chat/get is one of the older oapi
// paths, which refuse a token with a top-level errcode rather than
// 88 + sub_code; the client must still fetch a new token once.
func TestChatGetRefreshesARejectedToken(t *testing.T) {
	t.Parallel()
	c, sb := newClient(t)
	ctx := context.Background()
	if _, err := c.Chats.Get(ctx, sandbox.SeedChatID); err != nil {
		t.Fatal(err)
	}
	sb.RevokeTokens()
	info, err := c.Chats.Get(ctx, sandbox.SeedChatID)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != sandbox.SeedChatName || sb.TokensIssued() != 2 {
		t.Errorf("name %q after %d tokens, want %q after 2", info.Name, sb.TokensIssued(), sandbox.SeedChatName)
	}
	calls := sb.Calls("GET /chat/get")
	if len(calls) != 3 || calls[1].Errcode != "40014" {
		t.Errorf("want the second call refused with top-level 40014 and a third sent, got %+v", calls)
	}
}

// TestListByDeptWalksEveryMemberOnce follows next_cursor to the end.
func TestListByDeptWalksEveryMemberOnce(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	var ids []string
	req := dingtalk.DeptUsersRequest{DeptID: sandbox.SeedEngDept, Size: 25}
	for pages := 0; ; pages++ {
		p, err := c.Users.ListByDept(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range p.List {
			ids = append(ids, u.UserID)
		}
		if !p.HasMore {
			break
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		req.Cursor = p.NextCursor
	}
	slices.Sort(ids)
	if len(ids) != 60 || len(slices.Compact(slices.Clone(ids))) != 60 || ids[0] != "dev001" || ids[59] != "dev060" {
		t.Errorf("got %d members (%v…), want dev001…dev060 once each", len(ids), ids[:min(3, len(ids))])
	}
}

func TestDepartmentsTyped(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	ctx := context.Background()
	d, err := c.Departments.Get(ctx, sandbox.SeedEngDept, "en_US")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Engineering" || d.ParentID != 1 || d.MemberCount != 61 || d.OwningMemberCount != 60 || !slices.Equal(d.DeptManagerUseridList, []string{"dev001"}) {
		t.Errorf("department = %+v", d)
	}
	subs, err := c.Departments.ListSub(ctx, sandbox.SeedEngDept, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dingtalk.SubDepartment{{DeptID: 7, Name: "平台组", ParentID: 3, CreateDeptGroup: true, AutoAddUser: true}}, subs); diff != "" {
		t.Errorf("sub-departments (-want +got):\n%s", diff)
	}
	_, err = c.Departments.Get(ctx, 999, "")
	if e := asError(t, err); e.Code != "60003" || e.Kind != dingtalk.KindNotFound {
		t.Errorf("unknown department: %v (kind %v)", e, e.Kind)
	}
}

func TestUserCreateCountAndUnionID(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	ctx := context.Background()
	before, err := c.Users.Count(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	activeBefore, _ := c.Users.Count(ctx, true)
	u, err := c.Users.Create(ctx, dingtalk.NewUser{Name: "Zoe Tan", Mobile: "13912345678", DeptIDList: []int64{3, 7}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Users.UserIDByUnionID(ctx, u.UnionID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&dingtalk.UnionIDUser{UserID: u.UserID, ContactType: 0}, got); diff != "" {
		t.Errorf("lookup by unionId (-want +got):\n%s", diff)
	}
	after, _ := c.Users.Count(ctx, false)
	active, _ := c.Users.Count(ctx, true)
	// The new member has not activated DingTalk yet.
	if after != before+1 || active != activeBefore {
		t.Errorf("counts: %d before, %d after; %d active before, %d after", before, after, activeBefore, active)
	}
	_, err = c.Users.Create(ctx, dingtalk.NewUser{Name: "Again", Mobile: "13912345678", DeptIDList: []int64{3}})
	if e := asError(t, err); e.Code != "60104" || e.Kind != dingtalk.KindConflict {
		t.Errorf("mobile in use: %v (kind %v)", e, e.Kind)
	}
}
