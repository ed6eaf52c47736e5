package config

import (
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must answer with a config
// or an error, never panic, and a config it accepts must be consistent.
// Seeds live in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(apideckOK))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parse("fuzz.toml", data, testEnv(map[string]string{"APIDECK_KEY": "k"}))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(c.Order) != len(c.Providers) {
			t.Fatalf("order %v does not match providers %d", c.Order, len(c.Providers))
		}
		if _, ok := c.Providers[c.DefaultProvider]; !ok {
			t.Fatalf("default provider %q not configured", c.DefaultProvider)
		}
		if c.PageSize < 1 || c.PageSize > MaxPageSize {
			t.Fatalf("page size %d accepted", c.PageSize)
		}
		for _, name := range c.Order {
			if p := c.Providers[name]; p.Name != name {
				t.Fatalf("provider %q has name %q", name, p.Name)
			}
		}
	})
}
