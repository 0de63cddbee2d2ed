package dingtalk

import "strconv"

// DepartmentsService reads the organisation's department tree.
type DepartmentsService service

// ChatsService creates and reads group chats.
type ChatsService service

// WikiService manages knowledge bases (workspaces) and their nodes.
type WikiService service

// SheetsService reads and writes the worksheets of smart spreadsheets
// (workbooks).
type SheetsService service

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
