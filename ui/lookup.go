package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/roster-tui/roster/crm"
)

// lookupView is "find by identity": an identity type and a value, answered
// by Provider.Lookup, which opens the user's detail.
type lookupView struct {
	viewBase
	backTo int
	keys   lookupKeys
	kind   string
	value  string
	form   *huh.Form
	busy   bool
	failed string
}

type lookupResultMsg struct {
	user crm.User
	err  error
}

func newLookupView(c *Common, backTo int) *lookupView {
	v := &lookupView{viewBase: newViewBase(c), backTo: backTo, keys: newLookupKeys(c.bindings)}
	if types := c.Info.Caps.IdentityTypes; len(types) > 0 {
		v.kind = types[0]
	}
	v.buildForm()
	return v
}

func (v *lookupView) buildForm() {
	opts := make([]huh.Option[string], 0, len(v.c.Info.Caps.IdentityTypes))
	for _, t := range v.c.Info.Caps.IdentityTypes {
		opts = append(opts, huh.NewOption(clean(t), t))
	}
	v.form = huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().Title("Identity type").Options(opts...).Value(&v.kind),
		huh.NewInput().Title("Value").Value(&v.value).Validate(func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errRequired
			}
			return nil
		}),
	)).WithTheme(v.c.Styles.Form).WithShowHelp(false)
	if v.w > 0 {
		v.form = v.form.WithWidth(min(v.w, 80))
	}
}

func (v *lookupView) Init() tea.Cmd       { return v.form.Init() }
func (v *lookupView) Title() string       { return "find by identity" }
func (v *lookupView) CapturesInput() bool { return true }

// TakesRune: on the identity-type choice ? is help; in the value, a letter.
func (v *lookupView) TakesRune(rune) bool { return formTakesText(v.form) }
func (v *lookupView) SetSize(w, h int) {
	v.w, v.h = w, h
	v.form = v.form.WithWidth(min(w, 80))
}
func (v *lookupView) Busy() string {
	if v.busy {
		return "looking up"
	}
	return ""
}
func (v *lookupView) ShortHelp() []key.Binding  { return v.keys.ShortHelp() }
func (v *lookupView) FullHelp() [][]key.Binding { return v.keys.FullHelp() }

func (v *lookupView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case lookupResultMsg:
		v.busy = false
		if msg.err != nil {
			v.c.refreshInfo()
			v.failed = errText(msg.err)
			v.buildForm()
			return v, tea.Batch(failure(msg.err), v.form.Init())
		}
		return v, inOrder(pop, push(newDetailView(v.c, msg.user, v.backTo)))
	case tea.KeyMsg:
		if v.busy {
			return v, nil
		}
		if key.Matches(msg, v.keys.Cancel) {
			return v, pop
		}
	}
	var cmd tea.Cmd
	var done bool
	if v.form, cmd, done = stepForm(v.form, msg); done {
		v.busy = true
		v.failed = ""
		p, kind, value := v.c.Provider, v.kind, strings.TrimSpace(v.value)
		return v, tea.Batch(cmd, address(v.id, v.c.requests.request(v.ctx, func(ctx context.Context) tea.Msg {
			finder, ok := p.(crm.IdentityLookup)
			if !ok { // the key is offered only with IdentityTypes, which imply it
				return lookupResultMsg{crm.User{}, crm.Unsupported(p.Info().Name, "look up user by "+kind)}
			}
			u, err := finder.Lookup(ctx, kind, value)
			return lookupResultMsg{u, err}
		})))
	}
	return v, cmd
}

func (v *lookupView) View() string {
	s := v.c.Styles
	var b strings.Builder
	b.WriteString(s.Section.Render("Find a user by identity") + "\n\n")
	if v.failed != "" {
		b.WriteString(s.Error.Render(v.failed) + "\n\n")
	}
	b.WriteString(v.form.View())
	return b.String()
}
