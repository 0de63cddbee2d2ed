package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The robots of the sandbox. The app's robot is known by the AppKey, as an
// internal app's robot is.
const (
	// OtherRobotCode is a custom robot installed in the all-staff group
	// beside the app's, so that a robot list holds more than one.
	OtherRobotCode = "dingcustomrobot0001"
)

// Documented limits of the robot group-message APIs.
const (
	maxRobotParamBytes = 15000
	maxRecallKeys      = 20
	maxReadPage        = 200
)

// The robot's timing is undocumented (UNVERIFIED); these are the sandbox's
// choices, kept here.
const (
	// robotRecallWindow is how long after sending a message can be
	// recalled: assumed the 24 hours of work notices.
	robotRecallWindow = 24 * time.Hour
	// robotQueryWindow is how long a processQueryKey stays queryable.
	robotQueryWindow = 7 * 24 * time.Hour
)

// Reasons a recall gives per message in failedResult. DingTalk documents
// only SYSTEM_ERROR (in its SDK); these are UNVERIFIED.
const (
	recallUnknownKey = "PROCESS_QUERY_KEY_NOT_FOUND"
	recallTooLate    = "RECALL_TIME_EXPIRED"
)

// robotMsgParams lists, per msgKey, the msgParam keys a message must have
// and the code DingTalk answers when one is missing. Keys DingTalk
// documents no code for are not checked.
var robotMsgParams = map[string]map[string]string{
	"sampleText":        {"content": "miss.param.contentOfText"},
	"sampleMarkdown":    {"text": "miss.param.markdownTotext"},
	"sampleImageMsg":    {"photoURL": "miss.param.photoTophotoUrl"},
	"sampleLink":        {},
	"sampleActionCard":  {"singleURL": "miss.param.actionCardTosingleUrl"},
	"sampleActionCard2": {}, "sampleActionCard3": {}, "sampleActionCard4": {}, "sampleActionCard5": {}, "sampleActionCard6": {},
	"sampleAudio": {}, "sampleFile": {}, "sampleVideo": {},
}

// robotMessage is a message the app's robot posted into a group.
type robotMessage struct {
	key       string
	cid       string
	msgKey    string
	param     map[string]string
	sentAt    time.Time
	recalled  bool
	audience  []string             // the group's members when it was sent
	readAt    map[string]time.Time // userId → when they read it
	readOrder []string
}

type robotStore struct {
	messages map[string]*robotMessage
	sent     int // messages sent so far: the next one's number
	// published is whether the app has a published robot; without one,
	// DingTalk knows no robot by its AppKey.
	published bool
}

func newRobotStore() *robotStore {
	return &robotStore{messages: map[string]*robotMessage{}, published: true}
}

// WithoutRobot makes the sandbox's app one without a published robot
// capability: every robot call is refused as DingTalk refuses an unknown
// robotCode.
func WithoutRobot() Option { return func(s *Server) { s.noRobot = true } }

// InstallRobot adds the app's robot to the group with this
// openConversationId, as a member does in the group's settings (群管理 >
// 机器人 > 添加机器人). It reports whether the group exists.
func (s *Server) InstallRobot(openConversationID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.state.chats.byCID[openConversationID]
	if c == nil {
		return false
	}
	if !slices.Contains(c.robots, AppKey) {
		c.robots = append(c.robots, AppKey)
	}
	return true
}

// GroupMessageKey is the processQueryKey the sandbox gives the n-th robot
// message it is sent (from 1): opaque like DingTalk's, and the same in
// every run, so that tests and examples can name it.
func GroupMessageKey(n int) string {
	h := sha256.Sum256([]byte("sandbox-robot-message-" + strconv.Itoa(n)))
	return base64.StdEncoding.EncodeToString(h[:])
}

