package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm/sandbox"
)

// newSandboxCmd is `roster sandbox`: the providers' wire protocols on a
// loopback port, for trying Roster (or anything else) without an account.
func newSandboxCmd() *cobra.Command {
	var (
		listen  string
		users   int
		latency time.Duration
		faults  string
	)
	cmd := &cobra.Command{
		Use:     "sandbox",
		Example: "  roster sandbox > sandbox.toml &\n  roster --config sandbox.toml users list\n  roster sandbox --listen 127.0.0.1:18080 --users 100000 --faults rate429=0.1,err5xx=0.05",
		Short:   "Run the sandbox server standalone and print a config pointing at it",
		Long: "Run the sandbox (every provider's wire protocol over generated users) until ctrl+c.\n" +
			"Standard output is a config file for it: roster sandbox > sandbox.toml & roster --config sandbox.toml",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if users < 0 || latency < 0 {
				return fmt.Errorf("--users and --latency must not be negative")
			}
			f, err := sandbox.ParseFaults(faults)
			if err != nil {
				return fmt.Errorf("--faults: %w", err)
			}
			run, err := sandbox.New(sandbox.Options{Users: users, Latency: latency, Faults: f}).Start(listen)
			if err != nil {
				return fmt.Errorf("sandbox: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "# Roster sandbox listening on %s (ctrl+c stops it).\n", run.URL)
			fmt.Fprintf(cmd.OutOrStdout(), "# A config for it; save it and run: roster --config FILE\n\n%s", sampleConfig(demoConfig(run.URL)))
			<-cmd.Context().Done()
			return run.Close()
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:18080", "address to listen on (127.0.0.1:0 picks a free port)")
	f.IntVar(&users, "users", sandbox.DefaultUsers, "users per provider")
	f.DurationVar(&latency, "latency", 0, "delay added to every request, e.g. 50ms")
	f.StringVar(&faults, "faults", "", "inject faults, e.g. latency=200ms,rate429=0.1,retry-after=2,err5xx=0.05,drop=0.02,malformed=0.02,modify=0.1,seed=1")
	return cmd
}

// sampleConfig renders a configuration as TOML. It prints secret values:
// it is meant for the sandbox's public test credentials only.
func sampleConfig(cfg *config.Config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "default_provider = %s\npage_size = %d\n", tomlString(cfg.DefaultProvider), cfg.PageSize)
	for _, name := range cfg.Order {
		p := cfg.Providers[name]
		fmt.Fprintf(&b, "\n[providers.%s]\n", name)
		for _, kv := range p.Settings() { // in the registry's order, kind first
			if kv.Type == config.KeyInt || kv.Type == config.KeyBool {
				fmt.Fprintf(&b, "%s = %s\n", kv.Key, kv.Value)
				continue
			}
			fmt.Fprintf(&b, "%s = %s\n", kv.Key, tomlString(kv.Value))
		}
	}
	return b.String()
}

// tomlString quotes s as a TOML basic string (JSON's escapes are TOML's).
func tomlString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
