package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/roster-tui/roster/ui/termtext"
)

// titleBar: the app name, the provider and the breadcrumb of open views.
func (m *Model) titleBar() string {
	s := m.c.Styles
	left := s.Title.Render("Roster")
	var crumbs []string
	for _, v := range m.stack {
		if t := v.Title(); t != "" {
			crumbs = append(crumbs, t)
		}
	}
	room := m.width - termtext.Width(" Roster ") - 2
	return left + s.Crumb.Render(termtext.Truncate(strings.Join(crumbs, " › "), room))
}

// statusBar: provider, the views' own status (page, counts), a spinner while
// loading, who is signed in with which role, and the provider's notice.
func (m *Model) statusBar() string {
	s := m.c.Styles
	var parts []string
	if m.c.Provider != nil {
		parts = append(parts, s.StatusKey.Render(clean(m.c.Info.Name)))
	}
	if m.c.Demo {
		parts = append(parts, s.Notice.Render("demo data"))
	}
	for i := len(m.stack) - 1; i >= 0; i-- {
		if sr, ok := m.stack[i].(statusReporter); ok {
			if st := sr.Status(); st != "" {
				parts = append(parts, s.StatusBar.Render(st))
				break
			}
		}
	}
	if r := m.c.requests.retryText(m.c.Info.Name, m.c.now()); r != "" {
		parts = append(parts, s.Notice.Render(r))
	} else if b := m.busy(); b != "" {
		parts = append(parts, m.spinner.View()+" "+s.StatusBar.Render(b))
	}
	if m.c.Who != "" || m.c.Role != "" {
		parts = append(parts, s.StatusBar.Render(strings.TrimSpace(clean(m.c.Who)+" ("+clean(m.c.Role)+")")))
	}
	if n := m.c.Info.Notice; n != "" {
		parts = append(parts, s.Notice.Render(clean(n)))
	}
	if m.auditStatus != nil {
		if a := m.auditStatus(); a != "" {
			parts = append(parts, s.Notice.Render(a))
		}
	}
	return truncateStyled(strings.Join(parts, s.Muted.Render(" │ ")), m.width)
}

// messageLine: the quit question, the last message or error, else short help.
func (m *Model) messageLine() string {
	s := m.c.Styles
	if q := m.quitLine(); q != "" {
		return truncateStyled(q, m.width)
	}
	if m.showHelp {
		return truncateStyled(m.helpLine(), m.width)
	}
	switch {
	case m.message.text != "" && m.message.err:
		return s.Error.Render(termtext.Truncate("✗ "+m.message.text, m.width))
	case m.message.text != "" && m.message.notice:
		return s.Notice.Render(termtext.Truncate("! "+m.message.text, m.width))
	case m.message.text != "":
		return s.Success.Render(termtext.Truncate("✓ "+m.message.text, m.width))
	}
	h := m.help
	h.ShowAll = false
	global := []key.Binding{m.c.Keys.Help, m.c.Keys.Quit}
	if ic, ok := m.top().(inputCapturer); ok && ic.CapturesInput() {
		global = []key.Binding{m.c.Keys.TypedHelp, m.c.Keys.ForceQuit} // q and ? are typed here
	}
	return h.ShortHelpView(append(m.top().ShortHelp(), global...))
}
