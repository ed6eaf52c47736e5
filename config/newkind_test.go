package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
)

// acmeKind is a fifth kind, as a new provider would add it: keys no other
// kind has, declared only here.
var acmeKind = Kind{
	Name:  "acme",
	Label: "Acme CRM",
	Keys: []Key{
		{Name: "tenant", Type: KeyText, Required: true},
		{Name: "signing_key", Type: KeySecret, Required: true},
		{Name: "page_limit", Type: KeyInt},
		{Name: "sandboxed", Type: KeyBool},
	},
	Account: []string{"tenant"},
	Open: func(p Provider, d Deps) (crm.Provider, error) {
		return nil, errors.New("acme: " + p.Value("tenant") + " " + p.Value("signing_key"))
	},
}

// A new kind is one registry entry: its keys load, type-check, resolve and
// reach its Open with no field added to Provider.
func TestANewKindNeedsOnlyItsRegistryEntry(t *testing.T) {
	env := testEnv(map[string]string{"ACME_KEY": "s3cret"})
	env.kinds = append(AllKinds(), acmeKind)
	doc := "[providers.a]\nkind = \"acme\"\ntenant = \"t1\"\nsigning_key = \"env:ACME_KEY\"\npage_limit = 7\nsandboxed = true\n"
	c, err := parse("roster.toml", []byte(doc), env)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Providers["a"]
	if p.Value("tenant") != "t1" || p.Value("signing_key") != "s3cret" || p.Value("page_limit") != "7" || p.Value("sandboxed") != "true" {
		t.Errorf("acme keys: %v", p.Keys)
	}
	if strings.Contains(p.Keys.String(), "s3cret") {
		t.Errorf("Keys print the secret: %v", p.Keys)
	}
	if !slices.Equal(p.secretValues(), []string{"s3cret"}) {
		t.Errorf("secrets to redact: %v", p.secretValues())
	}
	if _, err := acmeKind.Open(p, Deps{}); err == nil || err.Error() != "acme: t1 s3cret" {
		t.Errorf("Open saw %v", err)
	}
	for doc, want := range map[string]string{
		"[providers.a]\nkind = \"acme\"\nsigning_key = \"k\"\n":                                           `roster.toml:1:2: provider "a": missing tenant (kind acme needs tenant and signing_key)`,
		"[providers.a]\nkind = \"acme\"\ntenant = 5\nsigning_key = \"k\"\n":                               `roster.toml:3:10: providers.a.tenant: want a quoted string, not an integer`,
		"[providers.a]\nkind = \"acme\"\ntenant = \"t\"\nsigning_key = \"k\"\npage_limit = \"7\"\n":       `roster.toml:5:14: providers.a.page_limit: want a whole number, not a string`,
		"[providers.a]\nkind = \"acme\"\ntenant = \"t\"\nsigning_key = \"k\"\ntoken = \"x\"\n":            `roster.toml:5:1: provider "a": key token is not used by kind acme (it takes kind, base_url, read_only, rate_limit, max_concurrency, tenant, signing_key, page_limit, sandboxed)`,
		"[providers.t]\nkind = \"truto\"\ntoken = \"t\"\nintegrated_account_id = \"i\"\ntenant = \"x\"\n": `roster.toml:5:1: provider "t": key tenant is not used by kind truto (it takes kind, base_url, read_only, rate_limit, max_concurrency, token, integrated_account_id, integration)`,
	} {
		if _, err := parse("roster.toml", []byte(doc), env); err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", doc, err, want)
		}
	}
}

// A provider that is not a table is said so in the config's words.
func TestAProviderThatIsNoTable(t *testing.T) {
	_, err := parse("roster.toml", []byte("providers.a = 5\n"), testEnv(nil))
	if want := "roster.toml:1:15: providers.a: want a table, not an integer"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// A kind's published rate limits are in its registry entry (crm/limit names
// no kind): an entry that sets neither rate_limit nor max_concurrency gets
// them, and an unknown kind a conservative pace.
func TestLimitsComeFromTheKindsEntry(t *testing.T) {
	for _, kind := range AllKinds() {
		if kind.Limits.Concurrency == 0 {
			t.Errorf("kind %s publishes no concurrency", kind.Name)
		}
		if got := (Provider{Kind: kind.Name}).Limits(); got != kind.Limits {
			t.Errorf("%s: limits %+v, want the entry's %+v", kind.Name, got, kind.Limits)
		}
	}
	if got := (Provider{Kind: "acme"}).Limits(); got != unpublished {
		t.Errorf("an unknown kind: %+v", got)
	}
	p := Provider{Kind: "truto", RateLimit: "10/1s", MaxConcurrency: 2}
	if got := p.Limits(); got.Requests != 10 || got.Per != time.Second || got.Concurrency != 2 {
		t.Errorf("the file's rate_limit and max_concurrency: %+v", got)
	}
}
