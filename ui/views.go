package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/state"
	"github.com/roster-tui/roster/ui/usertable"
)

// Saved views: a name for a filter, a provider view (Zoho's user type), a
// sort and a set of columns. They come from the config
// ([[providers.NAME.views]], read-only here) and from the console (ctrl+s
// or :save NAME, kept in the state file). v cycles through the provider's
// own views and then the saved ones; :view NAME switches to any of them.
//
// Why the state file and not the config: the config is the admin's own
// file — often generated, kept in git, or shared read-only over SSH — and
// rewriting TOML would lose its comments and layout. The state file is
// Roster's to write (atomically, 0600), like the remembered columns.

// stateTimeout bounds one write of the state file (it waits for the lock
// another console may hold).
const stateTimeout = 10 * time.Second

// listPrefs are the list's columns and saved view.
type listPrefs struct {
	columns []string // the columns shown; nil: the default
	own     []string // the admin's columns for this provider (C), shown outside saved views
	view    string   // the saved view shown, "" when none
}

// viewEntry is one stop of v's cycle.
type viewEntry struct {
	name     string
	provider int         // index into Caps.Views, -1 for a saved view
	saved    *state.View // nil for a provider view
	config   bool        // the saved view is the config's (read-only)
}

// defaultViewName stands for a provider without views of its own, once it
// has saved views to switch between.
const defaultViewName = "all"

// savedViews are the config's views, then those saved from the console.
func (c *Common) savedViews() (config, console []state.View) {
	if c.Provider == nil {
		return nil, nil
	}
	name := c.Info.Name
	config = c.configViews[name]
	if c.state != nil {
		console = c.state.Provider(name).Views
	}
	return config, console
}

// viewEntries are the provider's views, then the saved ones.
func (l *listView) viewEntries() []viewEntry {
	var out []viewEntry
	for i, v := range l.c.Info.Caps.Views {
		out = append(out, viewEntry{name: v, provider: i})
	}
	cfg, console := l.c.savedViews()
	if len(out) == 0 && len(cfg)+len(console) > 0 {
		out = append(out, viewEntry{name: defaultViewName, provider: 0})
	}
	for i := range cfg {
		out = append(out, viewEntry{name: cfg[i].Name, provider: -1, saved: &cfg[i], config: true})
	}
	for i := range console {
		if !slices.ContainsFunc(out, func(e viewEntry) bool { return strings.EqualFold(e.name, console[i].Name) }) {
			out = append(out, viewEntry{name: console[i].Name, provider: -1, saved: &console[i]})
		}
	}
	return out
}

// currentView is the index of the entry shown.
func (l *listView) currentView(entries []viewEntry) int {
	for i, e := range entries {
		if l.prefs.view != "" && e.saved != nil && strings.EqualFold(e.name, l.prefs.view) {
			return i
		}
		if l.prefs.view == "" && e.saved == nil && e.provider == l.viewIdx {
			return i
		}
	}
	return 0
}

// viewName is the name of the view shown ("" when there is only one).
func (l *listView) viewName() string {
	entries := l.viewEntries()
	if len(entries) < 2 {
		return ""
	}
	return entries[l.currentView(entries)].name
}

// nextView is v.
func (l *listView) nextView() tea.Cmd {
	entries := l.viewEntries()
	if len(entries) < 2 {
		return nil
	}
	return l.switchTo(entries[(l.currentView(entries)+1)%len(entries)])
}

// switchToNamed is :view NAME.
func (l *listView) switchToNamed(name string) tea.Cmd {
	entries := l.viewEntries()
	for _, e := range entries {
		if strings.EqualFold(e.name, name) {
			return l.switchTo(e)
		}
	}
	if len(entries) == 0 {
		return failText("this provider has no views (save one with ctrl+s or :save NAME)")
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = clean(e.name)
	}
	return failText(fmt.Sprintf("no view %q (views: %s)", clean(name), strings.Join(names, ", ")))
}

