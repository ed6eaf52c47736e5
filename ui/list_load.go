package ui

import (
	"context"
	"runtime/debug"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/match"
	"github.com/roster-tui/roster/ui/usertable"
)

// fetchMode says what a fetched page does to the list.
type fetchMode int

const (
	fetchReplace fetchMode = iota // first page: replaces what is loaded
	fetchAppend                   // next page: appended
	fetchRefresh                  // conditional first page: replaces unless not modified
)

// Results of the list's requests. gen drops answers to requests made
// before a reload, a view switch or a search.
type (
	pageMsg struct {
		gen  int
		mode fetchMode
		page crm.Page
		err  error
	}
	// loadAllProgressMsg says how far a load-all is and carries the rows
	// built since the last one (nil when none).
	loadAllProgressMsg struct {
		gen, loaded, total int
		rows               *usertable.Rows
	}
	loadAllDoneMsg struct {
		gen  int
		req  int             // the tracked request, ended when this arrives
		rows *usertable.Rows // the last rows built, not yet handed over
		err  error
	}
)

// listPage asks the provider for one page (run it with Common.request).
func listPage(p crm.Provider, gen int, mode fetchMode, req crm.PageRequest) func(context.Context) tea.Msg {
	return func(ctx context.Context) tea.Msg {
		page, err := match.List(ctx, p, req)
		return pageMsg{gen: gen, mode: mode, page: page, err: err}
	}
}

// maxBatch is the most rows a load-all gathers before it waits for the UI
// goroutine to take them: taking a batch costs the UI O(batch), so this
// bounds the work of one message (a few milliseconds) however far the UI
// falls behind the network.
const maxBatch = 8192

// loadAllStream loads every page in the background (crm.LoadPages) and
// builds the table's rows page by page as they arrive, in this goroutine,
// into batches handed to the UI goroutine with the progress: a batch goes
// as soon as the channel has room, and pages arriving while the UI has not
// taken the previous batch join the next one (up to maxBatch). So the
// loaded users show while the load runs, each batch costs Update O(batch)
// and the end of the load costs one frame. The returned command yields
// progress and, last, the result (call it again after each progress). ctx
// is a tracked request's context (Common.track), numbered treq. The channel
// is closed when the goroutine ends, so a command still waiting after a
// cancel returns nil instead of blocking for ever.
//
// whole keeps every row until the end, as one batch: for reading again a
// list that holds everything already (r after a load-all), where showing
// the new rows as they come would first shrink the table to the first
// batch and lose the cursor's user.
func loadAllStream(ctx context.Context, treq int, p crm.Provider, gen int, req crm.PageRequest, rows *usertable.Rows, whole bool) tea.Cmd {
	ch := make(chan tea.Msg, 8)
	go func() {
		defer close(ch)
		var q *match.Matcher
		if req.Query != "" {
			m := match.New(req.Query) // a query the server could not narrow (match.LoadAll)
			q = &m
		}
		loaded := 0
		err := crm.LoadPages(ctx, p, req, func(page crm.Page) error {
			loaded += len(page.Users)
			users := page.Users
			if q != nil {
				users = q.Narrow(users)
			} else {
				rows.SetTotal(page.Total) // a narrowed load's size is unknown
			}
			rows.Add(users)
			if whole {
				select { // progress only; it may be dropped, the next says more
				case ch <- loadAllProgressMsg{gen: gen, loaded: loaded, total: page.Total}:
				default:
				}
				return nil
			}
			msg := loadAllProgressMsg{gen: gen, loaded: loaded, total: page.Total, rows: rows}
			if rows.Len() >= maxBatch {
				select {
				case ch <- msg:
				case <-ctx.Done():
					return ctx.Err()
				}
				rows = rows.Next()
				return nil
			}
			select {
			case ch <- msg:
				rows = rows.Next()
			default: // the UI has not taken the last one: this page joins the next
			}
			return nil
		})
		select {
		case ch <- loadAllDoneMsg{gen: gen, req: treq, rows: rows, err: err}:
		case <-ctx.Done():
		}
	}()
	return waitStream(ch)
}

func waitStream(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil // cancelled: the result was dropped
		}
		if p, ok := msg.(loadAllProgressMsg); ok {
			return streamMsg{msg: p, next: waitStream(ch)}
		}
		return msg
	}
}

// streamMsg is one progress report and the command that waits for the next.
type streamMsg struct {
	msg  loadAllProgressMsg
	next tea.Cmd
}

// takeRows puts a load-all's batch in the table: the first replaces what
// was loaded, the next ones are appended (O(batch) each).
func (l *listView) takeRows(r *usertable.Rows) tea.Cmd {
	if r == nil {
		return nil
	}
	if !l.loadAllShown {
		l.loadAllShown = true
		return l.table.SetRows(r)
	}
	l.table.AppendRows(r)
	return nil
}

// stopLoadAll ends a load-all that did not finish (cancelled, failed, or
// restarted). Rows it already showed stay: they are loaded users. But the
// list's page cursor described the rows they replaced, so paging on could
// skip users; the list stops paging (L loads all again) and says how many
// it holds. The sort that waited for the rows is worked out.
func (l *listView) stopLoadAll() tea.Cmd {
	if l.loadAllCancel != nil {
		l.loadAllCancel()
		l.loadAllCancel = nil
	}
	cmd := l.table.FinishRows()
	if l.loadAllShown {
		l.loadAllShown = false
		l.next = ""
		l.pages = (l.table.Total() + l.pageSize() - 1) / l.pageSize()
		if l.total >= 0 && l.total <= l.table.Total() {
			l.total = -1 // not all: the status must not say so
		}
	}
	return cmd
}

// bigLoad is the number of users above which a finished load-all hands the
// memory it no longer needs back to the system.
const bigLoad = 50_000

// releaseMemory runs after the rows of a big load-all are installed: the
// pages' JSON and the previous rows are garbage by then, and without a
// collection the process would keep their pages resident (RSS about twice
// the live heap) until the runtime's scavenger got round to them. It runs as
// a command, so the collection never holds up the UI goroutine.
func releaseMemory(users int) tea.Cmd {
	if users < bigLoad {
		return nil
	}
	return func() tea.Msg {
		debug.FreeOSMemory()
		return nil
	}
}
