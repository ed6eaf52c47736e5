package main

import "github.com/spf13/cobra"

// newUsersCmd is a stub; being built.
func newUsersCmd(g *globalFlags) *cobra.Command { return &cobra.Command{Use: "users"} }
