package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/cluster"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
	"github.com/roster-tui/roster/crm/tokencache"
	"github.com/roster-tui/roster/ui"
	"github.com/roster-tui/roster/ui/termtext"
)

// globalFlags are the flags every command shares.
type globalFlags struct {
	configPath string
	demo       bool
	provider   string
	debug      bool
	pageSize   int
	// The demo's sandbox: users per provider and delay per request, so
	// anyone can try Roster at scale (`roster --users 1000000 --latency 200ms`).
	demoUsers   int
	demoLatency time.Duration
	// wrapTransport, when set, wraps each provider's HTTP transport
	// (roster serve's metrics).
	wrapTransport func(provider string, rt http.RoundTripper) http.RoundTripper
	// demoWithoutConfig lets a missing config file mean the demo. Only the
	// console sets it (and says "demo data" on screen): a script with a
	// missing or mistyped config path must fail, not act on the demo.
	demoWithoutConfig bool
	// noColor is --no-color: the console draws without colours (attributes
	// such as reverse and bold stay, so the cursor still shows), as with
	// NO_COLOR in the environment (ui.WithoutColour).
	noColor bool
	// mouse is --mouse: clicks and the wheel in the console (as the
	// config's mouse = true).
	mouse bool
	// logFormat is --log-format (text, json, logfmt) for --debug and
	// roster serve; logFile is --log-file, where the console's --debug
	// log goes (debugOut, once opened) instead of over the screen.
	logFormat string
	logFile   string
	debugOut  io.Writer
}

func (g *globalFlags) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.configPath, "config", "", "config file (default $ROSTER_CONFIG, else $XDG_CONFIG_HOME/roster/config.toml)")
	f.BoolVar(&g.demo, "demo", false, "use the embedded sandbox instead of the config")
	f.StringVarP(&g.provider, "provider", "p", "", "provider name from the config (default: default_provider)")
	f.BoolVar(&g.debug, "debug", false, "log every HTTP request to stderr (the console: to --log-file), credentials redacted")
	f.StringVar(&g.logFormat, "log-format", "text", "format of --debug and serve logs: text, json or logfmt")
	f.IntVar(&g.pageSize, "page-size", 0, fmt.Sprintf("users per page, 1..%d (default: the config's page_size)", config.MaxPageSize))
	f.BoolVar(&g.noColor, "no-color", false, "draw the console without colours (as NO_COLOR=1 does)")
	// The console's own flags are the root's alone: `roster users list
	// --help` must not offer knobs that do nothing there. --demo stays
	// global (a CLI command acts on demo data only when asked).
	c := root.Flags()
	c.BoolVar(&g.mouse, "mouse", false, "turn on the mouse in the console: click selects, double-click opens, wheel scrolls, a header click sorts")
	c.StringVar(&g.logFile, "log-file", "", "where the console writes its --debug log (default $XDG_STATE_HOME/roster/roster.log)")
	c.IntVar(&g.demoUsers, "users", sandbox.DefaultUsers, "demo only: users per provider in the embedded sandbox")
	c.DurationVar(&g.demoLatency, "latency", 0, "demo only: delay the embedded sandbox adds to every request, e.g. 200ms")
}

// loaded is a configuration ready to use: from the file, or the demo with
// its embedded sandbox. Close stops the sandbox, if any.
type loaded struct {
	cfg *config.Config
	// stderr is the command's standard error, where warnings go (never
	// os.Stderr directly: tests and embedders give their own).
	stderr io.Writer
	demo   *sandbox.Running // nil unless the demo is in use
	// audit is the audit sink, opened by the first stack that needs it and
	// shared by every provider of the process.
	audit audit.Sink
	// limits holds the process's one rate limiter per provider account,
	// shared by every stack (console, CLI, SSH sessions).
	limits *limit.Registry
	// cluster is the store several instances share ([cluster] store =
	// "postgres"), nil otherwise.
	cluster       *cluster.Store
	clusterFailed bool
}

// limiter is the rate limiter of config entry name's account.
func (l *loaded) limiter(name string) limit.Limiter {
	pc := l.cfg.Providers[name]
	return l.registry().For(pc.Account(), pc.Limits())
}

// registry is the process's one limit.Registry: with [cluster] store =
// "postgres" its limiters are shared by every instance through PostgreSQL
// (crm/cluster), else each process paces itself.
func (l *loaded) registry() *limit.Registry {
	if l.limits != nil {
		return l.limits
	}
	l.limits = &limit.Registry{}
	if store := l.clusterStore(); store != nil {
		l.limits.New = store.NewLimiter
	}
	return l.limits
}

