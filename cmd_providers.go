package main

import "github.com/spf13/cobra"

// newProvidersCmd is a stub; being built.
func newProvidersCmd(g *globalFlags) *cobra.Command { return &cobra.Command{Use: "providers"} }
