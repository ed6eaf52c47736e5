package ui

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/sandbox"
)

// From the picker, / finds one person in every provider: one table with a
// row per account, and a provider that cannot be reached shows its error,
// never "not found".
func TestPersonFindAcrossProviders(t *testing.T) {
	_, url := startSandbox(t)
	down := apideck.New(apideck.Options{Name: "down", BaseURL: "http://127.0.0.1:1", APIKey: sandbox.ApideckAPIKey,
		AppID: sandbox.ApideckAppID, ConsumerID: sandbox.ApideckConsumerID, HTTP: &http.Client{Timeout: 2 * time.Second}})
	ps := []crm.Provider{apideckAt(url, nil), zohoAt(t, url, nil), laurelAt(t, url), down}
	d := newDriver(t, ps...)
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Choose a provider")
	d.key("/")
	d.waitFor("One person in every provider")
	d.typeText("ada.0@example.com")
	d.key("enter")
	d.waitIdle()
	v := d.m.View()
	if got := strings.Count(v, "ada.0@example.com>"); got != 3 {
		t.Errorf("%d accounts shown, want 3:\n%s", got, v)
	}
	if !strings.Contains(v, "down") || !strings.Contains(v, "✗") || strings.Contains(v, "not found") {
		t.Errorf("the unreachable provider should show its error:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))
	d.key("enter") // opens the first account in its provider
	d.waitFor("Email (primary)")
}

// o offboards the person everywhere: a preview per provider, the email
// typed to confirm, then per-provider results; each account is inactive.
func TestPersonOffboardDeactivatesEverywhere(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	_, url := startSandbox(t)
	ps := []crm.Provider{apideckAt(url, nil), laurelAt(t, url)}
	d := newDriver(t, ps...)
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Choose a provider")
	d.key("/")
	d.waitFor("One person in every provider")
	d.typeText("ada.0@example.com")
	d.key("enter")
	d.waitIdle()
	d.key("o")
	v := d.waitFor("Offboard ada.0@example.com everywhere?")
	if !strings.Contains(v, "deactivate") {
		t.Fatalf("preview:\n%s", v)
	}
	d.key("right") // Deactivate stays off until the email is typed
	d.key("enter") // so this is Cancel
	d.waitFor("o offboard everywhere")
	d.key("o")
	d.waitFor("Offboard ada.0@example.com everywhere?")
	d.typeText("ada.0@example.com")
	d.key("right")
	d.key("enter")
	v = d.waitFor("Offboarded ada.0@example.com")
	if strings.Count(v, "✓ done") != 2 {
		t.Fatalf("results:\n%s", v)
	}
	for _, p := range ps {
		found, err := crm.FindEmail(context.Background(), p, "ada.0@example.com")
		if err != nil || len(found) != 1 {
			t.Fatalf("%s: %v %v", p.Info().Name, found, err)
		}
		if w := crm.StatusWord(found[0]); w == "active" {
			t.Errorf("%s: still %s", p.Info().Name, w)
		}
	}
}

// Zoho documents no deactivation, only a delete: "Deactivate, else
// delete" offboards in one run — Apideck deactivated, Zoho deleted, each
// named in the preview — and back in the table the search runs again, so
// it shows what is true now, not what the find saw before.
func TestPersonOffboardDeletesWhereThereIsNoDeactivation(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	_, url := startSandbox(t)
	sales, crmp := apideckAt(url, nil), zohoAt(t, url, nil)
	d := newDriver(t, sales, crmp)
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Choose a provider")
	d.key("/")
	d.waitFor("One person in every provider")
	d.typeText("ada.0@example.com")
	d.key("enter")
	d.waitIdle()
	d.key("o")
	d.waitFor("Offboard ada.0@example.com everywhere?")
	d.typeText("ada.0@example.com")
	d.key("right")
	v := d.waitFor("> Deactivate <")
	if !strings.Contains(v, "no deactivation here: delete only") {
		t.Fatalf("the deactivate preview should say Zoho has none:\n%s", v)
	}
	d.key("right")
	v = d.waitFor("> Deactivate, else delete <")
	if !regexp.MustCompile(`crm +Ada Lovelace +delete`).MatchString(v) || !regexp.MustCompile(`sales +Ada Lovelace +deactivate`).MatchString(v) {
		t.Fatalf("the preview should name each provider's action:\n%s", v)
	}
	// At 40 columns the focused button and each provider's action stay on
	// screen (the full row of four buttons and the account column do not fit).
	d.apply(tea.WindowSizeMsg{Width: 40, Height: 10})
	if v := d.m.View(); !strings.Contains(v, "> Deactivate, else") || !regexp.MustCompile(`crm +delete`).MatchString(v) {
		t.Fatalf("at 40x10 the focused button and the actions should show:\n%s", v)
	}
	compareAtSizes(t, d, "> Deactivate, else")
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.key("enter")
	v = d.waitFor("Offboarded ada.0@example.com")
	if strings.Count(v, "✓ done") != 2 {
		t.Fatalf("results:\n%s", v)
	}
	d.key("esc") // the table searches again: the person as she is now
	d.waitUntil("the table to show Ada inactive in sales and gone from crm", func() bool {
		v := d.m.View()
		return regexp.MustCompile(`sales +Ada Lovelace <ada.0@example.com> +inactive`).MatchString(v) &&
			regexp.MustCompile(`crm +not found`).MatchString(v)
	})
	if found, err := crm.FindEmail(context.Background(), crmp, "ada.0@example.com"); err != nil || len(found) != 0 {
		t.Fatalf("zoho still holds %v (err %v)", found, err)
	}
}

// A provider that refuses says why in its own words, in full: the state
// wraps under its column where the line is too short for the message.
func TestPersonOffboardShowsARefusalInFull(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil), trutoAt(t, url, sandbox.TrutoAccountReadOnly))
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Choose a provider")
	d.key("/")
	d.waitFor("One person in every provider")
	d.typeText("ada.0@example.com")
	d.key("enter")
	d.waitIdle()
	d.key("o")
	d.waitFor("Offboard ada.0@example.com everywhere?")
	d.typeText("ada.0@example.com")
	d.key("right")
	d.key("enter")
	v := d.waitFor("Not everywhere: ada.0@example.com")
	if !strings.Contains(v, "✓ done") || !strings.Contains(v, "integrated accounts") {
		t.Fatalf("results:\n%s", v)
	}
	golden.RequireEqual(t, []byte(runIDs.ReplaceAllStringFunc(v, func(id string) string { return strings.Repeat("X", len(id)) })))
}
