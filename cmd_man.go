package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd is `roster man`: roff manual pages for every command, made by
// cobra/doc from the same help text --help prints, so they cannot drift.
func newManCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:     "man",
		Short:   "Write the manual pages (roster.1 and one per command) to a directory",
		Example: "  roster man --dir /usr/local/share/man/man1\n  roster man && man ./roster.1",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("man: %w", err)
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true // reproducible pages
			header := &doc.GenManHeader{Title: "ROSTER", Section: "1", Source: "roster " + readBuildVersion().Version}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return fmt.Errorf("man: %w", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "wrote", filepath.Join(dir, "roster.1"), "and one page per command")
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "directory to write the pages to")
	return cmd
}
