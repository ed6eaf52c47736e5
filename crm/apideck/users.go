package apideck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

const usersPath = "/crm/users"

func userPath(id string) string { return usersPath + "/" + url.PathEscape(id) }

// do sends a request and turns any non-2xx answer into a *crm.Error.
func (p *Provider) do(ctx context.Context, op string, r httpx.Request) (*httpx.Response, error) {
	resp, err := p.client.Do(ctx, r)
	if err != nil {
		return nil, crm.WithOp(err, p.name, op)
	}
	if !resp.OK() {
		return nil, decodeError(p.name, op, resp.Status, resp.Header, resp.Body, p.now())
	}
	return resp, nil
}

// List returns one page of users. Limit is clamped to 1..MaxPageSize. The
// users docs list no search or filter parameter, so a query is never sent:
// Info says ServerSearch is false and callers narrow the pages themselves.
func (p *Provider) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	q := url.Values{}
	if req.Limit > 0 {
		q.Set("limit", strconv.Itoa(min(req.Limit, MaxPageSize)))
	}
	if req.Cursor != "" {
		q.Set("cursor", req.Cursor)
	}
	op := "list users"
	resp, err := p.do(ctx, op, httpx.Request{Method: http.MethodGet, Path: usersPath, Query: q})
	if err != nil {
		return crm.Page{}, err
	}
	page, err := decodeList(resp.Body)
	if err != nil {
		return crm.Page{}, resp.Unreadable(p.name, op, err)
	}
	return page, nil
}

// Get reads one user.
func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	op := "get user " + id
	resp, err := p.do(ctx, op, httpx.Request{Method: http.MethodGet, Path: userPath(id)})
	if err != nil {
		return crm.User{}, err
	}
	u, err := decodeOne(resp.Body)
	if err != nil {
		return crm.User{}, resp.Unreadable(p.name, op, err)
	}
	return u, nil
}

// Update PATCHes only the changed fields, then re-reads the user: Apideck
// answers a PATCH with the id alone.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	op := "update user " + id
	body, err := p.patchBody(ctx, id, changes)
	if err != nil {
		return crm.User{}, err
	}
	if len(body) == 0 {
		return p.Get(ctx, id)
	}
	resp, err := p.do(ctx, op, httpx.Request{Method: http.MethodPatch, Path: userPath(id), Body: body})
	if err == nil {
		err = p.checkID(op, id, resp)
	}
	if err != nil {
		if crm.MaybeApplied(err) {
			return crm.SettleUpdate(ctx, p.Get, p.name, id, changes, err)
		}
		return crm.User{}, err
	}
	u, err := p.Get(ctx, id)
	if err != nil {
		// The PATCH was answered as documented; only the read failed.
		return crm.SettleUpdate(ctx, p.Get, p.name, id, changes, fmt.Errorf("re-read after update: %w", err))
	}
	return u, nil
}

// checkID accepts only Apideck's documented write answer, data:{id} naming
// the user written; anything else (an HTML page, a cut answer) leaves the
// outcome open.
func (p *Provider) checkID(op, id string, resp *httpx.Response) error {
	var env idEnvelope
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, err))
	}
	if env.Data.ID != id {
		return crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, fmt.Errorf("answer names user %q, not %q", env.Data.ID, id)))
	}
	return nil
}

// patchBody turns Changes into the PATCH body. The synthetic "email" field
// needs the user's current emails, so only then is the user read first.
func (p *Provider) patchBody(ctx context.Context, id string, changes crm.Changes) (map[string]any, error) {
	body := map[string]any{}
	for _, k := range changes.Keys() {
		v := changes[k]
		if k != emailKey {
			if v == nil {
				v = "" // Roster clears a text field; Apideck's fields are strings
			}
			body[k] = v
			continue
		}
		s, ok := v.(string)
		if v != nil && !ok {
			return nil, &crm.Error{Kind: crm.KindValidation, Provider: p.name, Op: "update user " + id,
				Message: fmt.Sprintf("email must be text, not %T", v), Fields: map[string]string{emailKey: "must be text"}}
		}
		current, ok := crm.BaseFrom(ctx, id) // the conflict check's read, when there was one
		if !ok {
			var err error
			if current, err = p.Get(ctx, id); err != nil {
				return nil, fmt.Errorf("read emails before update: %w", err)
			}
		}
		body["emails"] = replacePrimary(currentEmails(current), strings.TrimSpace(s))
	}
	return body, nil
}

// currentEmails reads the emails list from the user's own object.
func currentEmails(u crm.User) []wireEmail {
	var w wireUser
	if err := json.Unmarshal(u.Raw, &w); err != nil {
		return nil
	}
	return w.Emails
}

// replacePrimary sets the primary address, keeping every other entry. With no
// primary entry the first one counts as primary (as primaryEmail reads it);
// an empty address removes the primary entry.
func replacePrimary(emails []wireEmail, addr string) []wireEmail {
	out := make([]wireEmail, 0, len(emails)+1)
	at := -1
	for i, e := range emails {
		if e.Type == "primary" {
			at = i
			break
		}
	}
	if at < 0 && len(emails) > 0 && emails[0].Type == "" {
		at = 0
	}
	for i, e := range emails {
		if i != at {
			out = append(out, e)
			continue
		}
		if addr != "" {
			e.Email = addr
			out = append(out, e)
		}
	}
	if at < 0 && addr != "" {
		out = append([]wireEmail{{Email: addr, Type: "primary"}}, out...)
	}
	return out
}

// Delete removes the user.
func (p *Provider) Delete(ctx context.Context, id string) error {
	op := "delete user " + id
	resp, err := p.do(ctx, op, httpx.Request{Method: http.MethodDelete, Path: userPath(id)})
	if err == nil {
		err = p.checkID(op, id, resp)
	}
	if err != nil && crm.MaybeApplied(err) {
		return crm.SettleDelete(ctx, p.Get, p.name, id, err)
	}
	return err
}
