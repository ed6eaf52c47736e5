package usertable

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
)

func named(names ...string) []crm.User {
	us := make([]crm.User, len(names))
	for i, n := range names {
		us[i] = crm.User{ID: fmt.Sprint(i + 1), Name: n, Email: fmt.Sprintf("u%d@example.com", i+1)}
	}
	return us
}

func shownNames(m Model) []string {
	var out []string
	for _, i := range m.shown() {
		out = append(out, m.store.user(i).Name)
	}
	return out
}

func TestSortIsAccentAndCaseAware(t *testing.T) {
	m := newTable(named("zoë", "Émile", "adam", "Zoe", "emile", "Bob", "item 10", "item 2"), 100, 12)
	m.SortBy(SortOrder{Col: 0})
	want := []string{"adam", "Bob", "emile", "Émile", "item 2", "item 10", "Zoe", "zoë"}
	if got := shownNames(m); !slices.Equal(got, want) {
		t.Fatalf("ascending:\n got %q\nwant %q", got, want)
	}
	m.SortBy(SortOrder{Col: 0, Desc: true})
	slices.Reverse(want)
	if got := shownNames(m); !slices.Equal(got, want) {
		t.Fatalf("descending:\n got %q\nwant %q", got, want)
	}
	m.SortBy(Unsorted)
	if got := shownNames(m); got[0] != "zoë" || got[7] != "item 2" {
		t.Fatalf("unsorted is load order, got %q", got)
	}
}

func TestSortIsStable(t *testing.T) {
	us := named("b", "a", "b", "a", "b")
	for i := range us {
		us[i].Title = "same"
	}
	m := newTable(us, 100, 8)
	m.SortBy(SortOrder{Col: 2})
	if got := shownIDs(m); !slices.Equal(got, []string{"1", "2", "3", "4", "5"}) {
		t.Fatalf("equal values must keep load order, got %v", got)
	}
	m.SortBy(SortOrder{Col: 2, Desc: true})
	if got := shownIDs(m); !slices.Equal(got, []string{"1", "2", "3", "4", "5"}) {
		t.Fatalf("equal values keep load order descending too, got %v", got)
	}
}

func TestSortFollowsEditsAndFilters(t *testing.T) {
	m := newTable(named("delta", "alpha", "charlie"), 100, 8)
	m.SortBy(SortOrder{Col: 0})
	m = press(m, "down") // on charlie
	m.Append([]crm.User{{ID: "9", Name: "bravo"}, {ID: "8", Name: "echo"}})
	if got := shownNames(m); !slices.Equal(got, []string{"alpha", "bravo", "charlie", "delta", "echo"}) {
		t.Fatalf("appended rows go where they sort, got %q", got)
	}
	if u, _ := m.Selected(); u.Name != "charlie" {
		t.Fatalf("cursor left charlie for %q", u.Name)
	}
	m.Upsert(crm.User{ID: "2", Name: "zulu"})
	if got := shownNames(m); !slices.Equal(got, []string{"bravo", "charlie", "delta", "echo", "zulu"}) {
		t.Fatalf("an edited row moves, got %q", got)
	}
	m.Remove("3")
	if got := shownNames(m); !slices.Equal(got, []string{"bravo", "delta", "echo", "zulu"}) {
		t.Fatalf("a removed row goes, got %q", got)
	}
	m = typeQuery(t, m, "l") // delta (its email), zulu
	if got := shownNames(m); !slices.Equal(got, []string{"delta", "zulu"}) {
		t.Fatalf("a filter shows its rows in sort order, got %q", got)
	}
	m.SortBy(SortOrder{Col: 0, Desc: true})
	if got := shownNames(m); !slices.Equal(got, []string{"zulu", "delta"}) {
		t.Fatalf("reversed filter, got %q", got)
	}
	m = typeQuery(t, m, "zz")
	m.SetUsers(named("b", "c", "a"))
	if got := shownNames(m); len(got) != 0 {
		t.Fatalf("the filter still applies after a reload, got %q", got)
	}
	m = typeQuery(t, m, "")
	if got := shownNames(m); !slices.Equal(got, []string{"c", "b", "a"}) {
		t.Fatalf("a reload stays sorted, got %q", got)
	}
}