// switchTo shows a view. A provider view reloads the list; leaving a saved
// view for it puts back the admin's own columns, no filter and load order.
// A saved view sets its filter, sort and columns (none: the admin's own)
// and reloads only when its provider view is not the one loaded.
func (l *listView) switchTo(e viewEntry) tea.Cmd {
	var cmds []tea.Cmd
	if e.saved == nil {
		if l.prefs.view != "" {
			l.prefs.view = ""
			cmds = append(cmds, l.applyLook(l.prefs.own, "", ""))
		}
		l.viewIdx = e.provider
		return tea.Batch(append(cmds, l.reload("loading "+clean(e.name)), info("view: "+clean(e.name)))...)
	}
	v := *e.saved
	l.prefs.view = e.name
	cols := v.Columns
	if len(cols) == 0 {
		cols = l.prefs.own
	}
	cmds = append(cmds, l.applyLook(cols, v.Sort, v.Query))
	idx := 0
	for i, pv := range l.c.Info.Caps.Views {
		if strings.EqualFold(pv, v.View) {
			idx = i
		}
	}
	if idx != l.viewIdx || l.pages == 0 {
		l.viewIdx = idx
		cmds = append(cmds, l.reload("loading "+clean(e.name)))
	}
	return tea.Batch(append(cmds, info("view: "+clean(e.name)+l.lookWords()))...)
}

// applyLook sets the columns, the sort and the filter. A sort on a column
// not among cols adds that column.
func (l *listView) applyLook(cols []string, sort, query string) tea.Cmd {
	col, desc := "", false
	if f := strings.Fields(sort); len(f) > 0 {
		col, desc = f[0], len(f) > 1 && strings.EqualFold(f[1], "desc")
	}
	keys := slices.Clone(cols)
	if len(keys) == 0 {
		keys = slices.Clone(defaultColumns)
	}
	sortCol := ""
	if col != "" {
		if k, _, _ := resolveColumns(l.c.Provider.Schema(), []string{col}); len(k) == 1 {
			sortCol = k[0]
			if !slices.Contains(keys, sortCol) {
				keys = append(keys, sortCol)
			}
		}
	}
	var cmds []tea.Cmd
	show, err := l.showColumns(keys)
	if err != nil {
		cmds = append(cmds, failure(err))
	} else if show != nil {
		cmds = append(cmds, show)
	}
	order := usertable.Unsorted
	if i := slices.Index(l.columnKeys(), sortCol); sortCol != "" && i >= 0 {
		order = usertable.SortOrder{Col: i, Desc: desc}
	}
	if order != l.table.Sort() {
		l.table.SortBy(order)
	}
	if query != l.query.Value() {
		l.query.SetValue(query)
		cmds = append(cmds, address(l.id, l.table.SetQuery(query)))
		l.SetSize(l.w, l.h)
	}
	return tea.Batch(cmds...)
}

// lookWords say what a saved view set, for the message line.
func (l *listView) lookWords() string {
	var parts []string
	if q := l.query.Value(); q != "" {
		parts = append(parts, fmt.Sprintf("filter %q", clean(q)))
	}
	if s := l.sortKey(); s != "" {
		parts = append(parts, "sorted by "+s)
	}
	parts = append(parts, "columns "+strings.Join(l.columnKeys(), ", "))
	return " (" + strings.Join(parts, "; ") + ")"
}

// viewSavedMsg is the state file's answer to a save.
type viewSavedMsg struct {
	view state.View
	path string
	err  error
}

// saveView is :save NAME (and ctrl+s, which opens the command line with
// ":save "): the current filter, provider view, sort and columns under
// that name, in the state file. A name of the provider's own views or of a
// config view is refused: those are not Roster's to change.
func (l *listView) saveView(name string) tea.Cmd {
	st := l.c.state
	if st == nil {
		return failText("views cannot be saved in this console: it keeps no state file (no $XDG_STATE_HOME or home, or the file did not read; or add it to the config's [[providers.NAME.views]])")
	}
	cfg, _ := l.c.savedViews()
	switch {
	case slices.ContainsFunc(l.c.Info.Caps.Views, func(v string) bool { return strings.EqualFold(v, name) }) || strings.EqualFold(name, defaultViewName):
		return failText(fmt.Sprintf("%q is one of %s's own views: save under another name", clean(name), clean(l.c.Info.Name)))
	case slices.ContainsFunc(cfg, func(v state.View) bool { return strings.EqualFold(v.Name, name) }):
		return failText(fmt.Sprintf("view %q is the config's (read-only from here): save under another name", clean(name)))
	}
	v := state.View{Name: name, Query: l.query.Value(), Sort: l.sortKey(), Columns: slices.Clone(l.columnKeys())}
	if v.Query == "" {
		v.Query = l.serverQuery // kept as a filter of the loaded users
	}
	if views := l.c.Info.Caps.Views; len(views) > 0 {
		v.View = views[l.viewIdx%len(views)]
	}
	provider, ctx := l.c.Info.Name, l.ctx
	return address(l.id, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, stateTimeout)
		defer cancel()
		return viewSavedMsg{view: v, path: st.Path(), err: st.SaveView(ctx, provider, v)}
	})
}

