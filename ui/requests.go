package ui

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// Every request the UI sends runs under a context that reports the HTTP
// client's retries, so a rate-limited provider shows "retrying in 7s"
// instead of a frozen spinner. The report arrives on the request's
// goroutine and must not block, so it goes into a buffered channel that one
// listening command drains into the program.

// requestTracker numbers the program's requests, knows which are still in
// flight and which of them write (quitting waits for those), and holds the
// retry notice the status bar shows. One per program (Common.requests).
type requestTracker struct {
	now     func() time.Time    // the program's clock, as the countdown reads it
	retries chan retryNoticeMsg // filled by request goroutines, never blocking
	active  map[int]bool        // requests not yet answered
	nextReq int
	notice  *retryNotice   // the retry the status bar shows, nil when none
	writes  map[int]string // writes in flight by request: "save", "delete"
}

func newRequestTracker(now func() time.Time) *requestTracker {
	return &requestTracker{now: now, retries: make(chan retryNoticeMsg, 16), active: map[int]bool{}, writes: map[int]string{}}
}

// retryNoticeMsg is one retry report of the request numbered req.
type retryNoticeMsg struct {
	req   int
	event crm.RetryEvent
	at    time.Time // when the transport started waiting
}

// requestDoneMsg wraps a tracked request's answer, so the root can clear
// its retry notice before the answer goes on to its view.
type requestDoneMsg struct {
	req int
	msg tea.Msg
}

// retryTickMsg redraws the countdown once a second.
type retryTickMsg struct{}

// retryNotice is what the status bar shows while a request waits to retry.
type retryNotice struct {
	req   int
	event crm.RetryEvent
	until time.Time
}

// request runs fn under ctx with retry reports, as one tracked request.
// Call it from Update (it numbers the request).
func (c *requestTracker) request(ctx context.Context, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	rctx, req := c.track(ctx)
	return func() tea.Msg {
		return requestDoneMsg{req: req, msg: fn(rctx)}
	}
}

// write runs fn as a tracked request that changes the provider (what is
// "save" or "delete"): quitting waits for it rather than cancelling it.
func (c *requestTracker) write(ctx context.Context, what string, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	rctx, req := c.track(ctx)
	c.writes[req] = what
	return func() tea.Msg {
		return requestDoneMsg{req: req, msg: fn(rctx)}
	}
}

// writing is what the writes in flight do ("save", "delete", "write" for
// both), "" when none.
func (c *requestTracker) writing() string {
	what := ""
	for _, w := range c.writes {
		if what != "" && what != w {
			return "write"
		}
		what = w
	}
	return what
}

// track numbers a request and returns its reporting context; the caller
// ends it with done (request does this itself).
func (c *requestTracker) track(ctx context.Context) (context.Context, int) {
	c.nextReq++
	req := c.nextReq
	c.active[req] = true
	ch, now := c.retries, c.now
	return crm.WithRetryNotify(ctx, func(e crm.RetryEvent) {
		select { // never block the request; a dropped report is superseded
		case ch <- retryNoticeMsg{req: req, event: e, at: now()}:
		default:
		}
	}), req
}

// requestDone forgets a finished request and its notice.
func (c *requestTracker) done(req int) {
	delete(c.active, req)
	delete(c.writes, req)
	if c.notice != nil && c.notice.req == req {
		c.notice = nil
	}
}

// listenRetries waits for the next retry report; the root re-issues it
// after each one, for the life of the program.
func listenRetries(ctx context.Context, ch <-chan retryNoticeMsg) tea.Cmd {
	return func() tea.Msg {
		select {
		case n := <-ch:
			return n
		case <-ctx.Done():
			return nil
		}
	}
}

func retryTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return retryTickMsg{} })
}

// onRetryNotice shows a report unless its request already finished.
func (m *Model) onRetryNotice(n retryNoticeMsg) tea.Cmd {
	rt := m.c.requests
	next := listenRetries(m.c.ctx, rt.retries)
	if !rt.active[n.req] {
		return next
	}
	ticking := rt.notice != nil
	rt.notice = &retryNotice{req: n.req, event: n.event, until: n.at.Add(n.event.Wait)}
	if ticking {
		return next
	}
	return tea.Batch(next, retryTick())
}

// retryText is the status bar's notice about provider who, "" when no
// request waits.
func (c *requestTracker) retryText(who string, now time.Time) string {
	n := c.notice
	if n == nil {
		return ""
	}
	left := n.until.Sub(now)
	secs := int((left + time.Second - 1) / time.Second)
	if secs < 0 {
		secs = 0
	}
	who = clean(who)
	what := "rate limited by " + who
	if n.event.Status != 429 {
		what = who + ": " + clean(n.event.Reason)
	}
	if secs == 0 {
		return fmt.Sprintf("%s, retrying now (attempt %d)", what, n.event.Attempt+1)
	}
	return fmt.Sprintf("%s, retrying in %ds (attempt %d)", what, secs, n.event.Attempt+1)
}
