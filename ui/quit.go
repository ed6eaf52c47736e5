package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// Quitting never silently loses work: unsaved edits need a yes, and a save
// or delete in flight is never cancelled by q or ctrl+c. The admin can
// choose to quit once it is done; only a second, explicit ctrl+c while
// waiting abandons it.

// quitQuestion is what the message line asks before quitting.
type quitQuestion int

const (
	askNothing quitQuestion = iota
	askDirty                // an edit has unsaved changes
	askWrite                // a save or delete is in flight
)

// requestQuit is q or ctrl+c: quit, or ask first.
func (m *Model) requestQuit() tea.Cmd {
	switch {
	case m.c.requests.writing() != "":
		m.askQuit = askWrite
		return nil
	case m.dirty():
		m.askQuit = askDirty
		return nil
	}
	return m.quit()
}

// answerQuit takes the answer to the quit question; anything but y stays.
func (m *Model) answerQuit(msg tea.KeyMsg) tea.Cmd {
	q := m.askQuit
	m.askQuit = askNothing
	if msg.String() != "y" && msg.String() != "Y" {
		return nil
	}
	switch {
	case m.c.requests.writing() != "":
		m.quitWhenDone = true
		return nil
	case q == askWrite:
		return m.requestQuit() // it finished meanwhile; unsaved edits still ask
	}
	return m.quit()
}

// whileFinishing takes keys while waiting for the writes to end before
// quitting: esc or n stays, ctrl+c abandons the writes and quits now.
func (m *Model) whileFinishing(msg tea.KeyMsg) tea.Cmd {
	switch msg.String() {
	case "ctrl+c":
		return m.quit()
	case "esc", "n", "N":
		m.quitWhenDone = false
		return notice("not quitting")
	}
	return nil
}

// afterWrite quits once the last write the admin was waiting for is done,
// unless it failed: then the admin stays to read why (the view shows it).
func (m *Model) afterWrite(result tea.Msg) tea.Cmd {
	if !m.quitWhenDone {
		return nil
	}
	failed := false
	switch r := result.(type) {
	case saveResultMsg:
		failed = r.err != nil
	case deleteResultMsg:
		failed = r.err != nil
	}
	if failed {
		m.quitWhenDone = false
		return nil
	}
	if m.c.requests.writing() != "" {
		return nil
	}
	return m.quit()
}

// quitLine is the message line while quitting waits for an answer or a
// write, "" otherwise.
func (m *Model) quitLine() string {
	s := m.c.Styles
	switch {
	case m.quitWhenDone:
		return s.Notice.Render("finishing " + m.c.requests.writing() + "… then quitting · esc: stay · ctrl+c: abandon it and quit")
	case m.askQuit == askWrite:
		what := m.c.requests.writing()
		if what == "" {
			what = "save"
		}
		return s.Error.Render("A " + what + " is in progress — quit when it is done? (y/N)")
	case m.askQuit == askDirty:
		return s.Error.Render("You have unsaved edits. Quit anyway? (y/N)")
	}
	return ""
}
