package laurel

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// send makes one API call with the shared token. When Laurel answers 401 to
// a token we fetched, the token is dropped and the call is made once more
// with a fresh one: tokens can be revoked, or outlive their expiry by our
// clock but not by Laurel's.
func (p *Provider) send(ctx context.Context, op string, r httpx.Request) (*httpx.Response, error) {
	for attempt := 0; ; attempt++ {
		var sent string
		if p.tokens != nil {
			tok, err := p.tokens.Token(ctx)
			if err != nil {
				return nil, crm.WithOp(err, p.opts.Name, op)
			}
			sent = tok.Access
		} else {
			sent = p.opts.AccessToken
		}
		r.Header = http.Header{"Authorization": {"Bearer " + sent}}
		resp, err := p.client.Do(ctx, r)
		if err != nil {
			return nil, crm.WithOp(err, p.opts.Name, op)
		}
		if resp.Status == http.StatusUnauthorized && p.tokens != nil && attempt == 0 {
			p.tokens.Drop(sent)
			continue
		}
		if !resp.OK() {
			return nil, decodeError(p.opts.Name, op, resp)
		}
		return resp, nil
	}
}

// searchTerm is the search sent to Laurel: only 2–100 characters are
// accepted there, so anything else lists without a search.
// Laurel searches only for queries of 2 to 100 characters.
const minSearch, maxSearch = 2, 100

func searchTerm(q string) string {
	q = strings.TrimSpace(q)
	if n := utf8.RuneCountInString(q); n < minSearch || n > maxSearch {
		return ""
	}
	return q
}

// List answers one page: the v2 numbered pages, or the v1 list (everything
// at once) when an integration filter is configured.
func (p *Provider) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	q := url.Values{}
	if s := searchTerm(req.Query); s != "" {
		q.Set("search", s)
	}
	if p.opts.Integration != "" {
		q.Set("integration", p.opts.Integration)
		resp, err := p.send(ctx, "list users", httpx.Request{Method: http.MethodGet, Path: "/api/v1" + p.users, Query: q})
		if err != nil {
			return crm.Page{}, err
		}
		page, err := decodeV1List(p.opts.Name, resp.Body)
		return page, crm.WithOp(err, p.opts.Name, "list users")
	}
	page, err := crm.PageNumber(req.Cursor)
	if err != nil {
		return crm.Page{}, crm.WithOp(err, p.opts.Name, "list users")
	}
	size := req.Limit
	if size <= 0 {
		size = 50
	}
	size = min(size, maxPageSize)
	q.Set("page", strconv.Itoa(page))
	q.Set("pageSize", strconv.Itoa(size))
	op := fmt.Sprintf("list users page %d", page)
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodGet, Path: "/api/v2" + p.users, Query: q})
	if err != nil {
		return crm.Page{}, err
	}
	out, err := decodePage(p.opts.Name, resp.Body)
	return out, crm.WithOp(err, p.opts.Name, op)
}

// userPath is a user's v1 path; ids that are not objectids cannot exist.
func (p *Provider) userPath(op, id string) (string, error) {
	if !IsObjectID(id) {
		return "", &crm.Error{Kind: crm.KindNotFound, Provider: p.opts.Name, Op: op,
			Message: fmt.Sprintf("%q is not a Laurel user id (24 hex characters)", id)}
	}
	return "/api/v1" + p.users + "/" + id, nil
}

// Get reads one user.
func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	op := "get user " + id
	path, err := p.userPath(op, id)
	if err != nil {
		return crm.User{}, err
	}
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return crm.User{}, err
	}
	u, err := decodeUser(p.opts.Name, resp.Body)
	return u, crm.WithOp(err, p.opts.Name, op)
}

// Delete removes a user. Laurel answers with the deleted user, which Roster
// has no further use for.
func (p *Provider) Delete(ctx context.Context, id string) error {
	op := "delete user " + id
	path, err := p.userPath(op, id)
	if err != nil {
		return err
	}
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodDelete, Path: path})
	if err == nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		// Laurel answers the deleted user; anything else (an HTML page, a
		// cut answer) leaves the outcome open.
		if u, derr := decodeUser(p.opts.Name, resp.Body); derr != nil || u.ID != id {
			err = crm.UnknownOutcome(p.opts.Name, op, resp.Unreadable(p.opts.Name, op, fmt.Errorf("not the deleted user")))
		}
	}
	if err != nil && crm.MaybeApplied(err) {
		return crm.SettleDelete(ctx, p.Get, p.opts.Name, id, err)
	}
	return err
}

// Lookup finds the user holding an external identity (one of IdentityTypes).
func (p *Provider) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	op := fmt.Sprintf("look up %s identity", identityType)
	if !slices.Contains(IdentityTypes(), identityType) {
		return crm.User{}, &crm.Error{Kind: crm.KindValidation, Provider: p.opts.Name, Op: op,
			Message: fmt.Sprintf("unknown identity type %q; Laurel knows %s", identityType, strings.Join(IdentityTypes(), ", ")),
			Fields:  map[string]string{"type": "not one of Laurel's identity types"}}
	}
	if strings.TrimSpace(value) == "" {
		return crm.User{}, &crm.Error{Kind: crm.KindValidation, Provider: p.opts.Name, Op: op,
			Message: "the identity value is empty", Fields: map[string]string{"value": "must not be empty"}}
	}
	q := url.Values{"type": {identityType}, "value": {value}}
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodGet, Path: "/api/v2" + p.users + "/lookup/identity", Query: q})
	if err != nil {
		return crm.User{}, err
	}
	u, err := decodeUser(p.opts.Name, resp.Body)
	return u, crm.WithOp(err, p.opts.Name, op)
}
