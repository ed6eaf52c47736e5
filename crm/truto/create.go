package truto

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// Create adds a user with POST /unified/crm/users, which Truto answers with
// the created unified user. The fields allowed and required are the
// connected CRM's, as for updates (rules.go). The request carries a fresh
// Idempotency-Key, so the HTTP layer may resend that one request and Truto
// answers a resend without creating twice; when no answer comes back at all,
// Roster searches for the email (crm.SettleCreate) instead of sending again.
func (p *Provider) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	const op = "create user"
	if err := crm.CheckCreate(p.name, p.schema, fields); err != nil {
		return crm.User{}, err
	}
	body, err := p.patchBody(fields)
	if err != nil {
		return crm.User{}, crm.WithOp(err, p.name, op)
	}
	for k, v := range body {
		if v == nil || v == "" {
			delete(body, k) // nothing to say about an empty field on a new user
		}
	}
	email, _ := body["email"].(string)
	h := http.Header{}
	h.Set(httpx.IdempotencyKeyHeader, rand.Text())
	u, err := p.send(ctx, op, httpx.Request{Method: http.MethodPost, Path: "/unified/crm/users", Query: p.query(), Header: h, Body: body})
	if err == nil && u.ID == "" {
		err = crm.UnknownOutcome(p.name, op, errors.New("the answer names no user"))
	}
	if err != nil {
		if crm.MaybeApplied(err) {
			return crm.SettleCreate(ctx, p, strings.TrimSpace(email), err)
		}
		return crm.User{}, err
	}
	return u, nil
}
