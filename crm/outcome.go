package crm

import (
	"context"
	"errors"
	"fmt"
)

// A write has three outcomes: applied, not applied, unknown. This file is the
// one place that decides which, for every adapter: an adapter reports a write
// applied only on the provider's documented success answer; any other answer
// that may hide an applied change goes through SettleUpdate / SettleDelete,
// which read the record (twice at most) and say what the provider holds.

// MaybeApplied reports whether the error from sending a write leaves its
// outcome open. The provider's own refusal (a 4xx answer, or a check Roster
// made before sending) means nothing was applied; anything else — a network
// error after sending, a 5xx, a cut-off, HTML or otherwise unreadable answer,
// a failed re-read — may hide an applied change.
func MaybeApplied(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrConflict) {
		return false
	}
	e := AsError(err)
	if e == nil {
		return true
	}
	switch {
	case e.Kind == KindUnknownOutcome:
		return true
	case e.Status >= 400 && e.Status < 500 && e.Status != 408:
		return false
	}
	switch e.Kind {
	case KindValidation, KindForbidden, KindUnauthorized, KindUnsupported, KindConflict, KindNotFound, KindRateLimited:
		return false // refused before or instead of applying (Zoho refuses an item inside a 200)
	}
	return true
}

// settleReads is how many reads settle an unknown outcome: one, and once more
// when the first read fails.
const settleReads = 2

// SettleUpdate decides the outcome of an update whose answer was not the
// documented success (cause). It reads the user: when every changed field
// shows the new value the update was applied and the user is returned; when
// it does not, the update was not applied and the error says so — unless the
// user read before the write (by CheckedUpdate, see WithBase) shows some
// third value moved in between; then, as when the reads fail, the error is
// KindUnknownOutcome.
func SettleUpdate(ctx context.Context, get func(context.Context, string) (User, error), provider, id string, changes Changes, cause error) (User, error) {
	op := "update user " + id
	base := baseOf(ctx, id)
	var readErr error
	for range settleReads {
		u, err := get(ctx, id)
		if err != nil {
			readErr = err
			if errors.Is(err, ErrNotFound) {
				return User{}, notApplied(provider, op, cause, "the user no longer exists")
			}
			continue
		}
		if shows(u, changes) {
			return u, nil
		}
		if base != nil && !shows(u, valuesOf(*base, changes)) {
			return u, unknown(provider, op, cause, "a re-read shows neither the old nor the new values")
		}
		return u, notApplied(provider, op, cause, "a re-read does not show the change")
	}
	return User{}, unknown(provider, op, cause, "re-reading failed: "+readErr.Error())
}

// SettleDelete decides the outcome of a delete whose answer was not the
// documented success: a read answered 404 confirms it, a read that finds the
// user says it was not applied, failed reads leave it unknown.
func SettleDelete(ctx context.Context, get func(context.Context, string) (User, error), provider, id string, cause error) error {
	op := "delete user " + id
	var readErr error
	for range settleReads {
		_, err := get(ctx, id)
		switch {
		case err == nil:
			return notApplied(provider, op, cause, "a re-read still finds the user")
		case errors.Is(err, ErrNotFound):
			return nil
		}
		readErr = err
	}
	return unknown(provider, op, cause, "re-reading failed: "+readErr.Error())
}

// shows reports whether u holds every value in changes.
func shows(u User, changes Changes) bool {
	for k, v := range changes {
		if !sameValue(u.Value(k), v) {
			return false
		}
	}
	return true
}

func valuesOf(u User, changes Changes) Changes {
	out := Changes{}
	for k := range changes {
		out[k] = u.Value(k)
	}
	return out
}

func notApplied(provider, op string, cause error, why string) error {
	e := &Error{Kind: KindTransient, Provider: provider, Op: op, Err: cause,
		Message: fmt.Sprintf("not applied (%s): %s", why, causeText(cause))}
	if ce := AsError(cause); ce != nil && ce.Kind != KindUnknownOutcome {
		e.Kind, e.Status, e.Code = ce.Kind, ce.Status, ce.Code
	}
	return e
}

func unknown(provider, op string, cause error, why string) error {
	return &Error{Kind: KindUnknownOutcome, Provider: provider, Op: op, Err: cause,
		Message: fmt.Sprintf("%s; %s", causeText(cause), why)}
}

func causeText(err error) string {
	if err == nil {
		return "the answer was not the documented success"
	}
	e := AsError(err)
	switch {
	case e != nil && e.Kind == KindUnknownOutcome && e.Message == "" && e.Err != nil:
		// An adapter's "outcome unknown" wrapping what happened: say what
		// happened, not "may have applied" inside a verdict that settles it.
		return causeText(e.Err)
	case e != nil && e.Message != "":
		return e.Message
	}
	return err.Error()
}
