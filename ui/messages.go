package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// The message line shows one message cut to the screen's width; provider
// errors are often longer. Every message also goes into the program's log,
// which M opens in full, wrapped and scrollable.

// maxLogEntries bounds the log: an SSH session may run for days.
const maxLogEntries = 200

type logEntry struct {
	at  time.Time
	msg statusMsg
}

// messageLog is the program's last messages, oldest first.
type messageLog struct{ entries []logEntry }

func (l *messageLog) add(at time.Time, m statusMsg) {
	if m.text == "" {
		return
	}
	if len(l.entries) == maxLogEntries {
		l.entries = append(l.entries[:0], l.entries[1:]...)
	}
	l.entries = append(l.entries, logEntry{at: at, msg: m})
}

// messagesView shows the log, newest at the bottom, where it opens.
type messagesView struct {
	viewBase
	vp   viewport.Model
	keys messagesKeys
}

type messagesKeys struct{ Up, Down, PageUp, PageDown key.Binding }

func newMessagesView(c *Common) *messagesView {
	v := &messagesView{viewBase: newViewBase(c), keys: messagesKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f", " "), key.WithHelp("pgdn", "page down")),
	}}
	c.bindings.remap(&v.keys)
	v.vp = viewport.New(c.Width, c.Height)
	v.vp.KeyMap = viewport.KeyMap{Up: v.keys.Up, Down: v.keys.Down, PageUp: v.keys.PageUp, PageDown: v.keys.PageDown}
	return v
}

func (v *messagesView) Init() tea.Cmd { return nil }
func (v *messagesView) Title() string { return "messages" }
func (v *messagesView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Up, v.keys.Down, v.c.Keys.Back}
}
func (v *messagesView) FullHelp() [][]key.Binding {
	return [][]key.Binding{{v.keys.Up, v.keys.Down, v.keys.PageUp, v.keys.PageDown}}
}

func (v *messagesView) SetSize(w, h int) {
	v.viewBase.SetSize(w, h)
	v.vp.Width, v.vp.Height = w, h
	v.render()
	v.vp.GotoBottom()
}

func (v *messagesView) Update(msg tea.Msg) (Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, v.c.Keys.Back) {
		return v, pop
	}
	var cmd tea.Cmd
	v.vp, cmd = v.vp.Update(msg)
	return v, cmd
}

func (v *messagesView) View() string { return v.vp.View() }

// render wraps each message to the width under its time.
func (v *messagesView) render() {
	s := v.c.Styles
	entries := v.c.log.entries
	if len(entries) == 0 {
		v.vp.SetContent(s.Muted.Render("No messages yet."))
		return
	}
	wrap := v.c.r.NewStyle().Width(max(v.w-2, 10))
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteByte('\n')
		}
		mark, style := "✓", s.Success
		switch {
		case e.msg.err:
			mark, style = "✗", s.Error
		case e.msg.notice:
			mark, style = "!", s.Notice
		}
		b.WriteString(s.Muted.Render(e.at.Format("15:04:05")) + " " + style.Render(mark) + "\n")
		b.WriteString(wrap.Render(e.msg.text) + "\n")
	}
	v.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}
