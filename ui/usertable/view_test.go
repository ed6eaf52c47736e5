package usertable

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
)

// checkFrame asserts what the terminal relies on: exactly h lines, each
// exactly w cells wide, whatever the text in them.
func checkFrame(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := lipgloss.Width(l); got != w && l != "" {
			t.Errorf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}

func TestView(t *testing.T) {
	awkward := []crm.User{
		{ID: "1", Name: "王芳", Email: "wang@example.com", Title: "销售经理", Status: "active", UpdatedAt: "2024-05-01T00:00:00Z"},
		{ID: "2", Name: "Adébáyọ̀ Olúwaseun", Email: "ade@example.com", Title: "Solutions Engineer", Status: "active"},
		{ID: "3", Name: "Jose\u0301 Decomposed", Email: "jose@example.com", Title: "Sales Manager", Status: "inactive"},
		{ID: "4", Name: "佐藤 美咲 (東京オフィス営業部長代理)", Email: "misaki.sato.very.long.address@example.co.jp", Title: "部長", Status: "active"},
		{ID: "5", Name: "Evil\x1b[31mRed\x1b]0;pwned\x07 Name", Email: "evil@example.com\nnext", Title: "\u202eReversed", Status: "active"},
		{ID: "6", Name: "Zoë 🙂 Emoji", Email: "zoe@example.com", Title: "Account Executive", Status: "active"},
	}
	for _, tc := range []struct {
		name  string
		users []crm.User
		w, h  int
		setup func(t *testing.T, m Model) Model
	}{
		{"first_rows", people(200), 100, 8, nil},
		{"scrolled_to_end", people(200), 100, 8, func(t *testing.T, m Model) Model { return press(m, "G", "up", "up") }},
		{"narrowed", people(200), 100, 8, func(t *testing.T, m Model) Model {
			return press(typeQuery(t, m, "ada sales"), "down")
		}},
		{"no_match", people(200), 100, 5, func(t *testing.T, m Model) Model { return typeQuery(t, m, "nobody at all") }},
		{"empty", nil, 60, 4, nil},
		{"wide_and_combining", awkward, 100, 8, func(t *testing.T, m Model) Model { return press(m, "down") }},
		{"wide_narrow_terminal", awkward, 44, 8, nil},
		{"very_narrow_terminal", people(20), 24, 4, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTable(tc.users, tc.w, tc.h)
			if tc.setup != nil {
				m = tc.setup(t, m)
			}
			v := m.View()
			checkFrame(t, v, tc.w, tc.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// With colours on, matches are highlighted inside the visible cells, and the
// selected row carries its own style with the match style over it.
func TestViewHighlightsMatches(t *testing.T) {
	users := []crm.User{
		{ID: "1", Name: "José García", Email: "jose@example.com", Status: "active"},
		{ID: "2", Name: "Jose\u0301 Decomposed", Email: "jd@example.com", Status: "active"},
	}
	m := New(listColumns(), testStyles(termenv.ANSI256))
	m.SetSize(80, 3)
	m.SetUsers(users)
	m = typeQuery(t, m, "jose")
	v := m.View()
	checkFrame(t, v, 80, 3)
	golden.RequireEqualEscape(t, []byte(v), true)
}
