package main

import "github.com/spf13/cobra"

// globalFlags are the flags every command shares. (Stub: being built.)
type globalFlags struct {
	configPath string
	demo       bool
}

func (g *globalFlags) register(root *cobra.Command) {
	root.PersistentFlags().StringVar(&g.configPath, "config", "", "config file (default $XDG_CONFIG_HOME/roster/config.toml)")
	root.PersistentFlags().BoolVar(&g.demo, "demo", false, "use the embedded sandbox instead of the config")
}

func runTUI(cmd *cobra.Command, g *globalFlags) error { return nil }
