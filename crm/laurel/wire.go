package laurel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// userKeys are the user properties a validation message may name.
var userKeys = []string{"_id", "firstName", "lastName", "email", "jobTitle", "nickname", "status",
	"seniority", "department", "office", "subdepartment", "pod", "roleIds", "delegateIds", "identities",
	"roles", "delegates", "delegators", "groupIds", "isSuperDelegate"}

// decodeUser turns one Laurel user object into a crm.User. Properties of an
// unexpected type read as empty rather than failing the whole list: the raw
// object keeps them for the detail view.
func decodeUser(provider string, raw []byte) (crm.User, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return crm.User{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "a user is not a JSON object: " + httpx.Snippet(raw), Err: err}
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(m[k], &s)
		return s
	}
	u := crm.User{
		ID:         str("_id"),
		FirstName:  str("firstName"),
		LastName:   str("lastName"),
		Email:      str("email"),
		Title:      str("jobTitle"),
		Department: str("department"),
		Status:     str("status"),
		CreatedAt:  str("createdAt"),
		UpdatedAt:  str("updatedAt"),
		Raw:        json.RawMessage(bytes.Clone(raw)),
	}
	if u.ID == "" {
		return crm.User{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "a user has no _id: " + httpx.Snippet(raw)}
	}
	u.Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	if u.Status != "" { // status is optional in Laurel's schema
		u.Active = crm.BoolPtr(u.Status == "active")
	}
	return u, nil
}

// decodeUsers decodes a list of raw user objects.
func decodeUsers(provider string, items []json.RawMessage) ([]crm.User, error) {
	users := make([]crm.User, 0, len(items))
	for _, raw := range items {
		u, err := decodeUser(provider, raw)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, nil
}

// v2Page is the paged list's answer; nextPage is absent on the last page.
type v2Page struct {
	Items      []json.RawMessage `json:"items"`
	NextPage   *int              `json:"nextPage"`
	TotalPages int               `json:"totalPages"`
	TotalItems *int              `json:"totalItems"`
}

// decodePage reads a v2 list answer into a crm.Page.
func decodePage(provider string, body []byte) (crm.Page, error) {
	var p v2Page
	if err := json.Unmarshal(body, &p); err != nil {
		return crm.Page{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "unreadable user page: " + httpx.Snippet(body), Err: err}
	}
	if p.Items == nil {
		return crm.Page{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "the user page has no items: " + httpx.Snippet(body)}
	}
	users, err := decodeUsers(provider, p.Items)
	if err != nil {
		return crm.Page{}, err
	}
	page := crm.Page{Users: users, Total: -1}
	if p.TotalItems != nil {
		page.Total = *p.TotalItems
	}
	if p.NextPage != nil && *p.NextPage > 0 {
		page.Next = fmt.Sprint(*p.NextPage)
	}
	return page, nil
}

// decodeV1List reads the v1 list's bare array.
func decodeV1List(provider string, body []byte) (crm.Page, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil || items == nil {
		return crm.Page{}, &crm.Error{Kind: crm.KindBadResponse, Provider: provider,
			Message: "unreadable user list: " + httpx.Snippet(body), Err: err}
	}
	users, err := decodeUsers(provider, items)
	if err != nil {
		return crm.Page{}, err
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

// withOp sets the operation on a crm.Error that has none.
func withOp(err error, op string) error {
	if e := crm.AsError(err); e != nil && e.Op == "" {
		e.Op = op
	}
	return err
}
