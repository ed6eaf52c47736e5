package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// listView is the table of users of one provider, loaded page by page.
type listView struct {
	viewBase
	keys  listKeys
	table userTable

	gen     int    // bumped on every reload; older answers are dropped
	loading string // what is loading, "" when idle
	next    string // cursor of the next page, "" when all are loaded
	pages   int    // pages loaded
	total   int    // users in the provider, -1 when unknown
	// fresh is when the last refresh that reached the provider started:
	// the next refresh asks only for changes since then. Plain loads may
	// be answered from the page cache, so they do not count.
	fresh      time.Time
	refreshing time.Time // when the refresh in flight started
	advanceTo  int       // the row to move to once the next page arrives, -1 when none
	viewIdx    int       // index into Caps.Views
	loadErr    string    // why the last load failed, "" after a success

	query       textinput.Model
	querying    bool   // the query input has focus
	serverQuery string // the query the server answered, "" when none

	loadAllCancel context.CancelFunc // non-nil while loading everything
	loadedAll     int
	loadAllShown  bool // the running load-all's first rows replaced the table's
	loadTotal     int  // -1 when the provider does not say
	loadSteps     int  // progress reports so far: turns the spinner
	bar           progress.Model

	bulk   listMarks    // marks and bulk actions (marks.go)
	clicks clickCounter // tells a double click (mouse_list.go)

	prefs listPrefs // columns and saved view (columns.go, views.go)
}

func newListView(c *Common) *listView {
	l := &listView{viewBase: newViewBase(c), keys: newListKeys(c.bindings), table: newUserTable(c), total: -1, advanceTo: -1}
	l.query = c.newTextInput("/ ", "name or email")
	l.bar = c.newProgressBar()
	l.useOwnColumns()
	l.applyCaps()
	return l
}

// applyCaps disables the keys this provider and role do not allow.
func (l *listView) applyCaps() {
	caps := l.c.Info.Caps
	l.keys.ServerSearch.SetEnabled(caps.ServerSearch)
	l.keys.View.SetEnabled(len(l.viewEntries()) > 1)
	l.keys.Find.SetEnabled(len(caps.IdentityTypes) > 0)
	l.keys.Delete.SetEnabled(l.c.CanDelete())
	l.keys.Undo.SetEnabled(l.c.CanUpdate())
}

// Close cancels the view's requests; a load all in flight also ends its
// tracked request, so no retry notice of it outlives the list.
func (l *listView) Close() {
	if l.loadAllCancel != nil {
		l.loadAllCancel()
	}
	l.cancel()
}
func (l *listView) Title() string { return clean(l.c.Info.Name) + " users" }

func (l *listView) SetSize(w, h int) {
	l.w, l.h = w, h
	l.table.SetSize(w, h-l.chromeHeight())
}

// chromeHeight is the lines above the table (query input, progress).
func (l *listView) chromeHeight() int {
	n := 0
	if l.querying || l.query.Value() != "" || l.serverQuery != "" {
		n++
	}
	if l.loadAllCancel != nil {
		n++
	}
	return n
}

func (l *listView) ShortHelp() []key.Binding {
	if l.querying {
		return []key.Binding{l.keys.ServerSearch, l.keys.ClearSearch}
	}
	return l.liveKeys().ShortHelp()
}
func (l *listView) FullHelp() [][]key.Binding {
	return append(l.liveKeys().FullHelp(), l.marksHelp())
}

// liveKeys are the keys with those that do nothing right now turned off,
// for the help: cancel only while loading all (when load all and refresh
// do nothing), clear only with a filter.
func (l *listView) liveKeys() listKeys {
	k := l.keys
	k.Cancel.SetEnabled(l.loadAllCancel != nil)
	k.LoadAll.SetEnabled(l.loadAllCancel == nil)
	k.Refresh.SetEnabled(l.loadAllCancel == nil) // refresh waits while loading
	k.ClearSearch.SetEnabled(l.query.Value() != "" || l.serverQuery != "")
	return k
}
func (l *listView) CapturesInput() bool { return l.querying }
func (l *listView) Busy() string        { return l.loading }

