package sandbox

import "time"

// state is the emulated organisation. Route handlers run with Server.mu
// held, so they read and change it freely and must not call Server methods
// that take the lock.
type state struct {
	dir     *directory
	notices *noticeStore
	chats   *chatStore
	wiki    *wikiStore
	sheets  *sheetStore
}

func seed(now time.Time) *state {
	st := &state{
		dir:     seedDirectory(now),
		notices: newNoticeStore(),
		chats:   newChatStore(),
		sheets:  newSheetStore(),
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
	s.wikiRoutes()
	s.sheetRoutes()
}
