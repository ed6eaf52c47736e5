package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/ui/termtext"
)

// bulkRunView executes a plan through crm/run in the background — journal
// (resumable), per-user conflict check, audit with the run id, within the
// provider's concurrency — and shows a progress bar with done / failed /
// skipped / remaining and an ETA. esc cancels: writes already sent stand,
// nothing new starts, and the results say exactly which users changed.
type bulkRunView struct {
	viewBase
	backTo int
	kind   bulkKind
	plan   run.Plan
	users  []crm.User
	names  map[string]string

	cancelRun context.CancelFunc
	cancelled bool
	started   time.Time
	journal   string // the journal's path, once open
	// resuming: the run continues the journal at journal (run.Resume);
	// earlier counts the users it had settled before, already in got.
	resuming bool
	earlier  int
	// limits are the account's (limit.Of the provider): the ETA starts
	// from the least time they allow, before any user is done.
	limits    limit.Settings
	got       map[string]run.Result
	applied   int
	failed    int
	unknown   int
	skipped   int
	bar       progress.Model
	cancelKey key.Binding
}

// Messages of a run: one per settled user, and the end.
type (
	bulkStepMsg struct {
		r    run.Result
		next tea.Cmd
	}
	bulkFinishedMsg struct {
		results []run.Result
		journal string
		err     error
	}
	bulkJournalMsg struct {
		path string
		next tea.Cmd
	}
)

func newBulkRunView(c *Common, backTo int, kind bulkKind, plan run.Plan, users []crm.User) *bulkRunView {
	v := &bulkRunView{viewBase: newViewBase(c), backTo: backTo, kind: kind, plan: plan, users: users,
		names: userNames(users), got: map[string]run.Result{}, limits: limit.Of(c.Provider),
		bar:       c.newProgressBar(),
		cancelKey: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel (sent writes stand)"))}
	return v
}

// newResumedRunView continues the run journaled at journal: the users the
// journal settled count as done from the start, and run.Resume steps
// through the rest (re-reading before any write, never re-sending one
// that was confirmed).
func newResumedRunView(c *Common, backTo int, kind bulkKind, st run.State, journal string, users []crm.User) *bulkRunView {
	v := newBulkRunView(c, backTo, kind, st.Plan, users)
	v.resuming, v.journal = true, journal
	for _, s := range st.Plan.Steps {
		if out, ok := st.Settled(s.ID); ok {
			v.count(run.Result{ID: s.ID, Outcome: out, Earlier: true})
			v.earlier++
		}
	}
	return v
}

func (v *bulkRunView) Title() string { return v.kind.verb() + " run" }
func (v *bulkRunView) Busy() string {
	if v.cancelled {
		return "cancelling: waiting for the writes already sent"
	}
	return fmt.Sprintf("%s %d of %d", strings.ToLower(v.kind.gerund()), len(v.got), len(v.plan.Steps))
}

// CapturesInput keeps q from quitting past the run (ctrl+c still asks).
func (v *bulkRunView) CapturesInput() bool       { return true }
func (v *bulkRunView) ShortHelp() []key.Binding  { return []key.Binding{v.cancelKey} }
func (v *bulkRunView) FullHelp() [][]key.Binding { return [][]key.Binding{{v.cancelKey}} }
func (v *bulkRunView) Close()                    { v.viewBase.Close() }
func (v *bulkRunView) remaining() int            { return len(v.plan.Steps) - len(v.got) }

// Init opens the journal and starts the run as one tracked write (quitting
// waits for it), with a listener that brings each user's result.
func (v *bulkRunView) Init() tea.Cmd {
	v.started = v.c.now()
	ctx, cancel := context.WithCancel(v.ctx)
	v.cancelRun = cancel
	ch := make(chan tea.Msg, len(v.plan.Steps)+2) // never blocks a worker
	p, plan, journal, resuming := v.c.Provider, v.plan, v.journal, v.resuming
	progress := run.Options{Progress: func(r run.Result) { ch <- bulkStepMsg{r: r} }}
	start := v.c.requests.write(ctx, "bulk "+v.kind.verb(), func(ctx context.Context) tea.Msg {
		defer close(ch)
		if resuming {
			_, res, err := run.Resume(ctx, p, journal, progress)
			return bulkFinishedMsg{results: res, journal: journal, err: err}
		}
		dir, err := run.Dir()
		if err != nil {
			return bulkFinishedMsg{err: err}
		}
		j, err := run.OpenJournal(dir, plan.Run)
		if err != nil {
			return bulkFinishedMsg{err: err}
		}
		defer j.Close()
		ch <- bulkJournalMsg{path: j.Path}
		res, err := run.Execute(ctx, p, j, plan, nil, progress)
		return bulkFinishedMsg{results: res, journal: j.Path, err: err}
	})
	return tea.Batch(address(v.id, start), address(v.id, listenRun(ch)))
}

// listenRun waits for the run's next message; nil once the run ended.
func listenRun(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		switch m := msg.(type) {
		case bulkStepMsg:
			m.next = listenRun(ch)
			return m
		case bulkJournalMsg:
			m.next = listenRun(ch)
			return m
		}
		return msg
	}
}