func (l *listView) Init() tea.Cmd {
	return tea.Batch(l.reload("loading users"), l.offerResume())
}

func (l *listView) request() crm.PageRequest {
	req := crm.PageRequest{Limit: l.c.PageSize, Query: l.serverQuery}
	if views := l.c.Info.Caps.Views; len(views) > 0 {
		req.View = views[l.viewIdx%len(views)]
	}
	return req
}

// reload drops what is loaded and asks for the first page again.
func (l *listView) reload(what string) tea.Cmd {
	l.gen++
	l.loading = what
	l.advanceTo = -1
	l.pages, l.total = 0, -1 // no counts until the new view's first page says
	return address(l.id, l.c.requests.request(l.ctx, listPage(l.c.Provider, l.gen, fetchReplace, l.request())))
}

func (l *listView) fetchNext() tea.Cmd {
	if l.next == "" || l.loading != "" {
		return nil
	}
	req := l.request()
	req.Cursor = l.next
	l.loading = fmt.Sprintf("loading page %d", l.pages+1)
	return address(l.id, l.c.requests.request(l.ctx, listPage(l.c.Provider, l.gen, fetchAppend, req)))
}

// refresh is the admin's r: forget every cached page (other views and
// searches too, so returning to them asks again) and ask for the first page,
// conditionally when an earlier refresh says since when. Every page cached
// after this was fetched after it, which keeps the condition honest.
func (l *listView) refresh() tea.Cmd {
	if l.loading != "" {
		return nil
	}
	if l.next == "" && l.pages > 1 {
		// everything was loaded: read everything again rather than drop
		// to the first page
		l.c.forgetPages()
		return l.loadAll(true)
	}
	req := l.request()
	if !l.fresh.IsZero() {
		req.IfModifiedSince = l.fresh.UTC().Format(time.RFC3339)
	}
	l.refreshing = l.c.now()
	l.c.forgetPages()
	l.gen++
	l.loading = "refreshing"
	return address(l.id, l.c.requests.request(l.ctx, listPage(l.c.Provider, l.gen, fetchRefresh, req)))
}

// prefetch asks for the next page when the cursor nears the end.
func (l *listView) prefetch() tea.Cmd {
	if l.table.NearEnd(max(l.h/2, 5)) && l.query.Value() == "" {
		return l.fetchNext()
	}
	return nil
}

func (l *listView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case pageMsg:
		return l, l.onPage(msg)
	case streamMsg:
		if msg.msg.gen == l.gen && l.loadAllCancel != nil {
			l.loadedAll = msg.msg.loaded
			if msg.msg.total >= 0 {
				l.loadTotal = msg.msg.total
			}
			l.loadSteps++
			return l, tea.Batch(address(l.id, msg.next), l.takeRows(msg.msg.rows))
		}
		return l, nil
	case loadAllDoneMsg:
		return l, l.onLoadAll(msg)
	case userCopyReadMsg:
		return l, l.onUserCopyRead(msg)
	case sortDoneMsg:
		return l, l.onSortDone(msg)
	case userSavedMsg:
		l.table.Upsert(msg.user)
		return l, nil
	case columnsSavedMsg:
		return l, l.onColumnsSaved(msg)
	case viewSavedMsg:
		return l, l.onViewSaved(msg)
	case viewForgottenMsg:
		return l, l.onViewForgotten(msg)
	case userDeletedMsg:
		before := l.table.Total()
		l.table.Remove(msg.id)
		if l.total > 0 && l.table.Total() < before {
			l.total--
		}
		return l, nil
	case tea.KeyMsg:
		if l.querying {
			return l, l.updateQuery(msg)
		}
		return l, l.onKey(msg)
	}
	if cmd, ok := l.onMarksMsg(msg); ok {
		return l, cmd
	}
	return l, l.table.Update(msg)
}

