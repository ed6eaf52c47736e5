package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// Help (? or f1) works on every screen: over a text input, where ? may be a
// character, f1 opens it, and so does ? when the input cannot hold one. It
// scrolls, so a small terminal still shows every key.

// helpScrollKeys scroll the help; any other key closes it.
var helpScrollKeys = viewport.KeyMap{
	Up:       key.NewBinding(key.WithKeys("up", "k")),
	Down:     key.NewBinding(key.WithKeys("down", "j")),
	PageUp:   key.NewBinding(key.WithKeys("pgup", "b")),
	PageDown: key.NewBinding(key.WithKeys("pgdown", "f", " ")),
}

// helpWhileTyping says whether a help key opens help over the top view's
// text input: f1 always, ? when the input cannot take it.
func (m *Model) helpWhileTyping(msg tea.KeyMsg) bool {
	if key.Matches(msg, m.c.Keys.TypedHelp) {
		return true
	}
	rt, ok := m.top().(runeTaker)
	return ok && msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && !rt.TakesRune(msg.Runes[0])
}

// openHelp shows the keys of the top view and the global ones.
func (m *Model) openHelp() {
	m.showHelp = true
	m.helpPane = viewport.New(m.c.Width, m.c.Height)
	m.helpPane.KeyMap = helpScrollKeys
	m.helpPane.SetContent(m.helpText())
}

// helpKey scrolls the help or closes it; ctrl+c still quits.
func (m *Model) helpKey(msg tea.KeyMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return m.requestQuit()
	}
	km := helpScrollKeys
	if key.Matches(msg, km.Up, km.Down, km.PageUp, km.PageDown) && !m.helpFits() {
		var cmd tea.Cmd
		m.helpPane, cmd = m.helpPane.Update(msg)
		return cmd
	}
	m.showHelp = false // any other key closes help
	return nil
}

// keyColumns lays the groups of keys side by side, or one under another
// when they do not fit the width (the help would cut them off).
func (m *Model) keyColumns(groups [][]key.Binding) string {
	h := m.help
	h.ShowAll = true
	h.Width = 0 // measure without cutting
	if side := h.FullHelpView(groups); lipgloss.Width(side) <= m.c.Width {
		return side
	}
	var blocks []string
	for _, g := range groups {
		if col := h.FullHelpView([][]key.Binding{g}); col != "" {
			blocks = append(blocks, col)
		}
	}
	return strings.Join(blocks, "\n")
}

func (m *Model) helpFits() bool { return m.helpPane.TotalLineCount() <= m.helpPane.Height }

func (m *Model) helpText() string {
	h := m.help
	h.ShowAll = true
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(s.Section.Render("Keys: "+m.top().Title()) + "\n\n")
	b.WriteString(m.keyColumns(m.top().FullHelp()) + "\n\n")
	b.WriteString(s.Section.Render("Everywhere") + "\n\n")
	b.WriteString(m.keyColumns(m.c.Keys.FullHelp()))
	b.WriteString("\n\n" + m.commandsHelp())
	return b.String()
}

// helpLine is the message line under the help: how to scroll it when it
// does not fit.
func (m *Model) helpLine() string {
	if m.helpFits() {
		return m.c.Styles.Muted.Render("any key closes help")
	}
	return m.c.Styles.Muted.Render(fmt.Sprintf("↑/↓ scroll %d%% · other keys close", int(m.helpPane.ScrollPercent()*100)))
}

// formTakesText says whether the form's focused field is one text is typed
// into (an input or a text area), where ? is a character, not help.
func formTakesText(f *huh.Form) bool {
	if f == nil {
		return false
	}
	switch f.GetFocusedField().(type) {
	case *huh.Input, *huh.Text:
		return true
	}
	return false
}
