package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/spinner"

	"github.com/roster-tui/roster/ui/termtext"
)

// View draws the query line, the load-all progress and the table.
func (l *listView) View() string {
	s := l.c.Styles
	var b strings.Builder
	switch {
	case l.querying || l.query.Value() != "":
		b.WriteString(l.query.View())
		if l.querying && l.enterSearchesServer() {
			b.WriteString(s.Muted.Render("  enter: search on the server"))
		} else if l.querying && l.c.Info.Caps.ServerSearch {
			b.WriteString(s.Muted.Render("  all loaded: filtering here · ctrl+s: search on the server"))
		}
		b.WriteByte('\n')
	case l.serverQuery != "":
		b.WriteString(s.Notice.Render(fmt.Sprintf("server search: %q", clean(l.serverQuery))) + s.Muted.Render("  esc: clear") + "\n")
	}
	if l.loadAllCancel != nil {
		b.WriteString(l.loadAllLine() + "\n")
	}
	if l.table.Total() == 0 && l.loading == "" {
		if l.loadErr != "" {
			b.WriteString(l.loadErrorView())
			return b.String()
		}
		b.WriteString(s.Muted.Render("No users."))
		return b.String()
	}
	b.WriteString(l.table.View())
	return b.String()
}

// loadErrorView stands where the list would: a failed load is not an empty
// list. The error is wrapped, not cut; M shows every message in full.
func (l *listView) loadErrorView() string {
	s := l.c.Styles
	width := max(l.w-2, 10)
	head := s.Error.Bold(true).Render(termtext.Truncate("Could not load users from "+clean(l.c.Info.Name), width))
	body := l.c.r.NewStyle().Width(width).Render(l.loadErr)
	lines := strings.Split(body, "\n")
	if room := max(l.h-4, 1); len(lines) > room {
		lines = append(lines[:room-1], "…")
	}
	keys := s.Muted.Render(termtext.Truncate("r: retry · M: all messages", width))
	return head + "\n" + strings.Join(lines, "\n") + "\n\n" + keys
}

// loadAllLine is the load-all progress on exactly one line: a bar as wide
// as the label leaves room for when the provider says how many users it
// has, else a spinner that turns with each page and the count so far.
func (l *listView) loadAllLine() string {
	s := l.c.Styles
	const cancel = " · esc to cancel"
	if l.loadTotal <= 0 {
		frames := spinner.Dot.Frames
		frame := strings.TrimSpace(frames[l.loadSteps%len(frames)])
		line := fmt.Sprintf("%s %s loaded so far%s", frame, groupDigits(l.loadedAll), cancel)
		return s.Muted.Render(termtext.Truncate(line, l.w))
	}
	counts := fmt.Sprintf(" %s of %s", groupDigits(l.loadedAll), groupDigits(l.loadTotal))
	label := counts + cancel
	const minBar = 10
	if l.w-termtext.Width(label) < minBar {
		label = counts + " · esc" // narrow terminal: keep the bar, shorten the words
	}
	barWidth := l.w - termtext.Width(label)
	if barWidth < minBar {
		return s.Muted.Render(termtext.Truncate(strings.TrimSpace(label), l.w))
	}
	bar := l.bar
	bar.Width = barWidth
	pct := min(float64(l.loadedAll)/float64(l.loadTotal), 1)
	return bar.ViewAs(pct) + s.Muted.Render(label)
}

// Status says where the cursor is and how much is loaded. Once every user
// is loaded, pages no longer mean anything (the admin scrolls), so it says
// which row of how many.
func (l *listView) Status() string {
	if l.pages == 0 {
		return ""
	}
	if l.next == "" && l.total == l.table.Total() {
		return l.allLoadedStatus()
	}
	total := l.total
	if total < l.table.Total() {
		total = -1 // a count below what is loaded describes something else
	}
	var parts []string
	size := max(l.c.PageSize, 1)
	page := l.table.Cursor()/size + 1
	switch {
	case total >= 0: // the provider says how many: so many pages
		parts = append(parts, fmt.Sprintf("page %d/%d", page, max((total+size-1)/size, page)))
	case l.next != "": // more to come, how many unknown
		parts = append(parts, fmt.Sprintf("page %d/%d+", page, max(l.pages, page)))
	default:
		parts = append(parts, fmt.Sprintf("page %d/%d", page, max(l.pages, page)))
	}
	loaded := fmt.Sprintf("%s loaded", groupDigits(l.table.Total()))
	if total >= 0 {
		loaded = fmt.Sprintf("%s of %s", groupDigits(l.table.Total()), groupDigits(total))
	}
	parts = append(parts, loaded)
	if l.query.Value() != "" {
		parts = append(parts, counted(l.table.Len(), "match", "matches"))
	}
	parts = append(l.marksStatus(), parts...)
	return strings.Join(append(parts, l.viewStatus()...), " · ")
}

// allLoadedStatus: "row 1 of 1,000,000 · all loaded", or with a filter
// "row 3 of 40 matches · all 1,000,000 loaded".
func (l *listView) allLoadedStatus() string {
	all := groupDigits(l.table.Total())
	var parts []string
	switch {
	case l.table.Total() == 0:
		parts = append(parts, "no users")
	case l.query.Value() == "":
		parts = append(parts, fmt.Sprintf("row %s of %s", groupDigits(l.table.Cursor()+1), all), "all loaded")
	case l.table.Len() == 0:
		parts = append(parts, "no matches", "all "+all+" loaded")
	default:
		parts = append(parts, fmt.Sprintf("row %s of %s matches", groupDigits(l.table.Cursor()+1), groupDigits(l.table.Len())), "all "+all+" loaded")
	}
	parts = append(l.marksStatus(), parts...)
	return strings.Join(append(parts, l.viewStatus()...), " · ")
}

// viewStatus names the provider's view when it has several.
func (l *listView) viewStatus() []string {
	if name := l.viewName(); name != "" {
		return append([]string{"view " + clean(name)}, l.sortStatus()...)
	}
	return l.sortStatus()
}
