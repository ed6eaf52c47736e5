package laurel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/jsonwalk"
)

// userKeys are the user properties a validation message may name.
var userKeys = []string{"_id", "firstName", "lastName", "email", "jobTitle", "nickname", "status",
	"seniority", "department", "office", "subdepartment", "pod", "roleIds", "delegateIds", "identities",
	"roles", "delegates", "delegators", "groupIds", "isSuperDelegate"}

// wireUser holds the user properties Roster maps. A property of an
// unexpected type reads as empty rather than failing the whole list: the
// raw object keeps it for the detail view.
type wireUser struct {
	ID         looseString `json:"_id"`
	FirstName  looseString `json:"firstName"`
	LastName   looseString `json:"lastName"`
	Email      looseString `json:"email"`
	JobTitle   looseString `json:"jobTitle"`
	Department looseString `json:"department"`
	Status     looseString `json:"status"`
	CreatedAt  looseString `json:"createdAt"`
	UpdatedAt  looseString `json:"updatedAt"`
	// Name is a projection's (the v1 list with integration answers
	// {_id, email, name, relevantIdentities}); a full user has first and
	// last names instead.
	Name looseString `json:"name"`
}

// looseString is a JSON string, or empty for any other value.
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	// Most values are plain strings: take them as they are rather than run
	// the decoder again for each property of each user.
	if plain, ok := jsonwalk.PlainString(b); ok {
		*s = looseString(plain)
		return nil
	}
	var v string
	if json.Unmarshal(b, &v) != nil {
		v = ""
	}
	*s = looseString(v)
	return nil
}

// decodeUser turns one Laurel user object (a whole answer) into a crm.User.
func decodeUser(provider string, raw []byte) (crm.User, error) {
	raw = bytes.TrimSpace(raw)
	var w wireUser
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &w) != nil {
		return crm.User{}, notAnObject(provider, raw)
	}
	return w.user(provider, raw)
}

func notAnObject(provider string, raw []byte) error {
	return &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
		Message: "a user is not a JSON object: " + httpx.Snippet(raw)}
}

// user maps the decoded properties; raw is the object itself, kept as Raw
// (capped, so appending to it never writes past the object).
func (w *wireUser) user(provider string, raw []byte) (crm.User, error) {
	u := crm.User{
		ID:         string(w.ID),
		FirstName:  string(w.FirstName),
		LastName:   string(w.LastName),
		Email:      string(w.Email),
		Title:      string(w.JobTitle),
		Department: string(w.Department),
		Status:     string(w.Status),
		CreatedAt:  string(w.CreatedAt),
		UpdatedAt:  string(w.UpdatedAt),
		Raw:        json.RawMessage(raw[:len(raw):len(raw)]),
	}
	if u.ID == "" {
		return crm.User{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "a user has no _id: " + httpx.Snippet(raw)}
	}
	u.Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	if u.Name == "" {
		u.Name = strings.TrimSpace(string(w.Name)) // a projection: no first or last name to split it into
	}
	if u.Status != "" { // status is optional in Laurel's schema
		u.Active = crm.BoolPtr(u.Status == "active")
	}
	return u, nil
}

// errNotArray says a list answer's users are not an array.
var errNotArray = errors.New("not an array")

// decodeUserArray reads an array of user objects from dec, which reads body
// (none for null): each object is parsed once, and its Raw is its own slice
// of body (no copy; a page's users share the page's body).
func decodeUserArray(provider string, dec *json.Decoder, body []byte) ([]crm.User, error) {
	users := []crm.User{}
	err := jsonwalk.Array(dec, body, func(_ int, w *wireUser, raw []byte) error {
		u, err := w.user(provider, raw)
		if err != nil {
			return err
		}
		users = append(users, u)
		return nil
	})
	if ee := (*jsonwalk.ElementError)(nil); errors.As(err, &ee) {
		return nil, notAnObject(provider, ee.Raw)
	}
	return users, err
}

// atEnd checks nothing follows the answer's one value.
func atEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the answer")
	}
	return nil
}

