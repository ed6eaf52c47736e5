package crm

import "slices"

// A column names one value of a user for a table or an export: a common
// name (CommonNames: name, email, title, …) or one of the schema's field
// keys. The console's columns, its saved views and `users list --columns`
// take the same names.

// HasColumn reports whether name is a column of this schema.
func (s Schema) HasColumn(name string) bool {
	if slices.Contains(CommonNames, name) {
		return true
	}
	_, ok := s.Field(name)
	return ok
}

// ColumnKeys are the schema's field keys that are not common names, in
// schema order: the columns a provider adds to the common ones.
func (s Schema) ColumnKeys() []string {
	var out []string
	for _, f := range s.Fields {
		if !slices.Contains(CommonNames, f.Key) {
			out = append(out, f.Key)
		}
	}
	return out
}
