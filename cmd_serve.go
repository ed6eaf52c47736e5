package main

import "github.com/spf13/cobra"

// newServeCmd is a stub; being built.
func newServeCmd(g *globalFlags) *cobra.Command { return &cobra.Command{Use: "serve", Hidden: true} }
