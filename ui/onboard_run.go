package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/ui/termtext"
)

// onboardRunView is the onboarding's one confirmation — what will be
// created where, focus on Cancel — then its run (crm/person.Onboard: each
// provider on its own, nothing in one depending on another, every create
// audited with the plan's one run id) with a line per provider, and the
// results: created (the new id), already there, refused (the provider's
// words, sanitised), unknown (the adapter searched the email and could not
// tell), skipped (why).
type onboardRunView struct {
	viewBase
	backTo    int
	providers []crm.Provider
	plan      person.Plan
	what      []string // per step: the fields it sends, as the admin reads them
	btn       buttons
	keys      confirmKeys
	running   bool
	personSteps
}

func newOnboardRunView(c *Common, backTo int, providers []crm.Provider, plan person.Plan, choices map[string]map[string][]crm.Choice) *onboardRunView {
	v := &onboardRunView{viewBase: newViewBase(c), backTo: backTo, providers: providers, plan: plan, keys: newConfirmKeys(c.bindings),
		personSteps: newPersonSteps()}
	v.btn = buttons{labels: []string{"Cancel", "Create"}, enabled: func(i int) bool { return i == 0 || plan.Writes() > 0 }}
	for _, s := range plan.Steps {
		v.what = append(v.what, describeCreate(providers, s, choices[s.Provider]))
	}
	return v
}

// describeCreate is what a step creates: its fields in the provider's
// schema order, a loaded choice by its name; or why nothing is created.
func describeCreate(providers []crm.Provider, s person.Step, choices map[string][]crm.Choice) string {
	if s.Action == person.None {
		return clean(s.Why)
	}
	var schema crm.Schema
	for _, p := range providers {
		if p.Info().Name == s.Provider {
			schema = p.Schema()
		}
	}
	var parts []string
	for _, f := range schema.Fields {
		val, ok := s.Changes[f.Key]
		if !ok {
			continue
		}
		text := crm.DescribeValue(val)
		for _, ch := range choices[f.Key] {
			if ch.ID == val {
				text = ch.Name
			}
		}
		parts = append(parts, clean(f.Label)+" "+clean(text))
	}
	what := strings.Join(parts, ", ")
	if s.Why != "" {
		what = clean(s.Why) + ": " + what
	}
	return what
}

func (v *onboardRunView) Title() string { return "onboard?" }
func (v *onboardRunView) Init() tea.Cmd { return nil }
func (v *onboardRunView) Busy() string {
	if v.running && !v.done {
		return "onboarding " + clean(v.plan.Email)
	}
	return ""
}
func (v *onboardRunView) ShortHelp() []key.Binding {
	if v.running {
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))}
	}
	return v.keys.ShortHelp()
}
func (v *onboardRunView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *onboardRunView) Update(msg tea.Msg) (Component, tea.Cmd) {
	if cmd, handled := v.onStep(v.id, msg); handled {
		return v, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if v.running {
			if v.done && (msg.Type == tea.KeyEsc || msg.Type == tea.KeyEnter) {
				// the form is done with too; a person table searches again
				return v, inOrder(popTo(v.backTo), refind(v.backTo))
			}
			return v, nil
		}
		switch v.btn.press(msg, v.keys) {
		case pressedCancel, 0:
			return v, pop // back to the form, its values kept
		case 1:
			if !v.btn.enabled(1) {
				return v, notice("nothing to create: see why on each line")
			}
			return v, v.start()
		}
	}
	return v, nil
}

// start runs the plan: crm/person.Onboard, the CLI's onboarding.
func (v *onboardRunView) start() tea.Cmd {
	v.running = true
	plan, providers := v.plan, v.providers
	index := func(s person.Step) int {
		for i, t := range plan.Steps {
			if t.Provider == s.Provider {
				return i
			}
		}
		return -1
	}
	return runPersonPlan(v.c, v.ctx, v.id, "onboard", len(plan.Steps), index, func(ctx context.Context, progress person.Progress) {
		person.Onboard(ctx, providers, plan, progress)
	})
}

