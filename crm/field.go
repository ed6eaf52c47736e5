package crm

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// Field meaning lives here, once: how text typed by a person (the CLI's
// --set, the edit form, later files) becomes a value on the wire, how a value
// is checked, and how a value reads as text. The CLI and the console both
// call these, so "yes", "Admin" or an emptied field mean the same in both.
//
// What "clear" is on the wire, per type:
//   - list: an empty list []string{}
//   - text, email, enum, date, datetime, number: nil (JSON null)
//   - bool: there is no empty boolean; "" is an error
//   - object: nested objects are read-only; Parse always refuses them
//
// A required field cannot be cleared.

// ErrRequired is returned when a required field is emptied.
var ErrRequired = errors.New("required")

// Parse turns text into the field's wire value (see the table above).
func (f Field) Parse(text string) (any, error) {
	s := strings.TrimSpace(text)
	if f.Choices != nil {
		// One of the provider's loaded choices, by id or name; the
		// provider's Create resolves it.
		if s == "" {
			return nil, nil
		}
		return s, nil
	}
	if f.Type == TypeObject {
		return nil, fmt.Errorf("%s is a nested object and cannot be set as text", f.Label)
	}
	if f.Type == TypeList {
		items := []string{}
		for _, it := range strings.Split(s, ",") {
			if it = strings.TrimSpace(it); it != "" {
				items = append(items, it)
			}
		}
		if len(items) == 0 && f.Required {
			return nil, ErrRequired
		}
		return items, nil
	}
	if s == "" {
		if f.Type == TypeBool {
			return nil, errors.New("true or false (yes/no, 1/0)")
		}
		if f.Required {
			return nil, ErrRequired
		}
		return nil, nil
	}
	switch f.Type {
	case TypeBool:
		switch strings.ToLower(s) {
		case "true", "yes", "1":
			return true, nil
		case "false", "no", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false (yes/no, 1/0)", s)
	case TypeEnum:
		if len(f.Values) == 0 {
			return s, nil
		}
		for _, v := range f.Values {
			if strings.EqualFold(v, s) {
				return v, nil // the provider's spelling
			}
		}
		return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(f.Values, ", "))
	}
	if err := checkText(f.Type, s); err != nil {
		return nil, err
	}
	return s, nil
}

// checkText checks the text of a scalar, non-empty value by its type.
func checkText(t FieldType, s string) error {
	switch t {
	case TypeEmail:
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			return fmt.Errorf("%q is not an email address", s)
		}
	case TypeDate:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
		}
	case TypeTime:
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fmt.Errorf("%q is not an RFC 3339 time, e.g. 2024-05-01T09:30:00Z", s)
		}
	case TypeNumber:
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
	}
	return nil
}

// Validate checks a wire value (as Parse returns it, or as changes hold it)
// against the field.
func (f Field) Validate(v any) error {
	if isEmpty(v) {
		if f.Type == TypeBool && v == nil {
			return errors.New("true or false")
		}
		if f.Required {
			return ErrRequired
		}
		return nil
	}
	switch f.Type {
	case TypeBool:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s is not true or false", f.Format(v))
		}
		return nil
	case TypeList:
		switch v.(type) {
		case []string, []any:
			return nil
		}
		return fmt.Errorf("%s is not a list", f.Format(v))
	case TypeObject:
		return nil
	}
	_, err := f.Parse(f.Format(v))
	return err
}

// isEmpty is true for nil, "", and empty lists: what "cleared" looks like.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	case []string:
		return len(v) == 0
	case []any:
		return len(v) == 0
	}
	return false
}

// Equal reports whether two values of this field mean the same: the
// comparison that decides whether a change changes anything. Text is
// compared trimmed, enums in any case, lists item by item, and an absent
// value equals an emptied one.
func (f Field) Equal(a, b any) bool {
	if isEmpty(a) || isEmpty(b) {
		return isEmpty(a) && isEmpty(b)
	}
	switch f.Type {
	case TypeBool:
		x, ok1 := truth(a)
		y, ok2 := truth(b)
		return ok1 && ok2 && x == y
	case TypeList:
		x, y := listItems(a), listItems(b)
		if x == nil || y == nil || len(x) != len(y) {
			return Format(a) == Format(b)
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case TypeEnum:
		return strings.EqualFold(Format(a), Format(b))
	case TypeNumber:
		x, err1 := strconv.ParseFloat(Format(a), 64)
		y, err2 := strconv.ParseFloat(Format(b), 64)
		if err1 == nil && err2 == nil {
			return x == y
		}
	}
	return strings.TrimSpace(Format(a)) == strings.TrimSpace(Format(b))
}

// truth reads a boolean as providers send it: true, or "true".
func truth(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		return b, err == nil
	}
	return false, false
}

// listItems returns the items of a list as text, nil when v is not a list.
func listItems(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			out[i] = Format(e)
		}
		return out
	}
	return nil
}

// Format shows a value of this field as text (see the package function).
func (f Field) Format(v any) string { return Format(v) }

// StatusWord is the user's status as one word: the provider's own status,
// else active/inactive from Active, else "".
func StatusWord(u User) string {
	if u.Status != "" {
		return u.Status
	}
	if u.Active != nil {
		if *u.Active {
			return "active"
		}
		return "inactive"
	}
	return ""
}
