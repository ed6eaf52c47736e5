package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/match"
)

// updateQuery handles keys while the query input has focus: typing narrows
// the loaded users at once; enter keeps the filter (or, when the provider
// searches server-side and not every user is loaded, sends the query
// there); ctrl+s always asks the server; esc clears it.
func (l *listView) updateQuery(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, l.keys.ClearSearch):
		return l.clearQuery()
	case key.Matches(msg, l.keys.ServerSearch),
		msg.Type == tea.KeyEnter && l.enterSearchesServer():
		if !l.c.Info.Caps.ServerSearch {
			return notice("this provider cannot search on the server; filtering loaded users")
		}
		q := strings.TrimSpace(l.query.Value())
		if !serverAccepts(l.c.Info.Caps, q) {
			// the provider would ignore it and list everyone: keep the
			// local narrowing instead
			l.querying = false
			l.query.Blur()
			return notice(fmt.Sprintf("%s does not search for %q; filtering loaded users", clean(l.c.Info.Name), clean(q)))
		}
		return l.serverSearch(q)
	case msg.Type == tea.KeyEnter, msg.Type == tea.KeyDown, msg.Type == tea.KeyUp:
		l.querying = false
		l.query.Blur()
		if msg.Type != tea.KeyEnter {
			return l.table.Update(msg)
		}
		return nil
	}
	var cmd tea.Cmd
	l.query, cmd = l.query.Update(msg)
	return tea.Batch(cmd, address(l.id, l.table.SetQuery(l.query.Value())))
}

// enterSearchesServer: enter sends the query to the server only when that
// can find more than the local filter already shows — the provider searches
// and some users are not loaded yet. With everything loaded, enter keeps
// the (instant, complete) local narrowing.
func (l *listView) enterSearchesServer() bool {
	return l.c.Info.Caps.ServerSearch && l.next != "" && strings.TrimSpace(l.query.Value()) != ""
}

// serverAccepts says whether the server would search for q rather than
// ignore it (Laurel: 2–100 characters): crm/match decides, for the CLI too.
func serverAccepts(caps crm.Capabilities, q string) bool { return match.ServerSearches(caps, q) }

// serverSearch replaces the loaded users with the server's answer to q.
func (l *listView) serverSearch(q string) tea.Cmd {
	l.querying = false
	l.query.Blur()
	l.query.SetValue("")
	l.serverQuery = q
	l.next, l.total = "", -1
	tableCmd := address(l.id, l.table.SetQuery(""))
	l.SetSize(l.w, l.h)
	return tea.Batch(tableCmd, l.reload(fmt.Sprintf("searching the server for %q", clean(q))))
}

// clearQuery drops the local filter and, if the server searched, reloads
// the unfiltered list.
func (l *listView) clearQuery() tea.Cmd {
	l.querying = false
	l.query.Blur()
	l.query.SetValue("")
	cmds := []tea.Cmd{address(l.id, l.table.SetQuery(""))}
	if l.serverQuery != "" {
		l.serverQuery = ""
		l.next, l.total = "", -1
		cmds = append(cmds, l.reload("loading users"))
	}
	l.SetSize(l.w, l.h)
	return tea.Batch(cmds...)
}

// filterHereInstead follows a server search that found nothing. No provider
// documents whether its search ignores accents, and one that does not
// finds no "Zoë" for zoe, which / finds: so the query goes back to the
// local filter (case and accents ignored) over the list as it was before
// the search, and the message says why (L then loads every page for it).
func (l *listView) filterHereInstead() tea.Cmd {
	q := l.serverQuery
	l.serverQuery = ""
	l.query.SetValue(q)
	tableCmd := address(l.id, l.table.SetQuery(q))
	l.SetSize(l.w, l.h)
	return tea.Batch(tableCmd, l.reload("loading users"),
		notice(fmt.Sprintf("server search %q: 0 found — it may match accents exactly; / filters here instead (L: all pages)", clean(q))))
}
