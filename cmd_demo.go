package main

import (
	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm/sandbox"
)

// The demo's wiring lives here, in the command layer, so the config
// package does not depend on the sandbox: the sandbox declares its entries
// (sandbox.DemoEntries), the registry builds them (config.NewProvider).

// demoConfig is the configuration the demo uses (and `roster sandbox`
// prints): one provider of every kind, all pointing at a sandbox at
// sandboxURL.
func demoConfig(sandboxURL string) *config.Config {
	c := &config.Config{PageSize: config.DefaultPageSize, Providers: map[string]config.Provider{}}
	for _, e := range sandbox.DemoEntries(sandboxURL) {
		p, err := config.NewProvider(e.Name, e.Kind, e.Keys)
		if err != nil {
			panic("the sandbox's demo entry does not fit the registry: " + err.Error()) // a test runs every entry
		}
		c.Providers[p.Name] = p
		c.Order = append(c.Order, p.Name)
	}
	c.DefaultProvider = c.Order[0]
	return c
}
