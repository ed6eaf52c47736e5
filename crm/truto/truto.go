// Package truto is the adapter for Truto's Unified CRM API (users), in front
// of whichever CRM an integrated account is connected to. What may be
// written depends on that CRM; see rules.go.
package truto

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// DefaultBaseURL is Truto's API.
const DefaultBaseURL = "https://api.truto.one"

// maxPageSize is assumed: Truto publishes no maximum for limit.
const maxPageSize = 100

// Options configure one Truto provider.
type Options struct {
	Name                string // config name; "truto" when empty
	BaseURL             string // DefaultBaseURL when empty
	Token               string // API token (bearer)
	IntegratedAccountID string // sent on every call
	// Integration is the CRM behind the account (salesforce, pipedrive, …).
	// It decides which fields are offered and required; empty offers all.
	Integration string
	HTTP        *http.Client
}

// Provider is one Truto integrated account.
type Provider struct {
	opts   Options
	name   string
	rules  rules
	schema crm.Schema
	client *httpx.Client

	mu            sync.Mutex
	refusesWrites bool // learnt from a 405: the account refuses writes
}

// New builds the provider; it does no I/O.
func New(o Options) (*Provider, error) {
	if o.Token == "" {
		return nil, errors.New("truto: token is required")
	}
	if o.IntegratedAccountID == "" {
		return nil, errors.New("truto: integrated_account_id is required")
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	name := o.Name
	if name == "" {
		name = "truto"
	}
	token := o.Token
	r := rulesFor(o.Integration)
	return &Provider{
		opts: o, name: name, rules: r, schema: r.schema(),
		client: &httpx.Client{Provider: name, BaseURL: o.BaseURL, HTTP: o.HTTP,
			// Truto's 503 means a blocked account, which no amount of
			// retrying fixes.
			NoRetryStatus: []int{http.StatusServiceUnavailable},
			Authorize: func(req *http.Request) error {
				req.Header.Set("Authorization", "Bearer "+token)
				return nil
			}},
	}, nil
}

// Info describes the provider; after a 405 it reports writes as unavailable.
func (p *Provider) Info() crm.Info {
	label := "Truto Unified CRM"
	if p.rules.label != "" {
		label += " · " + p.rules.label
	}
	info := crm.Info{Name: p.name, Kind: "truto", Label: label, Caps: crm.Capabilities{
		Update: true, Delete: true, Create: true, ServerSearch: true, Paging: crm.PagingCursor, MaxPageSize: maxPageSize,
	}}
	p.mu.Lock()
	refuses := p.refusesWrites
	p.mu.Unlock()
	if refuses {
		// News from the provider: the guard reads it here and refuses
		// further writes without sending them.
		info.Caps.Update, info.Caps.Delete, info.Caps.Create, info.Notice = false, false, false, noticeReadOnly
	}
	return info
}

// Schema lists the fields; which are editable and required follows the CRM.
func (p *Provider) Schema() crm.Schema { return p.schema }

func (p *Provider) query() url.Values {
	return url.Values{"integrated_account_id": {p.opts.IntegratedAccountID}}
}

func userPath(id string) string { return "/unified/crm/users/" + url.PathEscape(id) }

// List reads one page. The search query goes to Truto's email filter when it
// looks like an address, else to its name filter.
func (p *Provider) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	q := p.query()
	limit := req.Limit
	if limit <= 0 || limit > maxPageSize {
		limit = maxPageSize
	}
	q.Set("limit", strconv.Itoa(limit))
	if req.Cursor != "" {
		q.Set("next_cursor", req.Cursor)
	}
	if s := strings.TrimSpace(req.Query); s != "" {
		if strings.Contains(s, "@") {
			q.Set("email", s)
		} else {
			q.Set("name", s)
		}
	}
	const op = "list users"
	resp, err := p.client.Do(ctx, httpx.Request{Method: http.MethodGet, Path: "/unified/crm/users", Query: q})
	if err != nil {
		return crm.Page{}, crm.WithOp(err, p.name, op)
	}
	if !resp.OK() {
		return crm.Page{}, p.fail(op, resp)
	}
	users, next, err := decodeList(resp.Body)
	if err != nil {
		return crm.Page{}, resp.Unreadable(p.name, op, err)
	}
	if next == req.Cursor {
		next = "" // a cursor that does not move would page forever
	}
	return crm.Page{Users: users, Next: next, Total: -1}, nil
}

// Get reads one user.
func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	return p.send(ctx, "get user "+id, httpx.Request{Method: http.MethodGet, Path: userPath(id), Query: p.query()})
}

// send runs a request whose answer is one bare user object.
func (p *Provider) send(ctx context.Context, op string, r httpx.Request) (crm.User, error) {
	resp, err := p.client.Do(ctx, r)
	if err != nil {
		return crm.User{}, crm.WithOp(err, p.name, op)
	}
	if !resp.OK() {
		return crm.User{}, p.fail(op, resp)
	}
	u, err := decodeUser(resp.Body)
	if err != nil {
		return crm.User{}, resp.Unreadable(p.name, op, err)
	}
	return u, nil
}