// decodePage reads a v2 list answer, {items, nextPage?, totalPages,
// totalItems}, into a crm.Page. Keys match case-insensitively, as
// encoding/json matches struct fields.
func decodePage(provider string, body []byte) (crm.Page, error) {
	unreadable := func(err error) error {
		return &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "unreadable user page: " + httpx.Snippet(body), Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var users []crm.User
	var nextPage, totalItems *int
	err := jsonwalk.Object(dec, func(key string) (bool, error) {
		var err error
		switch {
		case strings.EqualFold(key, "items"):
			users, err = decodeUserArray(provider, dec, body)
		case strings.EqualFold(key, "nextPage"):
			err = dec.Decode(&nextPage)
		case strings.EqualFold(key, "totalItems"):
			err = dec.Decode(&totalItems)
		default: // totalPages is derived; the rest is not ours
			return false, nil
		}
		return true, err
	})
	if crm.AsError(err) != nil {
		return crm.Page{}, err // names the user at fault
	} else if err != nil {
		return crm.Page{}, unreadable(err)
	}
	if users == nil {
		return crm.Page{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "the user page has no items: " + httpx.Snippet(body)}
	}
	page := crm.Page{Users: users, Total: -1}
	if totalItems != nil {
		page.Total = *totalItems
	}
	if nextPage != nil && *nextPage > 0 {
		page.Next = fmt.Sprint(*nextPage)
	}
	return page, nil
}

// decodeV1List reads the v1 list's bare array.
func decodeV1List(provider string, body []byte) (crm.Page, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	users, err := decodeUserArray(provider, dec, body)
	if err == nil && users == nil {
		err = errNotArray
	}
	if err == nil {
		err = atEnd(dec)
	}
	if crm.AsError(err) != nil {
		return crm.Page{}, err
	}
	if err != nil {
		return crm.Page{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "unreadable user list: " + httpx.Snippet(body), Err: err}
	}
	return crm.Page{Users: users, Total: len(users)}, nil
}

// nestError is NestJS's default error body. message is a string, or a list
// of strings from the validation pipe.
type nestError struct {
	StatusCode int             `json:"statusCode"`
	Message    json.RawMessage `json:"message"`
	Error      string          `json:"error"`
}

// decodeError turns an error answer into a typed crm.Error carrying Laurel's
// words; validation messages that name a user property become Fields.
func decodeError(provider, op string, resp *httpx.Response) error {
	e := &crm.Error{Kind: crm.KindForStatus(resp.Status), Provider: provider, Op: op, Status: resp.Status}
	if resp.Status == 429 {
		e.RetryAfter = httpx.RetryAfter(resp.Header, time.Now())
	}
	var b nestError
	if json.Unmarshal(resp.Body, &b) == nil {
		e.Code = b.Error
		msgs := messages(b.Message)
		e.Message = strings.Join(msgs, "; ")
		for _, m := range msgs {
			if k := namedField(m); k != "" {
				if e.Fields == nil {
					e.Fields = map[string]string{}
				}
				e.Fields[k] = strings.TrimPrefix(e.Fields[k]+"; "+m, "; ")
			}
		}
	}
	if e.Message == "" {
		e.Message = httpx.Snippet(resp.Body)
	}
	if e.Kind == crm.KindUnknown && resp.Status >= 400 {
		e.Kind = crm.KindBadResponse
	}
	return e
}

// messages reads message as a string or a list (non-strings printed as JSON).
func messages(raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var out []string
	for _, item := range list {
		if json.Unmarshal(item, &s) == nil {
			out = append(out, s)
		} else {
			out = append(out, string(item))
		}
	}
	return out
}

// namedField finds the user property a validation message is about:
// "property foo should not exist" names foo; "email must be an email" and
// "identities.0.type must be …" name email and identities.
func namedField(msg string) string {
	if rest, ok := strings.CutPrefix(msg, "property "); ok {
		if k, _, ok := strings.Cut(rest, " should not exist"); ok && k != "" && !strings.Contains(k, " ") {
			return k
		}
	}
	word, _, _ := strings.Cut(msg, " ")
	word, _, _ = strings.Cut(word, ".")
	if slices.Contains(userKeys, word) {
		return word
	}
	return ""
}
