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
	"github.com/roster-tui/roster/ui/termtext"
)

// createView is the form of a new user, built from the schema's create
// fields (the same inputs as the edit form; a select for fields whose
// values the provider lists, such as Zoho's roles and profiles, loaded with
// their names). Save shows the preview, which starts on Cancel; the new
// user appears in the list and opens.
type createView struct {
	viewBase
	backTo  int // the list
	keys    editKeys
	fields  []crm.Field
	text    map[string]*string
	choices map[string][]crm.Choice
	loading bool
	form    *huh.Form
	saving  bool
	failed  string
	errs    map[string]string
	discard bool
}

type (
	createChoicesMsg struct {
		choices map[string][]crm.Choice
		err     error
	}
	createConfirmedMsg struct{ fields crm.Changes }
	createdMsg         struct {
		user crm.User
		err  error
	}
)

func newCreateView(c *Common, backTo int) *createView {
	v := &createView{viewBase: newViewBase(c), backTo: backTo, keys: newEditKeys(c.bindings),
		text: map[string]*string{}, choices: map[string][]crm.Choice{}}
	v.keys.Submit.SetHelp(v.keys.Submit.Help().Key, "create") // the key as remapped
	for _, f := range c.Provider.Schema().CreateFields() {
		if f.Type == crm.TypeObject && f.Choices == nil {
			continue // objects are read-only in the UI; those with choices are a select
		}
		v.fields = append(v.fields, f)
		s := ""
		v.text[f.Key] = &s
		if f.Choices != nil {
			v.loading = true
		}
	}
	v.buildForm()
	return v
}

func (v *createView) Title() string       { return "new user" }
func (v *createView) CapturesInput() bool { return true }
func (v *createView) Dirty() bool         { return len(v.values()) > 0 }
func (v *createView) Busy() string {
	switch {
	case v.loading:
		return "loading choices"
	case v.saving:
		return "creating"
	}
	return ""
}
func (v *createView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Next, v.keys.Submit, v.keys.Cancel}
}
func (v *createView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

// Init loads the choices of the fields that have them, in the background.
func (v *createView) Init() tea.Cmd {
	if !v.loading {
		return v.form.Init()
	}
	var fields []crm.Field
	for _, f := range v.fields {
		if f.Choices != nil {
			fields = append(fields, f)
		}
	}
	return tea.Batch(v.form.Init(), address(v.id, v.c.requests.request(v.ctx, func(ctx context.Context) tea.Msg {
		out := map[string][]crm.Choice{}
		for _, f := range fields {
			cs, err := f.Choices(ctx)
			if err != nil {
				return createChoicesMsg{err: fmt.Errorf("%s: %w", f.Label, err)}
			}
			out[f.Key] = cs
		}
		return createChoicesMsg{choices: out}
	})))
}

func (v *createView) buildForm() {
	var out []huh.Field
	for _, f := range v.fields {
		title := clean(f.Label)
		if f.Create == crm.CreateRequired {
			title += " *"
		}
		desc := clean(f.Hint)
		if e, ok := v.errs[f.Key]; ok {
			desc = "✗ " + clean(e)
		}
		switch {
		case f.Choices != nil:
			opts := []huh.Option[string]{huh.NewOption("(choose)", "")}
			if v.loading {
				opts = []huh.Option[string]{huh.NewOption("loading…", "")}
			}
			for _, ch := range v.choices[f.Key] {
				opts = append(opts, huh.NewOption(clean(ch.Name), ch.ID))
			}
			out = append(out, huh.NewSelect[string]().Key(f.Key).Title(title).Description(desc).Options(opts...).Value(v.text[f.Key]))
		case f.Type == crm.TypeEnum || f.Type == crm.TypeBool:
			values := slices.Clone(f.Values)
			if f.Type == crm.TypeBool {
				values = []string{"true", "false"}
			}
			opts := []huh.Option[string]{huh.NewOption("(not set)", "")}
			for _, val := range values {
				opts = append(opts, huh.NewOption(clean(val), val))
			}
			out = append(out, huh.NewSelect[string]().Key(f.Key).Title(title).Description(desc).Options(opts...).Value(v.text[f.Key]))
		default:
			in := huh.NewInput().Key(f.Key).Title(title).Description(desc).Value(v.text[f.Key])
			required := f.Create == crm.CreateRequired
			in.Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					if required {
						return errRequired
					}
					return nil
				}
				return validator(f)(s)
			})
			out = append(out, in)
		}
	}
	if len(out) == 0 {
		out = []huh.Field{huh.NewNote().Title("Nothing to fill").Description("This provider takes no fields at creation.")}
	}
	v.form = huh.NewForm(huh.NewGroup(out...)).WithTheme(v.c.Styles.Form).WithShowHelp(false).WithShowErrors(true)
	if v.w > 0 {
		v.form = v.form.WithWidth(v.w).WithHeight(max(v.h-v.headerHeight(), 3))
	}
}