// clusterStore opens the store several instances share ([cluster] store =
// "postgres") once per process; nil without one (or when its DSN does not
// parse: each process then keeps its own limits and tokens, with a warning).
func (l *loaded) clusterStore() *cluster.Store {
	if l.cluster != nil || l.cfg.Cluster.Store != "postgres" || l.clusterFailed {
		return l.cluster
	}
	store, err := cluster.Open(l.cfg.Cluster.DSN.Value)
	if err != nil {
		l.clusterFailed = true
		fmt.Fprintln(l.warnings(), "roster: warning: [cluster]:", err, "- each process keeps its own limits and tokens")
		return nil
	}
	l.cluster = store
	return store
}

// Close stops the embedded sandbox of the demo and the audit sink's
// background work.
func (l *loaded) Close() {
	if l.demo != nil {
		_ = l.demo.Close()
	}
	if l.audit != nil {
		_ = l.audit.Close()
	}
	if l.cluster != nil {
		l.cluster.Close()
	}
}

// loadConfig is the one way commands get their configuration (serve and
// audit included): --demo, else --config, $ROSTER_CONFIG or the default
// path. A missing file is a config error (exit 2), except for the console,
// which then opens the demo. Warnings are printed to the command's stderr.
func (g *globalFlags) loadConfig(cmd *cobra.Command) (*loaded, error) {
	l, err := g.readConfig(cmd)
	if err != nil {
		return nil, err
	}
	for _, w := range l.cfg.Warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "roster: warning:", w)
	}
	if g.pageSize != 0 {
		if g.pageSize < 1 || g.pageSize > config.MaxPageSize {
			l.Close()
			return nil, usageErrorf("--page-size must be between 1 and %d, not %d", config.MaxPageSize, g.pageSize)
		}
		l.cfg.PageSize = g.pageSize
	}
	return l, nil
}

func (g *globalFlags) readConfig(cmd *cobra.Command) (*loaded, error) {
	if _, err := g.logFormatter(); err != nil {
		return nil, err
	}
	if g.demoUsers < 1 || g.demoLatency < 0 {
		return nil, usageErrorf("--users must be at least 1 and --latency not negative")
	}
	demo := sandbox.Options{Users: g.demoUsers, Latency: g.demoLatency}
	if g.demo {
		return startDemo(demo)
	}
	path := g.configPath
	if path == "" {
		path = os.Getenv("ROSTER_CONFIG")
	}
	if path == "" {
		path = config.DefaultPath()
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if g.demoWithoutConfig && g.configPath == "" && os.Getenv("ROSTER_CONFIG") == "" {
			return startDemo(demo)
		}
		return nil, usageErrorf("no config file at %s (set --config, ROSTER_CONFIG, or pass --demo for the embedded sandbox)", path)
	}
	if f := cmd.Flags(); f.Changed("users") || f.Changed("latency") {
		return nil, usageErrorf("--users and --latency shape the demo's sandbox; %s is a real config (add --demo)", path)
	}
	cfg, err := config.LoadContext(cmd.Context(), path)
	if err != nil {
		return nil, configError{err}
	}
	if err := checkKeyBindings(cfg); err != nil {
		return nil, configError{err}
	}
	return &loaded{cfg: cfg, stderr: cmd.ErrOrStderr()}, nil
}

// startDemo runs the sandbox in-process on a free loopback port and points
// the demo configuration at it. The sandbox generates users as they are
// asked for, so even a million start at once.
func startDemo(o sandbox.Options) (*loaded, error) {
	run, err := sandbox.New(o).Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: start the sandbox: %w", err)
	}
	cfg := demoConfig(run.URL)
	if len(cfg.Order) == 0 {
		_ = run.Close()
		return nil, errors.New("demo: no provider kind is built into this binary")
	}
	return &loaded{cfg: cfg, demo: run}, nil
}

// deps are what opening providers needs; --debug traces HTTP to stderr.
// Every provider shares one transport whose Secrets hold every configured
// secret value, so an echoed key never reaches screen, stderr, logs or audit.
// Access tokens are shared with every other Roster process through the
// state directory's token cache — not the demo's, whose sandbox and tokens
// die with the process.
func (g *globalFlags) deps(cmd *cobra.Command, l *loaded) config.Deps {
	secrets := httpx.NewSecrets()
	o := httpx.Options{Secrets: secrets}
	if g.debug {
		o.Trace = g.traceWriter(cmd)
	}
	d := config.Deps{HTTP: httpx.NewHTTPClient(o), Secrets: secrets}
	if l.demo == nil && l.cfg.StateDir != "" {
		d.Tokens = tokencache.NewFile(filepath.Join(l.cfg.StateDir, "tokens"))
	}
	if store := l.clusterStore(); store != nil {
		// Several instances: one refresh per expiry among all of them,
		// tokens sealed at rest in PostgreSQL.
		if tokens, err := store.Tokens(l.cfg.Cluster.Key); err == nil {
			d.Tokens = tokens
		}
	}
	return d
}

