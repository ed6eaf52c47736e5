package main

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// Shell completion: cobra's `roster completion bash|zsh|fish|powershell`
// prints the script; the functions here make it complete the config's own
// words. They read the config only (no demo, no network), and a config that
// does not load completes nothing rather than printing errors into a shell.

// registerCompletions wires the dynamic completions into the command tree.
func registerCompletions(root *cobra.Command, g *globalFlags) {
	_ = root.RegisterFlagCompletionFunc("provider", g.completeProviders)
	if list, _, err := root.Find([]string{"users", "list"}); err == nil && list.Name() == "list" {
		_ = list.RegisterFlagCompletionFunc("view", g.completeViews)
		_ = list.RegisterFlagCompletionFunc("columns", g.completeColumns)
	}
	if update, _, err := root.Find([]string{"users", "update"}); err == nil && update.Name() == "update" {
		_ = update.RegisterFlagCompletionFunc("set", g.completeSetKeys(settableByUpdate))
	}
	if create, _, err := root.Find([]string{"users", "create"}); err == nil && create.Name() == "create" {
		_ = create.RegisterFlagCompletionFunc("set", g.completeSetKeys(settableByCreate))
	}
	if lookup, _, err := root.Find([]string{"users", "lookup"}); err == nil && lookup.Name() == "lookup" {
		lookup.ValidArgsFunction = g.completeIdentityTypes
	}
	for _, name := range []string{"get", "update", "delete", "deactivate"} {
		if c, _, err := root.Find([]string{"users", name}); err == nil && c.Name() == name {
			c.ValidArgsFunction = g.completeUserIDs
		}
	}
}

// completionConfig loads the config quietly for completion.
func (g *globalFlags) completionConfig(cmd *cobra.Command) *config.Config {
	l, err := g.readConfig(cmd)
	if err != nil {
		return nil
	}
	l.Close()
	return l.cfg
}

func (g *globalFlags) completeProviders(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	cfg := g.completionConfig(cmd)
	if cfg == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, name := range cfg.Order {
		if strings.HasPrefix(name, toComplete) {
			out = append(out, name+"\t"+cfg.Providers[name].Kind)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completionProvider opens (without any request) the provider a command
// would work on.
func (g *globalFlags) completionProvider(cmd *cobra.Command) crm.Provider {
	cfg := g.completionConfig(cmd)
	if cfg == nil {
		return nil
	}
	name, err := g.providerName(cfg)
	if err != nil {
		return nil
	}
	p, err := config.Open(cfg.Providers[name], config.Deps{})
	if err != nil {
		return nil
	}
	return p
}

func (g *globalFlags) completeViews(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	p := g.completionProvider(cmd)
	if p == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, v := range p.Info().Caps.Views {
		if strings.HasPrefix(v, toComplete) {
			out = append(out, v)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// settable says which fields a command's --set takes: update edits the
// editable ones, create sets those a new user may carry.
func settableByUpdate(f crm.Field) bool { return f.Editable }
func settableByCreate(f crm.Field) bool { return f.Create != crm.CreateNo }

// completeSetKeys offers the fields settable says a command takes as key=
// (then the enum's values once the key is typed).
func (g *globalFlags) completeSetKeys(settable func(crm.Field) bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return g.setKeys(cmd, settable, toComplete)
	}
}

func (g *globalFlags) setKeys(cmd *cobra.Command, settable func(crm.Field) bool, toComplete string) ([]string, cobra.ShellCompDirective) {
	p := g.completionProvider(cmd)
	if p == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, f := range p.Schema().Fields {
		if !settable(f) {
			continue
		}
		if key, _, typed := strings.Cut(toComplete, "="); typed {
			if key == f.Key || (f.Common != "" && key == f.Common) {
				for _, v := range f.Values {
					out = append(out, key+"="+v)
				}
			}
			continue
		}
		for i, k := range []string{f.Key, f.Common} {
			if k != "" && strings.HasPrefix(k, toComplete) && (i == 0 || k != f.Key) {
				out = append(out, k+"=\t"+f.Label)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeColumns completes --columns one comma-separated name at a time:
// the common names, then the provider's own field keys (what
// resolveColumns accepts), less those already chosen.
func (g *globalFlags) completeColumns(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	p := g.completionProvider(cmd)
	if p == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	cut := strings.LastIndex(toComplete, ",") + 1
	done, prefix := strings.Split(toComplete[:cut], ","), toComplete[cut:]
	var out []string
	offer := func(name, about string) {
		if strings.HasPrefix(name, prefix) && !slices.Contains(done, name) && !slices.ContainsFunc(out, func(o string) bool {
			return strings.HasPrefix(o, toComplete[:cut]+name+"\t")
		}) {
			out = append(out, toComplete[:cut]+name+"\t"+about)
		}
	}
	for _, name := range crm.CommonNames {
		offer(name, "common")
	}
	for _, f := range p.Schema().Fields {
		offer(f.Key, f.Label)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeIdentityTypes completes users lookup's TYPE from the provider's
// Caps.IdentityTypes (VALUE is free text).
func (g *globalFlags) completeIdentityTypes(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	p := g.completionProvider(cmd)
	if p == nil || len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, t := range p.Info().Caps.IdentityTypes {
		if strings.HasPrefix(t, toComplete) {
			out = append(out, t)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// userIDsTimeout bounds the one request a user-id completion may make: a
// shell waits for it, and a slow provider must cost a missing completion,
// not a hung prompt.
const userIDsTimeout = 3 * time.Second

// completeUserIDs completes a user id from the provider's first page (one
// read, through the CLI's own stack so the rate limit holds), each with the
// user's email and name as its description. Ids already given are left out.
func (g *globalFlags) completeUserIDs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	p, l, err := g.openOne(cmd)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(cmd.Context(), userIDsTimeout)
	defer cancel()
	req := crm.PageRequest{Limit: p.Info().Caps.MaxPageSize}
	page, err := p.List(ctx, req)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, u := range page.Users {
		if !strings.HasPrefix(u.ID, toComplete) || slices.Contains(args, u.ID) {
			continue
		}
		about := strings.TrimSpace(u.Email + " " + u.Name)
		out = append(out, termtext.Clean(u.ID)+"\t"+termtext.Clean(about))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
