package main

import (
	"strings"
	"testing"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// The demo has one provider of every registered kind, each built from the
// sandbox's entry by the registry (demoConfig panics on an entry that does
// not fit), and each opens.
func TestDemoHasEveryKindAndEachOpens(t *testing.T) {
	cfg := demoConfig("http://127.0.0.1:1")
	have := map[string]bool{}
	for _, name := range cfg.Order {
		p := cfg.Providers[name]
		have[p.Kind] = true
		if _, err := config.Open(p, config.Deps{}); err != nil {
			t.Errorf("demo provider %s does not open: %v", name, err)
		}
	}
	for _, k := range config.Kinds {
		if !have[k] {
			t.Errorf("the demo has no %s provider", k)
		}
	}
}

// roster sandbox prints each entry's keys in the registry's order, kind
// first, with the sandbox's (public) credentials.
func TestSampleConfigFollowsTheRegistry(t *testing.T) {
	out := sampleConfig(demoConfig("http://127.0.0.1:9"))
	want := "[providers.sales]\nkind = \"apideck\"\nbase_url = \"http://127.0.0.1:9\"\napi_key = "
	if !strings.Contains(out, want) {
		t.Errorf("sample config:\n%s\nwant it to contain:\n%s", out, want)
	}
}

// roster doctor checks every URL key the registry lists for the kind, each
// host once: a Zoho entry whose accounts server is down fails "reachable"
// even though its API answers.
func TestDoctorChecksEveryURLKeyOnce(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 3})
	ok, err := config.NewProvider("z", "zoho", map[string]string{"base_url": url, "accounts_url": url,
		"client_id": sandbox.ZohoClientID, "client_secret": sandbox.ZohoClientSecret, "refresh_token": sandbox.ZohoRefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	checks := checkProvider(t.Context(), ok, config.Deps{})
	reach := 0
	for _, c := range checks {
		if c.Name == checks[0].Name {
			reach++
		}
	}
	if reach != 1 || !checks[0].OK {
		t.Errorf("one host, checked %d times: %+v", reach, checks)
	}
	down, err := config.NewProvider("z", "zoho", map[string]string{"base_url": url, "accounts_url": "http://127.0.0.1:1",
		"client_id": sandbox.ZohoClientID, "client_secret": sandbox.ZohoClientSecret, "refresh_token": sandbox.ZohoRefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	checks = checkProvider(t.Context(), down, config.Deps{})
	// The API host passes, the accounts host fails, and the credentials
	// are not tried.
	if len(checks) != 2 || !checks[0].OK || checks[1].OK {
		t.Errorf("a dead accounts server: %+v", checks)
	}
}