func (l *listView) onPage(msg pageMsg) tea.Cmd {
	if msg.gen != l.gen {
		return nil
	}
	l.loading = ""
	if msg.err != nil {
		l.c.refreshInfo()
		l.applyCaps()
		if msg.mode == fetchRefresh && errors.Is(msg.err, crm.ErrNotModified) {
			l.fresh = l.refreshing
			return notice("no changes")
		}
		l.loadErr = errText(msg.err)
		return failure(msg.err)
	}
	l.loadErr = ""
	switch msg.mode {
	case fetchAppend:
		l.table.Append(msg.page.Users...)
		l.pages++
	default:
		l.table.SetUsers(msg.page.Users)
		l.pages = 1
		l.total = -1 // the count of what was shown before is not this one's
		if msg.mode == fetchReplace {
			l.table.SetCursor(0) // another view or search: start at its top
		}
		if msg.mode == fetchRefresh {
			l.fresh = l.refreshing
		}
	}
	l.next = msg.page.Next
	if msg.page.Total >= 0 {
		l.total = msg.page.Total
	} else if l.next == "" {
		l.total = l.table.Total()
	}
	var cmds []tea.Cmd
	if msg.mode == fetchRefresh {
		cmds = append(cmds, info(fmt.Sprintf("refreshed: %d users", l.table.Total())))
	}
	if msg.mode == fetchReplace && l.serverQuery != "" {
		found := l.table.Total()
		if l.total >= 0 {
			found = l.total // the provider counted them all, not only this page
		}
		if found == 0 {
			return l.filterHereInstead()
		}
		cmds = append(cmds, info(fmt.Sprintf("server search %q: %s found", clean(l.serverQuery), groupDigits(found))))
	}
	if l.advanceTo >= 0 && msg.mode == fetchAppend {
		l.table.SetCursor(l.advanceTo)
		l.advanceTo = -1
	}
	return tea.Batch(cmds...)
}

func (l *listView) onKey(msg tea.KeyMsg) tea.Cmd {
	k := l.keys
	switch {
	case l.loadAllCancel != nil && key.Matches(msg, k.Cancel):
		shown := l.loadAllShown
		cmd := l.stopLoadAll()
		l.gen++
		l.loading = ""
		l.bulk.markAfterLoad = false
		l.SetSize(l.w, l.h)
		if shown {
			return tea.Batch(cmd, notice(fmt.Sprintf("load all cancelled: %s users loaded · L loads all", groupDigits(l.table.Total()))))
		}
		return tea.Batch(cmd, notice("load all cancelled"))
	case key.Matches(msg, k.ClearSearch) && (l.query.Value() != "" || l.serverQuery != ""):
		return l.clearQuery()
	}
	if cmd, ok := l.onMarkKey(msg); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, l.c.Keys.Back):
		return pop
	case key.Matches(msg, k.Open):
		if u, ok := l.table.Selected(); ok {
			return push(newDetailView(l.c, u, l.id))
		}
	case key.Matches(msg, k.Delete):
		if u, ok := l.table.Selected(); ok {
			return push(newDeleteView(l.c, u, l.id))
		}
	case l.c.refusal(msg, k.Delete, "delete users") != nil:
		return l.c.refusal(msg, k.Delete, "delete users")
	case l.c.refusal(msg, k.Undo, "change users") != nil:
		return l.c.refusal(msg, k.Undo, "change users")
	case key.Matches(msg, k.Undo):
		if u, ok := l.table.Selected(); ok {
			return l.c.startUndo(u)
		}
	case key.Matches(msg, k.Next):
		return l.nextPage()
	case key.Matches(msg, k.Prev):
		l.table.SetCursor((l.table.Cursor()/l.pageSize() - 1) * l.pageSize())
		return nil
	case key.Matches(msg, k.Move.PageDown):
		if l.table.Cursor() >= l.table.Len()-1 && l.next != "" {
			l.advanceTo = l.table.Cursor() + 1
			return l.fetchNext()
		}
		l.table.PageDown()
		return l.prefetch()
	case key.Matches(msg, k.Search):
		l.querying = true
		l.SetSize(l.w, l.h)
		return l.query.Focus()
	case key.Matches(msg, k.Refresh) && l.loadErr != "" && l.table.Total() == 0:
		return l.reload("loading users") // the retry the error offers
	case key.Matches(msg, k.Refresh):
		return l.refresh()
	case key.Matches(msg, k.View):
		return l.nextView()
	case key.Matches(msg, k.Columns):
		return push(newColumnChooser(l))
	case key.Matches(msg, k.LoadAll):
		return l.startLoadAll()
	case key.Matches(msg, k.Find):
		return push(newLookupView(l.c, l.id))
	case key.Matches(msg, k.Sort):
		return l.cycleSort()
	case key.Matches(msg, k.SortReverse):
		return l.reverseSort()
	case key.Matches(msg, k.CopyCell):
		return l.copyCell()
	case key.Matches(msg, k.CopyUser):
		return l.copyUser()
	}
	cmd := l.table.Update(msg)
	return tea.Batch(cmd, l.prefetch())
}

