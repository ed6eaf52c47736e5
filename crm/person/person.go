// Package person is one person across every configured provider: find
// them, offboard them (deactivate or delete, per provider) and onboard them
// (create, per provider) in one audited step. It knows nothing of the
// terminal; the console (ui) and the CLI (`roster person …`) both drive it.
//
// # Find
//
// Find searches every provider at once and streams one Found per provider
// as each answers; FindIn searches one (the console runs one tea.Cmd per
// provider with it, to show a spinner per provider). Each provider is asked
// the cheapest way it documents:
//
//   - an email, and the provider looks users up by the "email" identity
//     (Laurel, crm.IdentityLookup): one lookup;
//   - the provider searches on the server for this query
//     (match.ServerSearches): every page of the search;
//   - otherwise every listed page (crm.LoadAll, within the provider's page
//     size and concurrency), up to MaxScan users.
//
// Whatever the way, the answer passes the one matcher (crm/match): a user
// that does not match the query is never found. A query that is an email
// ("x@y") finds a person, so it also keeps only users whose email is that
// address (ignoring case): "a.0@example.com" never finds
// "ada.0@example.com". A provider that failed says so in Found.Err and is
// never reported as "not found".
//
// # Offboard
//
//	found := person.FindAll(ctx, providers, email) // or Collect(Find(…), n)
//	plan, err := person.PlanOffboard(providers, found, email, person.Deactivate)
//	// preview plan.Steps: provider, account, action, Changes, Why
//	results := person.Offboard(ctx, providers, plan, person.Progress{Start: …, End: …})
//
// PlanOffboard makes one Step per account found, and one with Action None
// per provider where there is nothing to do (Why: "not found", "could not
// search" with Err, "no deactivation here: delete only"). Deactivate uses
// each provider's own deactivation (crm.DeactivateChanges; Zoho documents
// none, so it is skipped and the caller may offer Delete). An account
// already inactive is planned with Why "already inactive" and ends
// Unchanged, nothing sent. An action the live capabilities do not allow
// keeps its place with Why "not allowed (…)": the guard (crm/guard), the one
// permission gate, refuses it when it runs (editors may deactivate, only
// admins may delete), so the result says so in the guard's words.
//
// Offboard writes each step through the provider the caller passes (the
// stack from crm/stack, so guard, audit and page cache apply), all steps
// concurrently, one provider never waiting on another: each account is
// re-read and not written if it changed since the find (a
// *crm.ConflictError), and every audit entry carries the plan's one run id
// (audit.WithRun), so `roster audit --run RUN` shows the whole offboarding.
//
// # Onboard
//
//	plan, err := person.PlanOnboard(providers, person.NewPerson{Common: map[string]string{
//		"email": "new.hire@example.com", "first_name": "New", "last_name": "Hire"},
//		Extra: map[string]map[string]string{"sales": {"username": "nh"}}})
//	results := person.Onboard(ctx, providers, plan, progress)
//
// PlanOnboard turns the common fields (CommonFields(), by common name) and
// per-provider extra fields into one create per provider, each value parsed
// by that provider's field and checked by crm.CheckCreate; a provider that
// cannot create (not a crm.Creator) or lacks a required field gets Action
// None with Why and a validation Err naming the fields. Onboard creates in
// each independently (nothing is skipped in B because A failed), first
// looking for the email so that a person already there is not created twice
// (Unchanged, with the account), all with one run id.
//
// # Results
//
// Every write ends in one Result per step: done (the provider's documented
// answer shows it), failed (with the provider's message: nothing changed),
// unknown (sent, outcome not known: settle by reading; never "failed"), not
// found (no such account, or it was gone when the write came), unchanged
// (already as asked: nothing sent), or skipped (nothing to do there, with
// why). Incomplete reports whether any step failed, is unknown or
// was skipped.
package person

import (
	"github.com/roster-tui/roster/crm"
)

// Found is one provider's answer to a find.
type Found struct {
	// Index is the provider's position in the slice given to Find.
	Index    int
	Provider string // the provider's config name (Info().Name)
	// Users are the matching users; empty (with Err nil) means the person
	// is not there.
	Users []crm.User
	// Err is why the provider could not be searched. Then Users is empty
	// and says nothing: the person may well be there.
	Err error
	// How says how the provider was searched ("identity lookup",
	// "server search", "listed 1200 users"), for the curious and for tests.
	How string
}

// NotFound reports whether the provider answered and holds no match.
func (f Found) NotFound() bool { return f.Err == nil && len(f.Users) == 0 }

// Action is what a step does to one account.
type Action string

const (
	Deactivate Action = "deactivate"
	Delete     Action = "delete"
	Create     Action = "create"
	// None: nothing is done in this provider (Step.Why says why).
	None Action = "none"
)

// Outcome is how one step ended.
type Outcome string

const (
	Done      Outcome = "done"      // the provider's answer (or a re-read) shows it
	Failed    Outcome = "failed"    // refused or not sent: nothing changed
	Unknown   Outcome = "unknown"   // sent; the provider may have applied it
	NotFound  Outcome = "not_found" // no such account (or gone before the write)
	Unchanged Outcome = "unchanged" // already as asked; nothing sent
	Skipped   Outcome = "skipped"   // nothing to do in this provider (see Why)
)

// Result is how one step ended.
type Result struct {
	Step    Step
	Outcome Outcome
	// Err is the provider's refusal (Failed), the doubt (Unknown) or why a
	// step could not be done; nil when Done, Unchanged or NotFound.
	Err error
	// User is the account as the provider holds it after the step, when its
	// answer said (Done, Unchanged); for a create, the new account.
	User crm.User
}

// Progress is told about each step as it starts and ends. Both are called
// from the step's own goroutine and may be nil.
type Progress struct {
	Start func(Step)
	End   func(Result)
}

func (p Progress) start(s Step) {
	if p.Start != nil {
		p.Start(s)
	}
}

func (p Progress) end(r Result) {
	if p.End != nil {
		p.End(r)
	}
}

// Incomplete reports whether any result is Failed, Unknown or Skipped (an
// account left as it was): the person is not everywhere as asked. The CLI
// exits with a failure then; the console shows the summary in red.
func Incomplete(results []Result) bool {
	for _, r := range results {
		if r.Outcome == Failed || r.Outcome == Unknown || r.Outcome == Skipped {
			return true
		}
	}
	return false
}

// providerNamed returns the provider of that config name among providers.
func providerNamed(providers []crm.Provider, name string) (crm.Provider, bool) {
	for _, p := range providers {
		if p.Info().Name == name {
			return p, true
		}
	}
	return nil, false
}
