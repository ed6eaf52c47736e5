package ui

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
)

// A 429 on the first page: the status bar says who rate-limits and when
// the client tries again, and the notice goes once the page arrives.
func TestRateLimitShowsRetryNotice(t *testing.T) {
	srv, url := startSandbox(t)
	g := newGatedSleep()
	p := apideckAt(url, retryingClient(g))
	srv.ForceError("/crm/users", 429, 1, 2*time.Second)
	d := newDriver(t, p)
	v := d.waitFor("rate limited by sales")
	if !strings.Contains(v, "retrying in") || !strings.Contains(v, "(attempt 2)") {
		t.Errorf("status bar should count down to the retry:\n%s", v)
	}
	if w := <-g.waits; w != 2*time.Second {
		t.Errorf("client waited %s, want the 2s the provider asked", w)
	}
	close(g.release)
	v = d.waitFor("of 120")
	if strings.Contains(v, "rate limited") {
		t.Errorf("the notice should clear when the page arrives:\n%s", v)
	}
}

// The same for a save: the re-read before the write is rate limited.
func TestRateLimitedSaveShowsRetryNotice(t *testing.T) {
	srv, url := startSandbox(t)
	g := newGatedSleep()
	p := apideckAt(url, retryingClient(g))
	d := newDriver(t, p)
	openFirstUser(t, d)
	editTitle(d, "Chief Tester")
	d.key("ctrl+s")
	d.waitFor("Save changes to")
	srv.ForceError("/crm/users", 429, 1, 2*time.Second)
	d.key("right")
	d.key("enter")
	d.waitFor("rate limited by sales")
	<-g.waits
	close(g.release)
	v := d.waitFor("saved Ada Lovelace: Title")
	if strings.Contains(v, "rate limited") {
		t.Errorf("the notice should clear when the save is done:\n%s", v)
	}
}

// hostileName carries OSC 52 (clipboard), OSC 0 (window title), CSI and a
// bidi override.
const hostileName = "Eve\x1b]52;c;cm0gLXJmIH4=\x07 \x1b]0;pwned\x07Mallory\x1b[2J\u202e"

func TestHostileNamesRenderInert(t *testing.T) {
	_, url := startSandbox(t)
	p := apideckAt(url, nil)
	if _, err := p.Update(context.Background(), "10000", crm.Changes{"first_name": hostileName, "last_name": hostileName, "title": "\u009b31mRed"}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, p)
	list := d.waitFor("of 120")
	d.key("enter")
	d.waitFor("Email (primary)")
	detail := d.waitIdle() // opening re-reads the user
	for name, v := range map[string]string{"list": list, "detail": detail} {
		if strings.ContainsAny(v, "\x1b\x07\u009b\u202e") {
			t.Errorf("%s view carries control characters: %q", name, v)
		}
		if !strings.Contains(v, "Eve Mallory") {
			t.Errorf("%s view should show the name's text:\n%s", name, v)
		}
	}
	golden.RequireEqual(t, []byte(list+"\n----\n"+detail))
}

// Server search sends the query to the provider and shows its answer; a
// query the provider would ignore keeps narrowing the loaded users.
func TestServerSearch(t *testing.T) {
	_, url := startSandbox(t)
	p := laurelAt(t, url)
	d := newDriver(t, p)
	d.waitFor("of 120")
	first, ok := firstUser(t, p)
	if !ok {
		t.Fatal("no users")
	}
	d.key("/")
	d.typeText(first.LastName)
	d.key("enter")
	v := d.waitFor("server search \"")
	if !strings.Contains(v, first.DisplayName()) || strings.Contains(v, "of 120") {
		t.Errorf("server search should show only its answer:\n%s", v)
	}
	d.key("esc")
	d.waitFor("of 120")

	d.key("/")
	d.typeText(first.FirstName[:1])
	d.key("enter")
	v = d.waitFor("does not search for")
	if !strings.Contains(v, "match") {
		t.Errorf("a one-letter query should keep narrowing the loaded users:\n%s", v)
	}
}

func firstUser(t *testing.T, p crm.Provider) (crm.User, bool) {
	t.Helper()
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Users) == 0 {
		return crm.User{}, false
	}
	return page.Users[0], true
}

// gate holds every request until the test lets them go.
type gate struct {
	seen  chan struct{}
	open  chan struct{}
	inner http.RoundTripper
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case g.seen <- struct{}{}:
	default:
		select {
		case <-g.open:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return g.inner.RoundTrip(r)
}

// Load all shows a progress bar with the counts and esc cancels it; a
// second load all completes.
func TestLoadAllShowsProgressAndCancels(t *testing.T) {
	_, url := startSandbox(t)
	g := &gate{seen: make(chan struct{}, 1), open: make(chan struct{}), inner: http.DefaultTransport}
	p := apideckAt(url, &http.Client{Transport: g, Timeout: 10 * time.Second})
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("L")
	v := d.waitFor("esc to cancel")
	if !strings.Contains(v, "25 of 120") {
		t.Errorf("progress should count loaded users:\n%s", v)
	}
	d.key("esc")
	v = d.waitFor("load all cancelled")
	if strings.Contains(v, "esc to cancel") {
		t.Errorf("the progress bar should go:\n%s", v)
	}
	close(g.open)
	d.key("L")
	v = d.waitFor("loaded all 120 users")
	if !strings.Contains(v, "row 1 of 120 · all loaded") {
		t.Errorf("status should say which row of all the users:\n%s", v)
	}
}

// With several providers and no default the picker comes first.
func TestPickerListsProviders(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil), laurelAt(t, url))
	v := d.waitFor("Choose a provider")
	if !strings.Contains(v, "sales") || !strings.Contains(v, "people") {
		t.Errorf("picker should list both providers:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))
	d.key("down")
	d.key("enter")
	d.waitFor("people users")
	d.waitFor("of 120")
}

// The status column is as wide as the provider's longest status word:
// Laurel's "adminDisabled" and "firmDisabled" are not cut.
func TestStatusColumnFitsTheProvidersStatuses(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, laurelAt(t, url))
	screen := d.waitFor("firmDisabled")
	if strings.Contains(screen, "firmDisab…") {
		t.Errorf("a status was cut:\n%s", screen)
	}
}

// The picker starts on the config's default provider; a provider opened
// directly (roster -p NAME) has the picker underneath, one esc away.
func TestPickerStartsOnTheDefaultAndSitsUnderADirectOpen(t *testing.T) {
	_, url := startSandbox(t)
	a, l := apideckAt(url, nil), laurelAt(t, url)
	d := newDriverWith(t, Options{Providers: []crm.Provider{a, l}, Preferred: "people"})
	d.waitFor("Choose a provider")
	d.key("enter")
	d.waitFor("people users")

	d = newDriverWith(t, Options{Providers: []crm.Provider{a, l}, Default: "people"})
	d.waitFor("people users")
	d.key("esc")
	d.waitFor("Choose a provider")
	d.key("enter") // the cursor is on the one that was open
	d.waitFor("people users")
}
