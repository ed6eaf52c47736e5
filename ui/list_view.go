package ui

import (
	"fmt"
	"strings"
)

// View draws the query line, the load-all progress and the table.
func (l *listView) View() string {
	s := l.c.Styles
	var b strings.Builder
	switch {
	case l.querying || l.query.Value() != "":
		b.WriteString(l.query.View())
		if l.c.Info.Caps.ServerSearch && l.querying {
			b.WriteString(s.Muted.Render("  enter: search on the server"))
		}
		b.WriteByte('\n')
	case l.serverQuery != "":
		b.WriteString(s.Notice.Render(fmt.Sprintf("server search: %q", clean(l.serverQuery))) + s.Muted.Render("  esc: clear") + "\n")
	}
	if l.loadAllCancel != nil {
		label := fmt.Sprintf(" %d", l.loadedAll)
		pct := 0.0
		if l.loadTotal > 0 {
			pct = float64(l.loadedAll) / float64(l.loadTotal)
			label += fmt.Sprintf(" of %d", l.loadTotal)
		}
		b.WriteString(l.bar.ViewAs(pct) + s.Muted.Render(label+" · esc to cancel") + "\n")
	}
	if l.table.Total() == 0 && l.loading == "" {
		b.WriteString(s.Muted.Render("No users."))
		return b.String()
	}
	b.WriteString(l.table.View())
	return b.String()
}

// Status says where the cursor is and how much is loaded.
func (l *listView) Status() string {
	if l.pages == 0 {
		return ""
	}
	var parts []string
	size := max(l.c.PageSize, 1)
	page := l.table.Cursor()/size + 1
	switch {
	case l.total >= 0: // the provider says how many: so many pages
		parts = append(parts, fmt.Sprintf("page %d/%d", page, max((l.total+size-1)/size, page)))
	case l.next != "": // more to come, how many unknown
		parts = append(parts, fmt.Sprintf("page %d/%d+", page, max(l.pages, page)))
	default:
		parts = append(parts, fmt.Sprintf("page %d/%d", page, max(l.pages, page)))
	}
	loaded := fmt.Sprintf("%d loaded", l.table.Total())
	if l.total >= 0 {
		loaded = fmt.Sprintf("%d of %d", l.table.Total(), l.total)
	}
	parts = append(parts, loaded)
	if l.query.Value() != "" {
		parts = append(parts, fmt.Sprintf("%d match", l.table.Len()))
	}
	if views := l.c.Info.Caps.Views; len(views) > 1 {
		parts = append(parts, "view "+clean(views[l.viewIdx%len(views)]))
	}
	return strings.Join(parts, " · ")
}
