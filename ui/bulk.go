package ui

import (
	"context"
	"fmt"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
)

// Bulk actions on the marked users: edit, delete, deactivate. Each is a
// crm/run plan (every user read once, only real changes kept), shown as a
// preview, then executed by crm/run (journal, per-user conflict check,
// audit with the run id) in the background while a progress view watches.

// bulkKind is what a bulk action does, for the words on screen.
type bulkKind int

const (
	bulkEdit bulkKind = iota
	bulkDelete
	bulkDeactivate
)

func (k bulkKind) verb() string {
	switch k {
	case bulkDelete:
		return "delete"
	case bulkDeactivate:
		return "deactivate"
	}
	return "update"
}

func (k bulkKind) title() string {
	switch k {
	case bulkDelete:
		return "Delete"
	case bulkDeactivate:
		return "Deactivate"
	}
	return "Update"
}

func (k bulkKind) gerund() string {
	switch k {
	case bulkDelete:
		return "Deleting"
	case bulkDeactivate:
		return "Deactivating"
	}
	return "Updating"
}

func (k bulkKind) past() string {
	switch k {
	case bulkDelete:
		return "deleted"
	case bulkDeactivate:
		return "deactivated"
	}
	return "updated"
}

// bulkPlanMsg is a plan made in the background.
type bulkPlanMsg struct {
	plan run.Plan
	err  error
}

// bulkDoneMsg tells the list a run ended: what to show again.
type bulkDoneMsg struct {
	kind    bulkKind
	updated []crm.User // users re-read after their write
	deleted []string
	applied []string // every id whose write landed (to unmark)
}

// planCmd reads every user of items and plans the run (a tracked request
// under ctx, so a rate limit shows in the status bar).
func planCmd(c *Common, ctx context.Context, op run.Op, items []run.Item) tea.Cmd {
	p, demo := c.Provider, c.Demo
	return c.requests.request(ctx, func(ctx context.Context) tea.Msg {
		plan, err := run.MakePlan(ctx, p, op, items)
		plan.Demo = demo // journaled: a demo run is never offered on a real provider
		return bulkPlanMsg{plan: plan, err: err}
	})
}

// openBulkEdit opens the bulk form over the marked users.
func (l *listView) openBulkEdit() tea.Cmd {
	if !l.c.CanUpdate() {
		return info(clean(l.c.Info.Name) + " does not let you edit users")
	}
	return push(newBulkEditView(l.c, l.id, l.marks().MarkedUsers()))
}

// openBulkDelete asks to type the number of marked users, then plans.
func (l *listView) openBulkDelete() tea.Cmd {
	if !l.c.CanDelete() {
		return info(clean(l.c.Info.Name) + " does not let you delete users")
	}
	return push(newBulkPreviewView(l.c, l.id, bulkDelete, l.marks().MarkedUsers(), itemsFor(l.marks().MarkedUsers(), nil)))
}

// openBulkDeactivate plans the provider's deactivation for every marked
// user (crm.DeactivateChanges says what it is, if the provider has one).
func (l *listView) openBulkDeactivate() tea.Cmd {
	set, ok := crm.DeactivateChanges(l.c.Provider)
	if !ok {
		return info(clean(l.c.Info.Name) + " documents no way to deactivate a user; delete (d) is the only way to offboard here")
	}
	if !l.c.CanUpdate() {
		return info(clean(l.c.Info.Name) + " does not let you edit users")
	}
	users := l.marks().MarkedUsers()
	return push(newBulkPreviewView(l.c, l.id, bulkDeactivate, users, itemsFor(users, set)))
}

// onBulkDone shows what a run changed: updated rows, deleted rows gone,
// and the users whose write landed unmarked (those that failed stay marked
// for another try).
func (l *listView) onBulkDone(msg bulkDoneMsg) tea.Cmd {
	for _, u := range msg.updated {
		l.table.Upsert(u)
	}
	for _, id := range msg.deleted {
		before := l.table.Total()
		l.table.Remove(id)
		if l.total > 0 && l.table.Total() < before {
			l.total--
		}
	}
	l.marks().Unmark(msg.applied...)
	if msg.kind == bulkDelete || len(msg.applied) == 0 {
		return nil
	}
	return address(l.id, rereadCmd(l.c, l.ctx, msg.applied))
}

// bulkRereadMsg brings the changed users as the provider holds them now.
type bulkRereadMsg struct{ users []crm.User }

// rereadCmd reads the users a run changed, so the list shows what the
// provider holds rather than what was asked for; within the provider's
// concurrency, a user that cannot be read is left as loaded.
func rereadCmd(c *Common, ctx context.Context, ids []string) tea.Cmd {
	p := c.Provider
	return c.requests.request(ctx, func(ctx context.Context) tea.Msg {
		out := make([]crm.User, len(ids))
		ok := make([]bool, len(ids))
		sem := make(chan struct{}, run.Concurrency(p))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				if u, err := p.Get(ctx, id); err == nil {
					out[i], ok[i] = u, true
				}
			}()
		}
		wg.Wait()
		var users []crm.User
		for i, u := range out {
			if ok[i] {
				users = append(users, u)
			}
		}
		return bulkRereadMsg{users: users}
	})
}

// itemsFor is the same set for every user (nil for a delete).
func itemsFor(users []crm.User, set crm.Changes) []run.Item {
	items := make([]run.Item, len(users))
	for i, u := range users {
		items[i] = run.Item{ID: u.ID, Set: set}
	}
	return items
}

// userNames maps ids to display names for previews and results.
func userNames(users []crm.User) map[string]string {
	names := make(map[string]string, len(users))
	for _, u := range users {
		n := u.DisplayName()
		if n == "" {
			n = u.Email
		}
		if n == "" {
			n = u.ID
		}
		names[u.ID] = clean(n)
	}
	return names
}

// howMany is "1 user" / "3 users".
func howMany(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%s %ss", groupDigits(n), one)
}
