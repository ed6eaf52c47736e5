package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// [keys] remaps the list's sort and the table's movement: the new keys
// act, the old one no longer does, and help and : show the new keys.
func TestRemappedKeysActAndShowInHelp(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, Bindings: map[string][]string{
		"next-sort-column": {"o"},
		"down":             {"ctrl+n", "j"},
	}})
	d.waitFor("of 120")
	d.key("s") // no longer bound
	if v := d.m.View(); strings.Contains(v, "Name ↑") {
		t.Fatalf("s still sorts after remapping next-sort-column to o:\n%s", v)
	}
	d.key("o")
	d.waitFor("Name ↑")
	d.apply(tea.KeyMsg{Type: tea.KeyCtrlN})
	if got := d.m.(*Model).top().(*listView).table.Cursor(); got != 1 {
		t.Errorf("ctrl+n moved the cursor to row %d, want 1", got)
	}
	d.key("?")
	help := regexp.MustCompile(` +`).ReplaceAllString(d.waitFor("next sort column"), " ")
	for _, want := range []string{"o next sort column", "ctrl+n/j down"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}

func TestCheckBindings(t *testing.T) {
	tests := []struct {
		name string
		keys map[string][]string
		want []string // each error's text, in order
	}{
		{"fine", map[string][]string{"load-all": {"ctrl+l"}, "refresh": {"R", "f5"}}, nil},
		{"swap", map[string][]string{"load-all": {"r"}, "refresh": {"L"}}, nil},
		{"conflict with a default", map[string][]string{"load-all": {"r"}},
			[]string{"keys: load-all and refresh are both bound to r in the list"}},
		{"conflict with a global key", map[string][]string{"edit": {"q"}},
			[]string{"keys: quit and edit are both bound to q in the detail"}},
		{"two remapped", map[string][]string{"copy-cell": {"c"}, "create-user": {"c"}},
			[]string{"keys: copy-cell and create-user are both bound to c in the list"}},
		{"conflict in the column chooser", map[string][]string{"default-columns": {"x"}},
			[]string{"keys: show-hide-column and default-columns are both bound to x in the column chooser"}},
		{"a form's own key", map[string][]string{"next-field": {"ctrl+n"}},
			[]string{"keys.next-field: the forms' own key"}},
		{"unknown action", map[string][]string{"lod-all": {"x"}}, []string{`keys: unknown action "lod-all"`}},
		{"not a key", map[string][]string{"load-all": {"ctrl+shift+banana"}},
			[]string{`keys.load-all: "ctrl+shift+banana" is not a key`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := CheckBindings(tt.keys)
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d errors %v, want %v", len(errs), errs, tt.want)
			}
			for i, e := range errs {
				if !strings.HasPrefix(e.Error(), tt.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s…", i, e, tt.want[i])
				}
			}
		})
	}
}
