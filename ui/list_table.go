package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// userTable is what the list view needs from a table of users: the API of
// ui/usertable. newUserTable picks the implementation.
type userTable interface {
	SetSize(w, h int)
	SetUsers(users []crm.User)
	Append(users ...crm.User)
	Upsert(u crm.User)
	Remove(id string)
	SetQuery(q string) tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	Selected() (crm.User, bool)
	Cursor() int
	Len() int   // rows shown (after the query)
	Total() int // users loaded
	NearEnd(n int) bool
}

// tableColumn is one column of the list: name, email, title, status, updated.
type tableColumn struct {
	Title string
	Width int // 0: share the rest
	Value func(crm.User) string
}

func listColumns() []tableColumn {
	return []tableColumn{
		{Title: "Name", Value: func(u crm.User) string { return clean(u.DisplayName()) }},
		{Title: "Email", Value: func(u crm.User) string { return clean(u.Email) }},
		{Title: "Title", Value: func(u crm.User) string { return clean(u.Title) }},
		{Title: "Status", Width: 10, Value: statusText},
		{Title: "Updated", Width: 10, Value: func(u crm.User) string { return shortDate(u.UpdatedAt) }},
	}
}

func newUserTable(c *Common) userTable { return newSimpleTable(c.Styles, listColumns()) }
