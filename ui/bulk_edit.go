package ui

import (
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

// bulkEditView is the form of a bulk edit: every field this provider lets
// this role edit, each starting at the value the marked users share (empty
// when they differ). Only the fields the admin touches change; submitting
// reads every marked user and opens the preview of what really changes.
type bulkEditView struct {
	viewBase
	backTo  int // the list
	keys    editKeys
	users   []crm.User
	values  *bulkValues
	form    *huh.Form
	discard bool // esc was pressed once with touched fields
}

// keep is the select option that leaves a field as each user has it.
const keep = "\x00keep"

// bulkValues are the form's values and what each field started at.
type bulkValues struct {
	fields  []crm.Field
	text    map[string]*string
	initial map[string]string
	varies  map[string]bool
	unknown map[string]bool // not held by the list (varies too): see listValue
}

// listValue is u's value of f as the list holds it. The list keeps the
// common fields, not the provider's JSON (issue 14), so for a list user a
// field without a common meaning is unknown (ok false), never "empty".
func listValue(f crm.Field, u crm.User) (any, bool) {
	if len(u.Raw) > 0 {
		return u.Value(f.Key), true
	}
	if v, ok := u.Common(f.Key); ok {
		return v, true
	}
	if f.Common != "" {
		return u.Common(f.Common)
	}
	return nil, false
}

func newBulkValues(schema crm.Schema, users []crm.User) *bulkValues {
	v := &bulkValues{text: map[string]*string{}, initial: map[string]string{}, varies: map[string]bool{}, unknown: map[string]bool{}}
	for _, f := range schema.Editable() {
		if f.Type == crm.TypeObject || f.Type == crm.TypeEmail {
			// objects are read-only in the UI; an email address is one
			// person's own, never the same for many
			continue
		}
		v.fields = append(v.fields, f)
		common, varies := "", false
		for i, u := range users {
			val, ok := listValue(f, u)
			if !ok {
				v.unknown[f.Key], varies = true, true
				break
			}
			s := fieldText(f, val)
			if f.Type == crm.TypeBool {
				s = fmt.Sprint(boolOf(val))
			}
			if i == 0 {
				common = s
			} else if s != common {
				varies = true
			}
		}
		start := common
		if varies {
			start = ""
			if isSelect(f) {
				start = keep
			}
		}
		v.initial[f.Key], v.varies[f.Key] = start, varies
		s := start
		v.text[f.Key] = &s
	}
	return v
}

func isSelect(f crm.Field) bool { return f.Type == crm.TypeBool || f.Type == crm.TypeEnum }

// touched says whether the admin changed a field: away from where it
// started, and for a text field whose users differ, to something (empty
// keeps each user's own value).
func (v *bulkValues) touched(f crm.Field) bool {
	now := *v.text[f.Key]
	if now == keep || now == v.initial[f.Key] {
		return false
	}
	return !(v.varies[f.Key] && !isSelect(f) && strings.TrimSpace(now) == "")
}

// set is the touched fields parsed by crm.Field.Parse, the one parser.
func (v *bulkValues) set() (crm.Changes, error) {
	ch := crm.Changes{}
	var errs []error
	for _, f := range v.fields {
		if !v.touched(f) {
			continue
		}
		val, err := f.Parse(*v.text[f.Key])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", clean(f.Label), err))
			continue
		}
		ch[f.Key] = val
	}
	return ch, errors.Join(errs...)
}

