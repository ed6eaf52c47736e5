package crm

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// User is one user as a provider holds it: the common fields of the mapping
// table in PROVIDERS.md, and the provider's own object, kept as the raw JSON
// it sent so that nothing is lost and nothing is stored twice.
type User struct {
	ID         string
	Name       string // display name
	FirstName  string
	LastName   string
	Email      string
	Title      string
	Department string
	Status     string // the provider's own status word, e.g. "active"
	// Active is nil when the provider has no notion of active users.
	Active    *bool
	CreatedAt string // as the provider sent it (usually RFC 3339)
	UpdatedAt string // as the provider sent it; also the version for conflict checks
	// Raw is the provider's own JSON object for this user.
	Raw json.RawMessage
}

// Fields decodes the provider's own object. It returns an empty map when the
// user has no raw object or it is not a JSON object.
func (u User) Fields() map[string]any {
	m := map[string]any{}
	if len(u.Raw) == 0 {
		return m
	}
	dec := json.NewDecoder(strings.NewReader(string(u.Raw)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return map[string]any{}
	}
	return m
}

// Value returns the value of a schema field for this user: the provider's own
// key when its object has it, else the common field of that name (so adapters
// may declare synthetic fields such as Apideck's primary "email").
func (u User) Value(key string) any {
	if v, ok := u.Fields()[key]; ok {
		return v
	}
	if v, ok := u.Common(key); ok {
		return v
	}
	return nil
}

// CommonNames are the common field names, in the order --json prints them.
var CommonNames = []string{"id", "name", "first_name", "last_name", "email", "title", "department", "status", "active", "created_at", "updated_at"}

// Common returns a common field by its common name.
func (u User) Common(name string) (any, bool) {
	switch name {
	case "id":
		return u.ID, true
	case "name":
		return u.Name, true
	case "first_name":
		return u.FirstName, true
	case "last_name":
		return u.LastName, true
	case "email":
		return u.Email, true
	case "title":
		return u.Title, true
	case "department":
		return u.Department, true
	case "status":
		return u.Status, true
	case "active":
		if u.Active == nil {
			return nil, true
		}
		return *u.Active, true
	case "created_at":
		return u.CreatedAt, true
	case "updated_at":
		return u.UpdatedAt, true
	}
	return nil, false
}

// DisplayName is the best name to show: Name, else first+last, else email, else id.
func (u User) DisplayName() string {
	if strings.TrimSpace(u.Name) != "" {
		return u.Name
	}
	if n := strings.TrimSpace(u.FirstName + " " + u.LastName); n != "" {
		return n
	}
	if u.Email != "" {
		return u.Email
	}
	return u.ID
}

// MarshalJSON prints the common names plus "fields" with the provider's own
// object, as the CLI's --json output promises.
func (u User) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range CommonNames {
		v, _ := u.Common(name)
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		val, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteString(`,"fields":`)
	// Compact checks the provider's object and drops its insignificant
	// space in one pass (a JSON line must not break); what is not JSON
	// is left out.
	mark := b.Len()
	if len(u.Raw) == 0 || json.Compact(&b, u.Raw) != nil {
		b.Truncate(mark)
		b.WriteString("{}")
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Changes are the edited fields of one save, keyed by the provider's own
// field keys. Values are string, bool, []string, or nil to clear.
type Changes map[string]any

// Keys returns the changed keys in a stable order.
func (c Changes) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// BoolPtr is a small helper for adapters filling User.Active.
func BoolPtr(b bool) *bool { return &b }
