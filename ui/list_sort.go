package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/ui/usertable"
)

// Sorting is local: the table sorts what is loaded (an index over the loaded
// rows, see usertable/sort.go), off the UI goroutine for a large set. No provider documents a
// server-side sort (PROVIDERS.md), so while pages remain unloaded the status
// bar says the order covers only the loaded users.

// cycleSort is s: the next column ascending, after the last one load order.
func (l *listView) cycleSort() tea.Cmd {
	return l.sortBy(usertable.NextSort(l.table.Sort(), len(l.table.Columns())))
}

// reverseSort is S: the other direction (the first column when unsorted).
func (l *listView) reverseSort() tea.Cmd {
	o := l.table.Sort()
	if o.Col < 0 {
		return l.sortBy(usertable.SortOrder{Col: 0, Desc: true})
	}
	o.Desc = !o.Desc
	return l.sortBy(o)
}

func (l *listView) sortBy(o usertable.SortOrder) tea.Cmd {
	cmd := l.table.SortBy(o)
	if l.table.SortWaits() { // a load-all runs: the rows are sorted when it ends
		words := strings.TrimSuffix(l.sortWords(), " (loaded users only)")
		return info(strings.Replace(words, "sorted", "sorting", 1) + " once all are loaded")
	}
	if l.table.Sorting() { // a large set: the status bar says sorting… until it is done
		return tea.Batch(address(l.id, sortDone(cmd)), info(strings.Replace(l.sortWords(), "sorted", "sorting", 1)+"…"))
	}
	return info(l.sortWords())
}

// sortDoneMsg carries the table's background sort result through the list,
// so the message line can say "sorted" once the rows are in order.
type sortDoneMsg struct{ msg tea.Msg }

func sortDone(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		if msg := cmd(); msg != nil {
			return sortDoneMsg{msg}
		}
		return nil
	}
}

// onSortDone hands the result to the table and, once it is installed,
// says how the list is sorted now.
func (l *listView) onSortDone(msg sortDoneMsg) tea.Cmd {
	cmd := l.table.Update(msg.msg)
	if l.table.Sorting() { // stale, or sorting again after an edit
		return address(l.id, sortDone(cmd))
	}
	return tea.Batch(address(l.id, cmd), info(l.sortWords()))
}

// sortWords says how the list is sorted, for the message line.
func (l *listView) sortWords() string {
	o := l.table.Sort()
	if o.Col < 0 {
		return "sorted: as loaded"
	}
	dir := "ascending"
	if o.Desc {
		dir = "descending"
	}
	s := fmt.Sprintf("sorted by %s, %s", strings.ToLower(l.table.Columns()[o.Col]), dir)
	if l.someUnloaded() {
		s += " (loaded users only)"
	}
	return s
}

// sortStatus is the status bar's part: "sorting…" while a large set is
// sorted in the background, then present while sorted with pages still
// unloaded, where the order is not the provider's whole order.
func (l *listView) sortStatus() []string {
	if l.table.Sorting() {
		return []string{"sorting…"}
	}
	if l.table.SortWaits() { // a load-all is running: sorting per batch would cost O(all loaded)
		return []string{"sorted once loaded"}
	}
	if l.table.Sort().Col >= 0 && l.someUnloaded() {
		return []string{"sorted: loaded users only"}
	}
	return nil
}

// sortByName is :sort COL [desc]; COL is a column title, any case.
func (l *listView) sortByName(col string, desc bool) tea.Cmd {
	if col == "" || strings.EqualFold(col, "none") || strings.EqualFold(col, "load") {
		return l.sortBy(usertable.Unsorted)
	}
	for i, t := range l.table.Columns() {
		if strings.EqualFold(t, col) {
			return l.sortBy(usertable.SortOrder{Col: i, Desc: desc})
		}
	}
	return failure(fmt.Errorf("no column %q (columns: %s)", clean(col), strings.Join(l.table.Columns(), ", ")))
}

// someUnloaded reports whether users remain that the list has not loaded:
// pages to come, or fewer loaded than the provider said (a load-all stopped
// part way).
func (l *listView) someUnloaded() bool {
	return l.next != "" || l.total > l.table.Total()
}
