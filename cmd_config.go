package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
)

// newConfigCmd is `roster config`: starting a config file.
func newConfigCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "config",
		Short:   "Start a config file",
		Example: "  roster config init --kind apideck --set app_id=myapp --set consumer_id=me",
	}
	cmd.AddCommand(newConfigInitCmd(g))
	return cmd
}

// configInit are `roster config init`'s flags.
type configInit struct {
	kind, name     string
	set            []string
	literalSecrets bool
}

func newConfigInitCmd(g *globalFlags) *cobra.Command {
	var o configInit
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a config for one provider (mode 0600, never over an existing file), then run doctor on it",
		Long: "Write a config with one provider of --kind, its keys from --set key=value. Secrets are written as\n" +
			"env:NAME references (ROSTER_<NAME>_<KEY> unless you --set key=env:… or key=file:…), never as\n" +
			"literals unless --literal-secrets. The file goes to --config, $ROSTER_CONFIG or the default path,\n" +
			"with mode 0600; an existing file is never overwritten. Then the doctor checks it.",
		Example: "  roster config init --kind apideck --name sales --set app_id=myapp --set consumer_id=me\n" +
			"  ROSTER_SALES_API_KEY=… roster doctor\n" +
			"  roster --config truto.toml config init --kind truto --set integrated_account_id=acc --set token=env:TRUTO_TOKEN",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConfigInit(cmd, g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.kind, "kind", "", "provider kind: "+strings.Join(config.Kinds, ", ")+" (none: a form asks)")
	f.StringVar(&o.name, "name", "", "the provider's name in the config (default: the kind)")
	f.StringArrayVar(&o.set, "set", nil, "key=value for the provider (repeatable)")
	f.BoolVar(&o.literalSecrets, "literal-secrets", false, "allow secret values written as literals (else only env:NAME or file:PATH)")
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(config.Kinds, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runConfigInit(cmd *cobra.Command, g *globalFlags, o configInit) error {
	if o.kind == "" {
		if err := askConfigInit(cmd, &o); err != nil {
			return err
		}
	}
	kind, ok := config.KindNamed(o.kind)
	if !ok {
		return usageErrorf("--kind must be one of %s", strings.Join(config.Kinds, ", "))
	}
	name := o.name
	if name == "" {
		name = kind.Name
	}
	keys, err := initKeys(kind, name, o)
	if err != nil {
		return err
	}
	p, err := config.NewProvider(name, kind.Name, keys)
	if err != nil {
		return usageErrorf("%v", err)
	}
	cfg := &config.Config{DefaultProvider: name, PageSize: config.DefaultPageSize,
		Providers: map[string]config.Provider{name: p}, Order: []string{name}}
	path := g.configPath
	if path == "" {
		path = os.Getenv("ROSTER_CONFIG")
	}
	if path == "" {
		path = config.DefaultPath()
	}
	if err := writeNewConfig(path, sampleConfig(cfg)); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "roster: wrote %s (mode 0600)\n", path)
	for _, s := range p.Settings() {
		if env, ok := strings.CutPrefix(s.Value, "env:"); ok && s.Secret {
			if _, set := os.LookupEnv(env); !set {
				fmt.Fprintf(cmd.ErrOrStderr(), "roster: set %s (the %s of %s) before using it\n", env, s.Key, name)
			}
		}
	}
	g.configPath = path
	checks, err := runDoctor(cmd, g)
	if err != nil {
		return err
	}
	return reportDoctor(cmd.OutOrStdout(), checks, false)
}

// initKeys are the provider's keys from --set, with every secret the kind
// needs (its required keys and first credential set) defaulted to an env:
// reference. A literal secret needs --literal-secrets: a config is shared,
// copied and committed more often than a secret should be.
func initKeys(kind config.Kind, name string, o configInit) (map[string]string, error) {
	keys := map[string]string{}
	for _, kv := range o.set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErrorf("--set %q: want key=value", kv)
		}
		keys[k] = v
	}
	types := map[string]config.KeyType{}
	for _, k := range kind.AllKeys() {
		types[k.Name] = k.Type
	}
	needed := []string{}
	for _, k := range kind.Keys {
		if k.Required {
			needed = append(needed, k.Name)
		}
	}
	if len(kind.Credentials) > 0 && !slices.ContainsFunc(kind.Credentials, func(set []string) bool {
		return !slices.ContainsFunc(set, func(k string) bool { return keys[k] == "" })
	}) {
		needed = append(needed, kind.Credentials[0]...)
	}
	for _, k := range needed {
		if keys[k] != "" {
			continue
		}
		if types[k] != config.KeySecret {
			return nil, usageErrorf("%s needs --set %s=…", kind.Name, k)
		}
		keys[k] = "env:" + envName(name, k)
	}
	for k, v := range keys {
		if types[k] == config.KeySecret && !o.literalSecrets && !strings.HasPrefix(v, "env:") && !strings.HasPrefix(v, "file:") {
			return nil, usageErrorf("--set %s: a secret is written as env:NAME or file:PATH (or pass --literal-secrets)", k)
		}
	}
	return keys, nil
}

// envName is the environment variable a secret defaults to: ROSTER_NAME_KEY.
func envName(provider, key string) string {
	up := strings.ToUpper("roster_" + provider + "_" + key)
	return strings.Map(func(r rune) rune {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, up)
}

// writeNewConfig creates path with mode 0600 (its directory 0700), and
// never replaces a file that exists.
func writeNewConfig(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return usageErrorf("%s exists; config init never overwrites (choose another --config)", path)
	}
	if err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("config init: %w", err)
	}
	return f.Close()
}
