package main

import (
	"context"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// "Fewer requests per save" (issue 12), through what an admin runs: `users
// update` opens the whole provider stack (guard, audit, limiter, page
// cache) and saves one field. Per provider the sandbox must see one read of
// the user before the write, the write, and at most one read after it
// (none where the write answers the user). crm's TestASaveReadsOnceBeforeTheWrite
// counts the same below the stack; this holds the stack and the CLI to it.
func TestUsersUpdateReadsOnceBeforeTheWriteOnEveryProvider(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	w := newSandboxWorld(t, sandbox.Options{Users: 20})
	cases := []struct {
		provider, set string
		readsAfter    int
	}{
		{"sales", "title=Countess", 1},          // Apideck answers the id only
		{"zoho-demo", "language=fr_FR", 1},      // Zoho answers SUCCESS and the id
		{"truto-demo", "first_name=Augusta", 0}, // Truto answers the user
		{"laurel-demo", "jobTitle=Countess", 0}, // Laurel answers the user
	}
	for _, c := range cases {
		t.Run(c.provider, func(t *testing.T) {
			page, err := w.openProvider(t, c.provider).List(context.Background(), crm.PageRequest{Limit: 1})
			if err != nil || len(page.Users) == 0 {
				t.Fatalf("list: %v", err)
			}
			id := page.Users[0].ID
			start := len(w.server.Requests())
			if code, _, stderr := w.exec(context.Background(), "-p", c.provider, "users", "update", id, "--set", c.set); code != 0 {
				t.Fatalf("update exited %d: %s", code, stderr)
			}
			var before, after, writes []string
			for _, r := range w.server.Requests()[start:] {
				switch {
				case strings.Contains(r, "/oauth") || strings.Contains(r, "/token"):
					// a token request is not a read of the user
				case strings.HasPrefix(r, "GET ") && len(writes) == 0:
					before = append(before, r)
				case strings.HasPrefix(r, "GET "):
					after = append(after, r)
				default:
					writes = append(writes, r)
				}
			}
			if len(before) != 1 || len(writes) != 1 || len(after) != c.readsAfter {
				t.Errorf("a save made %d reads before the write %v, %d writes %v and %d reads after %v; want 1, 1 and %d",
					len(before), before, len(writes), writes, len(after), after, c.readsAfter)
			}
		})
	}
}
