package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/ui/termtext"
)

// personView finds one person in every provider at once (crm/person.Find,
// each provider answering as it can) and shows one table: provider, user,
// status, last update — a spinner for each provider still searching, the
// error of any that failed (never "not found"). enter opens that user in
// its provider; o offboards the person everywhere.
type personView struct {
	viewBase
	keys    personKeys
	input   textinput.Model
	typing  bool
	query   string
	gen     int
	answers []*person.Found // by provider index; nil while searching
	rows    []personRow
	cursor  int
	frame   int  // the searching spinner's frame
	moved   bool // the admin moved the cursor since the search began
}

// personRow is one line of the table: a user, or a provider's state.
type personRow struct {
	provider int
	user     *crm.User
}

type personKeys struct {
	Search, Open, Offboard, Onboard, Up, Down, Back key.Binding
}

type (
	personFoundMsg struct {
		gen  int
		f    person.Found
		next tea.Cmd
	}
	personTickMsg struct{ gen int }
	// personRefindMsg: a run changed the person; search again.
	personRefindMsg struct{}
)

// refind has the person table with id search again, after a run (offboard,
// onboard) changed what it showed.
func refind(id int) tea.Cmd {
	return address(id, func() tea.Msg { return personRefindMsg{} })
}

// personFindKey opens the find from the picker.
func personFindKey() key.Binding {
	return key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find a person everywhere"))
}

func newPersonView(c *Common) *personView {
	v := &personView{viewBase: newViewBase(c), typing: true, keys: personKeys{
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search again")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open in its provider")),
		Offboard: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "offboard everywhere")),
		Onboard:  personOnboardKey(),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "down")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}}
	c.bindings.remap(&v.keys)
	v.input = c.newTextInput("/ ", "email or name, in every provider")
	v.input.Focus()
	return v
}

func (v *personView) Title() string       { return "person" }
func (v *personView) Init() tea.Cmd       { return textinput.Blink }
func (v *personView) CapturesInput() bool { return v.typing }
func (v *personView) Busy() string {
	if n := v.pending(); n > 0 {
		return fmt.Sprintf("searching %d of %d providers", n, len(v.c.Providers))
	}
	return ""
}
func (v *personView) ShortHelp() []key.Binding {
	if v.typing {
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "find")), v.keys.Back}
	}
	return []key.Binding{v.keys.Open, v.keys.Offboard, v.keys.Onboard, v.keys.Search, v.keys.Back}
}
func (v *personView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *personView) pending() int {
	n := 0
	if v.query == "" {
		return 0
	}
	for _, a := range v.answers {
		if a == nil {
			n++
		}
	}
	return n
}

// find starts the search in every provider; answers stream in as each
// provider answers.
func (v *personView) find(q string) tea.Cmd {
	v.gen++
	v.query = q
	v.answers = make([]*person.Found, len(v.c.Providers))
	v.cursor, v.moved = 0, false
	v.layout()
	ch := person.Find(v.ctx, v.c.Providers, q)
	gen := v.gen
	return tea.Batch(address(v.id, waitFound(ch, gen)), v.tick())
}

func waitFound(ch <-chan person.Found, gen int) tea.Cmd {
	return func() tea.Msg {
		f, ok := <-ch
		if !ok {
			return nil
		}
		return personFoundMsg{gen: gen, f: f, next: waitFound(ch, gen)}
	}
}

func (v *personView) tick() tea.Cmd {
	gen := v.gen
	return tea.Tick(120*time.Millisecond, func(time.Time) tea.Msg { return personTickMsg{gen: gen} })
}

func (v *personView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case personFoundMsg:
		if msg.gen != v.gen {
			return v, nil
		}
		f := msg.f
		if f.Index >= 0 && f.Index < len(v.answers) {
			v.answers[f.Index] = &f
		}
		v.layout()
		return v, address(v.id, msg.next)
	case personRefindMsg:
		if v.query == "" {
			return v, nil
		}
		return v, v.find(v.query)
	case personTickMsg:
		if msg.gen != v.gen || v.pending() == 0 {
			return v, nil
		}
		v.frame++
		return v, address(v.id, v.tick())
	case tea.KeyMsg:
		if v.typing {
			return v, v.onTyping(msg)
		}
		return v, v.onKey(msg)
	}
	return v, nil
}

func (v *personView) onTyping(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		if v.query == "" {
			return pop
		}
		v.typing = false
		v.input.Blur()
		return nil
	case tea.KeyEnter:
		q := strings.TrimSpace(v.input.Value())
		if q == "" {
			return info("type an email or a name")
		}
		v.typing = false
		v.input.Blur()
		return v.find(q)
	}
	var cmd tea.Cmd
	v.input, cmd = v.input.Update(msg)
	return cmd
}

