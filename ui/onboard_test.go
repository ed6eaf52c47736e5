package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/sandbox"
)

// runIDs are the run ids on screen (a time and random hex), masked in goldens.
var runIDs = regexp.MustCompile(`\d{8}T\d{6}Z-[0-9a-f]*`)

// compareMasked compares the screen with goldens at 120x40 and 40x10,
// waiting at each size until it shows want, the run id masked.
func compareMasked(t *testing.T, d *driver, want string) {
	t.Helper()
	for _, size := range []struct{ w, h int }{{120, 40}, {40, 10}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			d.apply(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			masked := runIDs.ReplaceAllStringFunc(d.waitFor(want), func(id string) string {
				return strings.Repeat("X", len(id)) // as wide, so the box keeps its shape
			})
			golden.RequireEqual(t, []byte(masked))
		})
	}
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
}

// n in the picker onboards a new person: the common fields once and the
// providers that can create (Laurel cannot: not offered), then Zoho's role
// and profile chosen by name, one confirmation starting on Cancel, and a
// result per provider — Apideck and Zoho create, the read-only Truto
// account refuses with its own words, and nothing in one depended on
// another. Over real HTTP against the sandbox.
func TestOnboardFromThePickerWithOneProviderRefusing(t *testing.T) {
	srv, url := startSandbox(t)
	sales, crmp := apideckAt(url, nil), zohoAt(t, url, nil)
	ps := []crm.Provider{sales, crmp, trutoAt(t, url, sandbox.TrutoAccountReadOnly), laurelAt(t, url)}
	d := newDriver(t, ps...)
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Choose a provider")
	d.key("n")
	v := d.waitFor("Onboard a new person")
	if strings.Contains(v, "people") {
		t.Errorf("Laurel documents no create, yet is offered:\n%s", v)
	}
	d.waitIdle() // Zoho's roles and profiles load in the background
	for _, f := range [][2]string{{"Hedy", "Last name"}, {"Lamarr", "Email"}, {"hedy@example.com", "Title"},
		{"Inventor", "Department"}, {"Research", "Create in"}} {
		d.typeText(f[0])
		d.key("tab")
		d.waitFor("┃ " + f[1]) // huh moves the focus in a command
	}
	compareMasked(t, d, "Create in")

	d.key("ctrl+s")
	d.waitFor("each provider's own fields")
	d.key("down") // the first of Zoho's roles, by name
	d.key("tab")
	d.waitFor("┃ crm: Profile")
	d.key("down") // the first profile
	compareMasked(t, d, "┃ crm: Profile")
	d.key("ctrl+s")
	v = d.waitFor("Create hedy@example.com in 3 providers?")
	roles, err := crmp.Roles(context.Background())
	if err != nil || len(roles) == 0 {
		t.Fatalf("roles %v, err %v", roles, err)
	}
	if !strings.Contains(v, "Role "+roles[0].Name) || !strings.Contains(v, "> Cancel <") {
		t.Fatalf("the confirmation should name the role and start on Cancel:\n%s", v)
	}
	compareMasked(t, d, "Create hedy@example.com in")

	d.key("enter") // Cancel: back to the form, nothing sent
	d.waitFor("each provider's own fields")
	if n := len(srv.CreateBodies("apideck")) + len(srv.CreateBodies("zoho")); n != 0 {
		t.Fatalf("%d creates sent before confirming", n)
	}
	d.key("ctrl+s")
	d.waitFor("Create hedy@example.com in 3 providers?")
	d.key("right")
	d.key("enter")
	v = d.waitFor("Not everywhere: hedy@example.com")
	if strings.Count(v, "✓ created") != 2 || !strings.Contains(v, "✗ failed") {
		t.Fatalf("results:\n%s", v)
	}
	compareMasked(t, d, "Not everywhere")
	for _, p := range []crm.Provider{sales, crmp} {
		found, err := crm.FindEmail(context.Background(), p, "hedy@example.com")
		if err != nil || len(found) != 1 {
			t.Errorf("%s holds %d users with that email, err %v", p.Info().Name, len(found), err)
		}
	}
	d.key("esc") // back where the onboarding began, the form gone
	d.waitFor("Choose a provider")
}

// From the person table, n onboards the person searched for (and not
// found): the email is filled in.
func TestOnboardFromThePersonTableFillsTheEmail(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil), laurelAt(t, url)) // two: the picker opens
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Choose a provider")
	d.key("/")
	d.waitFor("One person in every provider")
	d.typeText("grace@example.com")
	d.key("enter")
	d.waitIdle()
	d.waitFor("not found")
	d.key("n")
	v := d.waitFor("Onboard a new person")
	if !strings.Contains(v, "grace@example.com") {
		t.Fatalf("the email searched for should be filled in:\n%s", v)
	}
}

// Viewers may find, not onboard: no provider lets them create (the guard's
// word, through the live capabilities), so n says so and opens nothing.
func TestViewersAreNotOfferedOnboarding(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{guard.Wrap(apideckAt(url, nil), guard.Viewer, false),
		guard.Wrap(zohoAt(t, url, nil), guard.Viewer, false)}, Role: "viewer"})
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Choose a provider")
	d.key("n")
	v := d.waitFor("no provider lets you create users")
	if strings.Contains(v, "Onboard a new person") {
		t.Fatalf("a viewer got the onboarding form:\n%s", v)
	}
}

// A create whose answer is lost is settled by searching the email, never
// sent again: applied, the result is the account found; not applied, a
// failure. One create body either way.
func TestOnboardSettlesALostAnswerBySearching(t *testing.T) {
	for _, tc := range []struct {
		applied bool
		want    string
	}{{true, "✓ created 10120"}, {false, "✗ failed"}} {
		t.Run(fmt.Sprint("applied=", tc.applied), func(t *testing.T) {
			srv, url := startSandbox(t)
			d := newDriver(t, apideckAt(url, nil), laurelAt(t, url)) // two: the picker opens
			d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
			d.waitFor("Choose a provider")
			d.key("n")
			d.waitFor("Onboard a new person")
			for _, f := range [][2]string{{"Ada", "Last name"}, {"Yonath", "Email"}, {"ada.yonath@example.com", "Title"}} {
				d.typeText(f[0])
				d.key("tab")
				d.waitFor("┃ " + f[1])
			}
			srv.MalformNextWrites("/crm/users", 1, tc.applied)
			d.key("ctrl+s")
			d.waitFor("Create ada.yonath@example.com in 1 provider?")
			d.key("right")
			d.key("enter")
			v := d.waitFor("esc: back")
			if !strings.Contains(v, tc.want) {
				t.Fatalf("want %q:\n%s", tc.want, v)
			}
			if n := countPosts(srv, "/crm/users"); n != 1 { // garbled or not, one create
				t.Fatalf("%d creates sent, want 1", n)
			}
		})
	}
}

// countPosts counts the POSTs to path the sandbox received.
func countPosts(srv *sandbox.Server, path string) int {
	n := 0
	for _, r := range srv.RequestLog() {
		if r.Method == "POST" && r.Path == path {
			n++
		}
	}
	return n
}
