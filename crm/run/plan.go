// Package run makes many writes one run: a plan (what really changes, per
// user), a journal synced before and after each write so a crash or kill -9
// can be resumed without sending a confirmed write twice, and an executor
// that keeps to the provider's concurrency while one user never has two
// writes in flight. A UI drives it through Options.Progress and cancels it
// through the context.
package run

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/limit"
)

// Op is what a run does to each user.
type Op string

const (
	OpUpdate Op = "update"
	OpDelete Op = "delete"
)

// Item is one requested write: the fields to set (provider keys) or, for a
// delete, just the id.
type Item struct {
	ID  string      `json:"id"`
	Set crm.Changes `json:"set,omitempty"`
}

// Change is one field that really changes.
type Change struct {
	Key string `json:"key"`
	Old any    `json:"old"`
	New any    `json:"new"`
}

// Step is the write planned for one user.
type Step struct {
	ID      string   `json:"id"`
	Changes []Change `json:"changes,omitempty"`
}

// Set returns the fields the step sends.
func (s Step) Set() crm.Changes {
	c := crm.Changes{}
	for _, ch := range s.Changes {
		c[ch.Key] = ch.New
	}
	return c
}

// Plan is a dry run: the steps that write, and the users left alone.
type Plan struct {
	Run       string   `json:"run"`
	Provider  string   `json:"provider"`
	Op        Op       `json:"op"`
	Steps     []Step   `json:"steps"`
	Unchanged []string `json:"unchanged,omitempty"`
	// Failed are users that could not be read while planning (id → error);
	// Errors holds the same errors typed, for exit codes (not journaled).
	Failed map[string]string `json:"failed,omitempty"`
	Errors map[string]error  `json:"-"`
	// Demo: the run was on the embedded sandbox's generated users (the
	// demo's provider names are ordinary ones, such as "sales"), so it is
	// never resumed on a configured provider of the same name, nor a real
	// run on the demo.
	Demo bool `json:"demo,omitempty"`
}

// NewID returns a fresh run id: sortable by time, unique by random suffix.
func NewID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// Concurrency is how many requests a run keeps in flight for p.
func Concurrency(p crm.Provider) int {
	n := crm.LiveInfo(p).Caps.MaxConcurrency
	if n <= 0 {
		n = 4
	}
	return n
}

// MakePlan reads every user once and keeps, per user, only the fields whose
// value really differs. Duplicate ids are refused: one user, one write.
func MakePlan(ctx context.Context, p crm.Provider, op Op, items []Item) (Plan, error) {
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.ID] {
			return Plan{}, fmt.Errorf("plan: user %s appears twice", it.ID)
		}
		seen[it.ID] = true
	}
	plan := Plan{Run: NewID(), Provider: crm.LiveInfo(p).Name, Op: op, Failed: map[string]string{}, Errors: map[string]error{}}
	schema := p.Schema()
	steps := make([]*Step, len(items))
	errs := make([]error, len(items))
	sem := make(chan struct{}, Concurrency(p))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			u, err := readUser(ctx, p, it.ID)
			if err != nil {
				errs[i] = err
				return
			}
			s := &Step{ID: it.ID}
			if op == OpUpdate {
				for _, k := range it.Set.Keys() {
					if old := valueFor(u, k, it.Set[k]); !Same(schema, k, old, it.Set[k]) {
						s.Changes = append(s.Changes, Change{Key: k, Old: old, New: it.Set[k]})
					}
				}
			}
			steps[i] = s
		}()
	}
	wg.Wait()
	for i, s := range steps {
		switch {
		case errs[i] != nil:
			plan.Failed[items[i].ID] = errs[i].Error()
			plan.Errors[items[i].ID] = errs[i]
		case op == OpUpdate && len(s.Changes) == 0:
			plan.Unchanged = append(plan.Unchanged, s.ID)
		default:
			plan.Steps = append(plan.Steps, *s)
		}
	}
	return plan, ctx.Err()
}

// Same reports whether two values of the field key mean the same, by the
// field's own Equal (crm.Field: an enum in another case, "yes" for true,
// blanks alike); keys the schema lacks compare as text.
func Same(schema crm.Schema, key string, a, b any) bool {
	f, ok := schema.Field(key)
	if !ok {
		f = crm.Field{Key: key, Type: crm.TypeText}
	}
	return f.Equal(a, b)
}

// readUser reads a user, trying again (up to attempts) when the provider
// fails for a passing reason: a 500 is not retried by the HTTP client, and
// one unlucky read must not leave a user out of a run.
func readUser(ctx context.Context, p crm.Provider, id string) (crm.User, error) {
	for attempt := 1; ; attempt++ {
		u, err := p.Get(ctx, id)
		if err == nil || !passing(err) || attempt == attempts || ctx.Err() != nil {
			return u, err
		}
		if pause(ctx, attempt) != nil {
			return u, err
		}
	}
}

// valueFor is u's value of key as a change to new sees it: for an object
// (Truto's remote_data {"IsActive": false}, which the provider merges into
// the record) only the entries new names, so that the rest of the record —
// its modification time above all — neither makes every run "change" it
// nor turns a resumed write into a conflict.
func valueFor(u crm.User, key string, new any) any {
	v := u.Value(key)
	want, ok := new.(map[string]any)
	have, isObject := v.(map[string]any)
	if !ok || !isObject {
		return v
	}
	out := make(map[string]any, len(want))
	for k := range want {
		if x, found := have[k]; found {
			out[k] = x
		}
	}
	return out
}

// RequestsPerUser is the least one user's step costs: the read that checks
// for a change made since the plan, and the write. Adapters that re-read
// after writing, settle a lost answer by reading, or send a second request
// (Laurel's status) cost more; a run's pace so far shows that.
const RequestsPerUser = 2

// Least is the shortest time steps more users can take under the
// account's limits (limit.Of the provider): the rate's pace for their
// requests. 0 when the account has no rate limit.
func Least(s limit.Settings, users int) time.Duration {
	return s.Least(users * RequestsPerUser)
}
