package main

import "github.com/spf13/cobra"

// newSandboxCmd is a stub; being built.
func newSandboxCmd() *cobra.Command { return &cobra.Command{Use: "sandbox"} }
