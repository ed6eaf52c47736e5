package ui

import "github.com/charmbracelet/bubbles/key"

// listKeys are the list view's bindings; unavailable actions are disabled
// so the help shows only what this provider and role allow.
type listKeys struct {
	Up, Down, PageDown, PageUp, Top, Bottom key.Binding
	Open, Next, Prev                        key.Binding
	Search, ServerSearch, ClearSearch       key.Binding
	LoadAll, Cancel, Refresh, View, Find    key.Binding
	Delete, Undo                            key.Binding
}

func newListKeys() listKeys {
	return listKeys{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		Top:          key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last loaded")),
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
	}
}

func (k listKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Next, k.Search, k.Refresh, k.LoadAll, k.Cancel}
}

func (k listKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.Open, k.Next, k.Prev, k.Refresh, k.View, k.Delete, k.Undo},
		{k.Search, k.ServerSearch, k.ClearSearch, k.LoadAll, k.Cancel, k.Find},
	}
}
