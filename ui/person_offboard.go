package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/ui/termtext"
)

// offboard plans, from what the find showed, the action each provider
// supports for this person and opens the preview. Every provider must have
// answered first: a provider still searching could hold the person.
func (v *personView) offboard() tea.Cmd {
	if v.query == "" || v.pending() > 0 {
		return info("wait until every provider has answered")
	}
	allowed := false
	for _, p := range v.c.Providers {
		caps := crm.LiveInfo(p).Caps
		allowed = allowed || caps.Update || caps.Delete
	}
	if !allowed {
		return info("offboarding needs a role that may change users (the providers say you may not)")
	}
	email, ok := v.personEmail()
	if !ok {
		return info("search by the person's email to offboard them")
	}
	found := make([]person.Found, len(v.answers))
	for i, a := range v.answers {
		found[i] = *a
	}
	deact, err := person.PlanOffboard(v.c.Providers, found, email, person.Deactivate)
	if err != nil {
		return failure(err)
	}
	del, err := person.PlanOffboard(v.c.Providers, found, email, person.Delete)
	if err != nil {
		return failure(err)
	}
	choices := []offboardChoice{{"Deactivate", deact}, {"Delete", del}}
	// Zoho documents no deactivation: its documented offboarding is a
	// delete. One run may deactivate everywhere else and delete there, as
	// the CLI's --delete-in does; the preview names each provider's action.
	mixed, err := person.PlanOffboardEach(v.c.Providers, found, email, func(name string) person.Action {
		for _, p := range v.c.Providers {
			if _, ok := crm.DeactivateChanges(p); !ok && p.Info().Name == name {
				return person.Delete
			}
		}
		return person.Deactivate
	})
	if err != nil {
		return failure(err)
	}
	for _, st := range mixed.Steps {
		if st.Action == person.Delete {
			choices = []offboardChoice{choices[0], {"Deactivate, else delete", mixed}, choices[1]}
			break
		}
	}
	return push(newOffboardView(v.c, v.id, email, choices))
}

// offboardChoice is one button of the offboard preview and its plan.
type offboardChoice struct {
	label string
	plan  person.Plan
}

// personEmail is the email to offboard: the query when it is one, else the
// one address every found account shares.
func (v *personView) personEmail() (string, bool) {
	if strings.Contains(v.query, "@") {
		return v.query, true
	}
	email := ""
	for _, a := range v.answers {
		for _, u := range a.Users {
			if u.Email == "" {
				continue
			}
			if email != "" && !crm.SameEmail(email, u.Email) {
				return "", false
			}
			email = u.Email
		}
	}
	return email, email != ""
}

// offboardView: a preview of every provider and action (deactivate, or
// delete when the admin chooses it), a confirmation that needs the email
// typed, per-provider progress, then per-provider results.
type offboardView struct {
	viewBase
	backTo  int
	email   string
	choices []offboardChoice // the buttons after Cancel
	typed   textinput.Model
	btn     buttons
	keys    confirmKeys
	running bool
	plan    person.Plan // the one running
	personSteps
}

func newOffboardView(c *Common, backTo int, email string, choices []offboardChoice) *offboardView {
	v := &offboardView{viewBase: newViewBase(c), backTo: backTo, email: email, choices: choices,
		keys: newConfirmKeys(c.bindings), personSteps: newPersonSteps()}
	v.typed = c.newTextInput("> ", typeHint(clean(email)))
	v.typed.Focus()
	labels := []string{"Cancel"}
	for _, ch := range choices {
		labels = append(labels, ch.label)
	}
	v.btn = buttons{labels: labels, enabled: func(i int) bool {
		return i == 0 || (crm.SameEmail(v.typed.Value(), v.email) && v.choices[i-1].plan.Writes() > 0)
	}}
	return v
}

