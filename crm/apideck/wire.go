package apideck

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/roster-tui/roster/crm"
)

// listEnvelope is the answer of GET /crm/users.
type listEnvelope struct {
	Data []json.RawMessage `json:"data"`
	Meta struct {
		ItemsOnPage int  `json:"items_on_page"`
		TotalCount  *int `json:"total_count"` // absent for some connectors
		Cursors     struct {
			Next *string `json:"next"` // null ends the list
		} `json:"cursors"`
	} `json:"meta"`
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

// wireUser holds the fields of a user the common model needs.
type wireUser struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
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
	if w.ID == "" {
		return crm.User{}, fmt.Errorf("user without an id")
	}
	u := crm.User{
		ID: w.ID, Name: w.Name, FirstName: w.FirstName, LastName: w.LastName,
		Email: primaryEmail(w.Emails), Title: w.Title, Department: w.Dept, Status: w.Status,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Raw: append(json.RawMessage(nil), raw...),
	}
	if u.Name == "" {
		u.Name = strings.TrimSpace(w.FirstName + " " + w.LastName)
	}
	switch strings.ToLower(w.Status) {
	case "active":
		u.Active = crm.BoolPtr(true)
	case "inactive", "disabled", "deactivated":
		u.Active = crm.BoolPtr(false)
	}
	return u, nil
}

// decodeList reads one page of the users list.
func decodeList(body []byte) (crm.Page, error) {
	var env listEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return crm.Page{}, err
	}
	if env.Data == nil {
		return crm.Page{}, fmt.Errorf("no data array")
	}
	page := crm.Page{Users: make([]crm.User, 0, len(env.Data)), Total: -1}
	for i, raw := range env.Data {
		u, err := decodeUser(raw)
		if err != nil {
			return crm.Page{}, fmt.Errorf("user %d: %w", i, err)
		}
		page.Users = append(page.Users, u)
	}
	if env.Meta.Cursors.Next != nil {
		page.Next = *env.Meta.Cursors.Next
	}
	if env.Meta.TotalCount != nil && *env.Meta.TotalCount >= 0 {
		page.Total = *env.Meta.TotalCount
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
