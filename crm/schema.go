package crm

import "context"

// FieldType tells the UI which input to offer and the CLI how to parse --set.
type FieldType string

const (
	TypeText   FieldType = "text"
	TypeEmail  FieldType = "email"
	TypeBool   FieldType = "bool"
	TypeEnum   FieldType = "enum"
	TypeDate   FieldType = "date"     // YYYY-MM-DD
	TypeTime   FieldType = "datetime" // RFC 3339
	TypeList   FieldType = "list"     // list of strings (comma separated in --set)
	TypeObject FieldType = "object"   // nested object, read-only in the UI
	TypeNumber FieldType = "number"
)

// Field is one user field of a provider.
type Field struct {
	Key      string    // the provider's own key, as sent on the wire
	Label    string    // what the UI shows
	Type     FieldType // input kind
	Values   []string  // allowed values of an enum
	Editable bool
	Required bool // must not be empty when saving
	// Common is the common name this field maps to ("title", "email", …),
	// empty when it has none. The CLI accepts it as an alias in --set.
	Common string
	// Hint is a short help text for the edit form.
	Hint string
	// Create says whether the field may be given when creating a user, and
	// whether it must be (CreateNo: not at creation).
	Create CreateRule
	// Choices, when set, loads the values the field takes at creation from
	// the provider (ids with names, e.g. Zoho's roles and profiles), so a
	// form can offer a select; the provider's Create accepts an id or a
	// name. It does read-only I/O; nil for fields without loaded choices.
	Choices func(ctx context.Context) ([]Choice, error)
}

// CreateRule is what a field is when creating a user.
type CreateRule string

const (
	CreateNo       CreateRule = ""         // cannot be given at creation
	CreateOptional CreateRule = "optional" // may be given
	CreateRequired CreateRule = "required" // must be given, not blank
)

// Choice is one value of a field with loaded choices: the id sent on the
// wire and the name a person reads.
type Choice struct {
	ID   string
	Name string
}

// Schema is the ordered list of a provider's user fields, and what the
// provider's documentation says some actions mean in terms of those fields.
type Schema struct {
	Fields []Field
	// Deactivate is the change that deactivates a user on this provider, in
	// the provider's own keys (Apideck: status inactive; Laurel: status
	// adminDisabled; Truto: is_active false, or remote_data for CRMs whose
	// unified is_active is not accepted). Empty when the provider documents
	// no way to deactivate a user (delete is then the only offboarding).
	// Callers use DeactivateChanges, not this field.
	Deactivate Changes
}

// DeactivateChanges says what deactivating a user means for p: the changes
// to send through p.Update (so a deactivation is conflict-checked, guarded
// and audited like any other save), and false when p documents no
// deactivation. The answer is a fresh copy each time; callers may keep or
// change it. Whether the person may send it is the guard's to say.
func DeactivateChanges(p Provider) (Changes, bool) {
	d := p.Schema().Deactivate
	if len(d) == 0 {
		return nil, false
	}
	out := make(Changes, len(d))
	for k, v := range d {
		out[k] = cloneValue(v)
	}
	return out, true
}

// cloneValue copies nested objects and lists, so a caller changing its copy
// never changes the provider's declaration.
func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneValue(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = cloneValue(e)
		}
		return l
	}
	return v
}

// Field returns the field with the given provider key.
func (s Schema) Field(key string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Editable returns the editable fields in order.
func (s Schema) Editable() []Field {
	var out []Field
	for _, f := range s.Fields {
		if f.Editable {
			out = append(out, f)
		}
	}
	return out
}

// CreateFields returns the fields that may be given when creating a user, in
// order; empty when the provider cannot create.
func (s Schema) CreateFields() []Field {
	var out []Field
	for _, f := range s.Fields {
		if f.Create != CreateNo {
			out = append(out, f)
		}
	}
	return out
}

// Resolve finds a field by its provider key or, failing that, by its common name.
func (s Schema) Resolve(name string) (Field, bool) {
	if f, ok := s.Field(name); ok {
		return f, true
	}
	for _, f := range s.Fields {
		if f.Common == name {
			return f, true
		}
	}
	return Field{}, false
}