func (v *offboardView) Title() string       { return "offboard?" }
func (v *offboardView) Init() tea.Cmd       { return textinput.Blink }
func (v *offboardView) CapturesInput() bool { return true }
func (v *offboardView) Busy() string {
	if v.running && !v.done {
		return "offboarding " + clean(v.email)
	}
	return ""
}
func (v *offboardView) ShortHelp() []key.Binding {
	if v.running {
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))}
	}
	return v.keys.ShortHelp()
}
func (v *offboardView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

// shown is the plan on screen: the one running, or the focused button's.
func (v *offboardView) shown() person.Plan {
	if v.running {
		return v.plan
	}
	if v.btn.focus > 0 {
		return v.choices[v.btn.focus-1].plan
	}
	return v.choices[0].plan
}

func (v *offboardView) Update(msg tea.Msg) (Component, tea.Cmd) {
	if cmd, handled := v.onStep(v.id, msg); handled {
		return v, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if v.running {
			if v.done && (msg.Type == tea.KeyEsc || msg.Type == tea.KeyEnter) {
				return v, inOrder(pop, refind(v.backTo)) // the table shows what is true now
			}
			return v, nil
		}
		switch pressed := v.btn.press(msg, v.keys); pressed {
		case pressedCancel, 0:
			return v, pop
		case pressedNothing:
			if !key.Matches(msg, v.keys.Switch) {
				var cmd tea.Cmd
				v.typed, cmd = v.typed.Update(msg)
				return v, cmd
			}
		default:
			if !v.btn.enabled(pressed) {
				return v, info("type " + clean(v.email) + " first")
			}
			return v, v.start(v.choices[pressed-1].plan)
		}
	}
	return v, nil
}

// start runs the plan (crm/person.Offboard: each write conflict-checked
// and audited with the plan's run id) as one tracked write, each step's
// start and end brought to the view.
func (v *offboardView) start(plan person.Plan) tea.Cmd {
	v.running, v.plan = true, plan
	providers := v.c.Providers
	index := func(s person.Step) int {
		for i, t := range plan.Steps {
			if t.Provider == s.Provider && t.User.ID == s.User.ID && t.Action == s.Action {
				return i
			}
		}
		return -1
	}
	return runPersonPlan(v.c, v.ctx, v.id, "offboard", len(plan.Steps), index, func(ctx context.Context, progress person.Progress) {
		person.Offboard(ctx, providers, plan, progress)
	})
}

// stepLines are one provider's lines: who, the action, and its state —
// wrapped under the state column when wrap (a provider's refusal is often
// longer than the line), else cut to one line.
func (v *offboardView) stepLines(i int, s person.Step, width int, wrap bool) []string {
	st := v.c.Styles
	who := "—"
	if s.User.ID != "" {
		who = clean(s.User.DisplayName())
	}
	action := string(s.Action)
	if s.Action == person.None {
		action = "nothing"
	}
	state := ""
	if s.Why != "" {
		state = clean(s.Why)
	}
	bad := false
	if v.running {
		r, ended := v.results[i]
		switch {
		case ended && (r.Outcome == person.Done || r.Outcome == person.Unchanged):
			state = "✓ " + string(r.Outcome)
		case ended:
			state = string(r.Outcome)
			if r.Err != nil {
				state += ": " + errText(r.Err)
			}
			bad = r.Outcome == person.Failed || r.Outcome == person.Unknown || r.Outcome == person.Skipped
		case v.started[i]:
			state = "… working"
		default:
			state = "waiting"
		}
	}
	parts := []string{state}
	indent := termtext.Width(offboardCells(width, "", "", "", ""))
	if wrap && width-indent >= 10 {
		parts = strings.Split(ansi.Wrap(state, width-indent, " "), "\n")
	}
	var out []string
	for j, part := range parts {
		line := offboardCells(width, clean(s.Provider), who, action, part)
		if j > 0 {
			line = strings.Repeat(" ", indent) + strings.TrimSpace(part)
		}
		line = termtext.Truncate(line, width)
		if bad {
			line = st.Error.Render(line)
		}
		out = append(out, line)
	}
	return out
}

func (v *offboardView) View() string {
	s := v.c.Styles
	width := min(max(v.w-6, 20), 100)
	plan := v.shown()
	var b strings.Builder
	head := "Offboard " + clean(v.email) + " everywhere?"
	if v.running {
		head = "Offboarding " + clean(v.email)
		if v.done {
			head = "Offboarded " + clean(v.email)
			if person.Incomplete(v.resultsList()) {
				head = "Not everywhere: " + clean(v.email)
			}
		}
	}
	b.WriteString(s.Section.Render(termtext.Truncate(head, width)) + "\n\n")
	b.WriteString(s.Label.Render(termtext.Truncate(offboardCells(width, "Provider", "Account", "Action", "State"), width)) + "\n")
	var rows []string
	for _, wrap := range []bool{true, false} {
		rows = rows[:0]
		for i, st := range plan.Steps {
			rows = append(rows, v.stepLines(i, st, width, wrap)...)
		}
		if len(rows) <= v.h-12 { // the dialog's other lines and its border
			break
		}
	}
	for _, line := range rows {
		b.WriteString(line + "\n")
	}
	if !v.running {
		b.WriteString("\n" + termtext.Truncate(fmt.Sprintf("%d accounts change. Type %s to confirm:", plan.Writes(), clean(v.email)), width) + "\n")
		b.WriteString(v.typed.View() + "\n\n")
		b.WriteString(v.buttonRow(width))
	} else {
		b.WriteString("\n" + s.Muted.Render(termtext.Truncate("run "+plan.Run+" · every write audited with this run id", width)))
		if v.done {
			b.WriteString("\n" + s.Muted.Render("esc: back"))
		}
	}
	return fixedDialog(v.c, v.w, v.h, width, b.String())
}

// offboardCells lays out one line of the table. Narrower than 60 columns
// the account column goes (the find's table named it): the action each
// provider gets must stay on screen.
func offboardCells(width int, provider, account, action, state string) string {
	if width < 60 {
		return termtext.Fit(provider, 12) + " " + termtext.Fit(action, 11) + " " + state
	}
	return termtext.Fit(provider, 12) + " " + termtext.Fit(account, 22) + " " + termtext.Fit(action, 11) + " " + state
}

// buttonRow is the buttons, or, when they do not fit, only the focused one
// with a hint: the button enter would press is never off the screen.
func (v *offboardView) buttonRow(width int) string {
	row := v.btn.view(v.c.Styles, true)
	if lipgloss.Width(row) <= width {
		return row
	}
	st := v.c.Styles.ButtonOn
	switch {
	case !v.btn.enabled(v.btn.focus):
		st = v.c.Styles.Button.Faint(true)
	case v.btn.focus > 0:
		st = v.c.Styles.Danger // as the full row shows a focused dangerous button
	}
	hint := fmt.Sprintf("  %d/%d ←/→", v.btn.focus+1, len(v.btn.labels))
	label := termtext.Truncate("> "+v.btn.labels[v.btn.focus]+" <", max(width-termtext.Width(hint), 5))
	return st.Render(label) + v.c.Styles.Muted.Render(hint)
}