// ReadGroupMessage marks the robot message processQueryKey as read by the
// member userID. It reports whether the member could see the message.
func (s *Server) ReadGroupMessage(processQueryKey, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.state.robot.messages[processQueryKey]
	if m == nil || m.recalled || !slices.Contains(m.audience, userID) {
		return false
	}
	if _, ok := m.readAt[userID]; !ok {
		m.readAt[userID] = s.now()
		m.readOrder = append(m.readOrder, userID)
	}
	return true
}

// GroupMessage returns the text of the robot message processQueryKey as
// its group shows it, and whether it is there (sent and not recalled).
func (s *Server) GroupMessage(processQueryKey string) (text string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.state.robot.messages[processQueryKey]
	if m == nil || m.recalled {
		return "", false
	}
	return m.param["content"] + m.param["text"], true
}

// GroupMessages returns the keys of the robot messages in the group with
// this openConversationId that are not recalled, oldest first.
func (s *Server) GroupMessages(openConversationID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ms []*robotMessage
	for _, m := range s.state.robot.messages {
		if m.cid == openConversationID && !m.recalled {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, func(a, b *robotMessage) int { return a.sentAt.Compare(b.sentAt) })
	keys := make([]string, len(ms))
	for i, m := range ms {
		keys[i] = m.key
	}
	return keys
}

func (s *Server) robotRoutes() {
	s.api("POST /v1.0/robot/groupMessages/send", "qyapi_robot_sendmsg", s.robotSend)
	s.api("POST /v1.0/robot/groupMessages/query", "qyapi_robot_sendmsg", s.robotQuery)
	s.api("POST /v1.0/robot/groupMessages/recall", "qyapi_robot_sendmsg", s.robotRecall)
	s.api("POST /v1.0/robot/groups/robots/query", "qyapi_chat_manage", s.robotsInGroup)
	s.api("POST /v1.0/im/chat/{chatId}/convertToOpenConversationId", "qyapi_chat_read", s.chatConvert)
}

// robotErr is a robot-API refusal. DingTalk's robot messages read
// "错误描述: <what>；解决方案:<fix>；" (the exact format is UNVERIFIED).
func robotErr(code, what, fix string) *apiError {
	return errAPI(http.StatusBadRequest, code, "错误描述: "+what+"；解决方案:"+fix+"；")
}

var errRobotNotExist = robotErr("invalidParameter.robotCode.notExsit", "robot 不存在", "请确认 robotCode 是否正确，并检查机器人是否在群内")

// robotGroup checks robotCode and openConversationId the way send, query
// and recall share, and returns the group. Which code a robot missing from
// the group gets is UNVERIFIED; DingTalk's robot FAQ suggests robotCode.notExsit.
func (s *Server) robotGroup(robotCode, cid string, requireCID bool) (*chat, *apiError) {
	switch {
	case robotCode == "":
		return nil, robotErr("invalidParameter.robotCode.missing", "robotCode 不能为空", "请传入 robotCode")
	case robotCode != AppKey || !s.state.robot.published:
		return nil, errRobotNotExist
	case cid == "" && requireCID:
		return nil, robotErr("miss.openConversationId", "openConversationId 不能为空", "请传入群会话 openConversationId")
	case cid == "":
		return nil, nil
	}
	c := s.state.chats.byCID[cid]
	switch {
	case c == nil:
		return nil, robotErr("invalid.openConversationId", "openConversationId 无效", "请确认群会话 openConversationId 是否正确")
	case c.status == 2:
		return nil, robotErr("group.disbanded", "群已解散", "请更换群会话")
	case !slices.Contains(c.robots, AppKey):
		return nil, errRobotNotExist
	}
	return c, nil
}

// robotSend answers POST /v1.0/robot/groupMessages/send.
func (s *Server) robotSend(x *exchange) (any, *apiError) {
	var req struct {
		RobotCode          string  `json:"robotCode"`
		OpenConversationID string  `json:"openConversationId"`
		MsgKey             string  `json:"msgKey"`
		MsgParam           *string `json:"msgParam"`
		CoolAppCode        string  `json:"coolAppCode"`
	}
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	c, aerr := s.robotGroup(req.RobotCode, req.OpenConversationID, true)
	if aerr != nil {
		return nil, aerr
	}
	required, known := robotMsgParams[req.MsgKey]
	switch {
	case req.MsgKey == "":
		return nil, robotErr("invalidParameter.msgKey.empty", "msgKey 不能为空", "请传入消息模板 msgKey")
	case !known:
		return nil, robotErr("invalidParameter.msgKey.invalid", "msgKey 无效", "请参考机器人消息类型传入 msgKey")
	case req.MsgParam == nil || *req.MsgParam == "":
		return nil, robotErr("invalidParameter.msgParam.invalid", "msgParam必须是json格式", "请传入 JSON 字符串")
	case len(*req.MsgParam) > maxRobotParamBytes:
		return nil, robotErr("invalidParameter.msgParam.tooLong", "msgParam 超过 "+strconv.Itoa(maxRobotParamBytes)+" 字节", "请缩短消息内容")
	}
	var param map[string]string
	if err := json.Unmarshal([]byte(*req.MsgParam), &param); err != nil {
		return nil, robotErr("invalidParameter.msgParam.invalid", "msgParam必须是json格式", "请传入 JSON 字符串，其中每个值都是字符串")
	}
	for key, code := range required {
		if strings.TrimSpace(param[key]) == "" {
			return nil, robotErr(code, "msgParam 缺少 "+key, "请在 msgParam 中传入 "+key)
		}
	}
	s.state.robot.sent++
	m := &robotMessage{key: GroupMessageKey(s.state.robot.sent), cid: c.cid, msgKey: req.MsgKey, param: param, sentAt: s.now(),
		audience: slices.Clone(c.members), readAt: map[string]time.Time{}}
	s.state.robot.messages[m.key] = m
	return map[string]any{"processQueryKey": m.key}, nil
}

// robotMessageFor finds the message a query or recall names.
func (s *Server) robotMessageFor(key string) (*robotMessage, *apiError) {
	if key == "" {
		return nil, robotErr("invalidParameter.processQueryKey.missing", "processQueryKey 不能为空", "请传入发送消息返回的 processQueryKey")
	}
	m := s.state.robot.messages[key]
	if m == nil {
		return nil, robotErr("invalid.processQueryKey", "processQueryKey 无效", "请传入发送消息返回的 processQueryKey")
	}
	return m, nil
}

// robotQuery answers POST /v1.0/robot/groupMessages/query: who has read a
// message, in the order they read it.
func (s *Server) robotQuery(x *exchange) (any, *apiError) {
	var req struct {
		ProcessQueryKey    string `json:"processQueryKey"`
		RobotCode          string `json:"robotCode"`
		OpenConversationID string `json:"openConversationId"`
		Token              string `json:"token"`
		MaxResults         *int64 `json:"maxResults"`
		NextToken          string `json:"nextToken"`
	}
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	if req.OpenConversationID == "" && req.Token == "" {
		return nil, robotErr("invalidParameter.param.invalid", "openConversationId不能和token同时为空", "请传入 openConversationId")
	}
	m, aerr := s.robotMessageFor(req.ProcessQueryKey)
	if aerr != nil {
		return nil, aerr
	}
	if req.RobotCode != "" && (req.RobotCode != AppKey || !s.state.robot.published) {
		return nil, errRobotNotExist
	}
	if req.OpenConversationID != m.cid {
		return nil, robotErr("invalid.openConversationId", "openConversationId 与消息不匹配", "请传入发送消息时的 openConversationId")
	}
	if s.now().Sub(m.sentAt) > robotQueryWindow {
		return nil, robotErr("processQueryKey.expireTime", "processQueryKey还未生成消息查询数据或已过期", "请稍后重试")
	}
	size := int64(maxReadPage)
	if req.MaxResults != nil {
		size = *req.MaxResults
		if size < 1 || size > maxReadPage {
			return nil, robotErr("invalidParameter.pageSize.invalid", "maxResults 取值范围为 1-"+strconv.Itoa(maxReadPage), "请调整 maxResults")
		}
	}
	offset := 0
	if req.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(req.NextToken)
		rest, ok := strings.CutPrefix(string(b), m.key+"|")
		n, nerr := strconv.Atoi(rest)
		if err != nil || !ok || nerr != nil || n < 0 || n > len(m.readOrder) {
			return nil, robotErr("invalidParameter.cursor.invalid", "nextToken 无效", "请传入上一页返回的 nextToken")
		}
		offset = n
	}
	end := min(offset+int(size), len(m.readOrder))
	status := "SUCCESS"
	if m.recalled {
		status = "RECALLED"
	}
	body := map[string]any{"sendStatus": status, "readUserIds": append([]string{}, m.readOrder[offset:end]...), "hasMore": end < len(m.readOrder)}
	if end < len(m.readOrder) {
		body["nextToken"] = base64.RawURLEncoding.EncodeToString([]byte(m.key + "|" + strconv.Itoa(end)))
	}
	return body, nil
}

