package main

import (
	"io"
	"os"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
)

// askConfigInit is `roster config init` without --kind: a huh form asks
// the kind, the name and the keys the kind needs (its required keys and
// first credential set, plus base_url), secrets prefilled with their env:
// reference. On a terminal it is the usual form; from a pipe it is huh's
// accessible mode (one prompt per line), which the tests drive.
func askConfigInit(cmd *cobra.Command, o *configInit) error {
	opts := make([]huh.Option[string], 0, len(config.Kinds))
	for _, k := range config.AllKinds() {
		opts = append(opts, huh.NewOption(k.Name+" ("+k.Label+")", k.Name))
	}
	first := huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().Title("Provider kind").Options(opts...).Value(&o.kind),
		huh.NewInput().Title("Name in the config").Description("empty: the kind").Value(&o.name),
	))
	if err := runForm(cmd, first); err != nil {
		return err
	}
	kind, _ := config.KindNamed(o.kind)
	name := o.name
	if name == "" {
		name = kind.Name
	}
	wanted := []config.Key{{Name: "base_url", Type: config.KeyURL}}
	for _, k := range kind.Keys {
		inFirstSet := len(kind.Credentials) > 0 && slices.Contains(kind.Credentials[0], k.Name)
		if k.Required || inFirstSet {
			wanted = append(wanted, k)
		}
	}
	values := make([]string, len(wanted))
	var fields []huh.Field
	for i, k := range wanted {
		if k.Type == config.KeySecret {
			values[i] = "env:" + envName(name, k.Name) // before Value reads it
		}
		in := huh.NewInput().Title(k.Name).Value(&values[i])
		switch {
		case k.Type == config.KeySecret:
			in.Description("a secret: env:NAME or file:PATH")
		case k.Name == "base_url":
			in.Description("empty: the provider's default")
		}
		fields = append(fields, in)
	}
	if err := runForm(cmd, huh.NewForm(huh.NewGroup(fields...))); err != nil {
		return err
	}
	for i, k := range wanted {
		if v := strings.TrimSpace(values[i]); v != "" {
			o.set = append(o.set, k.Name+"="+v)
		}
	}
	return nil
}

// runForm runs f on the command's streams: accessible (line by line)
// unless stdin is a terminal.
func runForm(cmd *cobra.Command, f *huh.Form) error {
	in := cmd.InOrStdin()
	tty := false
	if file, ok := in.(*os.File); ok {
		if fi, err := file.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	if !tty {
		in = byteReader{in}
	}
	err := f.WithInput(in).WithOutput(cmd.ErrOrStderr()).WithAccessible(!tty).WithShowHelp(tty).Run()
	if err != nil {
		return usageErrorf("config init: %v", err)
	}
	return nil
}

// byteReader hands out one byte per Read: huh's accessible prompts each
// scan the input afresh, and a scanner that read ahead would swallow the
// next prompts' lines.
type byteReader struct{ r io.Reader }

func (b byteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return b.r.Read(p)
}
