package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// builtinCommands are the commands that take arguments or reach across
// screens; the rest come from the key table (palette.go).
func builtinCommands() []command {
	return []command{
		{name: "provider", args: "NAME", help: "open a provider's users", complete: completeProviders, run: runProvider},
		{name: "view", args: "NAME", help: "switch the list to one of the provider's views", complete: completeViews, run: runView},
		{name: "user", args: "ID", help: "open a user by id", run: runUser},
		{name: "sort", args: "COLUMN [desc]", help: "sort the loaded users (none: load order)", complete: completeSort, run: runSort},
		{name: "columns", args: "A,B,…", help: "show these columns, in this order (default: the usual five); remembered", complete: completeColumns, run: runColumns, commaList: true},
		{name: "save", args: "NAME", help: "save the filter, view, sort and columns as a view", complete: completeSave, run: runSave},
		{name: "unsave", args: "NAME", help: "forget a view saved from the console", complete: completeSave, run: runUnsave},
		{name: "export", args: "[FILE]", help: "export what the list shows (or the marked users); .json/.jsonl/.csv", run: runExport},
		{name: "help", help: "show the keys and commands", run: func(m *Model, _ []string) tea.Cmd { m.openHelp(); return nil }},
		{name: "q", help: "quit", run: func(m *Model, _ []string) tea.Cmd { return m.requestQuit() }},
		{name: "quit", help: "quit", run: func(m *Model, _ []string) tea.Cmd { return m.requestQuit() }},
	}
}

// list is the topmost users list on the stack, nil when none is open.
func (m *Model) list() *listView {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if l, ok := m.stack[i].(*listView); ok {
			return l
		}
	}
	return nil
}

var errNoList = errors.New("no users list is open: choose a provider first (:provider NAME)")

func completeProviders(m *Model, n int) []string {
	if n > 0 {
		return nil
	}
	var out []string
	for _, p := range m.c.Providers {
		out = append(out, clean(p.Info().Name))
	}
	return out
}

// runProvider opens another provider's list, as choosing it in the picker
// does; the screens above the picker close, unless one holds unsaved edits.
func runProvider(m *Model, args []string) tea.Cmd {
	if len(args) != 1 {
		return failText("usage: :provider NAME")
	}
	var p crm.Provider
	for _, q := range m.c.Providers {
		if strings.EqualFold(q.Info().Name, args[0]) {
			p = q
		}
	}
	if p == nil {
		return failText(fmt.Sprintf("no provider %q (have: %s)", clean(args[0]), strings.Join(completeProviders(m, 0), ", ")))
	}
	if m.c.Provider == p {
		if l := m.list(); l != nil {
			return popTo(l.ID())
		}
	}
	if m.dirty() {
		return failText("a form holds unsaved edits: save or discard them first")
	}
	for len(m.stack) > 1 {
		m.popTop()
	}
	if _, ok := m.stack[0].(*pickerView); !ok {
		m.stack[0].Close()
		m.stack = []Component{newPickerView(m.c, p.Info().Name)}
	}
	m.c.useProvider(p)
	return push(newListView(m.c))
}

func completeViews(m *Model, n int) []string {
	if n > 0 || m.list() == nil {
		return nil
	}
	return m.list().viewNames()
}

func runView(m *Model, args []string) tea.Cmd {
	l := m.list()
	if l == nil {
		return failText(errNoList.Error())
	}
	if len(args) != 1 {
		return failText("usage: :view NAME (views: " + strings.Join(completeViews(m, 0), ", ") + ")")
	}
	return tea.Batch(popTo(l.ID()), l.switchToNamed(args[0]))
}

// userOpenedMsg is a user read by :user, for the root to open.
type userOpenedMsg struct {
	user crm.User
	err  error
	id   string
}

func runUser(m *Model, args []string) tea.Cmd {
	l := m.list()
	if l == nil {
		return failText(errNoList.Error())
	}
	if len(args) != 1 {
		return failText("usage: :user ID")
	}
	id, p := args[0], m.c.Provider
	return m.c.requests.request(m.c.ctx, func(ctx context.Context) tea.Msg {
		u, err := p.Get(ctx, id)
		return userOpenedMsg{user: u, err: err, id: id}
	})
}

// onUserOpened shows the user over its list, or why not.
func (m *Model) onUserOpened(msg userOpenedMsg) tea.Cmd {
	l := m.list()
	if l == nil {
		return nil // the list closed meanwhile
	}
	if msg.err != nil {
		if errors.Is(msg.err, crm.ErrNotFound) {
			return failText(fmt.Sprintf("no user with id %q", clean(msg.id)))
		}
		return failure(msg.err)
	}
	return inOrder(popTo(l.ID()), push(newDetailView(m.c, msg.user, l.ID())))
}

func completeSort(m *Model, n int) []string {
	l := m.list()
	switch {
	case l == nil:
		return nil
	case n == 0:
		return append([]string{"none"}, l.sortColumnNames()...)
	case n == 1:
		return []string{"asc", "desc"}
	}
	return nil
}

func runSort(m *Model, args []string) tea.Cmd {
	l := m.list()
	if l == nil {
		return failText(errNoList.Error())
	}
	if len(args) == 0 || len(args) > 2 || len(args) == 2 && !strings.EqualFold(args[1], "desc") && !strings.EqualFold(args[1], "asc") {
		return failText("usage: :sort COLUMN [asc|desc] (columns: " + strings.Join(l.sortColumnNames(), ", ") + ")")
	}
	col := args[0]
	if i := l.columnIndex(col); i >= 0 {
		col = l.table.Columns()[i] // a column's name or its header
	}
	return l.sortByName(col, len(args) == 2 && strings.EqualFold(args[1], "desc"))
}

// runExport is the list's export (x, export.go): with no FILE its form,
// with one the file written at once, the format following the extension
// (.json, .jsonl, else CSV) with the visible columns. A file that exists
// is never overwritten (the export refuses it).
func runExport(m *Model, args []string) tea.Cmd {
	l := m.list()
	if l == nil {
		return failText(errNoList.Error())
	}
	open := l.openExport()
	if open == nil || len(args) == 0 {
		return inOrder(popTo(l.ID()), open)
	}
	msg := open()
	p, ok := msg.(pushMsg)
	v, isExport := p.c.(*exportView)
	if !ok || !isExport {
		return func() tea.Msg { return msg } // nothing to export: its message
	}
	v.file = strings.Join(args, " ")
	switch strings.ToLower(filepath.Ext(v.file)) {
	case ".json":
		v.format = string(formatJSON)
	case ".jsonl":
		v.format = string(formatJSONL)
	}
	v.buildForm()
	return inOrder(popTo(l.ID()), func() tea.Msg { return p }, v.export())
}
