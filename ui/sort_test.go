package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

// s sorts what is loaded by the next column, S reverses; the header shows
// the sort, and while pages remain unloaded the status bar says the order
// covers only the loaded users (no provider documents a server sort).
func TestSortCyclesAndReverses(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil))
	d.waitFor("of 120")
	d.key("s")
	v := d.waitFor("Name ↑")
	if !strings.Contains(v, "sorted: loaded users only") {
		t.Errorf("status bar should say the sort covers the loaded users only:\n%s", v)
	}
	d.key("S")
	d.waitFor("Name ↓")
	d.key("s")
	d.waitFor("Email ↑")
	for range 4 { // title, status, updated, then load order
		d.key("s")
	}
	v = d.waitFor("sorted: as loaded")
	if strings.Contains(v, "↑") || strings.Contains(v, "↓") {
		t.Errorf("load order shows no arrow:\n%s", v)
	}
}

func TestSortedListGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {40, 10}} {
		t.Run(sizeName(size.w, size.h), func(t *testing.T) {
			_, url := startSandbox(t)
			d := newDriver(t, apideckAt(url, nil))
			d.apply(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			d.waitFor("of 120")
			d.key("S") // name, descending
			golden.RequireEqual(t, []byte(d.waitFor("sorted by name")))
		})
	}
}

func sizeName(w, h int) string {
	return fmt.Sprintf("%dx%d", w, h)
}
