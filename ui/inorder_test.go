package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// The UI runs commands in order with inOrder, never tea.Sequence: the
// driver (driver_test.go) steps Update itself and cannot see inside Bubble
// Tea's unexported sequence message, so a tea.Sequence would leave a flow
// half run in tests while the program ran it whole.
func TestUICommandsInOrderAreOurOwn(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "inorder.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "tea.Sequence(") {
			t.Errorf("%s calls tea.Sequence; use inOrder", f)
		}
	}
}

// inOrder's steps reach the root model one at a time and in order, nil
// commands skipped.
func TestInOrderHandlesEachMessageBeforeTheNextCommand(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitIdle()
	var seen []string
	step := func(text string) tea.Cmd {
		return func() tea.Msg {
			seen = append(seen, "run "+text) // the driver ran the previous step first
			return statusMsg{text: text}
		}
	}
	d.apply(inOrderMsg{msg: nil, rest: []tea.Cmd{step("one"), nil, step("two"), step("three")}})
	d.waitFor("three")
	log := d.m.(*Model).c.log
	var shown []string
	for _, e := range log.entries {
		shown = append(shown, e.msg.text)
	}
	if got := strings.Join(seen, ","); got != "run one,run two,run three" {
		t.Errorf("commands ran %s", got)
	}
	if got := strings.Join(shown, ","); !strings.HasSuffix(got, "one,two,three") {
		t.Errorf("messages handled %s", got)
	}
}
