package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"

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
	logger := log.NewWithOptions(cmd.ErrOrStderr(), log.Options{ReportTimestamp: true, Prefix: "roster serve"})
	srv, err := server.New(server.Options{Config: l.cfg, Providers: providers, Logger: logger, Limits: l.limits})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", l.cfg.SSH.Listen)
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	logger.Info("listening", "addr", ln.Addr().String(), "users", len(l.cfg.SSH.Users), "audit_log", l.cfg.SSH.AuditLog)

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