// openAll loads the config and opens every provider, in config order. The
// caller closes the returned loaded.
func (g *globalFlags) openAll(cmd *cobra.Command) (*loaded, []crm.Provider, error) {
	l, err := g.loadConfig(cmd)
	if err != nil {
		return nil, nil, err
	}
	d := g.deps(cmd, l)
	providers := make([]crm.Provider, 0, len(l.cfg.Order))
	for _, name := range l.cfg.Order {
		pd := d
		if g.wrapTransport != nil { // serve counts each provider's answers
			client := *d.HTTP
			rt := client.Transport
			if rt == nil {
				rt = http.DefaultTransport
			}
			client.Transport = g.wrapTransport(name, rt)
			pd.HTTP = &client
		}
		p, err := config.Open(l.cfg.Providers[name], pd)
		if err != nil {
			l.Close()
			return nil, nil, err
		}
		providers = append(providers, p)
	}
	return l, providers, nil
}

// providerName is the provider a command works on: --provider, else the
// config's default. It checks the name exists.
func (g *globalFlags) providerName(cfg *config.Config) (string, error) {
	name := g.provider
	if name == "" {
		name = cfg.DefaultProvider
	}
	if _, ok := cfg.Providers[name]; !ok {
		return "", usageErrorf("no provider %q in %s (have %s)", name, configName(cfg), strings.Join(cfg.Order, ", "))
	}
	return name, nil
}

// openOne loads the config and opens the one provider a command reads,
// stacked (crm/stack) for the local admin but not audited: reads are not,
// and a read must not fail for want of a writable audit log. The caller
// closes the returned loaded.
func (g *globalFlags) openOne(cmd *cobra.Command) (crm.Provider, *loaded, error) {
	p, name, l, err := g.openNamed(cmd)
	if err != nil {
		return nil, nil, err
	}
	return stack.Build(p, l.stackOptions(name, "cli")), l, nil
}

// openForWrite is openOne for commands that change users: read_only is
// enforced below the command (crm/guard) and, outside the demo, every change
// is appended to the audit log as the local OS user.
func (g *globalFlags) openForWrite(cmd *cobra.Command) (crm.Provider, *loaded, error) {
	p, name, l, err := g.openNamed(cmd)
	if err != nil {
		return nil, nil, err
	}
	if p, err = l.stacked(name, p, "cli"); err != nil {
		l.Close()
		return nil, nil, err
	}
	return p, l, nil
}

// openNamed is openOne that also says which config entry it opened.
func (g *globalFlags) openNamed(cmd *cobra.Command) (crm.Provider, string, *loaded, error) {
	l, err := g.loadConfig(cmd)
	if err != nil {
		return nil, "", nil, err
	}
	name, err := g.providerName(l.cfg)
	if err != nil {
		l.Close()
		return nil, "", nil, err
	}
	p, err := config.Open(l.cfg.Providers[name], g.deps(cmd, l))
	if err != nil {
		l.Close()
		return nil, "", nil, err
	}
	return p, name, l, nil
}

// stacked builds the provider stack (crm/stack) around the adapter opened
// from config entry name, for the local admin via "cli" or "tui": audited
// outside the demo, in the one audit log of the process.
func (l *loaded) stacked(name string, p crm.Provider, via string) (crm.Provider, error) {
	o := l.stackOptions(name, via)
	if l.demo == nil { // the demo's users live in memory; nothing to trace
		log, err := l.auditLog()
		if err != nil {
			return nil, err
		}
		o.Audit = log
		l.settle(p, o)
	}
	return stack.Build(p, o), nil
}

// auditLog opens the process's one audit sink ([audit] sink: the file, or
// PostgreSQL) on first use: its warnings are printed once, and every
// provider's stack shares it.
func (l *loaded) auditLog() (audit.Sink, error) {
	if l.audit != nil {
		return l.audit, nil
	}
	sink, warnings, err := audit.OpenSink(auditOptions(l.cfg))
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		fmt.Fprintln(l.warnings(), "warning:", w)
	}
	l.audit = sink
	return sink, nil
}

