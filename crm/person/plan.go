package person

import (
	"fmt"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
)

// Step is one write planned in one provider, or a provider where nothing
// will be done and why.
type Step struct {
	Provider string // config name
	Action   Action
	// User is the account as found (offboard); empty for a create and for
	// a provider without the person.
	User crm.User
	// Changes are the fields sent: a deactivation's, or a create's (the
	// provider's own keys).
	Changes crm.Changes
	// Why says why Action is None ("not found", "could not search", "no
	// deactivation here; only delete"), or adds a note to an action
	// ("already inactive", "not allowed (…)").
	Why string
	// Err, with Action None, is why: the find's error when the provider
	// could not be searched, or the provider's lack of a deactivation.
	Err error
}

// Plan is a preview: every step, with the one run id every write of it
// carries in the audit log.
type Plan struct {
	Run    string `json:"run"`
	Email  string `json:"email"`
	Action Action `json:"action"` // deactivate | delete | create
	Steps  []Step `json:"steps"`
}

// Writes counts the steps that write.
func (p Plan) Writes() int {
	n := 0
	for _, s := range p.Steps {
		if s.Action != None {
			n++
		}
	}
	return n
}

// PlanOffboard plans to deactivate (or delete) every account found with
// that email: one step per account, and one step with Action None per
// provider where there is nothing to do (not found, not searched, no
// deactivation), saying why. providers and found are in the same order (as
// FindAll returns them). Nothing is sent.
func PlanOffboard(providers []crm.Provider, found []Found, email string, action Action) (Plan, error) {
	return PlanOffboardEach(providers, found, email, func(string) Action { return action })
}

// PlanOffboardEach is PlanOffboard with the action chosen per provider
// (by config name): e.g. deactivate everywhere but delete in Zoho, which
// documents no deactivation, all in one run. Plan.Action is the first
// provider's action.
func PlanOffboardEach(providers []crm.Provider, found []Found, email string, actionFor func(provider string) Action) (Plan, error) {
	if len(found) != len(providers) {
		return Plan{}, fmt.Errorf("offboard: %d answers for %d providers", len(found), len(providers))
	}
	plan := Plan{Run: run.NewID(), Email: email}
	for i, f := range found {
		p := providers[i]
		name := p.Info().Name
		action := actionFor(name)
		if action != Deactivate && action != Delete {
			return Plan{}, fmt.Errorf("offboard %s: action %q (want deactivate or delete)", name, action)
		}
		if i == 0 {
			plan.Action = action
		}
		none := Step{Provider: name, Action: None}
		switch {
		case f.Err != nil:
			none.Why, none.Err = "could not search", f.Err
			plan.Steps = append(plan.Steps, none)
			continue
		case len(f.Users) == 0:
			none.Why = "not found"
			plan.Steps = append(plan.Steps, none)
			continue
		}
		for _, u := range f.Users {
			plan.Steps = append(plan.Steps, offboardStep(p, name, u, action))
		}
	}
	return plan, nil
}

// offboardStep is the step for one account found. An action the live
// capabilities do not allow (the person's role, read_only, the provider)
// stays in the plan with a note: the guard, the one permission gate,
// refuses it when it runs, so the result says so in the guard's words. A
// provider without a deactivation gets no action, and the step says why.
func offboardStep(p crm.Provider, name string, u crm.User, action Action) Step {
	s := Step{Provider: name, Action: action, User: u}
	caps := crm.LiveInfo(p).Caps
	if action == Delete {
		if !caps.Delete {
			s.Why = "not allowed" + notice(p)
		}
		return s
	}
	changes, err := deactivateChanges(p)
	if err != nil {
		s.Action, s.Why, s.Err = None, "no deactivation here: delete only", err
		return s
	}
	s.Changes = changes
	switch {
	case inactive(p, u, changes):
		s.Why = "already inactive"
	case !caps.Update:
		s.Why = "not allowed" + notice(p)
	}
	return s
}

func notice(p crm.Provider) string {
	if n := p.Info().Notice; n != "" {
		return " (" + n + ")"
	}
	return " (the provider or your role does not allow it)"
}

// inactive reports whether u is already deactivated: the provider says it
// is not active (Laurel's firmDisabled counts), or it already holds every
// value the deactivation sends.
func inactive(p crm.Provider, u crm.User, deactivation crm.Changes) bool {
	if u.Active != nil && !*u.Active {
		return true
	}
	return len(crm.DropUnchanged(p.Schema(), u, deactivation)) == 0
}
