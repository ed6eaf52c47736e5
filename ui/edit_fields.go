package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/roster-tui/roster/crm"
)

// formValues holds the form's values, one per editable field, and the values
// the form opened with, so a save sends only what changed.
type formValues struct {
	fields []crm.Field
	text   map[string]*string // every type but bool
	flag   map[string]*bool
	orig   map[string]string
	origB  map[string]bool
}

func newFormValues(schema crm.Schema, u crm.User) *formValues {
	v := &formValues{text: map[string]*string{}, flag: map[string]*bool{}, orig: map[string]string{}, origB: map[string]bool{}}
	for _, f := range schema.Editable() {
		if f.Type == crm.TypeObject {
			continue // objects are read-only in the UI
		}
		v.fields = append(v.fields, f)
		if f.Type == crm.TypeBool {
			b := boolOf(u.Value(f.Key))
			v.origB[f.Key] = b
			v.flag[f.Key] = &b
			continue
		}
		s := fieldText(f, u.Value(f.Key))
		v.orig[f.Key] = s
		v.text[f.Key] = &s
	}
	return v
}

// fieldText is a field's value as the form's text input shows it.
func fieldText(f crm.Field, raw any) string { return clean(f.Format(raw)) }

// rebase makes u the user the form compares against, keeping every edit:
// after a conflict or a partial save, what the provider holds now is the
// new original, so a field whose edit was saved is no longer a change, and
// a field the admin did not touch shows the provider's value (it must not
// come back as an edit that reverts someone else's change).
func (v *formValues) rebase(u crm.User) {
	edited := v.changes()
	for _, f := range v.fields {
		_, mine := edited[f.Key]
		if f.Type == crm.TypeBool {
			v.origB[f.Key] = boolOf(u.Value(f.Key))
			if !mine {
				*v.flag[f.Key] = v.origB[f.Key]
			}
			continue
		}
		v.orig[f.Key] = fieldText(f, u.Value(f.Key))
		if !mine {
			*v.text[f.Key] = v.orig[f.Key]
		}
	}
}

// takeValue drops the edit of one field: it shows u's value again.
func (v *formValues) takeValue(u crm.User, key string) {
	for _, f := range v.fields {
		if f.Key != key {
			continue
		}
		if f.Type == crm.TypeBool {
			*v.flag[key] = boolOf(u.Value(key))
		} else {
			*v.text[key] = fieldText(f, u.Value(key))
		}
	}
}

// boolOf reads a provider's boolean the way crm.Field.Parse reads text
// (true/false, yes/no, 1/0); anything else is false.
func boolOf(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		b, _ := crm.Field{Type: crm.TypeBool}.Parse(v)
		t, _ := b.(bool)
		return t
	}
	return false
}

// changes are the edited fields as the provider expects them.
func (v *formValues) changes() crm.Changes {
	ch := crm.Changes{}
	for _, f := range v.fields {
		if f.Type == crm.TypeBool {
			if *v.flag[f.Key] != v.origB[f.Key] {
				ch[f.Key] = *v.flag[f.Key]
			}
			continue
		}
		now := *v.text[f.Key]
		val, err := f.Parse(now)
		if err != nil {
			// validate() reports it; keep the text so the save shows it.
			if strings.TrimSpace(now) != strings.TrimSpace(v.orig[f.Key]) {
				ch[f.Key] = strings.TrimSpace(now)
			}
			continue
		}
		if !f.Equal(val, v.orig[f.Key]) {
			ch[f.Key] = val // nil or [] when cleared: what the CLI sends too
		}
	}
	return ch
}

// validate checks every field as the form does; used before a save by key.
func (v *formValues) validate() error {
	var errs []error
	for _, f := range v.fields {
		if f.Type == crm.TypeBool {
			continue
		}
		if err := validator(f)(*v.text[f.Key]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", clean(f.Label), err))
		}
	}
	return errors.Join(errs...)
}

// validator checks one field's text with crm.Field.Parse, the one parser
// the CLI uses too.
func validator(f crm.Field) func(string) error {
	return func(s string) error {
		if _, err := f.Parse(s); err != nil {
			if errors.Is(err, crm.ErrRequired) {
				return errRequired
			}
			return err
		}
		return nil
	}
}

// formFields builds one huh field per editable field; errs are the
// provider's messages from a failed save, shown under their fields.
func (v *formValues) formFields(errs map[string]string) []huh.Field {
	var out []huh.Field
	for _, f := range v.fields {
		title := clean(f.Label)
		if f.Required {
			title += " *"
		}
		desc := clean(f.Hint)
		if e, ok := errs[f.Key]; ok {
			desc = "✗ " + clean(e)
		}
		switch f.Type {
		case crm.TypeBool:
			out = append(out, huh.NewConfirm().Key(f.Key).Title(title).Description(desc).
				Affirmative("Yes").Negative("No").Value(v.flag[f.Key]))
		case crm.TypeEnum:
			values := slices.Clone(f.Values)
			if cur := *v.text[f.Key]; cur != "" && !slices.Contains(values, cur) {
				values = append(values, cur) // keep an unknown value selectable
			}
			if !f.Required && !slices.Contains(values, "") {
				values = append([]string{""}, values...)
			}
			opts := make([]huh.Option[string], 0, len(values))
			for _, val := range values {
				label := clean(val)
				if val == "" {
					label = "(none)"
				}
				opts = append(opts, huh.NewOption(label, val))
			}
			out = append(out, huh.NewSelect[string]().Key(f.Key).Title(title).Description(desc).
				Options(opts...).Value(v.text[f.Key]))
		default:
			in := huh.NewInput().Key(f.Key).Title(title).Description(desc).
				Value(v.text[f.Key]).Validate(validator(f))
			switch f.Type {
			case crm.TypeDate:
				in.Placeholder("YYYY-MM-DD")
			case crm.TypeList:
				in.Placeholder("comma, separated")
			case crm.TypeEmail:
				in.Placeholder("name@example.com")
			}
			out = append(out, in)
		}
	}
	return out
}

// describe shows a value for the save confirmation: crm.DescribeValue, the
// one "(empty)"-aware renderer the CLI and the audit printer use too.
func describe(v any) string { return crm.DescribeValue(v) }

var errRequired = errors.New("required")
