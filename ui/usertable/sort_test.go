package usertable

import (
	"fmt"
	"slices"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

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

// The prefix shortcut must agree with the full comparison everywhere.
func TestPrefixAgreesWithCompare(t *testing.T) {
	vals := []string{"", "a", "ab", "ab ", "ab-", "ab1", "ab2", "ab10", "ab 1", "abcdefgh", "abcdefgh2", "abcdefgh10",
		"abcdefg9", "abcdefg10", "item 2", "item 10", "item -", "item a", "1", "01", "2", "10", "a1b", "a01c", "zz", "é"}
	for _, x := range vals {
		for _, y := range vals {
			a, b := []byte(x), []byte(y)
			pa, pb := prefix(a), prefix(b)
			full := compareFolded(a, b)
			if pa < pb && full >= 0 || pa > pb && full <= 0 {
				t.Errorf("%q vs %q: prefixes say %v, compare says %d", x, y, pa < pb, full)
			}
		}
	}
}

// The sort's 16-byte entries order exactly as compareFolded does, digits
// and lengths included.
func TestSortEntriesOrderAsCompareFolded(t *testing.T) {
	keys := []string{"a9", "a1bcdefghij", "a10000000000", "a1", "a1x", "a99999999999", "abcdefgh", "abcdefgh1",
		"abcdefghi", "abc", "ada lovelace", "ada lovelace", "ada lovelace x", "ada lovelacey and more", "item 2", "item 10",
		"item 02", "2021-04-07t10:00:00z", "2021-04-07t9:00:00z", "", "z", "zz9", "zz10"}
	ts := &sorter{keys: make([][]byte, len(keys))}
	for i, k := range keys {
		ts.keys[i] = []byte(k)
	}
	sign := func(c int) int { return cmpInt(c, 0) }
	for i := range keys {
		for j := range keys {
			a, b := newSortEntry(ts.keys[i], int32(i)), newSortEntry(ts.keys[j], int32(j))
			if got, want := sign(ts.cmpEntries(a, b)), sign(compareFolded(ts.keys[i], ts.keys[j])); got != want {
				t.Errorf("%q vs %q: entries say %d, compareFolded %d", keys[i], keys[j], got, want)
			}
			// the common-start shortcut agrees with the plain walk
			if got, want := sign(compareFolded(ts.keys[i], ts.keys[j])), sign(compareDigits(ts.keys[i], ts.keys[j])); got != want {
				t.Errorf("%q vs %q: compareFolded says %d, the walk %d", keys[i], keys[j], got, want)
			}
		}
	}
}
