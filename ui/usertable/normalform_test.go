package usertable

import (
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/roster-tui/roster/crm"
)

// Issue 12 item 20: `/` folds accents of every script and gives the same
// rows whether the names are stored NFC or NFD and the query typed either way.
func TestNarrowingIgnoresNormalFormAndEveryScriptsAccents(t *testing.T) {
	names := []string{"Trường Nguyễn", "Dương Văn", "Ștefan Ionescu", "Ion Țiriac", "Jana Nováková", "Сергей Петров", "김민준", "Ada Lovelace"}
	queries := map[string][]string{
		"truong": {"1"}, "duong": {"2"}, "stefan": {"3"}, "tiriac": {"4"}, "novakova": {"5"},
		"ștefan": {"3"}, "сергей": {"6"}, "김": {"7"}, "țiriac": {"4"}, "nováková": {"5"},
	}
	for _, stored := range []norm.Form{norm.NFC, norm.NFD} {
		users := make([]crm.User, len(names))
		for i, n := range names {
			users[i] = crm.User{ID: string(rune('1' + i)), Name: stored.String(n)}
		}
		m := newTable(users, 80, 10)
		for q, want := range queries {
			for _, typed := range []norm.Form{norm.NFC, norm.NFD} {
				m = typeQuery(t, m, typed.String(q))
				if got := shownIDs(m); !slices.Equal(got, want) {
					t.Errorf("stored form %v, query %q in form %v: shows %v, want %v", stored, q, typed, got, want)
				}
			}
		}
	}
}
