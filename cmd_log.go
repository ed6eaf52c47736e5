package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"
)

// logFormats are the values of --log-format, as charmbracelet/log names
// its formatters.
var logFormats = map[string]log.Formatter{
	"text":   log.TextFormatter,
	"json":   log.JSONFormatter,
	"logfmt": log.LogfmtFormatter,
}

// logFormatter is --log-format's formatter, or a usage error naming the
// three it accepts.
func (g *globalFlags) logFormatter() (log.Formatter, error) {
	f, ok := logFormats[g.logFormat]
	if !ok {
		return 0, usageErrorf("--log-format must be text, json or logfmt, not %q", g.logFormat)
	}
	return f, nil
}

// newLogger is the one way logs are built (roster serve and --debug): in
// --log-format, timestamped, to w; debug records only with --debug.
func (g *globalFlags) newLogger(w io.Writer, prefix string) (*log.Logger, error) {
	f, err := g.logFormatter()
	if err != nil {
		return nil, err
	}
	level := log.InfoLevel
	if g.debug {
		level = log.DebugLevel
	}
	o := log.Options{ReportTimestamp: true, Prefix: prefix, Formatter: f, Level: level}
	if f != log.TextFormatter { // machines parse RFC 3339
		o.TimeFormat = time.RFC3339
	}
	return log.NewWithOptions(w, o), nil
}

// traceWriter is where --debug's HTTP traces go: the log file when the
// console has the screen (debugOut), else stderr. In text format the trace
// keeps its readable block per request; in json and logfmt each block is
// one record, so log collectors can parse it.
func (g *globalFlags) traceWriter(cmd *cobra.Command) io.Writer {
	w := g.debugOut
	if w == nil {
		w = cmd.ErrOrStderr()
	}
	if g.logFormat == "" || g.logFormat == "text" {
		return w
	}
	logger, err := g.newLogger(w, "roster")
	if err != nil { // readConfig refuses it first; keep the trace anyway
		return w
	}
	return traceLog{logger}
}

// traceLog turns each trace block (httpx writes one per request) into one
// debug record.
type traceLog struct{ logger *log.Logger }

func (t traceLog) Write(p []byte) (int, error) {
	t.logger.Debug("http", "trace", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// openDebugLog opens the console's --debug log: --log-file, else
// roster.log in the state directory, private to the user (0600), appended
// to. The console owns the screen, so its log never goes to stderr.
func (g *globalFlags) openDebugLog() (*os.File, error) {
	path := g.logFile
	if path == "" {
		stateDir := defaultStateDir()
		if stateDir == "" {
			return nil, usageErrorf("--debug in the console needs --log-file (no state directory: set XDG_STATE_HOME or HOME)")
		}
		if err := os.MkdirAll(stateDir, 0o700); err != nil {
			return nil, fmt.Errorf("debug log: %w", err)
		}
		path = filepath.Join(stateDir, "roster.log")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("debug log: %w", err)
	}
	return f, nil
}

// defaultStateDir is $XDG_STATE_HOME/roster, else ~/.local/state/roster:
// the config's StateDir, known before the config (or the demo) loads.
func defaultStateDir() string {
	if base := os.Getenv("XDG_STATE_HOME"); base != "" {
		return filepath.Join(base, "roster")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".local", "state", "roster")
	}
	return ""
}
