package usertable

import (
	"math/rand/v2"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/match"
	"github.com/roster-tui/roster/ui/termtext"
)

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "pgdown":
			msg = tea.KeyMsg{Type: tea.KeyPgDown}
		case "pgup":
			msg = tea.KeyMsg{Type: tea.KeyPgUp}
		case "home":
			msg = tea.KeyMsg{Type: tea.KeyHome}
		case "end":
			msg = tea.KeyMsg{Type: tea.KeyEnd}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m, _ = m.Update(msg)
	}
	return m
}

func selectedID(t *testing.T, m Model) string {
	t.Helper()
	u, ok := m.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return u.ID
}

func TestKeysMoveTheCursorWithinTheRows(t *testing.T) {
	m := newTable(people(100), 80, 11) // 10 body rows
	for _, step := range []struct {
		keys []string
		want int
	}{
		{[]string{"down", "j", "j"}, 3},
		{[]string{"k"}, 2},
		{[]string{"pgdown"}, 12},
		{[]string{"pgup", "pgup"}, 0},
		{[]string{"up"}, 0},
		{[]string{"G"}, 99},
		{[]string{"down"}, 99},
		{[]string{"g"}, 0},
		{[]string{"end"}, 99},
		{[]string{"home"}, 0},
	} {
		m = press(m, step.keys...)
		if m.Cursor() != step.want {
			t.Fatalf("after %v: cursor %d, want %d", step.keys, m.Cursor(), step.want)
		}
	}
}

func TestNearEndTellsWhenToFetchTheNextPage(t *testing.T) {
	m := newTable(people(50), 80, 11)
	m = press(m, "pgdown", "pgdown", "pgdown") // row 30
	if m.NearEnd(10) {
		t.Error("NearEnd(10) at row 30 of 50")
	}
	m = press(m, "pgdown") // row 40
	if !m.NearEnd(10) {
		t.Error("not NearEnd(10) at row 40 of 50")
	}
	m.Append(people(100)[50:])
	if m.NearEnd(10) || m.Cursor() != 40 {
		t.Errorf("after the next page: cursor %d, NearEnd %v", m.Cursor(), m.NearEnd(10))
	}
}

func TestUpsertReplacesTheRowInPlace(t *testing.T) {
	users := people(30)
	m := newTable(users, 80, 11)
	m = press(m, "down", "down", "down", "down", "down") // users[5]
	edited := users[5]
	edited.Title = "Chief Edited Officer"
	m.Upsert(edited)
	if got := selectedID(t, m); got != users[5].ID || m.Cursor() != 5 || m.Total() != 30 {
		t.Fatalf("after Upsert: cursor %d on %s, %d held", m.Cursor(), got, m.Total())
	}
	if u, _ := m.Selected(); u.Title != "Chief Edited Officer" {
		t.Errorf("row shows title %q", u.Title)
	}
	m = typeQuery(t, m, "chief edited")
	if m.Len() != 1 || selectedID(t, m) != users[5].ID {
		t.Fatalf("the edit is not searchable: %d rows", m.Len())
	}
	// an edit that no longer matches the query leaves the narrowed rows
	edited.Title = "Plain"
	m.Upsert(edited)
	if m.Len() != 0 {
		t.Errorf("a row that no longer matches is still shown")
	}
	m = typeQuery(t, m, "")
	if m.Len() != 30 {
		t.Errorf("clearing the query shows %d rows", m.Len())
	}
}

func TestUpsertKeepsTheCursorOnTheSelectedUser(t *testing.T) {
	users := people(30)
	m := newTable(users, 80, 11)
	m = typeQuery(t, m, "example")
	m = press(m, "down", "down", "down")
	sel := selectedID(t, m)
	other := users[0]
	other.Name = "Renamed First"
	m.Upsert(other)
	if selectedID(t, m) != sel {
		t.Errorf("cursor moved to %s after another user changed", selectedID(t, m))
	}
	m.Upsert(crm.User{ID: "brand-new", Name: "New Person", Email: "new@example.com"})
	if m.Total() != 31 || selectedID(t, m) != sel {
		t.Errorf("upsert of a new id: %d held, cursor on %s", m.Total(), selectedID(t, m))
	}
}

func TestRemoveKeepsTheCursorPosition(t *testing.T) {
	users := people(30)
	m := newTable(users, 80, 11)
	m = press(m, "down", "down", "down", "down", "down") // users[5]
	m.Remove(users[5].ID)
	if m.Total() != 29 || m.Len() != 29 {
		t.Fatalf("after Remove: %d held, %d shown", m.Total(), m.Len())
	}
	if m.Cursor() != 5 || selectedID(t, m) != users[6].ID {
		t.Errorf("removing the selected user: cursor %d on %s, want 5 on %s", m.Cursor(), selectedID(t, m), users[6].ID)
	}
	m.Remove(users[1].ID) // above the cursor: stay on the same user
	if selectedID(t, m) != users[6].ID || m.Cursor() != 4 {
		t.Errorf("removing a user above: cursor %d on %s", m.Cursor(), selectedID(t, m))
	}
	m = press(m, "G")
	m.Remove(users[29].ID) // the last one: cursor moves up to the new last row
	if selectedID(t, m) != users[28].ID {
		t.Errorf("removing the last row: cursor on %s", selectedID(t, m))
	}
	m = typeQuery(t, m, users[6].Email)
	if m.Len() != 1 {
		t.Fatalf("query %q: %d rows", users[6].Email, m.Len())
	}
	m.Remove(users[6].ID)
	if m.Len() != 0 {
		t.Errorf("a removed user is still shown while narrowed")
	}
	m = typeQuery(t, m, "")
	if m.Len() != 26 {
		t.Errorf("cleared query shows %d rows, want 26", m.Len())
	}
}

