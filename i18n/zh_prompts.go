package i18n

// The prompts (package prompts): their titles and descriptions, their
// arguments' titles and descriptions, the values they fill in by default,
// and the errors of a prompts/get whose arguments do not fit. The prompts'
// texts themselves are templates of their own, prompts/templates/zh.
var _ = add(zh, map[string]string{
	// notify_department.
	"Notify a department": "通知部门",
	"Send a work notice to every member of a department, or post in the department's group chat: find the department, list its members (page by page) or its group, preview the message and ask before sending, then report who has read it.": "向部门全体员工发送工作通知，或在部门群聊中发消息：查找部门，分页列出部门员工或找到部门群，预览消息并征得同意后发送，再报告已读情况。",
	"Department": "部门",
	"The department's name as the directory shows it, e.g. 销售部 or Sales.": "部门名称，与通讯录中显示的一致，如 销售部 或 Sales。",
	"Message": "消息",
	"The message to send: a work notice takes about 2,000 bytes (600 Chinese characters), a group post about 15,000.": "要发送的消息：工作通知最多约 2,000 字节（约 600 个汉字），群消息约 15,000 字节。",
	"Title": "标题",
	"A title for the notice; when given, the message is sent as Markdown under this title.": "通知的标题；填写后，消息以 Markdown 格式发送，并以此为标题。",
	"Include sub-departments": "包含下级部门",
	"yes to notify the members of every department below it too; no (the default) for its direct members only.": "yes：同时通知所有下级部门的员工；no（默认）：只通知部门的直属员工。",
	"Channel": "发送方式",
	"notice (the default): a work notice to each member; group: a post in the department's group chat by the app's robot, which cannot @mention anyone.": "notice（默认）：给每位员工发工作通知；group：由应用机器人在部门群聊中发消息，机器人无法 @任何人。",

	// onboard_employee.
	"Onboard a new employee": "新员工入职",
	"Add a new employee to the directory in their department, create a group chat with them and their team, and send them a welcome work notice; every write is previewed and confirmed with you first.": "把新员工添加到通讯录中的所在部门，为其和团队创建群聊，并发送欢迎工作通知；每个写操作都先预览，经你确认后才执行。",
	"Name": "姓名",
	"The new employee's full name, 1-64 characters.": "新员工的姓名，1-64 个字符。",
	"Mobile": "手机号",
	"Their mobile number, unique in the organisation: 11 digits for mainland China (13800001234), +country code-number otherwise (+852-61234567).": "手机号，企业内唯一：中国大陆为 11 位数字（13800001234），其他地区为 +国家码-号码（+852-61234567）。",
	"The department they join, by name as the directory shows it.":                                                                                 "加入的部门，填写通讯录中显示的部门名称。",
	"Job title":                             "职位",
	"Their position, e.g. Account Manager.": "职位，如 客户经理。",
	"Group chat name":                       "群名称",
	"The team group chat's name, 1-20 characters; default: the department's name followed by \"team\".": "团队群聊的名称，1-20 个字符；默认为部门名称加“团队”。",
	"%s team":          "%s团队",
	"Group chat owner": "群主",
	"Who owns the group chat, by name; default: the department's leader.": "群主的姓名；默认为部门主管。",
	"Welcome message": "欢迎语",
	"The welcome notice to send them; default: a short welcome naming the department and the group chat.": "发给新员工的欢迎通知；默认为一段简短的欢迎语，写明部门和群聊。",

	// append_to_sheet.
	"Append records to a spreadsheet": "向表格追加记录",
	"Add a table of records as new rows at the end of a DingTalk spreadsheet found by its link: open the link, pick the sheet, match the records to its header, preview the append and ask, then check what was written.": "通过链接找到钉钉表格，把一组记录作为新行追加到末尾：打开链接，选定工作表，将记录与表头逐列对应，预览追加内容并征得同意，再核对写入结果。",
	"Spreadsheet link": "表格链接",
	"The spreadsheet's DingTalk Docs link, e.g. https://alidocs.dingtalk.com/i/nodes/<id>.": "表格的钉钉文档链接，如 https://alidocs.dingtalk.com/i/nodes/<id>。",
	"Records": "记录",
	"The records to add, one per line (fields separated by commas or tabs, or name: value pairs), or a JSON array.": "要追加的记录，每行一条（字段用逗号或制表符分隔，或写成“名称: 值”），也可以是 JSON 数组。",
	"Sheet name": "工作表名称",
	"The sheet (tab) to append to; default: the only sheet, or you are asked.": "要追加到的工作表；默认为唯一的工作表，有多个时会询问你。",

	// file_document.
	"File a document in a knowledge base folder": "在知识库文件夹中新建文档",
	"Create a document, spreadsheet or mind map in a folder of a knowledge base, found by their names: check for a duplicate, preview and ask before creating, write the content given into a document, and return its link.": "按名称找到知识库及其中的文件夹，在其中新建文档、表格或脑图：先检查是否重名，预览并征得同意后创建，把给定内容写入文档，并返回链接。",
	"Knowledge base":             "知识库",
	"The knowledge base's name.": "知识库名称。",
	"Folder":                     "文件夹",
	"The folder's name, or a path of folders separated by / (e.g. Projects/2025).": "文件夹名称，或用 / 分隔的文件夹路径（如 项目/2025）。",
	"Document name": "文档名称",
	"The new document's name, without an extension.": "新文档的名称，不含扩展名。",
	"Document type": "文档类型",
	"DOC (text document, the default), WORKBOOK (spreadsheet) or MIND (mind map).": "DOC（文字文档，默认）、WORKBOOK（表格）或 MIND（脑图）。",
	"Content": "内容",
	"Markdown to write into a new text document (DOC), at most 50,000 characters; without it the document is created empty.": "写入新文字文档（DOC）的 Markdown，最多 50,000 个字符；不填则创建空文档。",

	// meeting_minutes.
	"Meeting minutes to a knowledge base and a group": "会议纪要存入知识库并发到群聊",
	"Turn meeting notes into minutes, file them as a document in a knowledge base, and post the link in a group chat; every write is previewed and confirmed with you first.": "把会议记录整理成纪要，作为文档存入知识库，并把链接发到群聊；每个写操作都先预览，经你确认后才执行。",
	"Notes": "会议记录",
	"The meeting notes as taken: who attended, what was discussed and decided, who does what by when.": "原始会议记录：参会人、讨论和决定的事项、谁在什么时间前做什么。",
	"The knowledge base's name, where the minutes are filed.":                                          "存放纪要的知识库名称。",
	"Group chat": "群聊",
	"Where to post the link: a group's chatid or openConversationId (from create_chat), or a department's name for its group chat.": "链接发到哪里：群聊的 chatid 或 openConversationId（来自 create_chat），或部门名称（发到部门群）。",
	"The minutes' title and document name; default: taken from the notes (meeting and date).":                                       "纪要的标题，也是文档名称；默认取自会议记录（会议名称和日期）。",
	"A folder of the knowledge base, or a path of folders separated by /; default: its top level.":                                  "知识库中的文件夹，或用 / 分隔的文件夹路径；默认放在知识库的第一层。",

	// weekly_report.
	"Weekly report from a spreadsheet": "根据表格写周报",
	"Read a range of a DingTalk spreadsheet found by its link, write a short report from its figures, and send it as a Markdown work notice to the people named, after showing it to you; then report delivery.": "通过链接读取钉钉表格中的一个区域，根据其中的数据写一份简短的报告，先给你过目，再以 Markdown 工作通知发给指定的人，然后报告送达情况。",
	"Range": "区域",
	"The cells to report on in A1 notation, e.g. A1:E20.": "要汇报的单元格区域，用 A1 表示法，如 A1:E20。",
	"Recipients": "接收人",
	"Who receives the report: names separated by commas.":                 "报告的接收人：姓名，用逗号分隔。",
	"The sheet (tab) to read; default: the only sheet, or you are asked.": "要读取的工作表；默认为唯一的工作表，有多个时会询问你。",
	"Week": "周次",
	"The week the report covers, for its title, e.g. 2025-W47.": "报告所属的周，用于标题，如 2025-W47。",

	// find_colleague.
	"Find a colleague": "查找同事",
	"Look someone up in the directory by name (or pinyin, mobile, email) and say who they are: title, department path, the department's leaders and their manager. Reads only.": "在通讯录中按姓名（或拼音、手机号、邮箱）查找某人，说明其身份：职位、部门路径、部门主管和直属主管。只读，不做任何改动。",
	"Their name or part of it; pinyin, an English name, a mobile number or an email work too.":                                                                                  "姓名或其中一部分；也可用拼音、英文名、手机号或邮箱。",

	// Arguments that do not fit.
	"prompt %s: argument %s: %s":             "提示词 %s 的参数 %s：%s",
	"unknown argument; the arguments are %s": "未知参数；可用参数为 %s",
	"is required: %s":                        "必填。%s",
	"%q is not one of %s":                    "%q 不是可选值，可选值为 %s",
})
