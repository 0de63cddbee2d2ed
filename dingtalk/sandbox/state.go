package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// state is the emulated organisation. Route handlers run with Server.mu
// held, so they read and change it freely and must not call Server methods
// that take the lock.
type state struct {
	dir     *directory
	notices *noticeStore
	chats   *chatStore
	wiki    *wikiStore
	sheets  *sheetStore
	robot   *robotStore
	docs    *docStore
}

func seed(now time.Time) *state {
	st := &state{
		dir:     seedDirectory(now),
		notices: newNoticeStore(),
		chats:   newChatStore(),
		sheets:  newSheetStore(),
		robot:   newRobotStore(),
		docs:    newDocStore(),
	}
	st.wiki = seedWiki(st, now)
	seedChats(st, now)
	return st
}

// routes registers every API the sandbox serves.
func (s *Server) routes() {
	s.tokenRoutes()
	s.userRoutes()
	s.departmentRoutes()
	s.noticeRoutes()
	s.chatRoutes()
	s.robotRoutes()
	s.wikiRoutes()
	s.docRoutes()
	s.sheetRoutes()
	s.mux.HandleFunc("/", s.serve("unknown", s.unknownRoute))
}

// unknownRoute answers a path or method DingTalk does not serve, in each
// family's words: the new family with 404 InvalidAction.NotFound, the
// legacy family with HTTP 200 and errcode 22.
func (s *Server) unknownRoute(x *exchange) {
	path := x.r.URL.Path
	if strings.HasPrefix(path, "/v1.0/") || strings.HasPrefix(path, "/v2.0/") {
		x.apiError(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
		return
	}
	sub := "不合法ApiName，ApiName = dingtalk.oapi" + strings.ReplaceAll(strings.TrimPrefix(path, "/topapi"), "/", ".")
	x.rec.Errcode = "22"
	x.writeJSON(http.StatusOK, map[string]any{"errcode": 22, "sub_msg": sub, "errmsg": "Invalid method[submsg=" + sub + "]", "request_id": legacyRequestID()})
}
