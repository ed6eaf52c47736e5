package zoho

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/jsonwalk"
)

// flexString accepts a JSON string or number (ids are strings in Zoho's
// answers, but a number must not make a whole page unreadable) and null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = ""
		return nil
	}
	// Most values are plain strings: take them as they are rather than run
	// the full decoder again for each field of each user.
	if plain, ok := jsonwalk.PlainString(b); ok {
		*f = flexString(plain)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or a number, got %s", b)
	}
	*f = flexString(n)
	return nil
}

type wireRef struct {
	Name flexString `json:"name"`
	ID   flexString `json:"id"`
}

// wireUser is the part of Zoho's user object Roster maps to common fields;
// the whole object is kept as User.Raw.
type wireUser struct {
	ID           flexString `json:"id"`
	FirstName    flexString `json:"first_name"`
	LastName     flexString `json:"last_name"`
	FullName     flexString `json:"full_name"`
	Email        flexString `json:"email"`
	Status       flexString `json:"status"`
	Role         *wireRef   `json:"role"`
	CreatedTime  flexString `json:"created_time"`
	ModifiedTime flexString `json:"Modified_Time"`
}

// itemResult is one entry of a write's {"users":[…]} answer: a success or a
// per-item error (Zoho's error object, inside a 200).
type itemResult struct {
	Code    string          `json:"code"`
	Details json.RawMessage `json:"details"`
	Message string          `json:"message"`
	Status  string          `json:"status"`
}

var errNoUsers = errors.New(`no "users" array`)

// decodeUsers reads a users answer (GET /crm/v2/users and /users/{id}) into
// users and the more_records flag, in one pass: each user object is parsed
// once, into the mapped fields, and its Raw is that object's slice of body
// (not a copy; the users of one page share its body, which nothing else
// keeps). Keys match case-insensitively, as encoding/json matches fields.
func decodeUsers(body []byte) ([]crm.User, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var users []crm.User
	more := false
	err := jsonwalk.Object(dec, func(key string) (bool, error) {
		var err error
		switch {
		case strings.EqualFold(key, "users"):
			users, err = jsonwalk.Users(dec, body, func(w *wireUser, raw []byte) (crm.User, error) { return w.user(raw) })
		case strings.EqualFold(key, "info"):
			var info struct {
				MoreRecords bool `json:"more_records"`
			}
			err = dec.Decode(&info)
			more = info.MoreRecords
		default:
			return false, nil
		}
		return true, err
	})
	if err != nil {
		return nil, false, err
	}
	if users == nil {
		return nil, false, errNoUsers
	}
	return users, more, nil
}

// user maps one decoded user object (PROVIDERS.md's table: title ←
// role.name); raw is the object itself.
func (w *wireUser) user(raw json.RawMessage) (crm.User, error) {
	if w.ID == "" {
		return crm.User{}, errors.New("a user without an id")
	}
	u := crm.User{
		ID:        string(w.ID),
		Name:      string(w.FullName),
		FirstName: string(w.FirstName),
		LastName:  string(w.LastName),
		Email:     string(w.Email),
		Status:    string(w.Status),
		Active:    crm.BoolPtr(w.Status == "active"),
		CreatedAt: string(w.CreatedTime),
		UpdatedAt: string(w.ModifiedTime),
		Raw:       json.RawMessage(raw),
	}
	if w.Status == "" {
		u.Active = nil
	}
	if w.Role != nil {
		u.Title = string(w.Role.Name)
	}
	return u, nil
}

// decodeItems reads a write's per-item answer.
func decodeItems(body []byte) ([]itemResult, error) {
	var b struct {
		Users []itemResult `json:"users"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, err
	}
	if b.Users == nil {
		return nil, errNoUsers
	}
	return b.Users, nil
}