// robotRecall answers POST /v1.0/robot/groupMessages/recall. A message
// that is already recalled counts as recalled again; one of another group,
// unknown or too old is listed in failedResult.
func (s *Server) robotRecall(x *exchange) (any, *apiError) {
	var req struct {
		RobotCode          string   `json:"robotCode"`
		OpenConversationID string   `json:"openConversationId"`
		ProcessQueryKeys   []string `json:"processQueryKeys"`
	}
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	c, aerr := s.robotGroup(req.RobotCode, req.OpenConversationID, true)
	if aerr != nil {
		return nil, aerr
	}
	switch n := len(req.ProcessQueryKeys); {
	case n == 0:
		return nil, robotErr("invalidParameter.processQueryKey.missing", "processQueryKeys 不能为空", "请传入发送消息返回的 processQueryKey")
	case n > maxRecallKeys:
		return nil, robotErr("invalidParameter.processQueryKeys.overMax", "processQueryKeys 最多 "+strconv.Itoa(maxRecallKeys)+" 个", "请分批撤回")
	}
	success, failed := []string{}, map[string]string{}
	for _, key := range req.ProcessQueryKeys {
		m := s.state.robot.messages[key]
		switch {
		case m == nil || m.cid != c.cid:
			failed[key] = recallUnknownKey
		case m.recalled:
			success = append(success, key)
		case s.now().Sub(m.sentAt) > robotRecallWindow:
			failed[key] = recallTooLate
		default:
			m.recalled = true
			success = append(success, key)
		}
	}
	return map[string]any{"successResult": success, "failedResult": failed}, nil
}

