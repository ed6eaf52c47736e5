package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm/person"
)

// A person's run (offboard, onboard) reports each step's start and end
// from the step's own goroutine; these bring them to the view, in order,
// through one channel that a listening command drains.
type (
	stepStartMsg struct {
		i    int
		next tea.Cmd
	}
	stepEndMsg struct {
		i    int
		r    person.Result
		next tea.Cmd
	}
	// stepsDoneMsg: every step has ended and been shown.
	stepsDoneMsg struct{}
	stepsSentMsg struct{}
)

// runPersonPlan runs fn (person.Offboard or person.Onboard with its plan)
// as one tracked write ("offboard", "onboard": quitting waits for it), and
// addresses to the view id each step's start and end (by its index in
// plan.Steps, which index finds), then stepsDoneMsg.
func runPersonPlan(c *Common, ctx context.Context, id int, what string, steps int,
	index func(person.Step) int, fn func(ctx context.Context, progress person.Progress)) tea.Cmd {
	ch := make(chan tea.Msg, 2*steps+1)
	run := c.requests.write(ctx, what, func(ctx context.Context) tea.Msg {
		defer close(ch)
		fn(ctx, person.Progress{
			Start: func(s person.Step) { ch <- stepStartMsg{i: index(s)} },
			End:   func(r person.Result) { ch <- stepEndMsg{i: index(r.Step), r: r} },
		})
		return stepsSentMsg{} // the listener says done once it drained every step
	})
	return tea.Batch(address(id, run), address(id, listenSteps(ch)))
}

func listenSteps(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return stepsDoneMsg{}
		}
		switch m := msg.(type) {
		case stepStartMsg:
			m.next = listenSteps(ch)
			return m
		case stepEndMsg:
			m.next = listenSteps(ch)
			return m
		}
		return msg
	}
}

// personSteps is what a view running a person's plan knows of its steps:
// which have started, each one's result, and whether all have ended. The
// offboard and onboard views embed it.
type personSteps struct {
	started map[int]bool
	results map[int]person.Result
	done    bool
}

func newPersonSteps() personSteps {
	return personSteps{started: map[int]bool{}, results: map[int]person.Result{}}
}

// onStep takes a step message addressed to the view id; handled is false
// for any other message.
func (s *personSteps) onStep(id int, msg tea.Msg) (cmd tea.Cmd, handled bool) {
	switch msg := msg.(type) {
	case stepStartMsg:
		s.started[msg.i] = true
		return address(id, msg.next), true
	case stepEndMsg:
		s.results[msg.i] = msg.r
		return address(id, msg.next), true
	case stepsDoneMsg:
		s.done = true
		return nil, true
	}
	return nil, false
}

// resultsList is every ended step's result.
func (s *personSteps) resultsList() []person.Result {
	out := make([]person.Result, 0, len(s.results))
	for _, r := range s.results {
		out = append(out, r)
	}
	return out
}