// formFields builds one huh field per editable field; selects offer "keep
// each user's value" when the marked users differ.
func (v *bulkValues) formFields() []huh.Field {
	var out []huh.Field
	for _, f := range v.fields {
		title := clean(f.Label)
		desc := clean(f.Hint)
		switch {
		case v.unknown[f.Key]:
			desc = strings.TrimSpace("each marked user keeps their own unless you set it (the list does not hold this field). " + desc)
		case v.varies[f.Key]:
			desc = strings.TrimSpace("differs between the marked users; left as is unless you set it. " + desc)
		}
		if isSelect(f) {
			var opts []huh.Option[string]
			if v.varies[f.Key] {
				opts = append(opts, huh.NewOption("(keep each user's value)", keep))
			}
			values := slices.Clone(f.Values)
			if f.Type == crm.TypeBool {
				values = []string{"true", "false"}
			}
			if cur := v.initial[f.Key]; cur != keep && !slices.Contains(values, cur) {
				values = append(values, cur)
			}
			if f.Type == crm.TypeEnum && !f.Required && !slices.Contains(values, "") {
				values = append([]string{""}, values...)
			}
			for _, val := range values {
				label := clean(val)
				switch val {
				case "":
					label = "(none)"
				case "true":
					label = "Yes"
				case "false":
					label = "No"
				}
				opts = append(opts, huh.NewOption(label, val))
			}
			out = append(out, huh.NewSelect[string]().Key(f.Key).Title(title).Description(desc).
				Options(opts...).Value(v.text[f.Key]))
			continue
		}
		in := huh.NewInput().Key(f.Key).Title(title).Description(desc).Value(v.text[f.Key])
		if v.varies[f.Key] {
			in.Placeholder("(keep each user's value)")
		}
		in.Validate(func(s string) error {
			if v.varies[f.Key] && strings.TrimSpace(s) == "" {
				return nil
			}
			return validator(f)(s)
		})
		out = append(out, in)
	}
	return out
}

func newBulkEditView(c *Common, backTo int, users []crm.User) *bulkEditView {
	e := &bulkEditView{viewBase: newViewBase(c), backTo: backTo, keys: newEditKeys(c.bindings), users: users}
	e.values = newBulkValues(c.Provider.Schema(), users)
	e.buildForm()
	return e
}

func (e *bulkEditView) Title() string             { return fmt.Sprintf("edit %d users", len(e.users)) }
func (e *bulkEditView) Init() tea.Cmd             { return e.form.Init() }
func (e *bulkEditView) CapturesInput() bool       { return true }
func (e *bulkEditView) Dirty() bool               { s, _ := e.values.set(); return len(s) > 0 }
func (e *bulkEditView) ShortHelp() []key.Binding  { return e.keys.ShortHelp() }
func (e *bulkEditView) FullHelp() [][]key.Binding { return e.keys.FullHelp() }

func (e *bulkEditView) buildForm() {
	fields := e.values.formFields()
	if len(fields) == 0 {
		fields = []huh.Field{huh.NewNote().Title("Nothing to edit").Description("This provider has no editable fields.")}
	}
	e.form = huh.NewForm(huh.NewGroup(fields...)).WithTheme(e.c.Styles.Form).WithShowHelp(false).WithShowErrors(true)
	e.sizeForm()
}

func (e *bulkEditView) SetSize(w, h int) {
	e.viewBase.SetSize(w, h)
	e.sizeForm()
}

func (e *bulkEditView) sizeForm() {
	if e.form != nil && e.w > 0 {
		e.form = e.form.WithWidth(e.w).WithHeight(max(e.h-3, 3))
	}
}

func (e *bulkEditView) Update(msg tea.Msg) (Component, tea.Cmd) {
	return e, formInput(&e.form, &e.discard, msg, e.keys.Cancel, e.keys.Submit, e.Dirty, "edits", e.submit)
}

// submit reads every marked user and plans the edit (in a Cmd).
func (e *bulkEditView) submit() tea.Cmd {
	if e.form.State != huh.StateNormal {
		defer e.buildForm()
	}
	set, err := e.values.set()
	if err != nil {
		return failure(err)
	}
	if len(set) == 0 {
		return info("nothing changed: set at least one field")
	}
	return push(newBulkPreviewView(e.c, e.backTo, bulkEdit, e.users, itemsFor(e.users, set)))
}

func (e *bulkEditView) View() string {
	s := e.c.Styles
	head := s.Section.Render(termtext.Truncate(fmt.Sprintf("Edit %d marked users", len(e.users)), e.w)) + "\n" +
		s.Muted.Render(termtext.Truncate("Only the fields you change are written; ctrl+s shows what changes first.", e.w))
	return head + "\n\n" + e.form.View()
}
