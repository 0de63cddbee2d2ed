package sandbox

import "time"

// Routes and stores of the areas that later work fills in.

func (s *Server) moreUserRoutes()   {}
func (s *Server) departmentRoutes() {}
func (s *Server) chatRoutes()       {}
func (s *Server) wikiRoutes()       {}
func (s *Server) sheetRoutes()      {}

type chatStore struct{}

func newChatStore() *chatStore           { return &chatStore{} }
func seedChats(st *state, now time.Time) {}

type wikiStore struct{}

func seedWiki(st *state, now time.Time) *wikiStore { return &wikiStore{} }

type sheetStore struct{}

func newSheetStore() *sheetStore { return &sheetStore{} }
