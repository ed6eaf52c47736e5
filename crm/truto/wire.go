package truto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/jsonwalk"
)

// errNotObject is a decoding failure: the answer is not the JSON object expected.
var errNotObject = errors.New("not a JSON object")

// decodeObject reads one JSON object keeping numbers as json.Number.
func decodeObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errNotObject
	}
	return m, nil
}

// decodeUser turns one unified user object into a crm.User. Truto's unified
// model has no first/last name in answers (they are write-only), so they are
// taken from the CRM's own record in remote_data when it has them.
func decodeUser(raw []byte) (crm.User, error) {
	m, err := decodeObject(raw)
	if err != nil {
		return crm.User{}, err
	}
	return userFrom(m, bytes.TrimSpace(raw))
}

// userFrom maps a decoded user object; raw is the object itself.
func userFrom(m map[string]any, raw []byte) (crm.User, error) {
	id := scalar(m["id"])
	if id == "" {
		return crm.User{}, errors.New("user without an id")
	}
	u := crm.User{
		ID:        id,
		Name:      str(m["name"]),
		Email:     str(m["email"]),
		FirstName: str(m["first_name"]),
		LastName:  str(m["last_name"]),
		CreatedAt: str(m["created_at"]),
		UpdatedAt: str(m["updated_at"]),
		Raw:       json.RawMessage(raw),
	}
	if b, ok := m["is_active"].(bool); ok {
		u.Active = crm.BoolPtr(b)
	}
	if remote, ok := m["remote_data"].(map[string]any); ok {
		if u.FirstName == "" {
			u.FirstName = remoteName(remote, "first_name", "FirstName", "firstName")
		}
		if u.LastName == "" {
			u.LastName = remoteName(remote, "last_name", "LastName", "lastName")
		}
		// The unified user has no title; the CRM's own record may (Salesforce's
		// User.Title, Outreach's attributes.title).
		u.Title = remoteName(remote, "Title", "title", "jobTitle")
		// Salesforce answers no unified is_active; its own record says.
		if b, ok := remote["IsActive"].(bool); ok && u.Active == nil {
			u.Active = crm.BoolPtr(b)
		}
	}
	return u, nil
}

// remoteName finds a name part in a CRM's own record: at the top (Salesforce,
// OnePageCRM, Planhat) or under JSON:API "attributes" (Outreach).
func remoteName(remote map[string]any, keys ...string) string {
	for _, obj := range []any{remote, remote["attributes"]} {
		o, ok := obj.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range keys {
			if s := str(o[k]); s != "" {
				return s
			}
		}
	}
	return ""
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// scalar is a string or a number as text (some CRMs' ids are numbers).
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

// decodeList reads a list answer, GET /unified/crm/users: {result,
// next_cursor|null, prev_cursor, result_count}. A null, missing or empty
// next_cursor ends the list. One pass: each user object is parsed once, and
// its Raw is its own (capped) slice of data rather than a copy; a page's
// users share the page's body. Keys match case-insensitively, as
// encoding/json matches struct fields.
func decodeList(data []byte) ([]crm.User, string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var users []crm.User
	var next *string
	err := jsonwalk.Object(dec, func(key string) (bool, error) {
		var err error
		switch {
		case strings.EqualFold(key, "result"):
			users, err = jsonwalk.Users(dec, data, func(m *map[string]any, raw []byte) (crm.User, error) {
				return userFrom(*m, raw)
			})
		case strings.EqualFold(key, "next_cursor"):
			err = dec.Decode(&next)
		default:
			return false, nil
		}
		return true, err
	})
	if err != nil {
		return nil, "", err
	}
	if users == nil {
		return nil, "", errors.New("no result array")
	}
	if next == nil {
		return users, "", nil
	}
	return users, *next, nil
}

// errorBody is Truto's error body.
type errorBody struct {
	StatusCode  int             `json:"statusCode"`
	Error       string          `json:"error"`
	Message     string          `json:"message"`
	Details     json.RawMessage `json:"details"`
	RemoteError bool            `json:"truto_is_remote_error"`
}

// decodeError reads an error body, tolerating anything: a body that is not
// Truto's shape gives its start as the message.
func decodeError(data []byte) errorBody {
	var e errorBody
	if err := json.Unmarshal(data, &e); err != nil || (e.Message == "" && e.Error == "") {
		return errorBody{Message: cut(strings.TrimSpace(string(data)), 200)}
	}
	return e
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// detailFields turns details into per-field messages when it has a shape we
// recognise: an object of field → message (or list of messages), or a list
// of {field|path, message}. The docs do not publish its shape.
func (e errorBody) detailFields() map[string]string {
	if len(e.Details) == 0 {
		return nil
	}
	out := map[string]string{}
	var obj map[string]any
	if json.Unmarshal(e.Details, &obj) == nil {
		for k, v := range obj {
			if s := message(v); s != "" {
				out[k] = s
			}
		}
	}
	var list []map[string]any
	if json.Unmarshal(e.Details, &list) == nil {
		for _, item := range list {
			field := str(item["field"])
			if p, ok := item["path"].([]any); ok && field == "" {
				parts := make([]string, 0, len(p))
				for _, x := range p {
					parts = append(parts, fmt.Sprint(x))
				}
				field = strings.Join(parts, ".")
			}
			if field != "" {
				out[field] = message(item["message"])
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// message is a string, or the strings of a list joined.
func message(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var parts []string
		for _, p := range x {
			if s, ok := p.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return ""
}
