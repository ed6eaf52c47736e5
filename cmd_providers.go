package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// newProvidersCmd is `roster providers`: what is configured and what each
// provider can do.
func newProvidersCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:     "providers",
		Example: "  roster providers\n  roster --config sandbox.toml providers",
		Short:   "List the configured providers and what they can do",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, providers, err := g.openAll(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			rows := [][]string{{"", "NAME", "KIND", "LABEL", "READ-ONLY", "CAPABILITIES"}}
			for _, p := range providers {
				info := p.Info()
				mark := ""
				if info.Name == l.cfg.DefaultProvider {
					mark = "*"
				}
				readOnly := "no"
				if l.cfg.Providers[info.Name].ReadOnly || !(info.Caps.Update || info.Caps.Delete) {
					readOnly = "yes"
				}
				rows = append(rows, []string{mark, info.Name, info.Kind, termtext.Clean(info.Label), readOnly, capabilities(info)})
			}
			writeColumns(cmd.OutOrStdout(), rows)
			return nil
		},
	}
}

// capabilities summarises Info.Caps on one line.
func capabilities(info crm.Info) string {
	c := info.Caps
	var parts []string
	for _, op := range []struct {
		ok   bool
		name string
	}{{c.Update, "update"}, {c.Delete, "delete"}, {c.Create, "create"}, {c.ServerSearch, "search"}} {
		if op.ok {
			parts = append(parts, op.name)
		}
	}
	if c.Paging != "" {
		paging := string(c.Paging) + " paging"
		if c.MaxPageSize > 0 {
			paging += fmt.Sprintf(" ≤%d", c.MaxPageSize)
		}
		parts = append(parts, paging)
	}
	if len(c.IdentityTypes) > 0 {
		parts = append(parts, fmt.Sprintf("lookup (%d identity types)", len(c.IdentityTypes)))
	}
	if len(c.Views) > 0 {
		parts = append(parts, "views: "+strings.Join(c.Views, "/"))
	}
	if info.Notice != "" {
		parts = append(parts, termtext.Clean(info.Notice))
	}
	return strings.Join(parts, ", ")
}
