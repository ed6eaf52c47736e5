package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/server"
)

// shutdownGrace is how long `roster serve` waits, after SIGINT or SIGTERM,
// for changes in flight to be saved and audited before it cuts sessions.
// A second signal cuts them at once.
const shutdownGrace = 30 * time.Second

// newServeCmd is `roster serve`: the console over SSH for the [[ssh.users]].
func newServeCmd(g *globalFlags) *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:     "serve",
		Example: "  roster serve\n  roster serve --listen 0.0.0.0:23234\n  ssh -p 23234 localhost",
		Short:   "Serve the console over SSH to the people listed in [[ssh.users]]",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd, g, listen)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "HOST:PORT to listen on (default: listen in [ssh], else 127.0.0.1:23234)")
	return cmd
}

func runServe(cmd *cobra.Command, g *globalFlags, listen string) error {
	metrics := server.NewMetrics()
	g.wrapTransport = metrics.Transport
	l, providers, err := g.openAll(cmd)
	if err != nil {
		return err
	}
	defer l.Close()
	if l.demo != nil {
		return errors.New("serve needs a config file with [ssh] and [[ssh.users]] (see SSH console in the README); the demo has none")
	}
	if listen != "" {
		if _, _, err := net.SplitHostPort(listen); err != nil {
			return fmt.Errorf("--listen %q: want HOST:PORT", listen)
		}
		l.cfg.SSH.Listen = listen
	}
	logger, err := g.newLogger(cmd.ErrOrStderr(), "roster serve")
	if err != nil {
		return err
	}
	sink, err := l.auditLog()
	if err != nil {
		return err
	}
	srv, err := server.New(server.Options{Config: l.cfg, Providers: providers, Logger: logger, Limits: l.registry(),
		Audit: sink, Metrics: metrics})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", l.cfg.SSH.Listen)
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	logger.Info("listening", "addr", ln.Addr().String(), "users", len(l.cfg.SSH.Users),
		"audit", auditWhere(l.cfg.Audit.Sink, l.cfg.SSH.AuditLog), "proxy_protocol", l.cfg.SSH.ProxyProtocol)
	if addr := l.cfg.SSH.HealthListen; addr != "" {
		stop, err := serveHealth(addr, srv, logger)
		if err != nil {
			return err
		}
		defer stop()
	}
	stopReload := reloadOnHangup(cmd.Context(), l.cfg.Path, srv, logger)
	defer stopReload()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-cmd.Context().Done():
	}

	logger.Info("shutting down: letting changes in flight finish", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(again)
	go func() {
		select {
		case <-again:
			logger.Warn("second signal: closing sessions now")
			cancel()
		case <-sctx.Done():
		}
	}()
	err = srv.Shutdown(sctx)
	if serr := <-served; serr != nil {
		err = errors.Join(err, serr)
	}
	return err
}

// serveHealth serves /healthz and /metrics on addr until stop is called.
func serveHealth(addr string, srv *server.Server, logger *log.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("health_listen: %w", err)
	}
	hs := &http.Server{Handler: srv.HealthHandler(), ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	logger.Info("health", "addr", ln.Addr().String(), "paths", "/healthz /metrics")
	return func() { _ = hs.Close() }, nil
}

// reloadOnHangup re-reads the config's users and their authorized_keys
// files on SIGHUP: a revoked key is refused from then on, sessions
// already open go on. A config that no longer loads changes nothing.
func reloadOnHangup(ctx context.Context, path string, srv *server.Server, logger *log.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-hup:
				cfg, err := config.LoadContext(ctx, path)
				if err == nil {
					err = srv.Reload(cfg.SSH.Users)
				}
				if err != nil {
					logger.Error("SIGHUP: users and keys not reloaded", "err", err)
				}
			}
		}
	}()
	return func() { signal.Stop(hup); close(done) }
}