func (v *bulkRunView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case bulkJournalMsg:
		v.journal = msg.path
		return v, address(v.id, msg.next)
	case bulkStepMsg:
		v.count(msg.r)
		return v, address(v.id, msg.next)
	case bulkFinishedMsg:
		return v, v.finish(msg)
	case tea.KeyMsg:
		if key.Matches(msg, v.cancelKey) && !v.cancelled {
			v.cancelled = true
			v.cancelRun()
			return v, notice("cancelled: writes already sent stand; nothing new starts")
		}
	}
	return v, nil
}

func (v *bulkRunView) count(r run.Result) {
	if _, dup := v.got[r.ID]; dup || r.Outcome == run.Skipped {
		return // skipped: cancelled before anything was sent; it stays "remaining"
	}
	v.got[r.ID] = r
	switch r.Outcome {
	case run.Applied:
		v.applied++
	case run.Unchanged:
		v.skipped++
	case run.Unknown:
		v.unknown++
	default:
		v.failed++
	}
}

// finish hands over to the results view and tells the list what changed.
func (v *bulkRunView) finish(msg bulkFinishedMsg) tea.Cmd {
	if msg.journal != "" {
		v.journal = msg.journal
	}
	res := newBulkResultsView(v.c, v.backTo, v.kind, v.plan, v.users, msg.results, v.journal, v.cancelled, msg.err)
	done := bulkDoneMsg{kind: v.kind}
	for _, r := range msg.results {
		if r.Outcome == run.Applied || (r.Outcome == run.Unchanged && v.kind == bulkDelete) {
			done.applied = append(done.applied, r.ID)
		}
	}
	if v.kind == bulkDelete {
		done.deleted = done.applied
	}
	return inOrder(popTo(v.backTo), address(v.backTo, func() tea.Msg { return done }), push(res))
}

// eta is the time left: at least what the account's rate limit allows
// for the requests the remaining users cost (run.Least), shown from the
// first frame; once users are done, the pace so far when it is slower
// (providers that re-read after a write, answers slower than the rate,
// 429s). "" when neither says a second or more, or after a cancel.
func (v *bulkRunView) eta() string {
	left := v.remaining()
	if left == 0 || v.cancelled {
		return "" // cancelled: what remains will not run
	}
	est := run.Least(v.limits, left)
	if n := len(v.got) - v.earlier; n > 0 {
		elapsed := v.c.now().Sub(v.started)
		est = max(est, time.Duration(float64(elapsed)/float64(n)*float64(left)))
	}
	est = est.Round(time.Second)
	if est < time.Second {
		return ""
	}
	s := "about " + est.String() + " left"
	if v.limits.Requests > 0 {
		s += " (limit " + limit.FormatRate(v.limits.Requests, v.limits.Per) + ")"
	}
	return s
}

func (v *bulkRunView) View() string {
	s := v.c.Styles
	width := min(max(v.w-6, 20), 100)
	var b strings.Builder
	total := len(v.plan.Steps)
	head := fmt.Sprintf("%s %s", v.kind.gerund(), howMany(total, "user"))
	if v.resuming {
		head = "Resuming: " + strings.ToLower(head[:1]) + head[1:]
	}
	if v.cancelled {
		head = "Cancelling: the writes already sent finish; nothing new starts"
	}
	b.WriteString(s.Section.Render(termtext.Truncate(head, width)) + "\n\n")
	pct := 0.0
	if total > 0 {
		pct = float64(len(v.got)) / float64(total)
	}
	bar := v.bar
	bar.Width = width
	b.WriteString(bar.ViewAs(pct) + "\n")
	counts := fmt.Sprintf("%d done · %d failed · %d skipped · %d remaining", v.applied, v.failed+v.unknown, v.skipped, v.remaining())
	b.WriteString(termtext.Truncate(counts, width) + "\n")
	if e := v.eta(); e != "" {
		b.WriteString(s.Muted.Render(termtext.Truncate(e, width)) + "\n")
	}
	b.WriteString(s.Muted.Render(termtext.Truncate("run "+v.plan.Run, width)))
	return fixedDialog(v.c, v.w, v.h, width, b.String())
}
