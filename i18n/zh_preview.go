package i18n

// What a guarded write would do, as its preview, the confirmation question
// and the Hint of an unconfirmed call say it: each is a verb phrase that
// follows 允许助手, 将会 or 才能.
var _ = add(zh, map[string]string{
	// Lists and asides.
	", ":             "、",
	" (%s)":          "（%s）",
	"%s and %d more": "%s 及另外 %d 个",
	", where %s":     "，其中%s",

	// Work notices and group messages.
	"send a %s work notice %s to %d user(s) (%s) as app %d":       "以应用 %[5]d 向 %[3]d 位员工（%[4]s）发送 %[1]s 工作通知 %[2]s",
	"recall work notice %d (app %d) from all its recipients":      "从全部接收人处撤回工作通知 %[1]d（应用 %[2]d）",
	"post the %s message %s in group %s as the app's robot":       "以应用机器人身份在群聊 %[3]s 中发送 %[1]s 消息 %[2]s",
	"recall %d message(s) (%s) from group %s":                     "从群聊 %[3]s 撤回 %[1]d 条消息（%[2]s）",
	"create the group chat %q owned by %s with %d member(s) (%s)": "创建群聊 %q，群主 %s，共 %d 名成员（%s）",
	"new members see the chat history":                            "新成员可查看聊天记录",
	"the group can be found by search":                            "群可被搜索到",
	"joining needs approval":                                      "入群需审批",
	"only the owner may @all":                                     "仅群主可 @所有人",
	"only the owner manages the group":                            "仅群主可管理",
	"everyone but the owner is muted":                             "除群主外全员禁言",

	// The directory.
	"create the user %q with mobile %s in department(s) %s": "在部门 %[3]s 中创建员工 %[1]q，手机号 %[2]s",
	"job number": "工号",
	"email":      "邮箱",
	"title":      "职位",
	"work place": "办公地点",
	"remark":     "备注",
	"extension":  "扩展属性",

	// Knowledge bases and documents.
	"create the knowledge base %s owned by operator %s": "创建知识库 %s，所有者为操作人 %s",
	"at the top level of knowledge base %s":             "在知识库 %s 的顶层",
	"in node %s of knowledge base %s":                   "在知识库 %[2]s 的节点 %[1]s 下",
	"create the %s %s %s as operator %s":                "以操作人 %[4]s 的身份%[3]s创建%[1]s %[2]s",
	"document":                                          "文档",
	"spreadsheet":                                       "表格",
	"mind map":                                          "脑图",
	"folder":                                            "文件夹",
	"append %d characters of Markdown (%s) to the end of document %s": "在文档 %[3]s 末尾追加 %[1]d 个字符的 Markdown（%[2]s）",
	"replace %s of document %s with %d characters of Markdown (%s)":   "用 %[3]d 个字符的 Markdown（%[4]s）替换文档 %[2]s 的%[1]s",
	"the whole content":                       "全部内容",
	"the content (the document is empty now)": "内容（文档目前为空）",
	"%d characters":                           "%d 个字符",
	"more than %d characters":                 "超过 %d 个字符",
	"all %d blocks (%s, starting %s)":         "全部 %d 个块（%s，开头为 %s）",

	// Spreadsheets.
	"sheet %q of workbook %s":                 "表格 %[2]s 的工作表 %[1]q",
	"add a worksheet named %q to workbook %s": "在表格 %[2]s 中新建名为 %[1]q 的工作表",
	"delete %s with all its data":             "删除%s及其全部数据",
	"row %s":                                  "第 %s 行",
	"rows %s":                                 "第 %s 行",
	"column %s":                               "%s 列",
	"columns %s":                              "%s 列",
	"delete %s (%d row(s)) with their data from %s; the rows below move up":                              "删除%[3]s的%[1]s（共 %[2]d 行）及其数据；下方的行上移",
	"delete %s (%d column(s)) with their data from %s; the columns to their right move left":             "删除%[3]s的 %[1]s（共 %[2]d 列）及其数据；右侧的列左移",
	"insert %d empty row(s) above row %s of %s; row %[2]s and those below move down":                     "在%[3]s第 %[2]s 行上方插入 %[1]d 个空行；第 %[2]s 行及其下方的行下移",
	"insert %d empty column(s) before column %s of %s; column %[2]s and those to its right move right":   "在%[3]s %[2]s 列左侧插入 %[1]d 个空列；%[2]s 列及其右侧的列右移",
	"insert %d row(s) above row %d of %s and write the values into %s; row %d and those below move down": "在%[3]s第 %[2]d 行上方插入 %[1]d 行并将值写入 %[4]s；第 %[5]d 行及其下方的行下移",
	", at row %d or below": "，从第 %d 行或其下方开始",
	"append %d row(s) of %d value(s) to columns %s of %s, below the last non-empty row of those columns%s": "在%[4]s %[3]s 列最后一个非空行的下方追加 %[1]d 行、每行 %[2]d 个值%[5]s",
	"overwrite %s of %s with %d row(s) × %d column(s) of values, replacing what those cells hold":          "用 %[3]d 行 × %[4]d 列的值覆盖%[2]s的 %[1]s 区域，替换这些单元格原有的内容",
	"clear the values and the formatting of %s of %s":                                                      "清除%[2]s %[1]s 区域的值和格式",
	"clear the values of %s of %s (formatting is kept)":                                                    "清空%[2]s %[1]s 区域的值（保留格式）",
})