func (v *personView) onKey(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Back):
		return pop
	case key.Matches(msg, k.Search):
		v.typing = true
		return v.input.Focus()
	case key.Matches(msg, k.Up):
		v.move(-1)
	case key.Matches(msg, k.Down):
		v.move(1)
	case key.Matches(msg, k.Open):
		if r, ok := v.selected(); ok {
			v.c.useProvider(v.c.Providers[r.provider])
			return push(newDetailView(v.c, *r.user, v.id))
		}
	case key.Matches(msg, k.Offboard):
		return v.offboard()
	case key.Matches(msg, k.Onboard):
		email := ""
		if person.IsEmail(v.query) {
			email = v.query // searched and perhaps not found: onboard them
		}
		return openOnboard(v.c, v.id, email)
	}
	return nil
}

// move steps the cursor over user rows only.
func (v *personView) move(d int) {
	for i := v.cursor + d; i >= 0 && i < len(v.rows); i += d {
		if v.rows[i].user != nil {
			v.cursor, v.moved = i, true
			return
		}
	}
}

func (v *personView) selected() (personRow, bool) {
	if v.cursor < 0 || v.cursor >= len(v.rows) || v.rows[v.cursor].user == nil {
		return personRow{}, false
	}
	return v.rows[v.cursor], true
}

// layout rebuilds the rows: per provider, its users or one state line.
func (v *personView) layout() {
	// the cursor stays on the account the admin moved to; until then, on
	// the first account (answers arrive in any order)
	var sel string
	if r, ok := v.selected(); ok && v.moved {
		sel = fmt.Sprint(r.provider, "/", r.user.ID)
	}
	v.rows = v.rows[:0]
	for i, a := range v.answers {
		if a == nil || len(a.Users) == 0 {
			v.rows = append(v.rows, personRow{provider: i})
			continue
		}
		for j := range a.Users {
			v.rows = append(v.rows, personRow{provider: i, user: &a.Users[j]})
		}
	}
	v.cursor = -1
	for i, r := range v.rows {
		if r.user != nil && (v.cursor < 0 || fmt.Sprint(r.provider, "/", r.user.ID) == sel) {
			v.cursor = i
		}
	}
	if v.cursor < 0 {
		v.cursor = 0
	}
}

func (v *personView) View() string {
	s := v.c.Styles
	var b strings.Builder
	b.WriteString(s.Section.Render(termtext.Truncate("One person in every provider", v.w)) + "\n")
	b.WriteString(v.input.View() + "\n\n")
	if v.query == "" {
		b.WriteString(s.Muted.Render(termtext.Truncate("Type an email or a name and press enter: every provider is searched at once.", v.w)))
		return b.String()
	}
	provW, nameW, statW, dateW := 10, 0, 10, 10
	for _, p := range v.c.Providers {
		provW = max(provW, min(termtext.Width(clean(p.Info().Name)), 16))
	}
	nameW = max(v.w-provW-statW-dateW-2-3, 8)
	line := func(cells ...string) string {
		w := []int{provW, nameW, statW, dateW}
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = termtext.Fit(c, w[i])
		}
		return termtext.Truncate(strings.Join(out, " "), max(v.w-2, 1))
	}
	b.WriteString("  " + s.Label.Render(line("Provider", "User", "Status", "Updated")) + "\n")
	frames := spinner.Dot.Frames
	room := max(v.h-5, 1)
	start := max(0, v.cursor-room+1)
	for i := start; i < len(v.rows) && i < start+room; i++ {
		r := v.rows[i]
		prov := clean(v.c.Providers[r.provider].Info().Name)
		a := v.answers[r.provider]
		lead := "  "
		var text string
		switch {
		case a == nil:
			text = s.Muted.Render(line(prov, strings.TrimSpace(frames[v.frame%len(frames)])+" searching…", "", ""))
		case a.Err != nil:
			text = s.Error.Render(line(prov, "✗ "+errText(a.Err), "", ""))
		case r.user == nil:
			text = s.Muted.Render(line(prov, "not found", "", ""))
		default:
			u := r.user
			who := clean(u.DisplayName())
			if u.Email != "" {
				who += " <" + clean(u.Email) + ">"
			}
			text = line(prov, who, clean(crm.StatusWord(*u)), shortDate(u.UpdatedAt))
			if i == v.cursor {
				lead = "> "
				text = s.ButtonOn.UnsetPadding().UnsetMargins().Render(text)
			}
		}
		b.WriteString(lead + text + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