func (v *createView) SetSize(w, h int) {
	v.viewBase.SetSize(w, h)
	v.form = v.form.WithWidth(w).WithHeight(max(h-v.headerHeight(), 3))
}

// values are the filled fields parsed by crm.Field.Parse (blanks are not
// sent).
func (v *createView) values() crm.Changes {
	out := crm.Changes{}
	for _, f := range v.fields {
		s := strings.TrimSpace(*v.text[f.Key])
		if s == "" {
			continue
		}
		if f.Choices != nil {
			out[f.Key] = s // the id the provider listed
			continue
		}
		if val, err := f.Parse(s); err == nil {
			out[f.Key] = val
		} else {
			out[f.Key] = s
		}
	}
	return out
}

func (v *createView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case createChoicesMsg:
		v.loading = false
		if msg.err != nil {
			v.failed = "could not load choices: " + errText(msg.err)
		} else {
			v.choices = msg.choices
		}
		v.buildForm()
		return v, v.form.Init()
	case createConfirmedMsg:
		v.saving = true
		p := v.c.Provider
		fields := msg.fields
		return v, address(v.id, v.c.requests.write(v.ctx, "create", func(ctx context.Context) tea.Msg {
			cr, ok := p.(crm.Creator)
			if !ok {
				return createdMsg{err: crm.Unsupported(p.Info().Name, "create user")}
			}
			u, err := cr.Create(ctx, fields)
			return createdMsg{user: u, err: err}
		}))
	case createdMsg:
		v.saving = false
		if msg.err != nil {
			v.failed = errText(msg.err)
			v.errs = nil
			if pe := crm.AsError(msg.err); pe != nil {
				v.errs = pe.Fields
			}
			if crm.IsUnknownOutcome(msg.err) {
				v.failed += " — the user may exist now: refresh the list before trying again"
			}
			v.buildForm()
			return v, tea.Batch(v.form.Init(), failure(msg.err))
		}
		name := clean(msg.user.DisplayName())
		return v, inOrder(popTo(v.backTo), broadcast(userSavedMsg{msg.user}),
			push(newDetailView(v.c, msg.user, v.backTo)), info("created "+name+" ("+clean(msg.user.ID)+")"))
	case tea.KeyMsg:
		if v.saving {
			return v, nil
		}
	}
	return v, formInput(&v.form, &v.discard, msg, v.keys.Cancel, v.keys.Submit, v.Dirty, "fields", v.submit)
}

// submit checks the fields as the provider will (crm.CheckCreate) and
// opens the preview.
func (v *createView) submit() tea.Cmd {
	if v.form.State != huh.StateNormal {
		defer v.buildForm()
	}
	if v.loading {
		return info("wait for the choices to load")
	}
	fields := v.values()
	var errs []error
	for _, f := range v.fields {
		if s := strings.TrimSpace(*v.text[f.Key]); s != "" && f.Choices == nil {
			if _, err := f.Parse(s); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", clean(f.Label), err))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return failure(err)
	}
	if err := crm.CheckCreate(v.c.Info.Name, v.c.Provider.Schema(), fields); err != nil {
		return failure(err)
	}
	return push(newCreateConfirmView(v.c, v.id, v.fields, v.choices, fields))
}

func (v *createView) headerHeight() int { return len(v.header()) + 1 }

func (v *createView) header() []string {
	s := v.c.Styles
	lines := []string{s.Section.Render(termtext.Truncate("New "+clean(v.c.Info.Name)+" user", v.w))}
	if v.failed != "" {
		lines = append(lines, s.Error.Render(termtext.Truncate("Not created: "+v.failed, v.w)))
	}
	return lines
}

func (v *createView) View() string {
	return strings.Join(v.header(), "\n") + "\n\n" + v.form.View()
}
