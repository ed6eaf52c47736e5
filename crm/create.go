package crm

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Creating a user: which fields may and must be given is the schema's
// (Field.Create), checked here once for every adapter; the outcome of a
// create whose answer is lost is settled here by searching for the email,
// never by sending it again.

// CheckCreate checks fields against the schema before anything is sent:
// every key must be a field that may be given at creation, every required
// one present and not blank, and every value valid for its field. The
// error is KindValidation naming each bad field.
func CheckCreate(provider string, schema Schema, fields Changes) error {
	bad := map[string]string{}
	for _, k := range fields.Keys() {
		f, ok := schema.Field(k)
		if !ok || f.Create == CreateNo {
			bad[k] = "cannot be given when creating a user"
			continue
		}
		if err := f.Validate(fields[k]); err != nil {
			bad[k] = err.Error()
		}
	}
	for _, f := range schema.CreateFields() {
		if f.Create == CreateRequired && isEmpty(fields[f.Key]) {
			bad[f.Key] = "required when creating a user"
		}
	}
	if len(bad) == 0 {
		return nil
	}
	keys := make([]string, 0, len(bad))
	for k := range bad {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return &Error{Kind: KindValidation, Provider: provider, Op: "create user", Fields: bad,
		Message: "nothing was created: check " + strings.Join(keys, ", ")}
}

// SettleCreate decides the outcome of a create whose answer was not the
// documented success (cause): it searches p for the email sent (a server
// search where p has one, else every user, matched exactly, ignoring case).
// One user with that email: the create was applied and that user (re-read)
// is returned. None: not applied. Several, a failed search or no email to
// search for: unknown — and the caller must not send the create again.
// A user who had that email before the create is taken for the new one (the
// providers' answers carry no creation marker to tell them apart); callers
// that may repeat an email look first, as `roster users create --from` does.
func SettleCreate(ctx context.Context, p Provider, email string, cause error) (User, error) {
	const op = "create user"
	name := p.Info().Name
	email = strings.TrimSpace(email)
	if email == "" {
		return User{}, unknown(name, op, cause, "no email to search for")
	}
	found, err := FindEmail(ctx, p, email)
	if err != nil {
		return User{}, unknown(name, op, cause, "searching for "+email+" failed: "+err.Error())
	}
	switch len(found) {
	case 0:
		return User{}, notApplied(name, op, cause, "no user has the email "+email)
	case 1:
		if u, err := p.Get(ctx, found[0].ID); err == nil {
			return u, nil
		}
		return found[0], nil
	}
	return User{}, unknown(name, op, cause, fmt.Sprintf("%d users have the email %s", len(found), email))
}

// FindEmail returns p's users whose email is email (ignoring case and
// surrounding space): a server search where p has one, else every user.
func FindEmail(ctx context.Context, p Provider, email string) ([]User, error) {
	email = strings.TrimSpace(email)
	caps := p.Info().Caps
	req := PageRequest{Limit: caps.MaxPageSize}
	if req.Limit <= 0 {
		req.Limit = 100
	}
	if caps.ServerSearch && len([]rune(email)) >= caps.MinQuery && (caps.MaxQuery == 0 || len([]rune(email)) <= caps.MaxQuery) {
		req.Query = email
	}
	users, err := LoadAll(ctx, p, req, nil)
	if err != nil {
		return nil, err
	}
	var out []User
	for _, u := range users {
		if SameEmail(u.Email, email) {
			out = append(out, u)
		}
	}
	return out, nil
}

// SameEmail is the one rule for two addresses being the same, as mail
// systems treat them in practice: ignoring case and surrounding space.
// Settling a create, person find and the offboard confirmation all use it.
func SameEmail(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