// auditOptions say which audit sink the config asks for.
func auditOptions(cfg *config.Config) audit.SinkOptions {
	return audit.SinkOptions{Kind: cfg.Audit.Sink, File: cfg.SSH.AuditLog, DSN: cfg.Audit.DSN.Value,
		Spool: cfg.Audit.Spool, Timeout: cfg.Audit.Wait}
}

// settle resolves the changes an ended process left without an outcome for
// adapter p, by reading the users now (bounded: a slow provider must not
// stall us) through the stack's limiter (stack.Settle).
func (l *loaded) settle(p crm.Provider, o stack.Options) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	n, err := stack.Settle(ctx, p, o)
	if n > 0 {
		fmt.Fprintf(l.warnings(), "audit: settled %d change(s) an ended process left without an outcome\n", n)
	}
	if err != nil {
		fmt.Fprintf(l.warnings(), "audit: could not settle the changes an ended process left without an outcome: %s\n", termtext.Clean(err.Error()))
	}
}

// warnings is where warnings are printed: the command's stderr.
func (l *loaded) warnings() io.Writer {
	if l.stderr == nil {
		return os.Stderr
	}
	return l.stderr
}

// stackOptions are the stack of the local admin, without the audit log.
func (l *loaded) stackOptions(name, via string) stack.Options {
	return stack.Options{Role: guard.Admin, ReadOnly: l.cfg.Providers[name].ReadOnly,
		Who: audit.Who{Name: localUser(), Via: via}, Limiter: l.limiter(name)}
}

// localUser names the person at this terminal for the audit log.
func localUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	return "unknown"
}

func configName(cfg *config.Config) string {
	if cfg.Path == "" {
		return "the demo"
	}
	return cfg.Path
}

// runTUI is `roster` without a subcommand: the console in this terminal.
func runTUI(cmd *cobra.Command, g *globalFlags) error {
	g.demoWithoutConfig = true
	if g.debug { // before the providers open: their traces go to the file
		logFile, err := g.openDebugLog()
		if err != nil {
			return err
		}
		defer logFile.Close()
		g.debugOut = logFile
	}
	l, providers, err := g.openAll(cmd)
	if err != nil {
		return err
	}
	defer l.Close()
	for i, p := range providers {
		if providers[i], err = l.stacked(l.cfg.Order[i], p, "tui"); err != nil {
			return err
		}
	}
	opts := ui.Options{Providers: providers, PageSize: l.cfg.PageSize, Preferred: l.cfg.DefaultProvider, Demo: l.demo != nil}
	consoleOptions(&opts, l.cfg, g.mouse)
	opts.State, opts.Views = consoleState(l, cmd.ErrOrStderr())
	if g.noColor || termenv.EnvNoColor() {
		opts.Renderer, opts.Theme = withoutColour(cmd.OutOrStdout())
	}
	if l.audit != nil {
		opts.AuditStatus = func() string { return l.audit.Status().String() }
	}
	if g.provider != "" {
		// Only an explicit choice skips the picker.
		if opts.Default, err = g.providerName(l.cfg); err != nil {
			return err
		}
	}
	ctx := cmd.Context() // cobra's Execute sets one: never nil
	// 20 frames a second, not Bubble Tea's 60: the renderer's ticker runs
	// whether or not anything changed, and each tick wakes the Go scheduler;
	// at 60 the idle console used ~0.9 % of a core, at 20 about a third of
	// that (README, Performance). A key's frame waits at most 50 ms: the
	// ticker is also the only flush. 10 would bring 50 users near 0.3 % but
	// double that wait, and at 1M users the idle cost on the measuring VM
	// barely depends on the rate (it grows with the memory held), so 20.
	teaOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithFPS(idleFPS)}
	if opts.Mouse {
		teaOpts = append(teaOpts, tea.WithMouseCellMotion())
	}
	// Bubble Tea finds the terminal itself for the process's own stdio; only
	// redirected streams (tests) are passed on.
	if in := cmd.InOrStdin(); in != os.Stdin {
		teaOpts = append(teaOpts, tea.WithInput(in))
	}
	if out := cmd.OutOrStdout(); out != os.Stdout {
		teaOpts = append(teaOpts, tea.WithOutput(out))
	}
	prog := tea.NewProgram(ui.New(opts), teaOpts...)
	if _, err := prog.Run(); err != nil && !(errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil) {
		return fmt.Errorf("terminal: %w", err)
	}
	return nil
}

// idleFPS is the console's frame rate (see runTUI's options).
const idleFPS = 20