// robotsInGroup answers POST /v1.0/robot/groups/robots/query.
func (s *Server) robotsInGroup(x *exchange) (any, *apiError) {
	var req struct {
		OpenConversationID string `json:"openConversationId"`
	}
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	c := s.state.chats.byCID[req.OpenConversationID]
	if c == nil {
		return nil, errAPI(http.StatusBadRequest, "illegal.openconevrsation.id", "非法的openConversationId")
	}
	list := []map[string]any{}
	for _, code := range c.robots {
		r := map[string]any{"robotCode": code, "downloadIconURL": "https://static.dingtalk.com/media/robot-icon.png"}
		switch {
		case code == AppKey && !s.state.robot.published:
			continue
		case code == AppKey:
			r["name"], r["openRobotType"] = "沙箱助手", 2
		default:
			r["name"], r["openRobotType"] = "考勤提醒", 1
		}
		list = append(list, r)
	}
	return map[string]any{"chatbotInstanceVOList": list}, nil
}

// chatConvert answers POST /v1.0/im/chat/{chatId}/convertToOpenConversationId.
func (s *Server) chatConvert(x *exchange) (any, *apiError) {
	c := s.state.chats.byID[x.r.PathValue("chatId")]
	if c == nil {
		return nil, errAPI(http.StatusBadRequest, "invalideChatId", "不合法的chatId")
	}
	return map[string]any{"openConversationId": c.cid}, nil
}