// pageSize is the rows of one page, as the status bar counts them.
func (l *listView) pageSize() int { return max(l.c.PageSize, 1) }

// nextPage is n: the cursor goes to the first row of the next page (the
// status bar's "page 2/5" counts pages of PageSize rows), loading it first
// when it is not loaded yet.
func (l *listView) nextPage() tea.Cmd {
	first := (l.table.Cursor()/l.pageSize() + 1) * l.pageSize()
	if first >= l.table.Len() && l.next != "" {
		l.advanceTo = first
		return l.fetchNext()
	}
	if first < l.table.Len() {
		l.table.SetCursor(first)
	}
	return l.prefetch()
}

func (l *listView) startLoadAll() tea.Cmd { return l.loadAll(false) }

// loadAll reads every page; whole (r over a list that holds everything)
// keeps the rows shown until the new ones are all read (loadAllStream).
func (l *listView) loadAll(whole bool) tea.Cmd {
	if l.loadAllCancel != nil {
		return nil
	}
	l.gen++
	ctx, cancel := context.WithCancel(l.ctx)
	ctx, treq := l.c.requests.track(ctx)
	l.loadAllCancel = func() { cancel(); l.c.requests.done(treq) }
	l.loadedAll, l.loadTotal, l.loadSteps = l.table.Total(), l.total, 0
	l.loadAllShown = false
	l.loading = "loading all users"
	l.SetSize(l.w, l.h)
	req := l.request()
	// Load all in the provider's largest pages: a quarter of the requests
	// at the default page size, and the same users.
	if max := l.c.Info.Caps.MaxPageSize; max > req.Limit {
		req.Limit = max
	}
	return address(l.id, loadAllStream(ctx, treq, l.c.Provider, l.gen, req, l.table.NewRows(), whole))
}

func (l *listView) onLoadAll(msg loadAllDoneMsg) tea.Cmd {
	l.c.requests.done(msg.req)
	if msg.gen != l.gen || l.loadAllCancel == nil {
		return nil
	}
	l.loading = ""
	l.SetSize(l.w, l.h)
	if msg.err != nil {
		var cmd tea.Cmd
		if l.loadAllShown { // loaded users, shown like the others; else the old rows stay
			cmd = l.takeRows(msg.rows)
		}
		cmd = tea.Batch(cmd, l.stopLoadAll())
		l.c.refreshInfo()
		l.applyCaps()
		return tea.Batch(cmd, failure(msg.err), l.afterLoadAll(false))
	}
	l.loadAllCancel()
	l.loadAllCancel = nil
	rematch := tea.Batch(l.takeRows(msg.rows), l.table.FinishRows()) // in this order
	l.loadAllShown = false
	n := l.table.Total()
	rematch = tea.Batch(rematch, releaseMemory(n))
	l.next = ""
	l.total = n
	l.pages = (n + l.c.PageSize - 1) / l.c.PageSize
	if cmd := l.afterLoadAll(true); cmd != nil {
		return tea.Batch(rematch, cmd)
	}
	return tea.Batch(rematch, info(fmt.Sprintf("loaded all %s users", groupDigits(n))))
}
