package config

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/crm/guard"
)

// Defaults applied by the loader.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// loader validates one decoded config, collecting every problem.
type loader struct {
	cfg   *Config
	idx   *keyIndex
	env   environment
	kinds []Kind
	// tables are the provider tables as decoded, by provider name.
	tables map[string]map[string]any
	errs   []error // every one an *Error
}

// errAt records a problem at the key path, or at its nearest written parent.
func (l *loader) errAt(path []string, format string, args ...any) {
	e := &Error{File: l.cfg.Path, Msg: fmt.Sprintf(format, args...)}
	for i := len(path); i > 0; i-- {
		if pos, ok := l.idx.at(path[:i]...); ok {
			e.Line, e.Col = pos.line, pos.col
			break
		}
	}
	l.errs = append(l.errs, e)
}

// warnAt records a warning the same way; warnings do not stop loading.
func (l *loader) warnAt(path []string, format string, args ...any) {
	e := &Error{File: l.cfg.Path, Msg: fmt.Sprintf(format, args...)}
	if pos, ok := l.idx.at(path...); ok {
		e.Line, e.Col = pos.line, pos.col
	}
	l.cfg.Warnings = append(l.cfg.Warnings, e.Error())
}

func (l *loader) has(path ...string) bool {
	_, ok := l.idx.at(path...)
	return ok
}

func (l *loader) validate() {
	c := l.cfg
	if len(c.Order) == 0 {
		l.errAt(nil, "no providers: add a [providers.NAME] table")
	}
	for _, name := range c.Order {
		if l.env.ctx != nil && l.env.ctx.Err() != nil {
			return // parse reports the interruption
		}
		p := c.Providers[name]
		l.validateProvider(&p)
		c.Providers[name] = p
	}
	if !l.has("page_size") {
		c.PageSize = DefaultPageSize
	} else if c.PageSize < 1 || c.PageSize > MaxPageSize {
		l.errAt([]string{"page_size"}, "page_size must be between 1 and %d, not %d", MaxPageSize, c.PageSize)
	}
	switch {
	case c.DefaultProvider == "" && len(c.Order) > 0:
		c.DefaultProvider = c.Order[0]
	case c.DefaultProvider != "":
		if _, ok := c.Providers[c.DefaultProvider]; !ok {
			l.errAt([]string{"default_provider"}, "default_provider %q is not a configured provider (have %s)", c.DefaultProvider, strings.Join(c.Order, ", "))
		}
	}
	l.validateSSH()
	l.validateSSHOperations()
	l.validateAudit()
	l.validateCluster()
	l.validateConsole()
}

// andList writes "a, b and c".
func andList(items []string) string { return joinLast(items, " and ") }

// orList writes "a, b or c".
func orList(items []string) string { return joinLast(items, " or ") }

func joinLast(items []string, last string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// Defaults of the [ssh] table.
const (
	DefaultSSHListen             = "127.0.0.1:23234"
	DefaultSSHIdleTimeout        = "15m"
	DefaultSSHMaxSessions        = 50
	DefaultSSHWriteTimeout       = "30s"
	DefaultSSHAuthTimeout        = "20s"
	DefaultSSHMaxUnauthenticated = 20
)

// sshDuration parses the [ssh] duration key, filling in def when unset.
func (l *loader) sshDuration(key string, text *string, def string) time.Duration {
	if *text == "" {
		*text = def
	}
	d, err := time.ParseDuration(*text)
	if err != nil || d <= 0 {
		l.errAt([]string{"ssh", key}, "ssh %s %q: want a positive duration such as 20s or 1m", key, *text)
		return 0
	}
	return d
}

func (l *loader) validateSSH() {
	s := &l.cfg.SSH
	at := func(key string) []string { return []string{"ssh", key} }
	if s.Listen == "" {
		s.Listen = DefaultSSHListen
	} else if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		l.errAt(at("listen"), "ssh listen %q: want HOST:PORT", s.Listen)
	}
	if s.HostKey == "" {
		s.HostKey = filepath.Join(l.env.stateDir, "roster", "ssh_host_ed25519")
	} else {
		s.HostKey = l.filePath(s.HostKey)
	}
	if s.AuditLog == "" {
		s.AuditLog = filepath.Join(l.env.stateDir, "roster", "audit.jsonl")
	} else {
		s.AuditLog = l.filePath(s.AuditLog)
	}
	if s.IdleTimeout == "" {
		s.IdleTimeout = DefaultSSHIdleTimeout
	}
	if d, err := time.ParseDuration(s.IdleTimeout); err != nil || d <= 0 {
		l.errAt(at("idle_timeout"), "ssh idle_timeout %q: want a positive duration such as 15m or 1h30m", s.IdleTimeout)
	} else {
		s.Idle = d
	}
	s.Write = l.sshDuration("write_timeout", &s.WriteTimeout, DefaultSSHWriteTimeout)
	s.Auth = l.sshDuration("auth_timeout", &s.AuthTimeout, DefaultSSHAuthTimeout)
	if !l.has("ssh", "max_unauthenticated") {
		s.MaxUnauthenticated = DefaultSSHMaxUnauthenticated
	} else if s.MaxUnauthenticated < 1 {
		l.errAt(at("max_unauthenticated"), "ssh max_unauthenticated must be at least 1, not %d", s.MaxUnauthenticated)
	}
	if !l.has("ssh", "max_sessions") {
		s.MaxSessions = DefaultSSHMaxSessions
	} else if s.MaxSessions < 1 {
		l.errAt(at("max_sessions"), "ssh max_sessions must be at least 1, not %d", s.MaxSessions)
	}
	seen := map[string]bool{}
	for i := range s.Users {
		u := &s.Users[i]
		uat := func(key string) []string { return []string{"ssh", "users", elem(i), key} }
		who := fmt.Sprintf("ssh user #%d", i+1)
		if u.Name == "" {
			l.errAt(uat("name"), "%s: missing name", who)
		} else {
			who = fmt.Sprintf("ssh user %q", u.Name)
			if seen[u.Name] {
				l.errAt(uat("name"), "%s is listed twice", who)
			}
			seen[u.Name] = true
		}
		if _, err := guard.ParseRole(u.Role); err != nil { // the guard's roles, the only list
			l.errAt(uat("role"), "%s: role %q is not one of %s", who, u.Role, orList(roleNames()))
		}
		if len(u.Keys) == 0 && u.AuthorizedKeys == "" {
			l.errAt(uat("name"), "%s: needs keys or authorized_keys", who)
		}
		for k, key := range u.Keys {
			if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(key)); err != nil {
				l.errAt(uat("keys"), "%s: keys[%d] is not an SSH public key (want a line such as \"ssh-ed25519 AAAA… name\")", who, k)
			}
		}
		if u.AuthorizedKeys != "" {
			u.AuthorizedKeys = l.filePath(u.AuthorizedKeys)
		}
	}
}

// roleNames are the guard's roles as the config writes them.
func roleNames() []string {
	out := make([]string, len(guard.Roles))
	for i, r := range guard.Roles {
		out[i] = string(r)
	}
	return out
}

// filePath expands ~ and makes a relative path relative to the config
// file's directory, so a config means the same from any working directory.
func (l *loader) filePath(p string) string {
	p = expandHome(p, l.env.home)
	if !filepath.IsAbs(p) && l.cfg.Path != "" {
		p = filepath.Join(filepath.Dir(l.cfg.Path), p)
	}
	return p
}
