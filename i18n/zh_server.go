package i18n

// The server's own texts: its title and instructions, the start-up and
// configuration errors, the Confirm guard's questions and previews, and
// the envelope's texts that every tool shares.
var _ = add(zh, map[string]string{
	// The server.
	"DingTalk": "钉钉",
	"Tools for one DingTalk organisation. Find people with search_users or get_dept_users, departments with search_departments or get_dept_list. Writes that cannot be undone need Confirm=true: without it you get a preview (StatusCode -1) describing exactly what would happen; show it to the user and ask before confirming. Every result has StatusCode (200 on success), Summary, and on failure ErrorMessage, Hint (the next step) and Retryable.": "用于操作一个钉钉企业的工具。用 search_users 或 get_dept_users 查找员工，用 search_departments 或 get_dept_list 查找部门。无法撤销的写操作需要 Confirm=true：否则只返回预览（StatusCode -1），说明将要执行的操作；请先展示给用户，征得同意后再确认。每个结果都有 StatusCode（成功为 200）和 Summary；失败时还有 ErrorMessage、Hint（下一步）和 Retryable。",
	"DingTalk tools guide": "钉钉工具指南",
	"Your recent writes":   "你最近的写操作",
	"The writes this server made for you (the signed-in person, or the app) in the last 24 hours, newest first: tool, time, outcome, the ids created, replayed or not.": "本服务在 24 小时内代你（登录的用户或应用本身）执行的写操作，最新的在前：工具、时间、结果、创建的 ID、是否为重放。",
	"the recent writes cannot be read": "无法读取最近的写操作",
	"How the DingTalk tools fit together: reading a result, confirming writes, where each id comes from.": "钉钉工具的配合方式：如何读结果、如何确认写操作、各类 ID 从哪里获取。",

	// Start-up and configuration.
	"%s %s is reachable from other hosts and no --http-token (DINGTALK_MCP_HTTP_TOKEN) is set: set a token so that only clients holding it can act on your DingTalk organisation, or pass --allow-unauthenticated if a proxy in front authenticates every request": "%s %s 可被其他主机访问，但未设置 --http-token（DINGTALK_MCP_HTTP_TOKEN）：请设置令牌，只让持有令牌的客户端操作你的钉钉企业；如果前置代理已对每个请求做认证，请加 --allow-unauthenticated",
	"%s must be an http(s) URL such as https://api.dingtalk.com, got %q":   "%s 须为 http(s) 地址，如 https://api.dingtalk.com，实际为 %q",
	"%s must be host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080, got %q": "%s 须为 host:port 格式，如 127.0.0.1:8080 或 0.0.0.0:8080，实际为 %q",
	"%s must be the app's numeric AgentId, got %q":                         "%s 须为应用的数字 AgentId，实际为 %q",
	"--log-level must be debug, info, warn or error, got %q":               "--log-level 须为 debug、info、warn 或 error，实际为 %q",
	"--transport must be stdio or http, got %q":                            "--transport 须为 stdio 或 http，实际为 %q",
	"no DingTalk credentials: set DINGTALK_APP_KEY and DINGTALK_APP_SECRET (or --app-key/--app-secret), or run with --sandbox to try the built-in emulator": "未配置钉钉凭证：请设置 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET（或 --app-key/--app-secret），或加 --sandbox 用内置模拟器试用",
	"DINGTALK_APP_KEY is not set (the app's Client ID); set it or pass --app-key":                                                                           "未设置 DINGTALK_APP_KEY（应用的 Client ID）；请设置它或传入 --app-key",
	"DINGTALK_APP_SECRET is not set (the app's Client Secret); set it or pass --app-secret":                                                                 "未设置 DINGTALK_APP_SECRET（应用的 Client Secret）；请设置它或传入 --app-secret",

	// The Confirm guard.
	"Allow the assistant to %s?":                               "允许助手%s？",
	"This cannot be undone.":                                   "此操作无法撤销。",
	"This cannot be undone, and doing it twice does it twice.": "此操作无法撤销，重复执行会再做一次。",
	"Confirm":  "确认",
	"Yes, %s.": "是，%s。",
	"The user did not confirm: nothing was changed in DingTalk.":                                                   "用户未确认：钉钉中没有任何改动。",
	"Ask the user what to change, or call again with Confirm=true once they agree to %s.":                          "请询问用户要修改什么，或在用户同意%s后带 Confirm=true 再次调用。",
	"Confirm must be true to %s: nothing was sent to DingTalk.":                                                    "须 Confirm 为 true 才能%s：未向钉钉发送任何请求。",
	"Would %s. Show this to the user and, if they agree, call %s again with the same parameters and Confirm=true.": "将会%s。请展示给用户；用户同意后，用相同参数加 Confirm=true 再次调用 %s。",

	// Defaults a call may lack.
	"AgentId is required: the call gave none and the server has no default.":                                                                    "缺少 AgentId：调用未提供，服务端也没有默认值。",
	"OperatorId is required: the call gave none and the server has no default.":                                                                 "缺少 OperatorId：调用未提供，服务端也没有默认值。",
	"Pass AgentId (the app's AgentId from the DingTalk developer console), or start the server with DINGTALK_AGENT_ID or --agent-id.":           "请传入 AgentId（钉钉开发者后台中应用的 AgentId），或用 DINGTALK_AGENT_ID 或 --agent-id 启动服务。",
	"Pass OperatorId (a unionId from get_user, or a userId from search_users), or start the server with DINGTALK_OPERATOR_ID or --operator-id.": "请传入 OperatorId（get_user 返回的 unionId，或 search_users 返回的 userId），或用 DINGTALK_OPERATOR_ID 或 --operator-id 启动服务。",

	// Failures every tool shares.
	"Correct the parameter and call %s again; nothing was sent to DingTalk.":                                                 "请修正参数后再次调用 %s；未向钉钉发送任何请求。",
	"The server's shared state (its Redis) is unavailable, so nothing was sent to DingTalk; call %s again in a few seconds.": "服务端的共享状态（Redis）不可用，未向钉钉发送任何请求；请几秒后再次调用 %s。",
	"DingTalk error: %s":    "钉钉报错：%s",
	"DingTalk error %s: %s": "钉钉报错 %s：%s",
	"The request was sent, so the change may have been made.":                                                                                                     "请求已发出，改动可能已经生效。",
	"This is unexpected; report it with the ErrorMessage.":                                                                                                        "这是意外错误；请连同 ErrorMessage 一起反馈。",
	"Check whether the change was made (read it back) before calling %s again: repeating it may do it twice.":                                                     "再次调用 %s 前，请先读取确认改动是否已生效：重复调用可能执行两次。",
	"Check DINGTALK_APP_KEY and DINGTALK_APP_SECRET: they must be the Client ID and Client Secret of an internal app in the DingTalk developer console.":          "请检查 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET：须为钉钉开发者后台中企业内部应用的 Client ID 和 Client Secret。",
	"Add this server's outbound IP address to the app's IP whitelist in the DingTalk developer console.":                                                          "请在钉钉开发者后台将本服务的出口 IP 加入应用的 IP 白名单。",
	"Grant the app the %s permission in the DingTalk developer console (app > Permissions), then call %s again.":                                                  "请在钉钉开发者后台为应用开通 %s 权限（应用 > 权限管理），然后再次调用 %s。",
	"The app lacks a permission or the user is outside the app's contact scope: check the app's permissions and contact scope in the DingTalk developer console.": "应用缺少权限，或该用户不在应用的通讯录权限范围内：请在钉钉开发者后台检查应用的权限和通讯录范围。",
	"Check the id: it does not exist or is not visible to the app.":                                                                                               "请检查 ID：它不存在，或应用无权查看。",
	"The object already exists; use the existing one or choose another value.":                                                                                    "对象已存在；请使用已有的，或换一个值。",
	"DingTalk is rate limiting this app; wait %s and call %s again.":                                                                                              "钉钉正在对该应用限流；请等待 %s 后再次调用 %s。",
	"DingTalk or the network failed; call %s again in a few seconds.":                                                                                             "钉钉或网络故障；请几秒后再次调用 %s。",
	"DingTalk rejected the parameters; correct them as its message says.":                                                                                         "钉钉拒绝了这些参数；请按其消息修正。",
	"See DingTalk's error code %s in its server API error code list.":                                                                                             "请在钉钉服务端 API 错误码列表中查看错误码 %s。",
})
