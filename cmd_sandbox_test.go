package main

import (
	"strings"
	"testing"

	"github.com/roster-tui/roster/config"
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
