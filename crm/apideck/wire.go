package apideck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/jsonwalk"
)

// listMeta is the meta object of GET /crm/users (its data array is read
// element by element, see decodeList).
type listMeta struct {
	ItemsOnPage int  `json:"items_on_page"`
	TotalCount  *int `json:"total_count"` // absent for some connectors
	Cursors     struct {
		Next *string `json:"next"` // null ends the list
	} `json:"cursors"`
}

// oneEnvelope is the answer of GET /crm/users/{id}.
type oneEnvelope struct {
	Data json.RawMessage `json:"data"`
}

// idEnvelope is the answer of POST, PATCH and DELETE: only the id.
type idEnvelope struct {
	Data struct {
		ID string `json:"id"`
	} `json:"data"`
}

// wireUser holds the fields of a user the common model needs. An Apideck
// user has no name field (the users docs): the name shown is first + last.
type wireUser struct {
	ID        string      `json:"id"`
	FirstName string      `json:"first_name"`
	LastName  string      `json:"last_name"`
	Title     string      `json:"title"`
	Dept      string      `json:"department"`
	Status    string      `json:"status"`
	Emails    []wireEmail `json:"emails"`
	CreatedAt string      `json:"created_at"`
	UpdatedAt string      `json:"updated_at"`
}

type wireEmail struct {
	ID    string `json:"id,omitempty"`
	Email string `json:"email"`
	Type  string `json:"type,omitempty"`
}

// primaryEmail is the primary address, else the first one.
func primaryEmail(emails []wireEmail) string {
	for _, e := range emails {
		if e.Type == "primary" {
			return e.Email
		}
	}
	if len(emails) > 0 {
		return emails[0].Email
	}
	return ""
}

// decodeUser maps one user object to crm.User, keeping the object as Raw.
func decodeUser(raw json.RawMessage) (crm.User, error) {
	var w wireUser
	if err := json.Unmarshal(raw, &w); err != nil {
		return crm.User{}, err
	}
	return w.user(append(json.RawMessage(nil), raw...))
}

// user maps a decoded user object; raw is the object itself.
func (w *wireUser) user(raw json.RawMessage) (crm.User, error) {
	if w.ID == "" {
		return crm.User{}, fmt.Errorf("user without an id")
	}
	u := crm.User{
		ID: w.ID, Name: strings.TrimSpace(w.FirstName + " " + w.LastName), FirstName: w.FirstName, LastName: w.LastName,
		Email: primaryEmail(w.Emails), Title: w.Title, Department: w.Dept, Status: w.Status,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Raw: raw,
	}
	switch strings.ToLower(w.Status) {
	case "active":
		u.Active = crm.BoolPtr(true)
	case "inactive", "disabled", "deactivated":
		u.Active = crm.BoolPtr(false)
	}
	return u, nil
}

// decodeList reads one page of the users list in one pass: each user object
// is parsed once, and its Raw is its own (capped) slice of body rather than
// a copy; a page's users share the page's body. Keys match
// case-insensitively, as encoding/json matches struct fields.
func decodeList(body []byte) (crm.Page, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var users []crm.User
	var meta listMeta
	err := jsonwalk.Object(dec, func(key string) (bool, error) {
		var err error
		switch {
		case strings.EqualFold(key, "data"):
			users, err = jsonwalk.Users(dec, body, func(w *wireUser, raw []byte) (crm.User, error) { return w.user(raw) })
		case strings.EqualFold(key, "meta"):
			err = dec.Decode(&meta)
		default:
			return false, nil
		}
		return true, err
	})
	if err != nil {
		return crm.Page{}, err
	}
	if users == nil {
		return crm.Page{}, fmt.Errorf("no data array")
	}
	page := crm.Page{Users: users, Total: -1}
	if meta.Cursors.Next != nil {
		page.Next = *meta.Cursors.Next
	}
	if meta.TotalCount != nil && *meta.TotalCount >= 0 {
		page.Total = *meta.TotalCount
	}
	return page, nil
}

// decodeOne reads the answer of GET /crm/users/{id}.
func decodeOne(body []byte) (crm.User, error) {
	var env oneEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return crm.User{}, err
	}
	if len(env.Data) == 0 || env.Data[0] != '{' {
		return crm.User{}, fmt.Errorf("data is not a user object")
	}
	return decodeUser(env.Data)
}