// state is one step's state while and after the run.
func (v *onboardRunView) state(i int) (string, bool) {
	r, ended := v.results[i]
	switch {
	case !ended && v.started[i]:
		return "… creating", false
	case !ended:
		return "waiting", false
	case r.Outcome == person.Done:
		return "✓ created " + clean(r.User.ID), false
	case r.Outcome == person.Unchanged:
		return "✓ already there: " + clean(r.User.ID) + ", nothing sent", false
	case r.Outcome == person.Unknown:
		return "? unknown, may exist: " + errText(r.Err), true
	case r.Outcome == person.Skipped && r.Err == nil:
		return "skipped: " + clean(r.Step.Why), true
	}
	return "✗ " + string(r.Outcome) + ": " + errText(r.Err), true
}

func (v *onboardRunView) View() string {
	s := v.c.Styles
	width := min(max(v.w-6, 20), 110)
	email := clean(v.plan.Email)
	var b strings.Builder
	head := fmt.Sprintf("Create %s in %d providers?", email, v.plan.Writes())
	if v.plan.Writes() == 1 {
		head = "Create " + email + " in 1 provider?"
	}
	if v.running {
		head = "Onboarding " + email
		if v.done {
			head = "Onboarded " + email
			if person.Incomplete(v.resultsList()) {
				head = "Not everywhere: " + email
			}
		}
	}
	b.WriteString(s.Section.Render(termtext.Truncate(head, width)) + "\n\n")
	for _, line := range v.rows(width) {
		b.WriteString(line + "\n")
	}
	if !v.running {
		b.WriteString("\n" + termtext.Truncate("Each provider on its own: one failing stops no other.", width) + "\n\n")
		b.WriteString(v.btn.view(s, false))
	} else {
		b.WriteString("\n" + s.Muted.Render(termtext.Truncate("run "+v.plan.Run+" · every create audited with this run id", width)))
		if v.done {
			b.WriteString("\n" + s.Muted.Render("esc: back"))
		}
	}
	return fixedDialog(v.c, v.w, v.h, width, b.String())
}

// rows are the table: a header, then a line per provider — its name, the
// action (where there is room) and what it creates or how it ended,
// wrapped when the terminal has the lines for it, else cut to one.
func (v *onboardRunView) rows(width int) []string {
	st := v.c.Styles
	provW := 8
	for _, s := range v.plan.Steps {
		provW = max(provW, min(termtext.Width(clean(s.Provider)), 12))
	}
	actionW := 8
	if width < 60 {
		actionW = 0 // always "create" but where nothing is: the text says why
	}
	textW := max(width-provW-1-actionW, 8)
	if actionW > 0 {
		textW--
	}
	cells := func(prov, action, text string) string {
		line := termtext.Fit(prov, provW) + " "
		if actionW > 0 {
			line += termtext.Fit(action, actionW) + " "
		}
		return line + text
	}
	last := "Creates"
	if v.running {
		last = "Result"
	}
	out := []string{st.Label.Render(termtext.Truncate(cells("Provider", "Action", last), width))}
	type row struct {
		prov, action string
		parts        []string
		bad          bool
	}
	var rs []row
	lines := 0
	for i, s := range v.plan.Steps {
		action := string(s.Action)
		if s.Action == person.None {
			action = "nothing"
		}
		text, bad := v.what[i], s.Action == person.None
		if v.running {
			text, bad = v.state(i)
		}
		parts := strings.Split(ansi.Wrap(text, textW, " ,"), "\n")
		lines += len(parts)
		rs = append(rs, row{clean(s.Provider), action, parts, bad})
	}
	wrap := lines <= v.h-11 // the dialog's other lines and its border
	for _, r := range rs {
		parts := r.parts
		if !wrap {
			parts = []string{strings.Join(parts, " ")}
		}
		for j, p := range parts {
			prov, action := r.prov, r.action
			if j > 0 {
				prov, action = "", ""
			}
			line := termtext.Truncate(cells(prov, action, strings.TrimSpace(p)), width)
			if r.bad {
				line = st.Error.Render(line)
			}
			out = append(out, line)
		}
	}
	return out
}
