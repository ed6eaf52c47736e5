package zoho

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// Roles are the org's roles (GET /crm/v2/settings/roles), whose ids a new
// user's role takes. Scope ZohoCRM.settings.roles.READ.
func (p *Provider) Roles(ctx context.Context) ([]crm.Choice, error) {
	return p.settings(ctx, "roles")
}

// Profiles are the org's profiles (GET /crm/v2/settings/profiles), whose ids
// a new user's profile takes. Scope ZohoCRM.settings.profiles.READ.
func (p *Provider) Profiles(ctx context.Context) ([]crm.Choice, error) {
	return p.settings(ctx, "profiles")
}

// settings reads {"<what>":[{id,name,…}]} from /settings/<what>.
func (p *Provider) settings(ctx context.Context, what string) ([]crm.Choice, error) {
	op := "list " + what
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodGet, Path: "/settings/" + what})
	if err != nil {
		return nil, err
	}
	if !resp.OK() {
		return nil, p.decodeError(op, resp)
	}
	var body map[string][]wireRef
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return nil, resp.Unreadable(p.name, op, err)
	}
	list, ok := body[what]
	if !ok {
		return nil, resp.Unreadable(p.name, op, fmt.Errorf("no %q array", what))
	}
	out := make([]crm.Choice, 0, len(list))
	for _, r := range list {
		out = append(out, crm.Choice{ID: string(r.ID), Name: string(r.Name)})
	}
	return out, nil
}

// Create adds one user with POST /crm/v2/users {"users":[{…}]}: last name,
// email, role and profile are mandatory; role and profile may be given by
// id or by name (resolved against the org's roles and profiles). Only
// Zoho's documented per-item SUCCESS with details.id counts as created;
// Zoho documents no idempotency key, so a create whose answer is lost is
// never sent again: Roster searches for the email (crm.SettleCreate).
func (p *Provider) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	const op = "create user"
	if err := crm.CheckCreate(p.name, schema(), fields); err != nil {
		return crm.User{}, err
	}
	item := map[string]any{}
	bad := map[string]string{}
	for _, k := range fields.Keys() {
		v := fields[k]
		if v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			bad[k] = fmt.Sprintf("takes text, not %T", v)
			continue
		}
		item[k] = strings.TrimSpace(s)
	}
	for key, load := range map[string]func(context.Context) ([]crm.Choice, error){"role": p.Roles, "profile": p.Profiles} {
		given, _ := item[key].(string)
		id, err := p.resolve(ctx, key, given, load)
		if err != nil {
			if crm.AsError(err) != nil && crm.AsError(err).Kind == crm.KindValidation {
				bad[key] = crm.AsError(err).Message
				continue
			}
			return crm.User{}, fmt.Errorf("%s: read %ss before creating: %w", p.name, key, err)
		}
		item[key] = id
	}
	if len(bad) > 0 {
		return crm.User{}, &crm.Error{Kind: crm.KindValidation, Provider: p.name, Op: op, Fields: bad,
			Message: "nothing was created"}
	}
	email, _ := item["email"].(string)
	body := map[string]any{"users": []any{item}}
	resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodPost, Path: usersPath, Body: body})
	var id string
	if err == nil {
		id, err = p.createdID(op, resp)
	}
	if err != nil {
		if crm.MaybeApplied(err) {
			return crm.SettleCreate(ctx, p, email, err)
		}
		return crm.User{}, err
	}
	u, err := p.Get(ctx, id)
	if err != nil {
		// Created (Zoho's SUCCESS names it); only the read failed.
		return crm.User{ID: id, Email: email}, nil
	}
	return u, nil
}

// resolve turns a role or profile given by id or name into its id.
func (p *Provider) resolve(ctx context.Context, key, given string, load func(context.Context) ([]crm.Choice, error)) (string, error) {
	choices, err := load(ctx)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(choices))
	var byName []crm.Choice
	for _, c := range choices {
		if c.ID == given {
			return c.ID, nil
		}
		if strings.EqualFold(strings.TrimSpace(c.Name), given) {
			byName = append(byName, c)
		}
		names = append(names, c.Name)
	}
	if len(byName) == 1 {
		return byName[0].ID, nil
	}
	why := fmt.Sprintf("no %s named %q; the org's %ss: %s", key, given, key, strings.Join(names, ", "))
	if len(byName) > 1 {
		why = fmt.Sprintf("%d %ss are named %q: give the id", len(byName), key, given)
	}
	return "", &crm.Error{Kind: crm.KindValidation, Provider: p.name, Op: "create user", Message: why}
}

// createdID reads Add User's answer: the one item must be SUCCESS with
// details.id. A per-item error (in a 4xx or a 2xx) is Zoho's refusal; a 2xx
// that is not the documented answer leaves the outcome open.
func (p *Provider) createdID(op string, resp *httpx.Response) (string, error) {
	items, err := decodeItems(resp.Body)
	if !resp.OK() {
		if err == nil && len(items) == 1 && items[0].Status == "error" {
			return "", p.zohoError(op, resp.Status, resp.Header, items[0])
		}
		return "", p.decodeError(op, resp)
	}
	if err != nil || len(items) != 1 {
		if err == nil {
			err = fmt.Errorf("%d users items in the answer, want 1", len(items))
		}
		return "", crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, err))
	}
	it := items[0]
	if it.Status != "success" {
		return "", p.zohoError(op, resp.Status, resp.Header, it)
	}
	var d struct {
		ID flexString `json:"id"`
	}
	if json.Unmarshal(it.Details, &d) != nil || d.ID == "" {
		return "", crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, errors.New("SUCCESS without details.id")))
	}
	return string(d.ID), nil
}
