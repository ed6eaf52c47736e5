package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

// space, shift+arrows and ctrl+a arrive as their own key types.
func (d *driver) space()     { d.apply(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}) }
func (d *driver) ctrlA()     { d.apply(tea.KeyMsg{Type: tea.KeyCtrlA}) }
func (d *driver) shiftDown() { d.apply(tea.KeyMsg{Type: tea.KeyShiftDown}) }

// Marks show in the table's gutter and the status bar counts them, saying
// how many the filter hides — at 120x40 and at 40x10.
func TestMarksShowInTheTableAndStatusBar(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {40, 10}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			p, _ := newApideck(t)
			d := newDriver(t, p)
			d.apply(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			d.waitIdle()
			d.space() // Ada, and the cursor moves on
			d.space() // Grace
			d.key("down")
			d.key("V") // from Grace (the last mark) to Margaret: Alan and Margaret too
			v := d.waitFor("4 marked")
			if strings.Count(v, "*") < min(4, size[1]-5) {
				t.Errorf("marked rows should carry a *:\n%s", v)
			}
			d.key("/")
			d.typeText("grace")
			d.key("enter")
			v = d.waitFor("hidden by filter")
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// ctrl+a with more pages to load loads them all, then marks every user
// that matches; esc asks before clearing that many.
func TestMarkAllLoadsEveryPageThenEscAsks(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.ctrlA()
	d.waitFor("120 marked")
	d.key("esc")
	d.waitFor("Clear 120 marks?")
	d.key("enter") // Cancel has the focus
	d.waitFor("120 marked")
	d.key("esc")
	d.waitFor("Clear 120 marks?")
	d.key("right")
	d.key("enter")
	v := d.waitFor("marks cleared")
	if strings.Contains(v, "marked") {
		t.Errorf("marks should be gone:\n%s", v)
	}
}

// A few marks go without a question; shift+down extends a run.
func TestShiftDownMarksAndEscClearsFew(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.shiftDown()
	d.shiftDown()
	d.waitFor("3 marked")
	d.key("esc")
	v := d.waitFor("marks cleared")
	if strings.Contains(v, "Clear") || !strings.Contains(v, "of 120") {
		t.Errorf("few marks clear at once, staying in the list:\n%s", v)
	}
}