func TestSetUsersKeepsTheCursorOnTheSameUser(t *testing.T) {
	users := people(40)
	m := newTable(users, 80, 11)
	m = press(m, "pgdown", "down") // users[11]
	// a refresh returns the same users with two new ones first
	fresh := append([]crm.User{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}, users...)
	m.SetUsers(fresh)
	if selectedID(t, m) != users[11].ID || m.Cursor() != 13 {
		t.Errorf("after SetUsers: cursor %d on %s, want 13 on %s", m.Cursor(), selectedID(t, m), users[11].ID)
	}
	m.SetUsers(users[:5])
	if m.Cursor() != 4 {
		t.Errorf("selected user gone: cursor %d, want the last row 4", m.Cursor())
	}
}

func TestDuplicateIDsAcrossPagesAreNotShownTwice(t *testing.T) {
	users := people(20)
	m := newTable(users[:10], 80, 11)
	again := users[8:20] // the next page overlaps by two (a user was added upstream)
	again[0].Title = "Updated Meanwhile"
	m.Append(again)
	if m.Total() != 20 || m.Len() != 20 {
		t.Fatalf("%d held, %d shown; want 20", m.Total(), m.Len())
	}
	m = typeQuery(t, m, "updated meanwhile")
	if m.Len() != 1 || selectedID(t, m) != users[8].ID {
		t.Errorf("the overlapping user was not updated in place: %d rows", m.Len())
	}
}

// TestFolderIsCleanThenFold checks the row build's fast paths (fold.go):
// a folder's cell and key are termtext.Clean's and match.AppendFold's, for
// plain ASCII (every length around the eight-byte steps, every printable
// byte), other scripts, controls, escape sequences and invalid UTF-8, with
// and without remembered folds, and the second time a rune is met.
func TestFolderIsCleanThenFold(t *testing.T) {
	cases := []string{
		"", "A", "Ada Lovelace", "ADA.LOVELACE@EXAMPLE.COM", "2024-09-26", "@[`{ AZaz09~",
		"Siân Łukasz Øyvind Ærø ßtraße ½ ǅ", "王芳 김민준 Ἀθηνᾶ Иван", "S\u0326 e\u0301 Ș é",
		"\ufffd", "\xff", "abcdefg\xc3", "\xed\xa0\x80", "a\x00b", "abcdefgh\x7fijk", "a\u0085b",
		"a\u2028b", "a\u202eb", "Walter\r\nWhite\tSr.", "\x1b[31mRED\x1b[0m ok", "x\u009d52;c;y\u009cz",
		"Mallory\x1b]52;c;Y3VybA==\x07 Smith", "ABCDEFGH\x1bIJ", "MIXED é ASCII TAIL",
	}
	var b strings.Builder
	for c := 0x20; c < 0x7f; c++ {
		b.WriteByte(byte(c))
	}
	cases = append(cases, b.String())
	var many strings.Builder // more runes than a folder keeps in its map
	for r := rune(0x4e00); r < 0x4e00+maxMore+100; r++ {
		many.WriteRune(r)
	}
	cases = append(cases, many.String())
	for n := 1; n <= 20; n++ {
		cases = append(cases, strings.Repeat("Zz@[", 5)[:n], strings.Repeat("a", n-1)+"\x01", strings.Repeat("B", n-1)+"é")
	}
	rng := rand.New(rand.NewPCG(14, 14))
	alphabet := []string{"a", "Z", "@", " ", "~", "\x7f", "\x1b", "[", "]", "\x07", "é", "E\u0301", "ß",
		"Ø", "ǅ", "½", "王", "김", "\u0326", "\u202e", "\u2028", "\u0085", "\u009b", "\xff", "\xc3", "\t", "\r\n"}
	for range 2000 {
		var s strings.Builder
		for range rng.IntN(24) {
			s.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, s.String())
	}
	remembering := newFolder()
	for pass := 0; pass < 2; pass++ {
		for _, in := range cases {
			wantCell := termtext.Clean(in)
			wantKey := match.AppendFold([]byte("k\x00"), wantCell)
			for _, f := range []folder{{}, remembering} {
				cell, key := f.cleanFold([]byte("k\x00"), in)
				if cell != wantCell || string(key) != string(wantKey) {
					t.Fatalf("cleanFold(%q) = %q, %q; want %q, %q", in, cell, key, wantCell, wantKey)
				}
			}
		}
	}
}
