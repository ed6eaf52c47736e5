package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/ui/termtext"
)

// onboardView is the form of a new person in several providers at once:
// the common fields once and the providers to create in (those that can
// create for this role), then each chosen provider's own required fields
// (Zoho's role and profile: selects of its own, by name). Submitting plans
// the onboarding with crm/person — the CLI's onboarding, not a second one —
// and opens the confirmation (onboardRunView), which runs it.
type onboardView struct {
	viewBase
	backTo   int // the view to return to when the onboarding has run
	keys     editKeys
	creators []crm.Provider // the providers that may create, in config order
	common   map[string]*string
	chosen   []string // provider names, bound to the multi-select
	extras   []onboardExtra
	choices  map[string]map[string][]crm.Choice // provider → field key → choices
	loadErr  map[string]string                  // provider → why its choices did not load
	loading  bool
	second   bool // the form shows the chosen providers' own fields
	form     *huh.Form
	discard  bool
}

// onboardExtra is one provider's own required field and its value.
type onboardExtra struct {
	provider string
	field    crm.Field
	value    *string
}

type onboardChoicesMsg struct {
	choices map[string]map[string][]crm.Choice
	errs    map[string]string
}

// commonLabels name the common fields on the form.
var commonLabels = map[string]string{"first_name": "First name", "last_name": "Last name", "email": "Email",
	"title": "Title", "department": "Department"}

// personOnboardKey opens the onboarding from the picker and the person table.
func personOnboardKey() key.Binding {
	return key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "onboard"))
}

// openOnboard opens the form, with email filled in when known, or says why
// it cannot: no provider lets this role create.
func openOnboard(c *Common, backTo int, email string) tea.Cmd {
	var creators []crm.Provider
	for _, p := range c.Providers {
		if person.CanCreate(p) {
			creators = append(creators, p)
		}
	}
	if len(creators) == 0 {
		return notice("no provider lets you create users (your role, or the providers themselves)")
	}
	return push(newOnboardView(c, backTo, creators, email))
}

func newOnboardView(c *Common, backTo int, creators []crm.Provider, email string) *onboardView {
	v := &onboardView{viewBase: newViewBase(c), backTo: backTo, keys: newEditKeys(c.bindings), creators: creators,
		common: map[string]*string{}, choices: map[string]map[string][]crm.Choice{}, loadErr: map[string]string{}}
	v.keys.Submit.SetHelp(v.keys.Submit.Help().Key, "next") // the key as remapped
	for _, name := range person.CommonFields() {
		s := ""
		v.common[name] = &s
	}
	*v.common["email"] = email
	for _, p := range creators {
		name := p.Info().Name
		v.chosen = append(v.chosen, name)
		for _, f := range person.ExtraFields(p) {
			s := ""
			v.extras = append(v.extras, onboardExtra{provider: name, field: f, value: &s})
			v.loading = v.loading || f.Choices != nil
		}
	}
	v.buildForm()
	return v
}

func (v *onboardView) Title() string       { return "onboard" }
func (v *onboardView) CapturesInput() bool { return true }
func (v *onboardView) Dirty() bool {
	for _, s := range v.common {
		if strings.TrimSpace(*s) != "" {
			return true
		}
	}
	return false
}
func (v *onboardView) Busy() string {
	if v.loading {
		return "loading choices"
	}
	return ""
}
func (v *onboardView) ShortHelp() []key.Binding {
	cancel := v.keys.Cancel
	if v.second {
		cancel.SetHelp("esc", "back to the common fields")
	}
	return []key.Binding{v.keys.Next, v.keys.Submit, cancel}
}
func (v *onboardView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

// Init loads the choices of every provider's own fields that have them
// (Zoho's roles and profiles), in the background, while the common fields
// are typed.
func (v *onboardView) Init() tea.Cmd {
	if !v.loading {
		return v.form.Init()
	}
	wanted := slices.Clone(v.extras)
	return tea.Batch(v.form.Init(), address(v.id, v.c.requests.request(v.ctx, func(ctx context.Context) tea.Msg {
		msg := onboardChoicesMsg{choices: map[string]map[string][]crm.Choice{}, errs: map[string]string{}}
		for _, e := range wanted {
			if e.field.Choices == nil || msg.errs[e.provider] != "" {
				continue
			}
			cs, err := e.field.Choices(ctx)
			if err != nil {
				msg.errs[e.provider] = e.field.Label + ": " + errText(err)
				continue
			}
			if msg.choices[e.provider] == nil {
				msg.choices[e.provider] = map[string][]crm.Choice{}
			}
			msg.choices[e.provider][e.field.Key] = cs
		}
		return msg
	})))
}

func (v *onboardView) buildForm() {
	var fields []huh.Field
	if v.second {
		fields = v.extraFields()
	} else {
		fields = v.commonFields()
	}
	v.form = huh.NewForm(huh.NewGroup(fields...)).WithTheme(v.c.Styles.Form).WithShowHelp(false).WithShowErrors(true)
	if v.w > 0 {
		v.form = v.form.WithWidth(v.w).WithHeight(max(v.h-v.headerHeight(), 3))
	}
}

// commonFields are the first page: the common fields, then the providers.
func (v *onboardView) commonFields() []huh.Field {
	var out []huh.Field
	for _, name := range person.CommonFields() {
		title := commonLabels[name]
		required := name == "email"
		if required {
			title += " *"
		}
		in := huh.NewInput().Key(name).Title(title).Value(v.common[name])
		in.Validate(func(s string) error {
			switch {
			case strings.TrimSpace(s) == "" && required:
				return errRequired
			case required && !person.IsEmail(s):
				return errors.New("an email address: it is the person in every provider")
			}
			return nil
		})
		out = append(out, in)
	}
	var opts []huh.Option[string]
	for _, p := range v.creators {
		in := p.Info()
		opts = append(opts, huh.NewOption(clean(in.Name)+" ("+clean(in.Kind)+")", in.Name))
	}
	out = append(out, huh.NewMultiSelect[string]().Key("providers").Title("Create in *").
		Description("space toggles; only providers that let you create are listed").
		Options(opts...).Value(&v.chosen).Filterable(false).
		Validate(func(s []string) error {
			if len(s) == 0 {
				return errors.New("choose at least one provider")
			}
			return nil
		}))
	return out
}

// extraFields are the second page: each chosen provider's own required
// fields; a field with choices is a select of them, by name.
func (v *onboardView) extraFields() []huh.Field {
	var out []huh.Field
	for _, e := range v.chosenExtras() {
		title := clean(e.provider) + ": " + clean(e.field.Label) + " *"
		desc := clean(e.field.Hint)
		if e.field.Choices != nil {
			opts := []huh.Option[string]{huh.NewOption("(choose)", "")}
			switch {
			case v.loading:
				opts = []huh.Option[string]{huh.NewOption("loading…", "")}
			case v.loadErr[e.provider] != "":
				desc = "✗ could not load: " + clean(v.loadErr[e.provider])
			}
			for _, ch := range v.choices[e.provider][e.field.Key] {
				opts = append(opts, huh.NewOption(clean(ch.Name), ch.ID))
			}
			out = append(out, huh.NewSelect[string]().Title(title).Description(desc).Options(opts...).Value(e.value).
				Validate(func(s string) error {
					if s == "" {
						return errRequired
					}
					return nil
				}))
			continue
		}
		f := e.field
		in := huh.NewInput().Title(title).Description(desc).Value(e.value)
		in.Validate(func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errRequired
			}
			return validator(f)(s)
		})
		out = append(out, in)
	}
	return out
}

