package person_test

import (
	"context"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
)

// BenchmarkFind finds one email in the four providers of a sandbox with
// 5 000 users each, over loopback HTTP: Laurel's identity lookup, Truto's
// server search, Apideck's and Zoho's listed pages (no documented search).
func BenchmarkFind(b *testing.B) {
	_, url := providertest.StartSandbox(b, sandbox.Options{Users: 5000})
	var providers []crm.Provider
	for _, a := range openFour(b, url) {
		providers = append(providers, stack.Build(a, stack.Options{Role: guard.Viewer}))
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		for _, f := range person.FindAll(ctx, providers, "ada.4992@example.com") {
			if f.Err != nil || len(f.Users) != 1 {
				b.Fatalf("%s: %v %v", f.Provider, f.Users, f.Err)
			}
		}
		for _, p := range providers {
			p.(crm.Invalidator).Invalidate() // measure the providers, not the page cache
		}
	}
}

// BenchmarkFindIn is BenchmarkFind per provider.
func BenchmarkFindIn(b *testing.B) {
	_, url := providertest.StartSandbox(b, sandbox.Options{Users: 5000})
	for _, a := range openFour(b, url) {
		p := stack.Build(a, stack.Options{Role: guard.Viewer})
		b.Run(a.Info().Name, func(b *testing.B) {
			for b.Loop() {
				if f := person.FindIn(context.Background(), p, "ada.4992@example.com"); f.Err != nil || len(f.Users) != 1 {
					b.Fatalf("%v %v", f.Users, f.Err)
				}
				p.(crm.Invalidator).Invalidate()
			}
		})
	}
}
