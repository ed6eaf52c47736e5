package zoho

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

const usersPath = "/users"

func userPath(id string) string { return usersPath + "/" + url.PathEscape(id) }

// send makes one API call with the shared token. A token the API refuses as
// INVALID_TOKEN (expired early, revoked) is refreshed once and the call sent
// again; a second refusal is final, so a bad grant never loops.
func (p *Provider) send(ctx context.Context, op string, r httpx.Request) (*httpx.Response, error) {
	for attempt := 0; ; attempt++ {
		t, err := p.tokens.get(ctx)
		if err != nil {
			return nil, crm.WithOp(err, p.name, op)
		}
		c := p.client
		c.BaseURL = p.apiBase(t) + "/crm/v2"
		c.Authorize = func(req *http.Request) error {
			req.Header.Set("Authorization", "Zoho-oauthtoken "+t.access)
			return nil
		}
		resp, err := c.Do(ctx, r)
		if err != nil {
			return nil, crm.WithOp(err, p.name, op)
		}
		if resp.Status == http.StatusUnauthorized && attempt == 0 && errorCode(resp.Body) == "INVALID_TOKEN" && p.tokens.invalidate(t) {
			continue
		}
		return resp, nil
	}
}

func errorCode(body []byte) string {
	var it itemResult
	_ = json.Unmarshal(body, &it)
	return it.Code
}

// List returns one page. The cursor is the page number ("" is page 1), so
// pages can be fetched concurrently (crm.LoadAll); View is the user type.
func (p *Provider) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	page, err := crm.PageNumber(req.Cursor)
	if err != nil {
		return crm.Page{}, crm.WithOp(err, p.name, "list users")
	}
	per := req.Limit
	if per <= 0 || per > MaxPageSize {
		per = MaxPageSize
	}
	view := req.View
	if view == "" {
		view = p.views[0]
	}
	q := url.Values{"type": {view}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(per)}}
	h := http.Header{}
	if req.IfModifiedSince != "" {
		h.Set("If-Modified-Since", req.IfModifiedSince)
	}
	op := fmt.Sprintf("list %s page %d", view, page)
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodGet, Path: usersPath, Query: q, Header: h})
	if err != nil {
		return crm.Page{}, err
	}
	switch {
	case resp.Status == http.StatusNotModified:
		return crm.Page{}, p.notModified(op, req.IfModifiedSince)
	case resp.Status == http.StatusNoContent: // Zoho's empty list
		return crm.Page{Users: []crm.User{}, Total: -1}, nil
	case !resp.OK():
		return crm.Page{}, p.decodeError(op, resp)
	}
	users, more, err := decodeUsers(resp.Body)
	if err != nil {
		return crm.Page{}, resp.Unreadable(p.name, op, err)
	}
	out := crm.Page{Users: users, Total: -1}
	if more && len(users) > 0 {
		out.Next = strconv.Itoa(page + 1)
	}
	return out, nil
}

// Get reads one user.
func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	op := "get user " + id
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodGet, Path: userPath(id)})
	if err != nil {
		return crm.User{}, err
	}
	if !resp.OK() {
		return crm.User{}, p.decodeError(op, resp)
	}
	notFound := &crm.Error{Kind: crm.KindNotFound, Provider: p.name, Op: op, Status: resp.Status,
		Message: "Zoho returned no user with this id"}
	if resp.Status == http.StatusNoContent {
		return crm.User{}, notFound
	}
	users, _, err := decodeUsers(resp.Body)
	if err != nil {
		return crm.User{}, resp.Unreadable(p.name, op, err)
	}
	for _, u := range users {
		if u.ID == id {
			return u, nil
		}
	}
	return crm.User{}, notFound
}

// Update sends the changed fields as PUT {"users":[{"id":…,…}]} and reads the
// user again: Zoho's answer says only whether the item succeeded.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	op := "update user " + id
	if len(changes) == 0 {
		return p.Get(ctx, id)
	}
	item := map[string]any{"id": id}
	s := schema()
	for _, k := range changes.Keys() {
		f, ok := s.Field(k)
		v := changes[k]
		_, isText := v.(string)
		switch {
		case !ok || !f.Editable:
			return crm.User{}, &crm.Error{Kind: crm.KindValidation, Provider: p.name, Op: op,
				Message: k + " cannot be changed through Zoho's users API", Fields: map[string]string{k: "read-only"}}
		case v != nil && !isText:
			return crm.User{}, &crm.Error{Kind: crm.KindValidation, Provider: p.name, Op: op,
				Message: fmt.Sprintf("%s takes text, not %T", k, v), Fields: map[string]string{k: "expected text"}}
		}
		item[k] = v // nil clears the field (JSON null)
	}
	body := map[string]any{"users": []any{item}}
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodPut, Path: userPath(id), Body: body})
	if err == nil {
		err = p.checkItems(op, resp)
	}
	if err != nil {
		if crm.MaybeApplied(err) {
			return crm.SettleUpdate(ctx, p.Get, p.name, id, changes, err)
		}
		return crm.User{}, err
	}
	u, err := p.Get(ctx, id)
	if err != nil {
		// The PUT was answered SUCCESS; only the read failed.
		return crm.SettleUpdate(ctx, p.Get, p.name, id, changes, fmt.Errorf("re-read after update: %w", err))
	}
	return u, nil
}

// Delete removes the user.
func (p *Provider) Delete(ctx context.Context, id string) error {
	op := "delete user " + id
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodDelete, Path: userPath(id)})
	if err == nil {
		err = p.checkItems(op, resp)
	}
	if err != nil && crm.MaybeApplied(err) {
		return crm.SettleDelete(ctx, p.Get, p.name, id, err)
	}
	return err
}

// checkItems reads a write's answer: an error status, or a 200 whose single
// item may still say status "error".
func (p *Provider) checkItems(op string, resp *httpx.Response) error {
	if !resp.OK() {
		return p.decodeError(op, resp)
	}
	items, err := decodeItems(resp.Body)
	if err != nil || len(items) == 0 {
		// Zoho documents a users:[{code:"SUCCESS"}] answer; anything else
		// (an empty body, an HTML page) leaves the outcome open.
		if err == nil {
			err = fmt.Errorf("no users item in the answer")
		}
		return crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, err))
	}
	for _, it := range items {
		if it.Status != "success" {
			return p.zohoError(op, resp.Status, resp.Header, it)
		}
	}
	return nil
}
