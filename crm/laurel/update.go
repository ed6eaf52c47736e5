package laurel

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// patchKeys are the properties PATCH v1 changes that Roster edits.
var patchKeys = []string{"firstName", "lastName", "email", "jobTitle", "nickname", "seniority", "department", "office", "subdepartment", "pod"}

// Update saves the changed properties with PATCH v1, then the status through
// its own endpoint, so one save may be two requests. If the properties were
// saved and the status was not, the returned user is the one Laurel holds
// after the first request (with the saved properties) and the error says
// exactly what was saved and what was not.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	op := "update user " + id
	path, err := p.userPath(op, id)
	if err != nil {
		return crm.User{}, err
	}
	body, status, err := p.splitChanges(op, changes)
	if err != nil {
		return crm.User{}, err
	}
	if len(body) == 0 && status == "" {
		return p.Get(ctx, id)
	}
	var saved crm.User
	if len(body) > 0 {
		resp, err := p.send(ctx, op, httpx.Request{Method: http.MethodPatch, Path: path, Body: body})
		if err == nil {
			if saved, err = decodeUser(p.opts.Name, resp.Body); err == nil && saved.ID != id {
				err = fmt.Errorf("the answer is user %q, not %q", saved.ID, id)
			}
			if err != nil { // a 2xx that is not the updated user: outcome open
				err = crm.UnknownOutcome(p.opts.Name, op, crm.WithOp(err, p.opts.Name, op))
			}
		}
		if err != nil {
			if crm.MaybeApplied(err) && status == "" {
				return crm.SettleUpdate(ctx, p.Get, p.opts.Name, id, changes, err)
			}
			if crm.MaybeApplied(err) {
				// The status change was not sent; settle the fields alone.
				fields := crm.Changes{}
				for k, v := range changes {
					if k != "status" {
						fields[k] = v
					}
				}
				if _, serr := crm.SettleUpdate(ctx, p.Get, p.opts.Name, id, fields, err); serr != nil {
					return crm.User{}, serr
				}
				return crm.User{}, crm.UnknownOutcome(p.opts.Name, op, fmt.Errorf("the fields were saved but the status change was not sent: %w", err))
			}
			return crm.User{}, err
		}
	}
	if status == "" {
		return saved, nil
	}
	sop := op + " status"
	resp, err := p.send(ctx, sop, httpx.Request{Method: http.MethodPatch, Path: path + "/status", Body: map[string]string{"status": status}})
	if err == nil {
		var u crm.User
		if u, err = decodeUser(p.opts.Name, resp.Body); err == nil {
			return u, nil
		}
		err = crm.WithOp(err, p.opts.Name, sop)
	}
	if len(body) == 0 {
		if err != nil && crm.MaybeApplied(err) {
			return crm.SettleUpdate(ctx, p.Get, p.opts.Name, id, changes, err)
		}
		return crm.User{}, err
	}
	return saved, partiallySaved(p.opts.Name, op, body, err)
}

// splitChanges checks the changes before anything is sent and splits them
// into the PATCH body and the new status ("" when unchanged).
func (p *Provider) splitChanges(op string, changes crm.Changes) (map[string]string, string, error) {
	body := map[string]string{}
	status := ""
	bad := map[string]string{}
	for _, k := range changes.Keys() {
		v := changes[k]
		switch {
		case k == "status":
			s, ok := v.(string)
			if !ok || !slices.Contains(Statuses(), s) {
				bad[k] = "must be one of " + strings.Join(Statuses(), ", ")
				continue
			}
			status = s
		case slices.Contains(patchKeys, k):
			switch s := v.(type) {
			case string:
				body[k] = s
			case nil:
				body[k] = "" // Laurel clears a property with an empty string
			default:
				bad[k] = "must be text"
			}
		default:
			bad[k] = "cannot be changed through Roster"
		}
	}
	if len(bad) > 0 {
		return nil, "", &crm.Error{Kind: crm.KindValidation, Provider: p.opts.Name, Op: op,
			Message: "nothing was saved", Fields: bad}
	}
	return body, status, nil
}

// partiallySaved is the error of a save whose properties were saved and
// whose status was not. It keeps the status error's kind, HTTP status and
// retry hint, and names the saved properties.
func partiallySaved(provider, op string, body map[string]string, statusErr error) error {
	keys := make([]string, 0, len(body))
	for _, k := range patchKeys {
		if _, ok := body[k]; ok {
			keys = append(keys, k)
		}
	}
	pe := &crm.Error{Kind: crm.KindUnknown, Provider: provider, Op: op, Err: statusErr}
	why := statusErr.Error()
	if e := crm.AsError(statusErr); e != nil {
		pe.Kind, pe.Status, pe.Code, pe.RetryAfter, pe.Fields = e.Kind, e.Status, e.Code, e.RetryAfter, e.Fields
		if e.Message != "" {
			why = e.Message
		}
	}
	pe.Message = fmt.Sprintf("saved %s; status not saved: %s", strings.Join(keys, ", "), why)
	return pe
}
