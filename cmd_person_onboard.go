package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newPersonOnboardCmd(g *globalFlags) *cobra.Command {
	var o personFlags
	cmd := &cobra.Command{
		Use:     "onboard --set email=… --set first_name=… --yes",
		Short:   "Create a person in every chosen provider, as one audited run",
		Example: "  roster person onboard --set email=new.hire@example.com --set first_name=New --set last_name=Hire --dry-run\n  roster person onboard --set email=new.hire@example.com --set first_name=New --set last_name=Hire -p sales -p zoho --yes",
		Args:    cobra.NoArgs,
		Hidden:  true, // until crm.Creator lands for the providers
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("person onboard: not yet available")
		},
	}
	o.register(cmd)
	return cmd
}
