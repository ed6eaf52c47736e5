// Package config reads Roster's TOML configuration into a validated Config,
// resolves secret references (literal, env:NAME, file:PATH) and opens the
// configured providers.
package config

import "time"

// Config is a loaded, validated configuration.
type Config struct {
	// Path is the file it came from ("" for the built-in demo).
	Path string `toml:"-"`
	// StateDir is Roster's directory for state that is not configuration
	// ($XDG_STATE_HOME/roster or ~/.local/state/roster): the shared cache of
	// access tokens lives in its "tokens". "" when unknown (no home).
	StateDir        string              `toml:"-"`
	DefaultProvider string              `toml:"default_provider"`
	PageSize        int                 `toml:"page_size"`
	Providers       map[string]Provider `toml:"-"` // decoded by the kind registry (document)
	// Order lists provider names in the order the file declares them.
	Order []string `toml:"-"`
	SSH   SSH      `toml:"ssh"`
	// Audit and Cluster are for several instances sharing PostgreSQL.
	Audit   Audit   `toml:"audit"`
	Cluster Cluster `toml:"cluster"`
	// Console is theme, mouse, [theme_colors] and [keys] (console.go).
	Console
	// Warnings are problems that do not stop loading (e.g. a literal secret
	// in a file others can read).
	Warnings []string `toml:"-"`
}

// Provider is one [providers.NAME] table: the keys every kind takes
// (CommonKeys) as fields, and the kind's own keys, which its registry entry
// (config/<kind>.go) declares, by name in Keys — so a new kind needs no field
// here. The loader rejects keys the kind does not take.
type Provider struct {
	Name     string `toml:"-"`
	Kind     string `toml:"kind"`
	BaseURL  string `toml:"base_url"`
	ReadOnly bool   `toml:"read_only"`
	// RateLimit overrides the kind's published rate ("50/10s"); see Limits.
	RateLimit string `toml:"rate_limit"`
	// MaxConcurrency caps requests in flight (any kind); Zoho's also bounds
	// the pages "load all" fetches at once.
	MaxConcurrency int `toml:"max_concurrency"`
	// Keys are the kind's own keys; read them with Value.
	Keys Keys `toml:"-"`
	// Views are the [[providers.NAME.views]] entries, any kind (views.go).
	Views []View `toml:"-"`
}

// SSH is the [ssh] table for `roster serve`.
type SSH struct {
	Listen      string `toml:"listen"`
	HostKey     string `toml:"host_key"`
	IdleTimeout string `toml:"idle_timeout"`
	// Idle is IdleTimeout parsed (the loader checks it).
	Idle        time.Duration `toml:"-"`
	MaxSessions int           `toml:"max_sessions"`
	AuditLog    string        `toml:"audit_log"`
	Users       []SSHUser     `toml:"users"`
	// WriteTimeout bounds one write of session output: a client that does
	// not read for this long is disconnected. Write is it parsed.
	WriteTimeout string        `toml:"write_timeout"`
	Write        time.Duration `toml:"-"`
	// AuthTimeout bounds the time from connection to signed in; Auth is it
	// parsed. MaxUnauthenticated caps connections not yet signed in.
	AuthTimeout        string        `toml:"auth_timeout"`
	Auth               time.Duration `toml:"-"`
	MaxUnauthenticated int           `toml:"max_unauthenticated"`
	// ProxyProtocol: connections come from a load balancer that speaks
	// PROXY protocol (v1 or v2) and says who the client is.
	ProxyProtocol bool `toml:"proxy_protocol"`
	// HealthListen, when set, serves /healthz and /metrics over HTTP.
	HealthListen string `toml:"health_listen"`
}

// SSHUser is one [[ssh.users]] entry.
type SSHUser struct {
	Name           string   `toml:"name"`
	Role           string   `toml:"role"` // viewer | editor | admin
	Keys           []string `toml:"keys"`
	AuthorizedKeys string   `toml:"authorized_keys"` // a path; ~ expanded at load
}

// Secret is a credential from the config: a literal, env:NAME or file:PATH.
// Its value never prints: String, GoString and MarshalText redact it.
type Secret struct {
	Ref   string // as written in the file
	Value string // resolved at load
}

// String redacts the secret.
func (s Secret) String() string {
	if s.Value == "" && s.Ref == "" {
		return ""
	}
	return "[redacted]"
}

// GoString redacts the secret in %#v.
func (s Secret) GoString() string { return `config.Secret{"[redacted]"}` }

// IsSet reports whether the secret was given.
func (s Secret) IsSet() bool { return s.Ref != "" }

// UnmarshalText keeps the reference; the loader resolves it.
func (s *Secret) UnmarshalText(b []byte) error {
	s.Ref = string(b)
	return nil
}

// MarshalText writes the reference only when it is not a literal.
func (s Secret) MarshalText() ([]byte, error) {
	if isReference(s.Ref) {
		return []byte(s.Ref), nil
	}
	return []byte(s.String()), nil
}

func isReference(ref string) bool {
	return len(ref) > 4 && (ref[:4] == "env:" || (len(ref) > 5 && ref[:5] == "file:"))
}
