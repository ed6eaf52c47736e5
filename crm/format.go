package crm

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Format shows any field value on one line as a person reads it: strings as
// they are, booleans as yes/no, lists joined with ", ", and nested objects by
// what they name — a Zoho role {name,id} as its name, an Apideck phone as
// "+1 555 0100 (mobile)", an address as "Berlin, DE (work)", a Laurel identity
// as "email: ada@example.com" — never as raw JSON. Absent values are "".
// The result is not sanitised: callers showing it clean it for their medium.
func Format(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case []string:
		return strings.Join(v, ", ")
	case []any:
		sep := ", "
		parts := make([]string, 0, len(v))
		for _, e := range v {
			if _, ok := e.(map[string]any); ok {
				sep = "; " // objects may hold commas themselves
			}
			if s := Format(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, sep)
	case map[string]any:
		return formatObject(v)
	}
	return fmt.Sprint(v)
}

// Keys that name what an object is, in order of preference.
var (
	nameKeys    = []string{"name", "display_name", "full_name", "label", "title", "email", "value"}
	addressKeys = []string{"string", "line1", "line2", "street_1", "street_2", "city", "state", "postal_code", "country"}
)

// formatObject shows a nested object by its name, number or address, with
// its type in parentheses; other objects as "key: value, …" without ids.
func formatObject(m map[string]any) string {
	kind := text(m["type"])
	withKind := func(s string) string {
		if kind != "" && kind != s {
			return s + " (" + kind + ")"
		}
		return s
	}
	if n := text(m["number"]); n != "" {
		if p := text(m["area_code"]); p != "" && !strings.HasPrefix(n, p) {
			n = p + " " + n
		}
		if p := strings.TrimPrefix(text(m["country_code"]), "+"); p != "" && !strings.HasPrefix(n, "+") {
			n = "+" + p + " " + n
		}
		if x := text(m["extension"]); x != "" {
			n += " ext. " + x
		}
		return withKind(n)
	}
	for _, k := range nameKeys {
		if s := text(m[k]); s != "" {
			if k == "value" && kind != "" {
				return kind + ": " + s // Laurel identities {type, value}
			}
			return withKind(s)
		}
	}
	var addr []string
	for _, k := range addressKeys {
		if s := text(m[k]); s != "" {
			addr = append(addr, s)
		}
	}
	if len(addr) > 0 {
		return withKind(strings.Join(addr, ", "))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "id" && k != "_id" && !isEmpty(m[k]) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		if id := text(m["id"]) + text(m["_id"]); id != "" {
			return "id " + id
		}
		return ""
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		s := Format(m[k])
		if _, nested := m[k].(map[string]any); nested {
			s = "(" + s + ")"
		}
		parts = append(parts, k+": "+s)
	}
	return strings.Join(parts, ", ")
}

// text is a scalar as text, "" for anything else.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	}
	return ""
}

// DescribeValue shows a value for a change description: "(empty)" when it
// is absent or cleared.
func DescribeValue(v any) string {
	if isEmpty(v) {
		return "(empty)"
	}
	return Format(v)
}

// DescribeChange is one changed field as "old → new", the form the save
// confirmation, the CLI and the audit printer all use.
func DescribeChange(old, new any) string {
	return DescribeValue(old) + " → " + DescribeValue(new)
}
