package crm

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
}

// Schema is the ordered list of a provider's user fields.
type Schema struct {
	Fields []Field
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