// Update PATCHes the changed fields with a fresh Idempotency-Key. The key is
// a header of the one request, so a retry of that request (the HTTP layer's)
// carries the same key and Truto answers it without applying it twice; a
// new save gets a new key.
//
// Required fields: the seed marks Salesforce's email, first_name and
// last_name "required" in the PATCH body, i.e. every update must carry them,
// not only those that changed. So a save that leaves a required field
// unchanged reads the user first and sends its current value; when the user
// has none (or the edit empties it) the save is refused before sending.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	op := "update user " + id
	body, err := p.patchBody(changes)
	if err != nil {
		return crm.User{}, crm.WithOp(err, p.name, op)
	}
	if err := p.fillRequired(ctx, id, body); err != nil {
		return crm.User{}, crm.WithOp(err, p.name, op)
	}
	h := http.Header{}
	h.Set("Idempotency-Key", rand.Text())
	u, err := p.send(ctx, op, httpx.Request{Method: http.MethodPatch, Path: userPath(id), Query: p.query(), Header: h, Body: body})
	if err == nil && u.ID != id {
		err = crm.UnknownOutcome(p.name, op, fmt.Errorf("the answer names user %q, not %q", u.ID, id))
	}
	if err != nil && crm.MaybeApplied(err) {
		check, ok := settleChanges(changes)
		if !ok {
			return crm.User{}, crm.UnknownOutcome(p.name, op, err)
		}
		return crm.SettleUpdate(ctx, p.Get, p.name, id, check, err)
	}
	return u, err
}

// settleChanges is what a re-read must show for changes to count as saved.
// remote_data is a part of the CRM's record, not all of it, so it is
// checked through what Roster reads from it: Salesforce's IsActive is the
// user's active flag (see userFrom). Any other remote_data cannot be
// checked by a read (false): its outcome stays unknown.
func settleChanges(changes crm.Changes) (crm.Changes, bool) {
	v, ok := changes[remoteDataKey]
	if !ok {
		return changes, true
	}
	rd, _ := v.(map[string]any)
	active, isBool := rd["IsActive"].(bool)
	if len(rd) != 1 || !isBool {
		return nil, false
	}
	out := crm.Changes{"active": active}
	for k, v := range changes {
		if k != remoteDataKey {
			out[k] = v
		}
	}
	return out, true
}

// patchBody checks every change against the CRM's rules and converts it to
// its wire type.
func (p *Provider) patchBody(changes crm.Changes) (map[string]any, error) {
	body := map[string]any{}
	bad := map[string]string{}
	for _, k := range changes.Keys() {
		v := changes[k]
		if k == remoteDataKey {
			// Sent to the CRM untransformed (deactivating a Salesforce
			// user); never offered in a form, since it is the CRM's own
			// record and Roster cannot check it.
			if _, ok := v.(map[string]any); !ok {
				bad[k] = "must be an object"
				continue
			}
			body[k] = v
			continue
		}
		if !p.rules.editable(k) {
			if p.rules.known && !p.rules.supports(k) {
				bad[k] = p.rules.label + " does not accept this field"
			} else {
				bad[k] = "not editable"
			}
			continue
		}
		if k == "is_active" {
			b, ok := toBool(v)
			if !ok {
				bad[k] = "must be true or false"
				continue
			}
			body[k] = b
			continue
		}
		s, ok := v.(string)
		if !ok && v != nil {
			bad[k] = "must be text"
			continue
		}
		if p.rules.required[k] && strings.TrimSpace(s) == "" {
			bad[k] = "required by " + p.rules.label
			continue
		}
		body[k] = s
	}
	if len(bad) > 0 {
		return nil, &crm.Error{Kind: crm.KindValidation, Message: "the changes cannot be saved", Fields: bad}
	}
	return body, nil
}

// fillRequired adds the current value of each required field the save does
// not change (one GET, only when some are missing).
func (p *Provider) fillRequired(ctx context.Context, id string, body map[string]any) error {
	var missing []string
	for _, k := range []string{"name", "first_name", "last_name", "email"} {
		if _, ok := body[k]; p.rules.required[k] && !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	// The same read the conflict check compared (crm.CheckedUpdate passes
	// it), so a colleague's change to these fields after that read is a
	// conflict, not silently reverted; only without it is the user read here.
	cur, ok := crm.BaseFrom(ctx, id)
	if !ok {
		var err error
		if cur, err = p.Get(ctx, id); err != nil {
			return err
		}
	}
	bad := map[string]string{}
	for _, k := range missing {
		v, _ := cur.Common(k)
		s, _ := v.(string)
		if strings.TrimSpace(s) == "" {
			bad[k] = "required by " + p.rules.label + " and the user has none: set it"
			continue
		}
		body[k] = s
	}
	if len(bad) > 0 {
		return &crm.Error{Kind: crm.KindValidation, Message: "the changes cannot be saved", Fields: bad}
	}
	return nil
}

func toBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

// Delete removes the user; Truto answers {id}.
func (p *Provider) Delete(ctx context.Context, id string) error {
	op := "delete user " + id
	resp, err := p.client.Do(ctx, httpx.Request{Method: http.MethodDelete, Path: userPath(id), Query: p.query()})
	err = crm.WithOp(err, p.name, op)
	if err == nil && !resp.OK() {
		return p.fail(op, resp)
	}
	if err == nil {
		// Truto documents {"id": "…"} for a delete; anything else (an HTML
		// page, a cut answer) leaves the outcome open.
		var answer struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(resp.Body, &answer) != nil || answer.ID != id {
			err = crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, fmt.Errorf("not the documented {\"id\"} answer")))
		}
	}
	if err != nil && crm.MaybeApplied(err) {
		return crm.SettleDelete(ctx, p.Get, p.name, id, err)
	}
	return err
}