func (l *listView) onViewSaved(msg viewSavedMsg) tea.Cmd {
	// Over SSH the state file is the server's: its path and the file
	// system's words about it are not the admin's business.
	remote := l.c.Who != ""
	switch {
	case msg.err != nil && remote:
		return failure(fmt.Errorf("view %q not saved: the server could not write your state file", msg.view.Name))
	case msg.err != nil:
		return failure(fmt.Errorf("view %q not saved: %w", msg.view.Name, msg.err))
	}
	l.prefs.view = msg.view.Name
	l.applyCaps()
	if remote {
		return info(fmt.Sprintf("saved view %s%s", clean(msg.view.Name), l.lookWords()))
	}
	return info(fmt.Sprintf("saved view %s%s in %s", clean(msg.view.Name), l.lookWords(), msg.path))
}

// commandStarter is a view with keys that open the command line with a
// command already typed (the list's ctrl+s: ":save ").
type commandStarter interface {
	StartsCommand(msg tea.KeyMsg) string
}

// StartsCommand: ctrl+s in the list is ":save ".
func (l *listView) StartsCommand(msg tea.KeyMsg) string {
	if key.Matches(msg, l.keys.SaveView) && !l.querying {
		return "save "
	}
	return ""
}

// startsCommand is the command the top view starts with this key, "" none.
func (m *Model) startsCommand(msg tea.KeyMsg) string {
	if s, ok := m.top().(commandStarter); ok {
		return s.StartsCommand(msg)
	}
	return ""
}

// viewNames are the names :view completes.
func (l *listView) viewNames() []string {
	var out []string
	for _, e := range l.viewEntries() {
		out = append(out, clean(e.name))
	}
	return out
}

// savedViewNames are the console's saved views, which :save may replace.
func (l *listView) savedViewNames() []string {
	_, console := l.c.savedViews()
	var out []string
	for _, v := range console {
		out = append(out, clean(v.Name))
	}
	return out
}

func completeSave(m *Model, n int) []string {
	if n > 0 || m.list() == nil {
		return nil
	}
	return m.list().savedViewNames()
}

func runSave(m *Model, args []string) tea.Cmd {
	l := m.list()
	if l == nil {
		return failText(errNoList.Error())
	}
	if len(args) != 1 {
		return failText("usage: :save NAME (one word; an existing saved view of that name is replaced)")
	}
	return tea.Batch(popTo(l.ID()), l.saveView(args[0]))
}

// viewForgottenMsg is the state file's answer to :unsave.
type viewForgottenMsg struct {
	name string
	err  error
}

// runUnsave is :unsave NAME: the console's saved view goes from the state
// file (a config view is the config's to remove).
func runUnsave(m *Model, args []string) tea.Cmd {
	l := m.list()
	if l == nil {
		return failText(errNoList.Error())
	}
	if len(args) != 1 {
		return failText("usage: :unsave NAME (saved views: " + strings.Join(l.savedViewNames(), ", ") + ")")
	}
	i := slices.IndexFunc(l.savedViewNames(), func(n string) bool { return strings.EqualFold(n, args[0]) })
	if i < 0 {
		return failText(fmt.Sprintf("no view %q saved from the console (saved: %s)", clean(args[0]), strings.Join(l.savedViewNames(), ", ")))
	}
	_, console := l.c.savedViews()
	name, st, provider, ctx := console[i].Name, l.c.state, l.c.Info.Name, l.ctx
	return address(l.id, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, stateTimeout)
		defer cancel()
		return viewForgottenMsg{name: name, err: st.DeleteView(ctx, provider, name)}
	})
}

func (l *listView) onViewForgotten(msg viewForgottenMsg) tea.Cmd {
	if msg.err != nil {
		return failure(fmt.Errorf("view %q not forgotten: %w", msg.name, msg.err))
	}
	l.applyCaps()
	words := "forgot view " + clean(msg.name)
	if strings.EqualFold(l.prefs.view, msg.name) {
		words += " (its filter, sort and columns stay on screen)"
		l.prefs.view = ""
	}
	return info(words)
}
