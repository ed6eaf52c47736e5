package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/ui/termtext"
)

func newPersonOnboardCmd(g *globalFlags) *cobra.Command {
	var (
		o        personFlags
		sets     []string
		dry, yes bool
	)
	cmd := &cobra.Command{
		Use:   "onboard --set email=… --set first_name=… --yes",
		Short: "Create a person in every chosen provider, as one audited run",
		Long: "Creates the person in each chosen provider (-p, repeatable; default: every provider that can\n" +
			"create users), independently: one failing never stops another. --set takes the common fields\n" +
			"once (" + strings.Join(person.CommonFields(), ", ") + ") and PROVIDER.KEY=VALUE for one provider's\n" +
			"own fields. A provider where the email exists already is left as it is. --dry-run shows\n" +
			"what each provider would get.",
		Example: "  roster person onboard --set email=new.hire@example.com --set first_name=New --set last_name=Hire --dry-run\n" +
			"  roster person onboard --set email=new.hire@example.com --set first_name=New --set last_name=Hire -p sales -p truto-demo --yes\n" +
			"  roster person onboard --set email=a@example.com --set first_name=A --set last_name=B --set sales.username=ab --yes --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			np, err := parsePersonSets(sets)
			if err != nil {
				return err
			}
			if !yes && !dry {
				return usageErrorf("refusing to onboard without --yes (see the plan first with --dry-run)")
			}
			l, providers, err := g.openPeople(cmd, o.providers, !dry)
			if err != nil {
				return err
			}
			defer l.Close()
			if len(o.providers) == 0 {
				providers = creators(cmd, providers)
			}
			for name := range np.Extra {
				if !slices.ContainsFunc(providers, func(p crm.Provider) bool { return p.Info().Name == name }) {
					return usageErrorf("--set %s.…: %s is not one of the providers onboarding (%s)", name, name, names(providers))
				}
			}
			plan, err := person.PlanOnboard(providers, np)
			if err != nil {
				return err
			}
			if dry {
				return printPlan(cmd, o.json, plan)
			}
			progress := &progressWriter{w: cmd.ErrOrStderr()}
			results := person.Onboard(cmd.Context(), providers, plan, person.Progress{
				Start: func(s person.Step) {
					if s.Action != person.None {
						progress.printf("%s: create %s…\n", termtext.Clean(s.Provider), termtext.Clean(plan.Email))
					}
				},
			})
			return reportResults(cmd, o.json, plan, results)
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.StringArrayVar(&sets, "set", nil, "common field=value, or PROVIDER.KEY=value for one provider (repeatable)")
	f.BoolVar(&dry, "dry-run", false, "show what would be created in each provider; send nothing")
	f.BoolVar(&yes, "yes", false, "really create")
	return cmd
}

// parsePersonSets splits --set into the common fields and per-provider
// fields (PROVIDER.KEY=value). Values are parsed later, by each provider's
// fields.
func parsePersonSets(sets []string) (person.NewPerson, error) {
	np := person.NewPerson{Common: map[string]string{}, Extra: map[string]map[string]string{}}
	for _, s := range sets {
		name, value, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return np, usageErrorf("--set %q: want key=value", s)
		}
		if provider, key, scoped := strings.Cut(name, "."); scoped {
			if np.Extra[provider] == nil {
				np.Extra[provider] = map[string]string{}
			}
			np.Extra[provider][key] = value
			continue
		}
		if !slices.Contains(person.CommonFields(), name) {
			return np, usageErrorf("--set %s: not a common field (%s); give a provider's own field as PROVIDER.%s=…", name, strings.Join(person.CommonFields(), ", "), name)
		}
		np.Common[name] = value
	}
	if strings.TrimSpace(np.Common["email"]) == "" {
		return np, usageErrorf("--set email=… is required: the email is the person in every provider")
	}
	return np, nil
}

// creators keeps the providers that can create users, saying on stderr
// which are left out.
func creators(cmd *cobra.Command, providers []crm.Provider) []crm.Provider {
	var out []crm.Provider
	var left []string
	for _, p := range providers {
		if _, ok := p.(crm.Creator); ok {
			out = append(out, p)
		} else {
			left = append(left, p.Info().Name)
		}
	}
	if len(left) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "roster: %s cannot create users; onboarding in %s\n", strings.Join(left, ", "), names(out))
	}
	return out
}

func names(providers []crm.Provider) string {
	var n []string
	for _, p := range providers {
		n = append(n, p.Info().Name)
	}
	if len(n) == 0 {
		return "none"
	}
	return strings.Join(n, ", ")
}
