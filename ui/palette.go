package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// The command line (":", as in k9s and vim) runs commands by name with tab
// completion. Besides the commands of palette_commands.go, every action the
// current screen binds to a key is a command named after its help text
// ("load all" → load-all), taken from the live key table: what the help
// shows is what can be typed, remapped or disabled keys included, and a
// command runs exactly what its key does.

// commandLine is the prompt's state; the root model owns one.
type commandLine struct {
	open  bool
	input textinput.Model
}

func newCommandLine(c *Common) commandLine {
	return commandLine{input: c.newTextInput(":", "command (tab completes, esc closes)")}
}

// command is one named command.
type command struct {
	name string
	args string // usage of the arguments, "" when none
	help string
	// complete lists candidates for argument n (0-based) of the command.
	complete func(m *Model, n int) []string
	run      func(m *Model, args []string) tea.Cmd
	binding  *key.Binding // set for the commands taken from the key table
	// commaList: the argument is a comma-separated list (:columns a,b), so
	// completing one name adds no space after it
	commaList bool
}

// commands are the built-in commands then the current screen's and the
// global key actions, each name once (a built-in wins).
func (m *Model) commands() []command {
	cmds := builtinCommands()
	seen := map[string]bool{}
	for _, c := range cmds {
		seen[c.name] = true
	}
	groups := append(m.top().FullHelp(), m.c.Keys.FullHelp()...)
	for _, group := range groups {
		for _, b := range group {
			if !b.Enabled() || b.Help().Desc == "" || len(b.Keys()) == 0 || slices.Contains(b.Keys(), ":") {
				continue
			}
			name := commandName(b.Help().Desc)
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			b := b
			cmds = append(cmds, command{
				name:    name,
				help:    b.Help().Desc + " (" + b.Help().Key + ")",
				binding: &b,
				run: func(m *Model, _ []string) tea.Cmd {
					k, ok := keyMsgFor(b.Keys()[0])
					if !ok {
						return nil
					}
					return m.handleKey(k)
				},
			})
		}
	}
	return cmds
}

// commandName turns help text into a command name: "next page" → next-page.
func commandName(desc string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(desc) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// keyMsgFor is the key press bubbles' key.Binding names k ("ctrl+s",
// "enter", "L").
func keyMsgFor(k string) (tea.KeyMsg, bool) {
	if r := []rune(k); len(r) == 1 {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: r}, true
	}
	alt := strings.HasPrefix(k, "alt+")
	name := strings.TrimPrefix(k, "alt+")
	if r := []rune(name); alt && len(r) == 1 {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: r, Alt: true}, true
	}
	for t := tea.KeyType(-200); t < 200; t++ {
		if t != tea.KeyRunes && t.String() == name {
			return tea.KeyMsg{Type: t, Alt: alt}, true
		}
	}
	if name == " " || name == "space" {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}, Alt: alt}, true
	}
	return tea.KeyMsg{}, false
}

// openCommandLine is the : key.
func (m *Model) openCommandLine() tea.Cmd {
	m.cmdline.open = true
	m.cmdline.input.SetValue("")
	return m.cmdline.input.Focus()
}

// updateCommandLine takes every key while the prompt is open.
func (m *Model) updateCommandLine(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc, tea.KeyCtrlC:
		m.closeCommandLine()
		return nil
	case tea.KeyTab:
		m.cmdline.input.SetValue(m.completeLine(m.cmdline.input.Value()))
		m.cmdline.input.CursorEnd()
		return nil
	case tea.KeyEnter:
		line := m.cmdline.input.Value()
		m.closeCommandLine()
		return m.runLine(line)
	}
	var cmd tea.Cmd
	m.cmdline.input, cmd = m.cmdline.input.Update(msg)
	return cmd
}

func (m *Model) closeCommandLine() {
	m.cmdline.open = false
	m.cmdline.input.Blur()
}

// runLine runs one command line.
func (m *Model) runLine(line string) tea.Cmd {
	words := strings.Fields(line)
	if len(words) == 0 {
		return nil
	}
	name := strings.ToLower(words[0])
	cmds := m.commands()
	for _, c := range cmds {
		if c.name == name {
			return c.run(m, words[1:])
		}
	}
	// a unique prefix is enough (":ref" refreshes)
	var found []command
	for _, c := range cmds {
		if strings.HasPrefix(c.name, name) {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0].run(m, words[1:])
	}
	return failText(fmt.Sprintf("unknown command %q (tab completes, :help lists them)", clean(words[0])))
}

// candidates are the completions of the line's last word, and that word.
func (m *Model) candidates(line string) (word string, out []string) {
	words := strings.Fields(line)
	trailing := line == "" || strings.HasSuffix(line, " ")
	if trailing {
		words = append(words, "")
	}
	word = words[len(words)-1]
	lw := strings.ToLower(word)
	if len(words) == 1 {
		for _, c := range m.commands() {
			if strings.HasPrefix(c.name, lw) {
				out = append(out, c.name)
			}
		}
		return word, out
	}
	for _, c := range m.commands() {
		if c.name != strings.ToLower(words[0]) || c.complete == nil {
			continue
		}
		for _, v := range c.complete(m, len(words)-2) {
			if strings.HasPrefix(strings.ToLower(v), lw) {
				out = append(out, v)
			}
		}
	}
	return word, out
}

// completeLine completes the last word: the candidate when there is one
// (and a space after it), else as far as every candidate agrees.
func (m *Model) completeLine(line string) string {
	word, cands := m.candidates(line)
	if len(cands) == 0 {
		return line
	}
	base := line[:len(line)-len(word)]
	if len(cands) == 1 {
		if m.commaListLine(line) {
			return base + cands[0]
		}
		return base + cands[0] + " "
	}
	common := cands[0]
	for _, c := range cands[1:] {
		for !strings.HasPrefix(strings.ToLower(c), strings.ToLower(common)) {
			common = common[:len(common)-1]
		}
	}
	if len(common) < len(word) {
		return line
	}
	return base + common
}

// commandLineView is the prompt and, after it, what tab would offer.
func (m *Model) commandLineView() string {
	s := m.c.Styles
	line := m.cmdline.input.View()
	_, cands := m.candidates(m.cmdline.input.Value())
	if len(cands) > 0 && m.cmdline.input.Value() != "" {
		slices.Sort(cands)
		line += s.Muted.Render("  " + strings.Join(cands, " "))
	}
	return truncateStyled(line, m.width)
}

// failText is an error on the message line.
func failText(text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, err: true} }
}

// commandsHelp lists the built-in commands for the help screen; the key
// actions above are commands too, named after their help.
func (m *Model) commandsHelp() string {
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(s.Section.Render("Commands (:, tab completes)") + "\n\n")
	for _, c := range builtinCommands() {
		if c.name == "q" {
			continue
		}
		use := c.name
		if c.args != "" {
			use += " " + c.args
		}
		b.WriteString(s.Help.FullKey.Render(fmt.Sprintf("%-22s", use)) + " " + s.Help.FullDesc.Render(c.help) + "\n")
	}
	b.WriteString(s.Muted.Render("and every key above by its name: :load-all, :refresh, :next-view, …") + "\n")
	return b.String()
}

// commaListLine says whether line is a command whose argument is a
// comma-separated list, past the command's name.
func (m *Model) commaListLine(line string) bool {
	words := strings.Fields(line)
	if len(words) < 2 && !strings.HasSuffix(line, " ") || len(words) == 0 {
		return false
	}
	for _, c := range builtinCommands() {
		if c.name == strings.ToLower(words[0]) {
			return c.commaList
		}
	}
	return false
}
