package zoho

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/roster-tui/roster/crm"
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

// listBody is GET /crm/v2/users and /users/{id}.
type listBody struct {
	Users []json.RawMessage `json:"users"`
	Info  struct {
		MoreRecords bool `json:"more_records"`
	} `json:"info"`
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

// decodeUsers reads a users answer into users and the more_records flag.
func decodeUsers(body []byte) ([]crm.User, bool, error) {
	var lb listBody
	if err := json.Unmarshal(body, &lb); err != nil {
		return nil, false, err
	}
	if lb.Users == nil {
		return nil, false, errNoUsers
	}
	users := make([]crm.User, 0, len(lb.Users))
	for i, raw := range lb.Users {
		u, err := decodeUser(raw)
		if err != nil {
			return nil, false, fmt.Errorf("user %d: %w", i, err)
		}
		users = append(users, u)
	}
	return users, lb.Info.MoreRecords, nil
}

// decodeUser maps one user object (PROVIDERS.md's table: title ← role.name).
func decodeUser(raw json.RawMessage) (crm.User, error) {
	var w wireUser
	if err := json.Unmarshal(raw, &w); err != nil {
		return crm.User{}, err
	}
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
		Raw:       append(json.RawMessage(nil), raw...),
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
