package server

import (
	"fmt"

	"github.com/charmbracelet/ssh"

	"github.com/roster-tui/roster/config"
)

// listed is the public-key callback: is the key in the current keyring?
func (s *Server) listed(ctx ssh.Context, key ssh.PublicKey) bool {
	return s.keys.Load().listed(ctx, key)
}

// Reload replaces the users and their keys (roster serve does it on
// SIGHUP, re-reading the config and the authorized_keys files). New
// connections are checked against them at once — a revoked key is refused
// without a restart — while sessions already open go on. On an error the
// keys in force stay.
func (s *Server) Reload(users []config.SSHUser) error {
	if len(users) == 0 {
		return fmt.Errorf("ssh: reload: no [[ssh.users]]; keeping the keys in force")
	}
	keys, err := newKeyring(users)
	if err != nil {
		return fmt.Errorf("ssh: reload: %w; keeping the keys in force", err)
	}
	s.keys.Store(keys)
	s.logger.Info("reloaded users and keys", "users", len(users), "keys", len(keys.byKey))
	return nil
}
