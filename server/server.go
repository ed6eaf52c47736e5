// Package server is `roster serve`: the console over SSH for a team. Every
// session gets its own Bubble Tea program and renderer, its user's role is
// enforced below the UI (crm/guard) and every change is audited (crm/audit)
// under the name of the key that signed in.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	"github.com/charmbracelet/wish/logging"
	"github.com/charmbracelet/wish/recover"
	"github.com/pires/go-proxyproto"
	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/limit"
)

// Options configure a server.
type Options struct {
	Config *config.Config
	// Providers are the opened providers, in Config.Order. They are shared
	// by every session (one token cache and rate limit per account); each
	// session wraps them for its user.
	Providers []crm.Provider
	// Limits holds the process's rate limiter per provider account
	// (crm/limit); every session's stack of an account shares its limiter.
	// nil: a registry of the server's own.
	Limits *limit.Registry
	// Audit is the process's audit sink; nil: the file at [ssh] audit_log.
	Audit audit.Sink
	// Metrics counts what /metrics shows; nil: counters of the server's own.
	Metrics *Metrics
	// Logger receives connection and error lines; nil discards them.
	Logger *log.Logger
	// slotFreed, when set, is called each time a console slot is freed
	// (tests wait for it instead of polling).
	slotFreed func()
}

// Server is a configured SSH console; New builds it, Serve runs it.
type Server struct {
	cfg       *config.Config
	providers []crm.Provider
	keys      atomic.Pointer[keyring] // replaced whole by Reload
	audit     audit.Sink
	metrics   *Metrics
	logger    *log.Logger
	ssh       *ssh.Server
	writes    writes
	limits    *limit.Registry
	slotFreed func()

	mu       sync.Mutex
	closing  bool
	sessions map[*tea.Program]struct{}
	active   int            // sessions admitted and not yet ended
	handlers sync.WaitGroup // sessions past the gate
}

// New checks the configuration, loads (or creates) the host key and opens
// the audit log. It listens nowhere yet.
func New(o Options) (*Server, error) {
	cfg := o.Config
	if len(cfg.SSH.Users) == 0 {
		return nil, errors.New("ssh: no [[ssh.users]] in the config; nobody could sign in")
	}
	if len(o.Providers) != len(cfg.Order) {
		return nil, fmt.Errorf("ssh: %d providers opened for %d configured", len(o.Providers), len(cfg.Order))
	}
	keys, err := newKeyring(cfg.SSH.Users)
	if err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	signer, err := loadHostKey(cfg.SSH.HostKey)
	if err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	sink := o.Audit
	if sink == nil {
		alog, err := audit.Open(cfg.SSH.AuditLog)
		if err != nil {
			return nil, fmt.Errorf("ssh: %w", err)
		}
		sink = alog
	}
	logger := o.Logger
	if logger == nil {
		logger = log.New(io.Discard)
	}
	// Admins compare this with what ssh shows on first connection.
	logger.Info("host key", "path", cfg.SSH.HostKey, "fingerprint", gossh.FingerprintSHA256(signer.PublicKey()))
	if l, ok := sink.(*audit.Log); ok {
		for _, w := range l.Warnings() {
			logger.Warn(w)
		}
	}
	metrics := o.Metrics
	if metrics == nil {
		metrics = NewMetrics()
	}
	s := &Server{
		cfg: cfg, providers: o.Providers, audit: sink, metrics: metrics, logger: logger,
		sessions: map[*tea.Program]struct{}{}, slotFreed: o.slotFreed, limits: o.Limits,
	}
	s.keys.Store(keys)
	if s.limits == nil {
		s.limits = &limit.Registry{}
	}
	s.ssh, err = wish.NewServer(
		withHostSigner(signer), // before wish would write a key of its own
		withoutAgentForwarding(),
		withPending(&pending{timeout: authTimeout(cfg), limit: maxPending(cfg)}),
		wish.WithPublicKeyAuth(s.listed),
		// No password or keyboard-interactive handler: those methods are
		// not offered at all. No forwarding callbacks: all refused.
		wish.WithMiddleware(recover.MiddlewareWithLogger(logger,
			// Run last to first: logging, gate, activeterm, the
			// program, then farewell once the program has ended.
			s.farewell,
			s.console,
			activeterm.Middleware(),
			s.gate,
			logging.MiddlewareWithLogger(logger),
		)),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	return s, nil
}

func withHostSigner(signer ssh.Signer) ssh.Option {
	return func(srv *ssh.Server) error {
		srv.HostSigners = append(srv.HostSigners, signer)
		return nil
	}
}

// withPending bounds connections that have not signed in (see pending).
func withPending(p *pending) ssh.Option {
	return func(srv *ssh.Server) error {
		srv.ConnCallback = p.admit
		return nil
	}
}

func authTimeout(cfg *config.Config) time.Duration {
	if cfg.SSH.Auth > 0 {
		return cfg.SSH.Auth
	}
	d, _ := time.ParseDuration(config.DefaultSSHAuthTimeout)
	return d
}

func maxPending(cfg *config.Config) int {
	if cfg.SSH.MaxUnauthenticated > 0 {
		return cfg.SSH.MaxUnauthenticated
	}
	return config.DefaultSSHMaxUnauthenticated
}

// Serve accepts sessions on ln until Shutdown; it returns nil after a
// shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if s.cfg.SSH.ProxyProtocol {
		// Every connection must open with a PROXY header (v1 or v2) naming
		// the client; one without is closed. The header is believed from
		// any peer, so only the balancer may reach this port.
		ln = &proxyproto.Listener{Listener: ln, ReadHeaderTimeout: authTimeout(s.cfg)}
	}
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting sessions, lets changes in flight finish (saved
// and audited), then ends every session and closes the connections. When
// ctx ends first, whatever is left is cut and ctx's error returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()

	stopped := make(chan error, 1)
	go func() { stopped <- s.ssh.Shutdown(ctx) }() // closes the listener at once

	drainErr := s.writes.drain(ctx)
	s.mu.Lock()
	for p := range s.sessions {
		// Quit blocks until the program reads it; never under the lock.
		go p.Quit()
	}
	s.mu.Unlock()
	ended := make(chan struct{})
	go func() { s.handlers.Wait(); close(ended) }()
	var waitErr error
	select {
	case <-ended:
	case <-ctx.Done():
		waitErr = ctx.Err()
	}
	// Sessions are over; their connections have nothing left to carry.
	closeErr := s.ssh.Close()
	<-stopped
	if err := errors.Join(drainErr, waitErr); err != nil {
		return fmt.Errorf("ssh: shutdown: %w", err)
	}
	if closeErr != nil && !errors.Is(closeErr, net.ErrClosed) {
		return fmt.Errorf("ssh: shutdown: %w", closeErr)
	}
	return nil
}
