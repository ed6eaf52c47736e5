package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/ui/termtext"
)

// columnChooser is C: every column of the provider's schema, the shown ones
// first in their order, each with a box to tick. space shows or hides the
// column under the cursor, shift+↑/↓ (or K/J) moves it, enter applies and
// remembers the choice, esc leaves the columns as they were.
type columnChooser struct {
	viewBase
	list  *listView
	keys  chooserKeys
	items []columnChoice
	on    map[string]bool
	cur   int
	top   int
}

type chooserKeys struct {
	Up, Down, MoveUp, MoveDown, Toggle, Apply, Reset key.Binding
}

func newChooserKeys() chooserKeys {
	return chooserKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		MoveUp:   key.NewBinding(key.WithKeys("shift+up", "K"), key.WithHelp("shift+↑/K", "move column up")),
		MoveDown: key.NewBinding(key.WithKeys("shift+down", "J"), key.WithHelp("shift+↓/J", "move column down")),
		Toggle:   key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", "show/hide column")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply columns")),
		Reset:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "default columns")),
	}
}

func newColumnChooser(l *listView) *columnChooser {
	v := &columnChooser{viewBase: newViewBase(l.c), list: l, keys: newChooserKeys()}
	l.c.bindings.remap(&v.keys) // the config's [keys]
	v.load(l.columnKeys())
	return v
}

// load orders the catalogue: the shown columns first, in their order, then
// the rest in schema order.
func (v *columnChooser) load(shown []string) {
	cat := columnCatalogue(v.c.Provider.Schema())
	v.items = v.items[:0]
	v.on = map[string]bool{}
	for _, k := range shown {
		if i := slices.IndexFunc(cat, func(c columnChoice) bool { return c.key == k }); i >= 0 {
			v.items = append(v.items, cat[i])
			v.on[k] = true
		}
	}
	for _, c := range cat {
		if !v.on[c.key] {
			v.items = append(v.items, c)
		}
	}
}

func (v *columnChooser) Init() tea.Cmd { return nil }
func (v *columnChooser) Title() string { return "columns" }

func (v *columnChooser) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Toggle, v.keys.MoveUp, v.keys.MoveDown, v.keys.Apply, v.c.Keys.Back}
}
func (v *columnChooser) FullHelp() [][]key.Binding {
	return [][]key.Binding{{v.keys.Up, v.keys.Down, v.keys.Toggle, v.keys.MoveUp, v.keys.MoveDown, v.keys.Apply, v.keys.Reset}}
}

// chosen are the ticked columns in their order.
func (v *columnChooser) chosen() []string {
	var out []string
	for _, c := range v.items {
		if v.on[c.key] {
			out = append(out, c.key)
		}
	}
	return out
}

func (v *columnChooser) Update(msg tea.Msg) (Component, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	n := len(v.items)
	switch {
	case key.Matches(k, v.c.Keys.Back):
		return v, pop
	case key.Matches(k, v.keys.Up):
		v.cur = max(v.cur-1, 0)
	case key.Matches(k, v.keys.Down):
		v.cur = min(v.cur+1, n-1)
	case key.Matches(k, v.keys.MoveUp):
		if v.cur > 0 {
			v.items[v.cur-1], v.items[v.cur] = v.items[v.cur], v.items[v.cur-1]
			v.cur--
		}
	case key.Matches(k, v.keys.MoveDown):
		if v.cur < n-1 {
			v.items[v.cur+1], v.items[v.cur] = v.items[v.cur], v.items[v.cur+1]
			v.cur++
		}
	case key.Matches(k, v.keys.Toggle):
		if n > 0 {
			key := v.items[v.cur].key
			v.on[key] = !v.on[key]
		}
	case key.Matches(k, v.keys.Reset):
		v.load(defaultColumns)
		v.cur = 0
	case key.Matches(k, v.keys.Apply):
		keys := v.chosen()
		if len(keys) == 0 {
			return v, notice("choose at least one column (space)")
		}
		return v, inOrder(pop, v.list.chooseColumns(keys))
	}
	return v, nil
}

// View is a line that says what the keys do, then one line per column:
// "> [x] Email      email · Email (primary) · email". It scrolls to keep
// the cursor on screen, and fits any width: the description is cut first.
func (v *columnChooser) View() string {
	s := v.c.Styles
	var b strings.Builder
	head := fmt.Sprintf("Columns of %s: %d shown", clean(v.c.Info.Name), len(v.chosen()))
	keys := " · space show/hide · K/J move · enter apply · esc cancel"
	b.WriteString(truncateStyled(s.Section.Render(termtext.Truncate(head, v.w))+s.Muted.Render(keys), v.w))
	rows := max(v.h-1, 1)
	if v.cur < v.top {
		v.top = v.cur
	}
	if v.cur >= v.top+rows {
		v.top = v.cur - rows + 1
	}
	titleW := 0
	for _, c := range v.items {
		titleW = max(titleW, termtext.Width(c.col.Title))
	}
	titleW = min(titleW, max(v.w/3, 8))
	for i := v.top; i < len(v.items) && i < v.top+rows; i++ {
		c := v.items[i]
		box := "[ ]"
		if v.on[c.key] {
			box = "[x]"
		}
		lead := "  "
		if i == v.cur {
			lead = "> "
		}
		title := termtext.Fit(clean(c.col.Title), titleW)
		line := lead + box + " " + title
		about := "  " + clean(c.key)
		if c.about != "" {
			about += " · " + c.about
		}
		room := v.w - termtext.Width(line)
		text := line + s.Muted.Render(termtext.Truncate(about, max(room, 0)))
		if i == v.cur {
			text = v.c.r.NewStyle().Reverse(true).Bold(true).Render(line) + s.Muted.Render(termtext.Truncate(about, max(room, 0)))
		}
		b.WriteString("\n" + text)
	}
	return b.String()
}
