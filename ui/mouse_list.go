package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/ui/usertable"
)

// onMouse is the list's mouse: the wheel scrolls (fetching the next page
// as the keys do), a click on a row selects it and a second one opens it,
// a click on a column header sorts by that column — ascending, or the
// other way when it is already the sort.
func (l *listView) onMouse(msg tea.MouseMsg, x, y int) tea.Cmd {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		l.table.MoveDown(-wheelStep)
		return nil
	case tea.MouseButtonWheelDown:
		l.table.MoveDown(wheelStep)
		return l.prefetch()
	}
	if msg.Button != tea.MouseButtonLeft || msg.Action != tea.MouseActionPress || l.querying {
		return nil
	}
	ty := y - l.chromeHeight() // the table's own line
	hit, ok := l.table.(tableHits)
	if !ok || ty < 0 {
		return nil
	}
	if ty == 0 {
		col, ok := hit.ColumnAt(x)
		if !ok {
			return nil
		}
		o := usertable.SortOrder{Col: col}
		if cur := l.table.Sort(); cur.Col == col {
			o.Desc = !cur.Desc
		}
		return l.sortBy(o)
	}
	row, ok := hit.RowAt(ty)
	if !ok {
		return nil
	}
	l.table.SetCursor(row)
	if l.clicks.press(row, l.c.now()) {
		return l.openSelected()
	}
	return l.prefetch()
}

// tableHits is the table's hit testing (usertable/hit.go).
type tableHits interface {
	RowAt(y int) (int, bool)
	ColumnAt(x int) (int, bool)
}

func (t *tableAdapter) RowAt(y int) (int, bool)    { return t.m.RowAt(y) }
func (t *tableAdapter) ColumnAt(x int) (int, bool) { return t.m.ColumnAt(x) }

// openSelected opens the user under the cursor, as enter does.
func (l *listView) openSelected() tea.Cmd {
	if u, ok := l.table.Selected(); ok {
		return push(newDetailView(l.c, u, l.id))
	}
	return nil
}
