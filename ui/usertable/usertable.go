// Package usertable is the table the user list is built on: a window over
// the loaded users that renders only the visible rows from cells prepared
// once per user, and narrows them as the admin types — incrementally, and
// off the UI goroutine when the set is large — so that neither a frame nor a
// keystroke costs time proportional to a million loaded users.
//
// Model is a Bubble Tea component with value semantics like the bubbles
// components: keep one live copy (the one Update returns); copies must not
// be mutated independently, as they share row storage.
package usertable

import (
	"sync/atomic"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/roster-tui/roster/crm"
)

// Column is one table column.
type Column struct {
	Title string
	Width int // minimum width in cells
	Flex  int // share of the spare width (0 = fixed)
	// Value is the raw text; the table sanitises it once (termtext.Clean)
	// when the row is added.
	Value func(u *crm.User) string
	// SortValue, when set, is what the column sorts by instead of its
	// text (a timestamp shown as a short date sorts by the timestamp).
	SortValue func(u *crm.User) string
	// Max > 0 fits the column to its content: as wide as its widest
	// loaded cell, at least Width and at most Max (columns.go).
	Max int
}

// Styles are built by the caller from its per-session renderer. They should
// carry colours and attributes only (no width, padding or borders): the
// table measures and pads cells itself.
type Styles struct {
	Header, Row, Selected, Match, Dim lipgloss.Style
	// Marked is a marked row's style (zero: as Row; the gutter's * says it).
	Marked lipgloss.Style
}

// KeyMap holds the table's movement bindings, for the help overlay.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
}

// DefaultKeyMap is up/down/k/j, pgup/pgdown (ctrl+b/ctrl+f), home/end (g/G).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last loaded")),
	}
}

// ShortHelp and FullHelp make KeyMap a help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp lists every binding.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}}
}

// Model is the table. The zero value is not usable; call New.
type Model struct {
	KeyMap KeyMap

	cols   []Column
	codes  styleCodes
	width  int
	height int
	colW   []int // laid-out widths; 0 hides a column

	store *rowStore // rows, cells, keys, id index
	gen   uint64    // bumped by edits that change existing rows

	query   string    // as typed
	qp      query     // parsed m.query (for highlighting)
	stack   []*result // stack[0] is every live row; each next one refines the one below
	seq     uint64    // sequence of the latest SetQuery
	owner   *owner    // tells this table's match messages from another table's
	pending *atomic.Bool

	sort    *sorter  // nil: load order
	sorting *sortJob // a sort running in the background, nil when none
	sortSeq uint64   // sequence of the latest background sort
	// sortLater is the order wanted while a load of batches runs (SetRows
	// … FinishRows): the rows show in load order until it ends.
	sortLater *SortOrder

	cursor int // index into the shown rows
	top    int // first shown row in the window

	marks *markSet // marked rows (marks.go)
}

// owner is identity only: messages carry it so two tables in one program
// never take each other's results.
type owner struct{ _ byte }

// New returns an empty table with the given columns and styles.
func New(cols []Column, st Styles) Model {
	m := Model{
		KeyMap: DefaultKeyMap(),
		cols:   cols,
		codes:  newStyleCodes(st),
		store:  newRowStore(len(cols)),
		owner:  &owner{},
		marks:  newMarkSet(),
	}
	m.stack = []*result{{}}
	m.SetSize(80, 10)
	return m
}

// SetSize sets the width and the height of the rows area, header included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 1)
	m.colW = layout(m.cols, m.width)
	m.clamp()
}

// Query returns the query as typed.
func (m Model) Query() string { return m.query }

// Matching reports whether a background match for the current query is
// still running (the rows shown are those of a shorter query meanwhile).
func (m Model) Matching() bool { return m.pending != nil }

// Len is the number of rows after narrowing.
func (m Model) Len() int { return len(m.shown()) }

// Total is the number of users held.
func (m Model) Total() int { return m.store.live }

// Cursor is the selected row's index among the shown rows.
func (m Model) Cursor() int { return m.cursor }

// Selected returns the user under the cursor: its common fields, without
// the provider's JSON (Raw), which the list does not keep.
func (m Model) Selected() (crm.User, bool) {
	rows := m.shown()
	if m.cursor < 0 || m.cursor >= len(rows) {
		return crm.User{}, false
	}
	return m.store.user(rows[m.cursor]), true
}

// SelectedCell returns the cell in column col of the row under the cursor,
// as the table shows it (sanitised once when the row was added).
func (m Model) SelectedCell(col int) (string, bool) {
	rows := m.shown()
	if m.cursor < 0 || m.cursor >= len(rows) || col < 0 || col >= len(m.cols) {
		return "", false
	}
	return m.store.cell(rows[m.cursor], col), true
}

// NearEnd reports whether the cursor is within n rows of the last loaded
// row, so the list view can fetch the next page before it is needed.
func (m Model) NearEnd(n int) bool { return len(m.shown())-1-m.cursor < n }

// shown is the row indices on display: in load order, or in sort order
// when sorted.
func (m Model) shown() []int32 {
	top := m.stack[len(m.stack)-1]
	if m.sort == nil {
		return top.idx
	}
	return m.sort.viewOf(top, top == m.stack[0])
}

func (m Model) bodyHeight() int { return max(m.height-1, 0) }

// Update moves the cursor and takes this table's match results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case matchedMsg:
		return m.takeMatch(msg)
	case sortedMsg:
		return m.takeSort(msg)
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.KeyMap.Up):
			m.MoveUp(1)
		case key.Matches(msg, m.KeyMap.Down):
			m.MoveDown(1)
		case key.Matches(msg, m.KeyMap.PageUp):
			m.PageUp()
		case key.Matches(msg, m.KeyMap.PageDown):
			m.PageDown()
		case key.Matches(msg, m.KeyMap.Home):
			m.GotoTop()
		case key.Matches(msg, m.KeyMap.End):
			m.GotoBottom()
		}
	}
	return m, nil
}

// clamp keeps the cursor on a row and inside the window.
func (m *Model) clamp() {
	n := len(m.shown())
	m.cursor = min(max(m.cursor, 0), max(n-1, 0))
	body := max(m.bodyHeight(), 1)
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+body {
		m.top = m.cursor - body + 1
	}
	m.top = min(max(m.top, 0), max(n-body, 0))
}
