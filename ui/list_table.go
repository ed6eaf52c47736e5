package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
	"github.com/roster-tui/roster/ui/usertable"
)

// userTable is what the list view needs from a table of users.
type userTable interface {
	SetSize(w, h int)
	SetUsers(users []crm.User)
	NewRows() *usertable.Rows          // for building rows off the UI goroutine
	SetRows(r *usertable.Rows) tea.Cmd // replaces every row with a batch: O(batch)
	AppendRows(r *usertable.Rows)      // appends a batch: O(batch)
	FinishRows() tea.Cmd               // the batches are all in: the sort that waited
	SortWaits() bool                   // shown in load order until FinishRows
	Append(users ...crm.User)
	Upsert(u crm.User)
	Remove(id string)
	SetQuery(q string) tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	MoveDown(n int)
	PageUp()
	PageDown()
	SetCursor(i int)
	View() string
	Selected() (crm.User, bool) // common fields only: the list keeps no Raw
	SelectedCell(col int) (string, bool)
	Cursor() int
	Len() int   // rows shown (after the query)
	Total() int // users loaded
	NearEnd(n int) bool
	SortBy(o usertable.SortOrder) tea.Cmd // a large set sorts in the background
	Sort() usertable.SortOrder
	Sorting() bool
	Columns() []string
	SetColumns(cols []usertable.Column) tea.Cmd // keeps users, cursor, marks, query (columns.go)
}

// listColumns are the list's columns: name, email, title, status, updated.
// The table sanitises the values once per row. The status column is as wide
// as the provider's longest status word (Laurel's "adminDisabled"), so no
// status is cut.
func listColumns(schema crm.Schema) []usertable.Column {
	statusWidth := 10
	if f, ok := schema.Resolve("status"); ok {
		for _, v := range f.Values {
			statusWidth = max(statusWidth, min(termtext.Width(v), 16))
		}
	}
	return []usertable.Column{
		{Title: "Name", Width: 12, Flex: 3, Value: func(u *crm.User) string { return u.DisplayName() }},
		{Title: "Email", Width: 12, Flex: 3, Value: func(u *crm.User) string { return u.Email }},
		{Title: "Title", Width: 8, Flex: 2, Value: func(u *crm.User) string { return u.Title }},
		{Title: "Status", Width: statusWidth, Value: func(u *crm.User) string { return statusText(*u) }},
		{Title: "Updated", Width: 10, Value: func(u *crm.User) string { return shortDate(u.UpdatedAt) },
			SortValue: func(u *crm.User) string { return u.UpdatedAt }},
	}
}

func newUserTable(c *Common) userTable {
	s := c.Styles
	m := usertable.New(listColumns(c.Provider.Schema()), usertable.Styles{
		Header:   s.Label,
		Row:      c.r.NewStyle(),
		Selected: c.r.NewStyle().Reverse(true).Bold(true),
		Match:    c.r.NewStyle().Underline(true),
		Dim:      s.Muted,
		Marked:   markedRowStyle(c),
	})
	c.bindings.remap(&m.KeyMap) // the config's [keys] move the table too
	return &tableAdapter{m: m}
}

// tableAdapter keeps the one live copy of the value-typed usertable.Model.
type tableAdapter struct{ m usertable.Model }

func (t *tableAdapter) SetSize(w, h int)                     { t.m.SetSize(w, h) }
func (t *tableAdapter) SetUsers(users []crm.User)            { t.m.SetUsers(users) }
func (t *tableAdapter) Append(users ...crm.User)             { t.m.Append(users) }
func (t *tableAdapter) Upsert(u crm.User)                    { t.m.Upsert(u) }
func (t *tableAdapter) Remove(id string)                     { t.m.Remove(id) }
func (t *tableAdapter) SetQuery(q string) tea.Cmd            { return t.m.SetQuery(q) }
func (t *tableAdapter) View() string                         { return t.m.View() }
func (t *tableAdapter) Selected() (crm.User, bool)           { return t.m.Selected() }
func (t *tableAdapter) SelectedCell(c int) (string, bool)    { return t.m.SelectedCell(c) }
func (t *tableAdapter) Cursor() int                          { return t.m.Cursor() }
func (t *tableAdapter) Len() int                             { return t.m.Len() }
func (t *tableAdapter) Total() int                           { return t.m.Total() }
func (t *tableAdapter) NearEnd(n int) bool                   { return t.m.NearEnd(n) }
func (t *tableAdapter) MoveDown(n int)                       { t.m.MoveDown(n) }
func (t *tableAdapter) PageUp()                              { t.m.PageUp() }
func (t *tableAdapter) PageDown()                            { t.m.PageDown() }
func (t *tableAdapter) SetCursor(i int)                      { t.m.SetCursor(i) }
func (t *tableAdapter) SortBy(o usertable.SortOrder) tea.Cmd { return t.m.SortBy(o) }
func (t *tableAdapter) Sorting() bool                        { return t.m.Sorting() }
func (t *tableAdapter) Sort() usertable.SortOrder            { return t.m.Sort() }
func (t *tableAdapter) Columns() []string                    { return t.m.Columns() }
func (t *tableAdapter) NewRows() *usertable.Rows             { return t.m.NewRows() }

func (t *tableAdapter) SetRows(r *usertable.Rows) tea.Cmd { return t.m.SetRows(r) }
func (t *tableAdapter) AppendRows(r *usertable.Rows)      { t.m.AppendRows(r) }
func (t *tableAdapter) FinishRows() tea.Cmd               { return t.m.FinishRows() }
func (t *tableAdapter) SortWaits() bool                   { return t.m.SortWaits() }

func (t *tableAdapter) SetColumns(cols []usertable.Column) tea.Cmd { return t.m.SetColumns(cols) }

func (t *tableAdapter) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	t.m, cmd = t.m.Update(msg)
	return cmd
}
