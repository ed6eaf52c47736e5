package usertable

import (
	"fmt"
	"slices"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
)

func markedIDs(m Model) []string {
	var ids []string
	for _, u := range m.MarkedUsers() {
		ids = append(ids, u.ID)
	}
	return ids
}

func TestToggleAndRangeMarks(t *testing.T) {
	m := newTable(people(50), 80, 11)
	if on := m.ToggleMark(); !on || m.Marked() != 1 {
		t.Fatalf("toggle: on=%v marked=%d", on, m.Marked())
	}
	m = press(m, "down", "down", "down")
	if n := m.MarkRange(); n != 3 {
		t.Fatalf("range marked %d, want 3 (rows 1-3)", n)
	}
	want := []string{people(4)[0].ID, people(4)[1].ID, people(4)[2].ID, people(4)[3].ID}
	if got := markedIDs(m); !slices.Equal(got, want) {
		t.Fatalf("marked %v, want %v", got, want)
	}
	// a range from the new anchor (row 3) upwards
	m = press(m, "down", "down")
	m.ToggleMark() // row 5 marked, anchor 5
	m = press(m, "up")
	m.MarkRange() // row 4..5
	if m.Marked() != 6 {
		t.Fatalf("marked %d, want 6", m.Marked())
	}
	m.ToggleMark() // unmark row 4
	if m.Marked() != 5 || m.IsMarked(people(5)[4].ID) {
		t.Fatalf("unmark: %d marked", m.Marked())
	}
	m.ClearMarks()
	if m.Marked() != 0 || len(m.MarkedUsers()) != 0 {
		t.Fatal("clear left marks")
	}
}

func TestShiftArrowsExtendMarks(t *testing.T) {
	m := newTable(people(20), 80, 11)
	m.MarkMove(1)
	m.MarkMove(1)
	m.MarkMove(-1) // back up: row 1 stays marked, nothing unmarked
	if got := len(markedIDs(m)); got != 3 || m.Cursor() != 1 {
		t.Fatalf("marked %d, cursor %d; want 3, 1", got, m.Cursor())
	}
}

func TestMarkShownMarksOnlyTheFilteredAndCountsHidden(t *testing.T) {
	m := newTable(people(200), 80, 11)
	m = typeQuery(t, m, "ada")
	shown := m.Len()
	if shown == 0 || shown == 200 {
		t.Fatalf("filter shows %d", shown)
	}
	if n := m.MarkShown(); n != shown || m.Marked() != shown {
		t.Fatalf("marked %d (%d), want %d", n, m.Marked(), shown)
	}
	if h := m.MarkedHidden(); h != 0 {
		t.Fatalf("hidden %d with the filter that marked them", h)
	}
	m = typeQuery(t, m, "ada sales")
	if h := m.MarkedHidden(); h != shown-m.Len() {
		t.Fatalf("hidden %d, want %d", h, shown-m.Len())
	}
	m = typeQuery(t, m, "")
	if h := m.MarkedHidden(); h != 0 {
		t.Fatalf("no filter: hidden %d", h)
	}
}

// A reload rebuilds the rows: marks follow users by id; a removed user
// loses its mark.
func TestMarksSurviveReloadAndRemove(t *testing.T) {
	us := people(30)
	m := newTable(us, 80, 11)
	m.Mark(us[3].ID, us[7].ID, us[9].ID)
	m.Remove(us[7].ID)
	if m.Marked() != 2 {
		t.Fatalf("after remove %d marked", m.Marked())
	}
	// the provider now returns them in another order, one of them gone
	re := append([]crm.User{us[9]}, us[10:]...)
	m.SetUsers(re)
	// us[3] is not loaded now but stays marked, counted as hidden
	if got := markedIDs(m); !slices.Equal(got, []string{us[9].ID, us[3].ID}) {
		t.Fatalf("after reload marked %v", got)
	}
	if m.MarkedHidden() != 1 {
		t.Fatalf("hidden %d, want 1 (us[3], not loaded)", m.MarkedHidden())
	}
	// loaded again: marked in its row
	m.Append([]crm.User{us[3]})
	if !m.IsMarked(us[3].ID) || m.MarkedHidden() != 0 || m.Marked() != 2 {
		t.Fatalf("after append: marked %v, hidden %d", markedIDs(m), m.MarkedHidden())
	}
	m.Unmark(us[3].ID, us[9].ID)
	if m.Marked() != 0 {
		t.Fatalf("unmark left %v", markedIDs(m))
	}
}

func TestViewShowsMarks(t *testing.T) {
	for _, size := range [][2]int{{120, 8}, {40, 6}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newTable(people(20), size[0], size[1])
			m.ToggleMark()
			m = press(m, "down", "down")
			m.MarkRange()
			m = press(m, "down")
			v := m.View()
			checkFrame(t, v, size[0], size[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func BenchmarkMarkAllMillion(b *testing.B) {
	m := newTable(people(1_000_000), 120, 40)
	b.ResetTimer()
	for b.Loop() {
		m.ClearMarks()
		m.MarkShown()
	}
}
