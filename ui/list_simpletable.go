package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// simpleTable is a small windowed table used until ui/usertable lands: it
// renders only the visible rows and narrows by name or email.
type simpleTable struct {
	st     Styles
	cols   []tableColumn
	users  []crm.User
	rows   []int // indexes into users that match the query
	query  string
	cursor int
	offset int
	w, h   int
	keys   listKeys
}

func newSimpleTable(st Styles, cols []tableColumn) *simpleTable {
	return &simpleTable{st: st, cols: cols, keys: newListKeys()}
}

func (t *simpleTable) SetSize(w, h int) { t.w, t.h = w, max(h, 2); t.clamp() }

func (t *simpleTable) SetUsers(users []crm.User) {
	t.users = append([]crm.User(nil), users...)
	t.cursor, t.offset = 0, 0
	t.refilter()
}

func (t *simpleTable) Append(users ...crm.User) { t.users = append(t.users, users...); t.refilter() }

func (t *simpleTable) Upsert(u crm.User) {
	for i := range t.users {
		if t.users[i].ID == u.ID {
			t.users[i] = u
			t.refilter()
			return
		}
	}
	t.Append(u)
}

func (t *simpleTable) Remove(id string) {
	for i := range t.users {
		if t.users[i].ID == id {
			t.users = append(t.users[:i], t.users[i+1:]...)
			break
		}
	}
	t.refilter()
}

func (t *simpleTable) SetQuery(q string) tea.Cmd {
	t.query = strings.ToLower(q)
	t.cursor, t.offset = 0, 0
	t.refilter()
	return nil
}

func (t *simpleTable) refilter() {
	t.rows = t.rows[:0]
	for i, u := range t.users {
		if t.query == "" || strings.Contains(strings.ToLower(u.DisplayName()+" "+u.Email), t.query) {
			t.rows = append(t.rows, i)
		}
	}
	t.clamp()
}

func (t *simpleTable) visible() int { return max(t.h-1, 1) }

func (t *simpleTable) clamp() {
	if t.cursor >= len(t.rows) {
		t.cursor = len(t.rows) - 1
	}
	if t.cursor < 0 {
		t.cursor = 0
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.visible() {
		t.offset = t.cursor - t.visible() + 1
	}
}

func (t *simpleTable) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, t.keys.Up):
		t.cursor--
	case key.Matches(k, t.keys.Down):
		t.cursor++
	case key.Matches(k, t.keys.PageDown):
		t.cursor += t.visible()
	case key.Matches(k, t.keys.PageUp):
		t.cursor -= t.visible()
	case key.Matches(k, t.keys.Top):
		t.cursor = 0
	case key.Matches(k, t.keys.Bottom):
		t.cursor = len(t.rows) - 1
	}
	t.clamp()
	return nil
}

func (t *simpleTable) widths() []int {
	ws := make([]int, len(t.cols))
	fixed, flex := 0, 0
	for i, c := range t.cols {
		ws[i] = c.Width
		fixed += c.Width + 1
		if c.Width == 0 {
			flex++
		}
	}
	rest := max(t.w-2-fixed, flex*4)
	for i := range ws {
		if ws[i] == 0 {
			ws[i] = rest / flex
		}
	}
	return ws
}

func (t *simpleTable) View() string {
	ws := t.widths()
	var b strings.Builder
	var head []string
	for i, c := range t.cols {
		head = append(head, termtext.Fit(c.Title, ws[i]))
	}
	b.WriteString(t.st.Label.Render("  " + strings.Join(head, " ")))
	for r := t.offset; r < len(t.rows) && r < t.offset+t.visible(); r++ {
		u := t.users[t.rows[r]]
		var cells []string
		for i, c := range t.cols {
			cells = append(cells, termtext.Fit(c.Value(u), ws[i]))
		}
		line := strings.Join(cells, " ")
		b.WriteByte('\n')
		if r == t.cursor {
			b.WriteString(t.st.ButtonOn.UnsetPadding().UnsetMargins().Render("> " + line))
		} else {
			b.WriteString("  " + line)
		}
	}
	return b.String()
}

func (t *simpleTable) Selected() (crm.User, bool) {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return crm.User{}, false
	}
	return t.users[t.rows[t.cursor]], true
}

func (t *simpleTable) Cursor() int        { return t.cursor }
func (t *simpleTable) Len() int           { return len(t.rows) }
func (t *simpleTable) Total() int         { return len(t.users) }
func (t *simpleTable) NearEnd(n int) bool { return len(t.rows)-1-t.cursor < n }
