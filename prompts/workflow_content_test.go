package prompts_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// These workflows post in group chats and write document content.

func TestNotifyDepartmentGroupWorkflow(t *testing.T) {
	t.Parallel()
	eachLang(t, func(t *testing.T, l i18n.Lang) {
		st := newStack(t, withLang(l))
		const message = "## 演示改到下午 3 点\n\n地点不变"
		text := st.mustPrompt("notify_department", map[string]string{"department": "销售部", "message": message, "title": "演示改期",
			"include_sub_departments": "yes", "channel": "group"})

		deptID, detail := findDepartment(st, "销售部")
		groups := []string{detail["dept_group_chat_id"].(string)}
		depts := []float64{deptID}
		for i := 0; i < len(depts); i++ {
			r := st.callOK("get_dept_list", map[string]any{"DeptId": depts[i]})
			for _, d := range r["Departments"].([]any) {
				id := dig(d, "dept_id").(float64)
				depts = append(depts, id)
				sub := st.callOK("get_dept_detail", map[string]any{"DeptId": id})
				if g, _ := dig(sub, "DeptDetail", "dept_group_chat_id").(string); g != "" {
					groups = append(groups, g)
				}
			}
		}
		if len(depts) < 2 || groups[0] == "" {
			t.Fatalf("销售部 should have a group and sub-departments: %v, %v", depts, groups)
		}
		var posts []map[string]any
		for _, g := range groups {
			out := st.write("send_chat_message", map[string]any{"ChatId": g, "MsgType": "markdown", "Title": "演示改期", "Content": message})
			posts = append(posts, out["ChatMessage"].(map[string]any))
		}
		for _, p := range posts {
			r := st.callOK("get_chat_message_status", map[string]any{"ChatId": p["OpenConversationId"], "ProcessQueryKey": p["ProcessQueryKey"]})
			if dig(r, "ReadStatus", "sendStatus") != "SUCCESS" {
				t.Errorf("post %v: %v", p, r["ReadStatus"])
			}
			// The group holds the message, once.
			keys := st.sandbox.GroupMessages(p["OpenConversationId"].(string))
			if !slices.Equal(keys, []string{p["ProcessQueryKey"].(string)}) {
				t.Errorf("group %s holds %v", p["OpenConversationId"], keys)
			}
			if text, _ := st.sandbox.GroupMessage(p["ProcessQueryKey"].(string)); text != message {
				t.Errorf("the group shows %q", text)
			}
		}
		if n := len(st.sandbox.Calls("POST /topapi/message/corpconversation/asyncsend_v2")); n != 0 {
			t.Errorf("%d work notices sent; the user asked for a group post", n)
		}
		st.followed(text)
	})
}

func TestFileDocumentWithContentWorkflow(t *testing.T) {
	t.Parallel()
	eachLang(t, func(t *testing.T, l i18n.Lang) {
		st := newStack(t, withLang(l))
		const content = "# 周报 第56周\n\n- 完成机器人消息\n- 下周：文档读写"
		text := st.mustPrompt("file_document", map[string]string{"knowledge_base": "产品知识库", "folder": "项目周报", "document_name": "周报 第56周", "content": content})

		st.callOK("get_workspaces", map[string]any{})
		folder := findNode(listAll(st, map[string]any{"WorkspaceId": sandbox.SeedWorkspaceID}), "项目周报", "FOLDER")
		if findNode(listAll(st, map[string]any{"ParentNodeId": folder}), "周报 第56周.adoc", "FILE") != "" {
			t.Fatal("the document exists before it is created")
		}
		doc := st.write("create_doc", map[string]any{"WorkspaceId": sandbox.SeedWorkspaceID, "ParentNodeId": folder, "Name": "周报 第56周", "DocType": "DOC"})
		st.write("overwrite_doc_content", map[string]any{"NodeId": doc["NodeId"], "Markdown": content})
		read := st.callOK("get_doc_content", map[string]any{"NodeId": doc["NodeId"]})
		if read["Markdown"] != content {
			t.Errorf("the document holds %q, want the content given", read["Markdown"])
		}
		st.callOK("get_workspace_node", map[string]any{"NodeId": doc["NodeId"]})
		st.followed(text)
	})
}

func TestMeetingMinutesWorkflow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, group, folder string
	}{
		{"a department's group, top level", "销售部", ""},
		{"a chat id, in a folder", sandbox.SeedOpenConversationID, "项目周报"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachLang(t, func(t *testing.T, l i18n.Lang) {
				st := newStack(t, withLang(l))
				args := map[string]string{"notes": "周会 12/4：张伟、李娜参加。决定：演示改到下午 3 点。", "knowledge_base": "产品知识库", "group": tc.group}
				if tc.folder != "" {
					args["folder"] = tc.folder
				}
				text := st.mustPrompt("meeting_minutes", args)
				minutes := "# 周会 12/4\n\n## 参会\n\n- 张伟\n- 李娜\n\n## 决定\n\n1. 演示改到下午 3 点"

				st.callOK("get_workspaces", map[string]any{})
				create := map[string]any{"WorkspaceId": sandbox.SeedWorkspaceID, "Name": "周会 12-4", "DocType": "DOC"}
				if tc.folder != "" {
					create["ParentNodeId"] = findNode(listAll(st, map[string]any{"WorkspaceId": sandbox.SeedWorkspaceID}), tc.folder, "FOLDER")
				}
				doc := st.write("create_doc", create)
				st.write("overwrite_doc_content", map[string]any{"NodeId": doc["NodeId"], "Markdown": minutes})
				if got := st.callOK("get_doc_content", map[string]any{"NodeId": doc["NodeId"]})["Markdown"]; got != minutes {
					t.Errorf("the document holds %q", got)
				}
				node := st.callOK("get_workspace_node", map[string]any{"NodeId": doc["NodeId"]})
				url := dig(node, "NodeData", "url").(string)

				chatID := tc.group
				if !strings.HasPrefix(chatID, "cid") {
					_, detail := findDepartment(st, tc.group)
					chatID = detail["dept_group_chat_id"].(string)
				}
				post := st.write("send_chat_message", map[string]any{"ChatId": chatID, "MsgType": "markdown", "Title": "周会 12/4",
					"Content": "**周会 12/4**\n\n演示改到下午 3 点。\n\n[周会 12/4](" + url + ")"})

				// The link is in the group.
				shown, _ := st.sandbox.GroupMessage(dig(post, "ChatMessage", "ProcessQueryKey").(string))
				if !strings.Contains(shown, url) {
					t.Errorf("the group shows %q, without the link %s", shown, url)
				}
				st.followed(text)
			})
		})
	}
}
