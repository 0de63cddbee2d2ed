package i18n

// Term is one of DingTalk's own Chinese UI terms: what its Chinese texts
// call a thing the English texts name En. Not lists wordings a translator
// might reach for that DingTalk does not use; no Chinese text may contain
// one. Every term must be used by some Chinese text, so that the glossary
// stays the vocabulary of the catalog and not a list beside it.
type Term struct {
	En  string
	Zh  string
	Not []string
}

// Glossary is the vocabulary of the Chinese texts, as DingTalk's client and
// developer documentation write it.
var Glossary = []Term{
	{En: "DingTalk", Zh: "钉钉", Not: []string{"叮叮"}},
	{En: "directory, contacts", Zh: "通讯录", Not: []string{"联系人目录", "通信录", "人员目录"}},
	{En: "department", Zh: "部门", Not: []string{"科室", "分部"}},
	{En: "root department (the organisation)", Zh: "根部门", Not: []string{"顶级部门", "根目录部门"}},
	{En: "employee, user", Zh: "员工", Not: []string{"雇员", "职员"}},
	{En: "group chat", Zh: "群聊", Not: []string{"群组", "聊天群", "讨论组"}},
	{En: "group owner", Zh: "群主", Not: []string{"群所有者", "群拥有者"}},
	{En: "robot", Zh: "机器人", Not: []string{"聊天机器人"}},
	{En: "work notice", Zh: "工作通知", Not: []string{"工作消息", "工作通告", "工作提醒"}},
	{En: "recall (a message)", Zh: "撤回", Not: []string{"召回", "撤销消息", "收回消息"}},
	{En: "knowledge base, workspace", Zh: "知识库", Not: []string{"工作空间", "工作区"}},
	{En: "document", Zh: "文档", Not: []string{"文稿"}},
	{En: "folder", Zh: "文件夹", Not: []string{"目录夹"}},
	{En: "spreadsheet, workbook", Zh: "表格", Not: []string{"电子表格", "工作簿", "智能表格"}},
	{En: "sheet (of a workbook)", Zh: "工作表", Not: []string{"页签", "子表", "表单页"}},
	{En: "row", Zh: "行", Not: []string{"横行"}},
	{En: "column", Zh: "列", Not: []string{"纵列", "栏位"}},
	{En: "cell", Zh: "单元格", Not: []string{"格子", "单元格子"}},
	{En: "developer console", Zh: "开发者后台", Not: []string{"开发者控制台", "开发控制台"}},
	{En: "permission (of an app)", Zh: "权限", Not: []string{"许可权"}},
}
