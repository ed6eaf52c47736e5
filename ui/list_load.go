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
	loadAllProgressMsg struct{ gen, loaded, total int }
	loadAllDoneMsg     struct {
		gen  int
		req  int             // the tracked request, ended when this arrives
		rows *usertable.Rows // built off the UI goroutine, page by page
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

// loadAllStream loads every page in the background (crm.LoadPages) and
// builds the table's rows page by page as they arrive, in this goroutine:
// the UI goroutine gets them ready-made at the end and does no work per
// loaded user, so a million users never freeze it. The returned command
// yields progress and, last, the result (call it again after each
// progress). ctx is a tracked request's context (Common.track), numbered
// treq. The channel is closed when the goroutine ends, so a command still
// waiting after a cancel returns nil instead of blocking for ever.
func loadAllStream(ctx context.Context, treq int, p crm.Provider, gen int, req crm.PageRequest, rows *usertable.Rows) tea.Cmd {
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
			}
			rows.Add(users)
			select { // progress may be dropped; the next one says more
			case ch <- loadAllProgressMsg{gen: gen, loaded: loaded, total: page.Total}:
			default:
			}
			return nil
		})
		if err != nil {
			rows = nil
		}
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
