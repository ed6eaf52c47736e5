package apideck

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// Create adds a user with POST /crm/users and reads it back: Apideck answers
// 201 with data:{id} only. The primary email goes as emails[{email, type:
// primary}] (the docs require emails). Apideck documents no idempotency key,
// so a create whose answer is lost is never sent again: Roster searches for
// the email (crm.SettleCreate) to say whether it was created.
func (p *Provider) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	const op = "create user"
	if err := crm.CheckCreate(p.name, schema, fields); err != nil {
		return crm.User{}, err
	}
	body := map[string]any{}
	email := ""
	for _, k := range fields.Keys() {
		v := fields[k]
		if v == nil {
			continue // nothing to say about an empty field on a new user
		}
		if k == emailKey {
			email, _ = v.(string)
			email = strings.TrimSpace(email)
			body["emails"] = []wireEmail{{Email: email, Type: "primary"}}
			continue
		}
		body[k] = v
	}
	resp, err := p.do(ctx, op, httpx.Request{Method: http.MethodPost, Path: usersPath, Body: body})
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
		// Created (the documented 201 names it); only the read failed.
		return crm.User{ID: id, Email: email}, nil
	}
	return u, nil
}

// createdID accepts only the documented create answer: 201 with data:{id}.
func (p *Provider) createdID(op string, resp *httpx.Response) (string, error) {
	var env idEnvelope
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return "", crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, err))
	}
	if resp.Status != http.StatusCreated || env.Data.ID == "" {
		return "", crm.UnknownOutcome(p.name, op, resp.Unreadable(p.name, op, errors.New("not the documented 201 with data.id")))
	}
	return env.Data.ID, nil
}