func TestSortedView(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		by   SortOrder
	}{
		{"by_name", 120, 10, SortOrder{Col: 0}},
		{"by_updated_desc", 120, 10, SortOrder{Col: 4, Desc: true}},
		{"narrow", 40, 10, SortOrder{Col: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTable(people(200), tc.w, tc.h)
			m.SortBy(tc.by)
			v := m.View()
			checkFrame(t, v, tc.w, tc.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// natKey's bytes order keys as compareFolded does, digits and lengths
// included, and equal complete encodings are equal keys.
func TestNatKeyOrdersAsCompareFolded(t *testing.T) {
	keys := []string{"", "a", "ab", "ab ", "ab-", "ab1", "ab2", "ab10", "ab 1", "abcdefgh", "abcdefgh2", "abcdefgh10",
		"abcdefg9", "abcdefg10", "item 2", "item 10", "item -", "item a", "item 02", "1", "01", "2", "10", "0", "00", "a1b",
		"a01c", "zz", "zz9", "zz10", "é", "a9", "a1bcdefghij", "a10000000000", "a1", "a1x", "a99999999999", "a999999999",
		"a100000000", "a12345678", "a012345678", "abcdefghi", "abc", "ada lovelace", "ada lovelacex", "ada lovelace x",
		"ada lovelacey and more", "2021-04-07t10:00:00z", "2021-04-07t9:00:00z", "2021-04-07", "2021-4-7", "2021-04-08",
		"z", "ab\x00", "ab\x00c", "abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmn1", "abcdefghijklmn12",
		"abcdefghijklm12", "abcdefghijklm/", "abcdefghijklm:", "x123456789", "x1234567890", "x/", "x:", "é1", "éa"}
	sign := func(c int) int { return cmp.Compare(c, 0) }
	for _, x := range keys {
		for _, y := range keys {
			a, b := []byte(x), []byte(y)
			ah, al := natKey(a)
			bh, bl := natKey(b)
			enc := sign(cmp.Compare(cmp.Compare(ah, bh)*2+cmp.Compare(al, bl), 0))
			full := sign(compareFolded(a, b))
			if enc != 0 && enc != full {
				t.Errorf("%q vs %q: encodings say %d, compareFolded %d", x, y, enc, full)
			}
			if enc == 0 && al&0xff == 0 && full != 0 {
				t.Errorf("%q vs %q: equal complete encodings, compareFolded %d", x, y, full)
			}
			// the common-start shortcut agrees with the plain walk
			if walk := sign(compareDigits(a, b)); walk != full {
				t.Errorf("%q vs %q: compareFolded says %d, the walk %d", x, y, full, walk)
			}
		}
	}
}

// refOrder is the plain comparison sort the radix sort must agree with:
// every live row's folded value compared by t.cmp (folded keys, numbers by
// value, collation for values that fold alike, load order for equal ones).
func refOrder(m Model, o SortOrder) []int32 {
	t := newSorter(o, m.cols)
	t.rows = m.store
	n := m.store.rows()
	// every value folded on its own, not read from the search keys
	t.pre, t.keys = make([]uint64, n), make([][]byte, n)
	var live []int32
	for i := range int32(n) {
		t.refreshKey(i)
		if !m.store.dead[i] {
			live = append(live, i)
		}
	}
	slices.SortFunc(live, t.cmp)
	return live
}

// sortCases are values meant to catch the radix sort out: equal encodings
// that differ later, long common starts, numbers of every length with and
// without leading zeros, spellings that fold alike, empty values.
func sortCases(r *rand.Rand, n int) []string {
	stems := []string{"", "a", "ada lovelace", "Ada Lovelace", "ÁDA LOVELACE", "ada lovelac", "abcdefghijklmno",
		"abcdefghijklmnopq", "abcdefghijklmnopr", "item ", "item 0", "2021-04-07T10:00:", "x", "é", "Émile", "emile",
		"Zoë", "zoe", "ß", "ss", "王", "a-b", "a b", "a/b", "a:b", "지훈 ", "지훈 eze", "美咲 佐藤", "abcdefghijklmn",
		"abcdefghijklm 1", strings.Repeat("a long common start ", 3), strings.Repeat("a long common start ", 3) + "Ä", strings.Repeat("a long common start ", 5),
		"a\x00b", "a\x00"}
	out := make([]string, n)
	for k := range out {
		s := stems[r.IntN(len(stems))]
		switch r.IntN(5) {
		case 0: // a number of any length, maybe with leading zeros
			s += strings.Repeat("0", r.IntN(3)) + fmt.Sprint(r.Int64N(1<<r.IntN(50)))
		case 1: // a tail past the encoded bytes
			s += strings.Repeat("z", r.IntN(3)) + string(rune('a'+r.IntN(3)))
		case 2: // a number then more text
			s += fmt.Sprint(r.IntN(200)) + []string{"", "a", " 5", "-07", "9"}[r.IntN(5)]
		}
		out[k] = s
	}
	return out
}

// The radix sort, its ties and the linear reverse give the order of the
// plain comparison sort, ascending and descending, for a cell (its part of
// the search key) and for a SortValue (folded on its own).
func TestRadixSortAgreesWithComparisonSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		n := 50 + r.IntN(400)
		if round == 0 { // groups large enough to be radix-sorted again
			n = 5000
		}
		vals := sortCases(r, n)
		us := named(vals...)
		for i := range us {
			us[i].UpdatedAt = vals[len(vals)-1-i]
		}
		cols := []Column{
			{Title: "Name", Width: 10, Value: func(u *crm.User) string { return u.Name }},
			{Title: "Updated", Width: 10, Value: func(u *crm.User) string { return "same" },
				SortValue: func(u *crm.User) string { return u.UpdatedAt }},
		}
		m := New(cols, testStyles(termenv.Ascii))
		m.SetSize(40, 10)
		m.SetUsers(us)
		if round%2 == 1 { // removed rows are left out
			for k := 0; k < len(us); k += 7 {
				m.Remove(us[k].ID)
			}
		}
		for _, o := range []SortOrder{{Col: 0}, {Col: 0, Desc: true}, {Col: 1}, {Col: 1, Desc: true}} {
			s := newSorter(o, m.cols)
			s.rebuild(m.store)
			want := refOrder(m, o)
			if !slices.Equal(s.order, want) {
				t.Fatalf("round %d, %v: radix order differs from the comparison sort\n got %v\nwant %v", round, o, s.order, want)
			}
			back := SortOrder{Col: o.Col, Desc: !o.Desc}
			s.reverse(back.Desc)
			if want := refOrder(m, back); !slices.Equal(s.order, want) {
				t.Fatalf("round %d, %v reversed: differs from the comparison sort", round, o)
			}
			s.reverse(o.Desc)
			if !slices.Equal(s.order, want) {
				t.Fatalf("round %d, %v reversed twice: differs from the comparison sort", round, o)
			}
		}
	}
}
