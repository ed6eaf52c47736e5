package person

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/run"
)

// CommonFields are the fields an onboarding asks once for every provider,
// by their common names; each provider's schema maps them to its own keys.
func CommonFields() []string {
	return []string{"first_name", "last_name", "email", "title", "department"}
}

// NewPerson is what an onboarding is asked to create: the common fields
// (by common name) once, and per provider (by config name) the extra
// fields that provider needs (its own keys or common names), all as typed
// text that each provider's fields parse (crm.Field.Parse).
type NewPerson struct {
	Common map[string]string
	Extra  map[string]map[string]string
}

// PlanOnboard plans one create per provider given: the common fields the
// provider has, plus its extra fields, each parsed by that provider's
// field. A provider that cannot create users, or lacks a required field or
// refuses a value, gets no action and the step says why (Err is a
// validation error naming the fields). The email is required: it is the
// person. Nothing is sent.
func PlanOnboard(providers []crm.Provider, np NewPerson) (Plan, error) {
	email := strings.TrimSpace(np.Common["email"])
	if !IsEmail(email) {
		return Plan{}, &crm.Error{Kind: crm.KindValidation, Op: "onboard",
			Message: "an email address is required: it is the person in every provider",
			Fields:  map[string]string{"email": "required"}}
	}
	for name := range np.Extra {
		if _, ok := providerNamed(providers, name); !ok {
			return Plan{}, fmt.Errorf("onboard: fields for provider %q, which is not chosen", name)
		}
	}
	plan := Plan{Run: run.NewID(), Email: email, Action: Create}
	for _, p := range providers {
		plan.Steps = append(plan.Steps, createStep(p, np))
	}
	return plan, nil
}

// createStep builds one provider's create.
func createStep(p crm.Provider, np NewPerson) Step {
	info := crm.LiveInfo(p)
	s := Step{Provider: info.Name, Action: Create, Changes: crm.Changes{}}
	if _, ok := p.(crm.Creator); !ok {
		s.Action, s.Why = None, "cannot create users here"
		s.Err = crm.Unsupported(info.Name, "create user")
		return s
	}
	schema := p.Schema()
	problems := map[string]string{}
	set := func(name, text string, common bool) {
		f, ok := schema.Resolve(name)
		switch {
		case common && (!ok || f.Common != name || f.Create == crm.CreateNo || !fillsCommon(f)):
			// A common field this provider does not take at creation, or
			// maps to one of its loaded choices (Zoho's role carries the
			// title): that one is chosen per provider, not typed once.
			return
		case !ok:
			problems[name] = "no such field"
			return
		}
		if strings.TrimSpace(text) == "" {
			return // blank: not given (CheckCreate says if it is required)
		}
		v, err := f.Parse(text)
		if err != nil {
			problems[f.Key] = err.Error()
			return
		}
		s.Changes[f.Key] = v
	}
	for _, name := range CommonFields() {
		set(name, np.Common[name], true)
	}
	for _, name := range sortedKeys(np.Extra[info.Name]) {
		set(name, np.Extra[info.Name][name], false)
	}
	// The one check of what a create may and must carry (crm.CheckCreate),
	// before anything is sent.
	if e := crm.AsError(crm.CheckCreate(info.Name, schema, s.Changes)); e != nil {
		for k, why := range e.Fields {
			if _, said := problems[k]; !said {
				problems[k] = why
			}
		}
	}
	if len(problems) > 0 {
		s.Action, s.Why = None, "missing or invalid: "+strings.Join(sortedKeys(problems), ", ")
		s.Err = &crm.Error{Kind: crm.KindValidation, Provider: info.Name, Op: "create user",
			Message: "nothing will be created: check " + strings.Join(sortedKeys(problems), ", "), Fields: problems}
		return s
	}
	if !info.Caps.Create {
		s.Why = "not allowed" + notice(p)
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Onboard carries out plan: in every provider with a create, concurrently
// and independently (one failing never stops another), it first looks for
// the email — a person already there is not created again (Unchanged, with
// the account) — then creates, through the provider's stack (guard, audit
// with plan.Run as the run id). One Result per step, in plan order.
func Onboard(ctx context.Context, providers []crm.Provider, plan Plan, progress Progress) []Result {
	ctx = audit.WithRun(ctx, plan.Run)
	results := make([]Result, len(plan.Steps))
	var wg sync.WaitGroup
	for i, s := range plan.Steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			progress.start(s)
			r := onboardOne(ctx, providers, plan.Email, s)
			results[i] = r
			progress.end(r)
		}()
	}
	wg.Wait()
	return results
}

func onboardOne(ctx context.Context, providers []crm.Provider, email string, s Step) Result {
	if s.Action == None {
		return Result{Step: s, Outcome: Skipped, Err: s.Err}
	}
	p, ok := providerNamed(providers, s.Provider)
	if !ok {
		return Result{Step: s, Outcome: Failed, Err: fmt.Errorf("no provider %q", s.Provider)}
	}
	c, ok := p.(crm.Creator)
	if !ok {
		return Result{Step: s, Outcome: Skipped, Err: crm.Unsupported(s.Provider, "create user")}
	}
	if err := ctx.Err(); err != nil {
		return Result{Step: s, Outcome: Failed, Err: fmt.Errorf("not sent: %w", err)}
	}
	f := FindIn(ctx, p, email)
	switch {
	case f.Err != nil:
		return Result{Step: s, Outcome: Failed, Err: fmt.Errorf("not sent: could not check whether %s is there already: %w", email, f.Err)}
	case len(f.Users) > 0:
		s.Why = "already there"
		return Result{Step: s, Outcome: Unchanged, User: f.Users[0]}
	}
	u, err := c.Create(context.WithoutCancel(ctx), s.Changes)
	if err == nil && u.ID == "" {
		err = errors.New("the provider's answer names no new user")
	}
	return written(s, u, err)
}
