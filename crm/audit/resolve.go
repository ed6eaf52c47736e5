package audit

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
)

// staleAfter is how old an intent from another host must be before a run
// here settles it: that host's process cannot be asked whether it lives.
const staleAfter = time.Hour

// Resolve settles this provider's intents whose process ended before their
// outcome was written: it re-reads each user and appends an outcome — ok
// when the re-read shows the change (the values sent, or the user gone
// after a delete), error (not applied) when a delete's user is still there,
// unknown with the re-read values otherwise. Intents of a process still
// running are left alone. It returns how many it settled.
func (p *Provider) Resolve(ctx context.Context) (int, error) {
	raw, err := p.log.ReadRaw(ctx, Filter{Provider: p.inner.Info().Name})
	var bad *BadLinesError
	if err != nil && !errors.As(err, &bad) {
		return 0, err
	}
	name := p.inner.Info().Name
	settled := 0
	for _, e := range Settle(raw) {
		if e.Error != ProcessEnded || e.Provider != name || !processEnded(e, p.log.Instance()) {
			continue
		}
		if ctx.Err() != nil {
			return settled, ctx.Err()
		}
		out := e
		out.ID, out.Time, out.Intent, out.Instance, out.Error = "", time.Time{}, e.ID, "", ProcessEnded+"; settled by a re-read"
		u, gerr := p.inner.Get(ctx, e.UserID)
		switch {
		case e.Action == "delete" && errors.Is(gerr, crm.ErrNotFound):
			out.Result = ResultOK
		case gerr != nil:
			continue // cannot read now; a later run tries again
		case e.Action == "delete":
			// the same id is still there, and a deleted user never comes
			// back under it: the delete was not applied
			out.Result, out.Error = ResultError, ProcessEnded+"; not applied: a re-read still finds the user"
		case e.Action == "update":
			out.Reread = pick(u, crm.Changes(e.After))
			out.Result = ResultUnknown
			if len(crm.DropUnchanged(p.inner.Schema(), u, crm.Changes(e.After))) == 0 {
				out.Result = ResultOK
			}
		default:
			out.Result = ResultUnknown
		}
		if err := p.log.Append(&out); err != nil {
			return settled, err
		}
		settled++
	}
	return settled, nil
}

// processEnded reports whether the process that wrote e is gone: on this
// host, its pid no longer runs; elsewhere, the intent is old.
func processEnded(e Entry, self string) bool {
	if e.Instance == self {
		return false
	}
	host, pidText, ok := strings.Cut(e.Instance, ":")
	me, _, _ := strings.Cut(self, ":")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || host != me {
		return time.Since(e.Time) > staleAfter
	}
	if pid == os.Getpid() {
		return false
	}
	return pidGone(pid)
}
