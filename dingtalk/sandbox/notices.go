package sandbox

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// notice is a work notice task created by asyncsend_v2.
type notice struct {
	taskID     int64
	agentID    int64
	sentAt     time.Time
	content    string
	recalled   bool
	unread     []string
	read       []string
	invalid    []string
	forbidden  []map[string]any
	invalidDep []int64
}

type noticeStore struct {
	tasks  map[int64]*notice
	nextID int64
	// delivered remembers (user, content) pairs per day: DingTalk delivers
	// the same content to the same user at most once a day.
	delivered map[string]bool
}

func newNoticeStore() *noticeStore {
	return &noticeStore{tasks: map[int64]*notice{}, nextID: 256271667526, delivered: map[string]bool{}}
}

// Documented limits of asyncsend_v2.
const (
	maxNoticeUsers = 100
	maxNoticeDepts = 20
	maxMsgBytes    = 2048
)

func (s *Server) noticeRoutes() {
	s.legacy("POST /topapi/message/corpconversation/asyncsend_v2", "qyapi_base", s.noticeSend)
	s.legacy("POST /topapi/message/corpconversation/getsendresult", "qyapi_base", s.noticeResult)
	s.legacy("POST /topapi/message/corpconversation/recall", "qyapi_base", s.noticeRecall)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// noticeSend answers asyncsend_v2: it validates like DingTalk, then
// delivers to valid recipients at once.
func (s *Server) noticeSend(x *exchange, p params) (map[string]any, *legacyError) {
	agent, ok := p.int64("agent_id")
	if !ok {
		return nil, errLegacy(40035, "不合法的参数：agent_id")
	}
	if agent != AgentID {
		return nil, errLegacy(40056, "不合法的agentid")
	}
	var msg map[string]any
	switch v := p["msg"].(type) {
	case map[string]any:
		msg = v
	case string: // the official SDK sends nested objects as JSON text
		if json.Unmarshal([]byte(v), &msg) != nil {
			return nil, errLegacy(40035, "不合法的参数：msg")
		}
	default:
		return nil, errLegacy(40035, "不合法的参数：msg不能为空")
	}
	raw, _ := json.Marshal(msg)
	if len(raw) > maxMsgBytes {
		return nil, errLegacy(400002, "消息内容过长")
	}
	msgType, _ := msg["msgtype"].(string)
	body, _ := msg[msgType].(map[string]any)
	switch msgType {
	case "text":
		if c, _ := body["content"].(string); c == "" {
			return nil, errLegacy(40035, "不合法的参数：text.content不能为空")
		}
	case "markdown":
		if t, _ := body["title"].(string); t == "" {
			return nil, errLegacy(40035, "不合法的参数：markdown.title不能为空")
		}
		if t, _ := body["text"].(string); t == "" {
			return nil, errLegacy(40035, "不合法的参数：markdown.text不能为空")
		}
	case "image", "voice", "file", "link", "oa", "action_card":
		if body == nil {
			return nil, errLegacy(40035, "不合法的参数：msg")
		}
	default:
		return nil, errLegacy(40008, "不合法的消息类型")
	}
	users, deptIDs := splitList(p.str("userid_list")), splitList(p.str("dept_id_list"))
	all, _ := p.boolean("to_all_user")
	if len(users) == 0 && len(deptIDs) == 0 && !all {
		return nil, errLegacy(40035, "不合法的参数：userid_list、dept_id_list和to_all_user不能同时为空")
	}
	if len(users) > maxNoticeUsers || len(deptIDs) > maxNoticeDepts {
		return nil, errLegacy(400002, "参数过长：接收者列表超过上限")
	}
	dir := s.state.dir
	n := &notice{taskID: s.state.notices.nextID, agentID: agent, sentAt: s.now(), content: string(raw)}
	s.state.notices.nextID++
	seen := map[string]bool{}
	deliver := func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		u := dir.users[id]
		if u == nil || u.external {
			n.invalid = append(n.invalid, id)
			return
		}
		key := s.now().Format("2006-01-02") + "\x00" + id + "\x00" + n.content
		if s.state.notices.delivered[key] {
			n.forbidden = append(n.forbidden, map[string]any{"code": "143106", "count": 1, "userid": id})
			return
		}
		s.state.notices.delivered[key] = true
		n.unread = append(n.unread, id)
	}
	for _, id := range users {
		deliver(id)
	}
	for _, ds := range deptIDs {
		id, err := strconv.ParseInt(ds, 10, 64)
		if err != nil || dir.depts[id] == nil {
			n.invalidDep = append(n.invalidDep, id)
			continue
		}
		for _, d := range dir.subtree(id) {
			for _, u := range dir.members(d) {
				deliver(u.UserID)
			}
		}
	}
	if all {
		for _, id := range dir.order {
			if !dir.users[id].external {
				deliver(id)
			}
		}
	}
	s.state.notices.tasks[n.taskID] = n
	return map[string]any{"task_id": n.taskID}, nil
}

func (s *Server) findTask(p params, key string) (*notice, *legacyError) {
	agent, ok1 := p.int64("agent_id")
	id, ok2 := p.int64(key)
	if !ok1 || !ok2 {
		return nil, errLegacy(400002, "agentId不合法或taskId不合法")
	}
	n := s.state.notices.tasks[id]
	// Results and recalls are kept for 24 hours.
	if n == nil || n.agentID != agent || s.now().Sub(n.sentAt) > 24*time.Hour {
		return nil, errLegacy(400002, "agentId不合法或taskId不合法")
	}
	return n, nil
}

// noticeResult answers getsendresult.
func (s *Server) noticeResult(x *exchange, p params) (map[string]any, *legacyError) {
	n, err := s.findTask(p, "task_id")
	if err != nil {
		return nil, err
	}
	var forbiddenIDs []string
	for _, f := range n.forbidden {
		forbiddenIDs = append(forbiddenIDs, f["userid"].(string))
	}
	orEmpty := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	result := map[string]any{
		"invalid_user_id_list":   orEmpty(n.invalid),
		"forbidden_user_id_list": orEmpty(forbiddenIDs),
		"failed_user_id_list":    []string{},
		"read_user_id_list":      orEmpty(n.read),
		"unread_user_id_list":    orEmpty(n.unread),
		"invalid_dept_id_list":   append([]int64{}, n.invalidDep...),
		"forbidden_list":         append([]map[string]any{}, n.forbidden...),
	}
	return map[string]any{"send_result": result}, nil
}

// noticeRecall answers recall. Recalling twice succeeds twice.
func (s *Server) noticeRecall(x *exchange, p params) (map[string]any, *legacyError) {
	n, err := s.findTask(p, "msg_task_id")
	if err != nil {
		return nil, err
	}
	n.recalled = true
	return nil, nil
}

// MarkRead records that userID read the notice task taskID, so that its
// status shows a read recipient.
func (s *Server) MarkRead(taskID int64, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.state.notices.tasks[taskID]
	if n == nil {
		return false
	}
	for i, id := range n.unread {
		if id == userID {
			n.unread = append(n.unread[:i], n.unread[i+1:]...)
			n.read = append(n.read, userID)
			return true
		}
	}
	return false
}

// NoticeRecalled reports whether the notice task taskID exists and was recalled.
func (s *Server) NoticeRecalled(taskID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.state.notices.tasks[taskID]
	return n != nil && n.recalled
}
