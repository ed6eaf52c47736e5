package main

import "github.com/spf13/cobra"

// newAuditCmd is a stub; being built.
func newAuditCmd(g *globalFlags) *cobra.Command { return &cobra.Command{Use: "audit", Hidden: true} }