// chosenExtras are the own fields of the chosen providers.
func (v *onboardView) chosenExtras() []onboardExtra {
	var out []onboardExtra
	for _, e := range v.extras {
		if slices.Contains(v.chosen, e.provider) {
			out = append(out, e)
		}
	}
	return out
}

func (v *onboardView) SetSize(w, h int) {
	v.viewBase.SetSize(w, h)
	v.form = v.form.WithWidth(w).WithHeight(max(h-v.headerHeight(), 3))
	// huh scrolls its group to the focused field only in Update: without
	// one, a smaller terminal shows the top fields, not the one typed in.
	v.form, _, _ = stepForm(v.form, tea.WindowSizeMsg{Width: w, Height: h})
}

func (v *onboardView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case onboardChoicesMsg:
		v.loading = false
		v.choices, v.loadErr = msg.choices, msg.errs
		if v.second {
			v.buildForm()
			return v, v.form.Init()
		}
		return v, nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, v.keys.Cancel) && v.second:
			v.second = false // back to the common fields, values kept
			v.buildForm()
			return v, v.form.Init()
		}
	}
	return v, formInput(&v.form, &v.discard, msg, v.keys.Cancel, v.keys.Submit, v.Dirty, "fields", v.next)
}

// next leaves the page: from the common fields to the chosen providers'
// own fields (when they have any), from there to the confirmation.
func (v *onboardView) next() tea.Cmd {
	if v.form.State != huh.StateNormal {
		v.buildForm() // a completed huh form takes no more keys
	}
	if !person.IsEmail(*v.common["email"]) {
		return notice("an email address is required: it is the person in every provider")
	}
	if len(v.chosen) == 0 {
		return notice("choose at least one provider to create in")
	}
	if !v.second && len(v.chosenExtras()) > 0 {
		v.second = true
		v.buildForm()
		return v.form.Init()
	}
	if v.loading {
		return notice("wait for the choices to load")
	}
	var providers []crm.Provider
	for _, p := range v.creators {
		if slices.Contains(v.chosen, p.Info().Name) {
			providers = append(providers, p)
		}
	}
	np := person.NewPerson{Common: map[string]string{}, Extra: map[string]map[string]string{}}
	for name, s := range v.common {
		np.Common[name] = strings.TrimSpace(*s)
	}
	for _, e := range v.chosenExtras() {
		if np.Extra[e.provider] == nil {
			np.Extra[e.provider] = map[string]string{}
		}
		np.Extra[e.provider][e.field.Key] = *e.value
	}
	plan, err := person.PlanOnboard(providers, np)
	if err != nil {
		return failure(fmt.Errorf("onboard: %w", err))
	}
	return push(newOnboardRunView(v.c, v.backTo, providers, plan, v.choices))
}

func (v *onboardView) headerHeight() int { return len(v.header()) + 1 }

func (v *onboardView) header() []string {
	s := v.c.Styles
	title := "Onboard a new person"
	if v.second {
		title = "Onboard " + clean(strings.TrimSpace(*v.common["email"])) + ": each provider's own fields"
	}
	lines := []string{s.Section.Render(termtext.Truncate(title, v.w))}
	if left := len(v.c.Providers) - len(v.creators); left > 0 && !v.second {
		lines = append(lines, s.Muted.Render(termtext.Truncate(fmt.Sprintf("%d of %d providers let you create users", len(v.creators), len(v.c.Providers)), v.w)))
	}
	return lines
}

func (v *onboardView) View() string {
	return strings.Join(v.header(), "\n") + "\n\n" + v.form.View()
}
