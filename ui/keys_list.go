package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/roster-tui/roster/ui/usertable"
)

// listKeys are the list view's bindings; unavailable actions are disabled
// so the help shows only what this provider and role allow. The movement
// keys are the table's own (Move), defined once in usertable.
type listKeys struct {
	Move                                 usertable.KeyMap
	Open, Next, Prev                     key.Binding
	Search, ServerSearch, ClearSearch    key.Binding
	LoadAll, Cancel, Refresh, View, Find key.Binding
	Delete, Undo                         key.Binding
	Sort, SortReverse                    key.Binding
	CopyCell, CopyUser                   key.Binding
	Columns, SaveView                    key.Binding
}

func newListKeys(kb keyBindings) listKeys {
	k := listKeys{
		Move:         usertable.DefaultKeyMap(),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Next:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next page")),
		Prev:         key.NewBinding(key.WithKeys("p", "b"), key.WithHelp("p", "previous page")),
		Search:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ServerSearch: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "search on server")),
		ClearSearch:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		LoadAll:      key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "load all")),
		Cancel:       key.NewBinding(key.WithKeys("esc", "ctrl+g"), key.WithHelp("esc", "cancel load all")),
		Refresh:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		View:         key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "next view")),
		Find:         key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "find by identity")),
		Delete:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Undo:         key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		Sort:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "next sort column")),
		SortReverse:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		CopyCell:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy cell")),
		CopyUser:     key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy user as JSON")),
		Columns:      key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "choose columns")),
		SaveView:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save view")),
	}
	kb.remap(&k)
	return k
}

func (k listKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Next, k.Search, k.Refresh, k.LoadAll, k.Cancel}
}

func (k listKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Move.Up, k.Move.Down, k.Move.PageDown, k.Move.PageUp, k.Move.Home, k.Move.End},
		{k.Open, k.Next, k.Prev, k.Refresh, k.View, k.Delete, k.Undo},
		{k.Search, k.ServerSearch, k.ClearSearch, k.LoadAll, k.Cancel, k.Find},
		{k.Sort, k.SortReverse, k.CopyCell, k.CopyUser, k.Columns, k.SaveView},
	}
}
