package sandbox

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The seeded all-staff group: the root department's group chat, holding
// every employee.
const (
	SeedChatID             = "chat5d1f0b9a7c3e48e2a6b4f1d0c9e8a7b6"
	SeedOpenConversationID = "cidSbXq7Lk2vN9pR4tW8yZ1aGg=="
	SeedChatName           = "沙箱演示科技有限公司"
)

// maxChatMembers is the most members one create call may name: the
// legacy /chat/create documents 40, and the new API is assumed to keep it
// (UNVERIFIED).
const maxChatMembers = 40

// chat is a group chat.
type chat struct {
	chatID, cid string
	name, owner string
	members     []string
	tag         int64 // conversationTag: 2 internal group
	icon        string
	status      int // 1 normal, 2 disbanded
	opts        chatOptions
	deptID      int64    // the department whose group this is, or 0
	robots      []string // robotCodes of the robots installed in the group
}

// chatOptions are a group's settings in the wire names of
// managementOptions (and of /chat/get's chat_info).
type chatOptions struct {
	MentionAllAuthority *int `json:"mentionAllAuthority"`
	ShowHistoryType     *int `json:"showHistoryType"`
	ValidationType      *int `json:"validationType"`
	Searchable          *int `json:"searchable"`
	ChatBannedType      *int `json:"chatBannedType"`
	ManagementType      *int `json:"managementType"`
}

// each lists the options by wire name, absent ones as 0 (DingTalk's
// default for every one).
func (o *chatOptions) each() map[string]*int {
	return map[string]*int{"mentionAllAuthority": o.MentionAllAuthority, "showHistoryType": o.ShowHistoryType,
		"validationType": o.ValidationType, "searchable": o.Searchable, "chatBannedType": o.ChatBannedType, "managementType": o.ManagementType}
}

type chatStore struct {
	byID  map[string]*chat
	byCID map[string]*chat
	depts map[int64]*chat
}

func newChatStore() *chatStore {
	return &chatStore{byID: map[string]*chat{}, byCID: map[string]*chat{}, depts: map[int64]*chat{}}
}

func (cs *chatStore) add(c *chat) {
	cs.byID[c.chatID] = c
	cs.byCID[c.cid] = c
	if c.deptID != 0 {
		cs.depts[c.deptID] = c
	}
}

// deptGroup returns the group chat of a department, or nil.
func (cs *chatStore) deptGroup(deptID int64) *chat { return cs.depts[deptID] }

// stableChatIDs derives a chatid and an openConversationId from key, so
// that seeded groups keep their ids from run to run.
func stableChatIDs(key string) (chatID, cid string) {
	h := sha256.Sum256([]byte(key))
	return "chat" + hex.EncodeToString(h[:16]), "cid" + base64.StdEncoding.EncodeToString(h[16:32])
}

func randomChatIDs() (chatID, cid string) {
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	return "chat" + randomString(32, "0123456789abcdef"), "cid" + randomString(22, b64) + "=="
}

func intp(n int) *int { return &n }

// seedChats gives every department its group chat, as DingTalk does for
// departments with create_dept_group: the root's holds every employee
// (the all-staff group), the others their direct members. The leader
// owns a department's group; the boss owns the root's. The app's robot
// has been added to each, and the all-staff group also has a custom
// robot; groups made later have none until one is installed.
func seedChats(st *state, now time.Time) {
	d := st.dir
	depts := make([]*dept, 0, len(d.depts))
	for _, dp := range d.depts {
		depts = append(depts, dp)
	}
	slices.SortFunc(depts, func(a, b *dept) int { return cmp.Compare(a.Order, b.Order) })
	for _, dp := range depts {
		if !dp.CreateDeptGroup {
			continue
		}
		c := &chat{name: dp.Name, tag: 2, icon: "@lADPDfJ6Q7LLejDNAljNAlg", status: 1, deptID: dp.DeptID, robots: []string{AppKey}}
		for _, id := range d.order {
			u := d.users[id]
			if u.external {
				continue
			}
			if dp.DeptID == 1 || slices.Contains(u.DeptIDList, dp.DeptID) {
				c.members = append(c.members, id)
			}
			if c.owner == "" && slices.Contains(u.leads, dp.DeptID) {
				c.owner = id
			}
		}
		if c.owner == "" {
			c.owner = SeedManagerID
		}
		if !slices.Contains(c.members, c.owner) {
			c.members = append([]string{c.owner}, c.members...)
		}
		if dp.DeptID == 1 {
			c.chatID, c.cid = SeedChatID, SeedOpenConversationID
			// In the all-staff group only the owner may @all or manage it.
			c.opts = chatOptions{MentionAllAuthority: intp(1), ManagementType: intp(1)}
			c.robots = append(c.robots, OtherRobotCode)
		} else {
			c.chatID, c.cid = stableChatIDs("sandbox-dept-group-" + dp.Name)
		}
		st.chats.add(c)
	}
}

func (s *Server) chatRoutes() {
	s.api("POST /v1.0/im/group/create", "qyapi_chat_manage", s.chatCreate)
	s.legacy("GET /chat/get", "qyapi_chat_read", s.chatGet)
	// UNVERIFIED: this API is only in the official SDK; its scope is
	// assumed to be the chat read scope of /chat/get.
	s.api("POST /v1.0/im/groups/baseInfos/query", "qyapi_chat_read", s.chatBaseInfo)
}

