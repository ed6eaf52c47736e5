package ui

import (
	"context"
	"net/http"
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