// createGroupRequest is the body of POST /v1.0/im/group/create.
type createGroupRequest struct {
	Name              *string      `json:"name"`
	Owner             string       `json:"owner"`
	OwnerType         string       `json:"ownerType"`
	UserIDList        []string     `json:"useridlist"`
	ConversationTag   *int64       `json:"conversationTag"`
	ExtIDList         []string     `json:"extidlist"`
	Icon              string       `json:"icon"`
	ManagementOptions *chatOptions `json:"managementOptions"`
}

func paramInvalid(msg string) *apiError {
	return errAPI(http.StatusBadRequest, "parameter.invalid", "输入参数错误："+msg)
}

// chatCreate answers POST /v1.0/im/group/create. DingTalk documents only
// parameter.invalid, permession.checkFailed and system.error for it, so
// every refusal of the request's content is parameter.invalid with a
// message saying which field (the messages are UNVERIFIED). As the legacy
// /chat/create documents, the owner must be among the members.
func (s *Server) chatCreate(x *exchange) (any, *apiError) {
	var req createGroupRequest
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	d := s.state.dir
	employee := func(id string) bool { u := d.users[id]; return u != nil && !u.external }
	switch {
	case req.Name == nil || strings.TrimSpace(*req.Name) == "":
		return nil, paramInvalid("群名称不能为空")
	case utf8.RuneCountInString(*req.Name) > 20:
		return nil, paramInvalid("群名称长度不能超过20个字符")
	case req.Owner == "":
		return nil, paramInvalid("群主不能为空")
	case req.OwnerType != "" && req.OwnerType != "emp":
		return nil, paramInvalid("ownerType只支持emp")
	case !employee(req.Owner):
		return nil, paramInvalid("群主userId无效：" + req.Owner)
	case len(req.UserIDList) == 0:
		return nil, paramInvalid("群成员不能为空")
	case len(req.UserIDList) > maxChatMembers:
		return nil, paramInvalid("群成员长度超限，每次最多40人")
	case !slices.Contains(req.UserIDList, req.Owner):
		return nil, paramInvalid("群主必须在群成员列表中")
	case req.ConversationTag != nil && *req.ConversationTag != 2:
		// Ordinary groups need DingTalk support to allow-list the app.
		return nil, errAPI(http.StatusBadRequest, "permession.checkFailed", "权限校验失败：普通群需要开通白名单")
	}
	var members []string
	for _, id := range req.UserIDList {
		if !employee(id) {
			return nil, paramInvalid("无效的useridlist：" + id)
		}
		if !slices.Contains(members, id) {
			members = append(members, id)
		}
	}
	// No robot joins a new group. Whether DingTalk adds the app's robot is
	// UNVERIFIED; its guides list adding the robot by hand (群管理 > 机器人)
	// as a prerequisite of robot messages, so it is assumed not to.
	c := &chat{name: *req.Name, owner: req.Owner, members: members, tag: 2, icon: req.Icon, status: 1}
	if req.ManagementOptions != nil {
		for k, v := range req.ManagementOptions.each() {
			if v != nil && *v != 0 && *v != 1 {
				return nil, paramInvalid("managementOptions." + k + "只能为0或1")
			}
		}
		c.opts = *req.ManagementOptions
	}
	for {
		c.chatID, c.cid = randomChatIDs()
		if s.state.chats.byID[c.chatID] == nil && s.state.chats.byCID[c.cid] == nil {
			break
		}
	}
	s.state.chats.add(c)
	return map[string]any{"chatid": c.chatID, "openConversationId": c.cid, "conversationTag": c.tag}, nil
}

// chatGet answers GET /chat/get?chatid=. An unknown chatid gets 40016, the
// code DingTalk documents for a chatid of another organisation
// (UNVERIFIED for one that never existed).
func (s *Server) chatGet(x *exchange, p params) (map[string]any, *legacyError) {
	id := strings.TrimSpace(x.r.URL.Query().Get("chatid"))
	if id == "" {
		return nil, errLegacy(49000, "需要参数chatid")
	}
	c := s.state.chats.byID[id]
	if c == nil {
		return nil, errLegacy(40016, "无效的chatid")
	}
	info := map[string]any{"chatid": c.chatID, "name": c.name, "owner": c.owner, "useridlist": c.members,
		"conversationTag": c.tag, "status": c.status}
	if c.icon != "" {
		info["icon"] = c.icon
	}
	for k, v := range c.opts.each() {
		info[k] = 0
		if v != nil {
			info[k] = *v
		}
	}
	return map[string]any{"chat_info": info}, nil
}

// chatBaseInfo answers POST /v1.0/im/groups/baseInfos/query with the
// shape of the official SDK. Its errors are UNVERIFIED: they follow the
// documented sibling sceneGroups/query (paramBlank, cidEncryptError), and
// a well-formed id of no group answers group.notExist.
func (s *Server) chatBaseInfo(x *exchange) (any, *apiError) {
	var req struct {
		OpenConversationID string `json:"openConversationId"`
	}
	if err := x.decode(&req); err != nil {
		return nil, err
	}
	id := strings.TrimSpace(req.OpenConversationID)
	switch {
	case id == "":
		return nil, errAPI(http.StatusBadRequest, "paramBlank", "openConversationId不能为空")
	case !strings.HasPrefix(id, "cid"):
		return nil, errAPI(http.StatusBadRequest, "cidEncryptError", "群ID解析错误")
	}
	c := s.state.chats.byCID[id]
	if c == nil {
		return nil, errAPI(http.StatusBadRequest, "group.notExist", "群不存在")
	}
	result := map[string]any{"openConversationId": c.cid, "title": c.name, "memberCount": len(c.members)}
	if c.icon != "" {
		result["icon"] = c.icon
	}
	return map[string]any{"success": true, "result": result}, nil
}
