package config

import (
	"encoding/base64"
	"encoding/hex"
	"net"
	"path/filepath"
	"time"
)

// Audit is the [audit] table: where the trail is kept.
type Audit struct {
	// Sink is "file" (the default: [ssh] audit_log) or "postgres".
	Sink string `toml:"sink"`
	// DSN is the PostgreSQL URL (postgres://…), usually env:NAME.
	DSN Secret `toml:"dsn"`
	// Spool is the local file entries wait in while PostgreSQL is down.
	Spool string `toml:"spool"`
	// Timeout bounds one append to PostgreSQL before the entry spools;
	// Wait is it parsed.
	Timeout string        `toml:"timeout"`
	Wait    time.Duration `toml:"-"`
}

// Cluster is the [cluster] table: what several instances share.
type Cluster struct {
	// Store is "" (each process keeps its own limits and tokens) or
	// "postgres".
	Store string `toml:"store"`
	// DSN defaults to [audit] dsn.
	DSN Secret `toml:"dsn"`
	// TokenKey encrypts access tokens cached in PostgreSQL: 32 bytes,
	// base64 or hex, usually env:NAME or file:PATH. Key is it decoded.
	TokenKey Secret `toml:"token_key"`
	Key      []byte `toml:"-"`
}

// Defaults of [audit].
const (
	DefaultAuditSink    = "file"
	DefaultAuditTimeout = "2s"
)

// AuditSinks and ClusterStores are the values sink and store take.
var (
	AuditSinks    = []string{"file", "postgres"}
	ClusterStores = []string{"postgres"}
)

func (l *loader) validateAudit() {
	a := &l.cfg.Audit
	at := func(key string) []string { return []string{"audit", key} }
	if a.Sink == "" {
		a.Sink = DefaultAuditSink
	}
	switch a.Sink {
	case "file":
	case "postgres":
		if !a.DSN.IsSet() {
			l.errAt(at("sink"), `audit sink "postgres" needs dsn (e.g. dsn = "env:ROSTER_AUDIT_DSN")`)
		}
	default:
		l.errAt(at("sink"), "audit sink %q is not one of %s", a.Sink, orList(AuditSinks))
	}
	if a.DSN.IsSet() {
		l.resolveSecret(at("dsn"), "audit dsn", &a.DSN)
	}
	if a.Spool == "" {
		a.Spool = filepath.Join(l.env.stateDir, "roster", "audit-spool.jsonl")
	} else {
		a.Spool = l.filePath(a.Spool)
	}
	if a.Timeout == "" {
		a.Timeout = DefaultAuditTimeout
	}
	if d, err := time.ParseDuration(a.Timeout); err != nil || d <= 0 {
		l.errAt(at("timeout"), "audit timeout %q: want a positive duration such as 2s", a.Timeout)
	} else {
		a.Wait = d
	}
}

func (l *loader) validateCluster() {
	c := &l.cfg.Cluster
	at := func(key string) []string { return []string{"cluster", key} }
	switch c.Store {
	case "":
		return
	case "postgres":
	default:
		l.errAt(at("store"), "cluster store %q is not one of %s", c.Store, orList(ClusterStores))
		return
	}
	switch {
	case c.DSN.IsSet():
		l.resolveSecret(at("dsn"), "cluster dsn", &c.DSN)
	case l.cfg.Audit.DSN.IsSet():
		c.DSN = l.cfg.Audit.DSN
	default:
		l.errAt(at("store"), `cluster store "postgres" needs dsn (here or in [audit])`)
	}
	if !c.TokenKey.IsSet() {
		l.errAt(at("store"), `cluster store "postgres" needs token_key: 32 random bytes, base64 (e.g. token_key = "env:ROSTER_TOKEN_KEY"; make one with: head -c32 /dev/urandom | base64)`)
		return
	}
	l.resolveSecret(at("token_key"), "cluster token_key", &c.TokenKey)
	if c.TokenKey.Value == "" {
		return // reported
	}
	if c.Key = decodeKey(c.TokenKey.Value); c.Key == nil {
		l.errAt(at("token_key"), "cluster token_key: want 32 bytes, base64 or hex encoded")
	}
}

// decodeKey reads a 32-byte key written in base64 or hex; nil otherwise.
func decodeKey(text string) []byte {
	for _, dec := range []func(string) ([]byte, error){
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, hex.DecodeString,
	} {
		if b, err := dec(text); err == nil && len(b) == 32 {
			return b
		}
	}
	return nil
}

// validateSSHOperations checks the [ssh] keys for running several
// instances: health_listen.
func (l *loader) validateSSHOperations() {
	s := &l.cfg.SSH
	if s.HealthListen != "" {
		if _, _, err := net.SplitHostPort(s.HealthListen); err != nil {
			l.errAt([]string{"ssh", "health_listen"}, "ssh health_listen %q: want HOST:PORT such as 127.0.0.1:9090", s.HealthListen)
		}
	}
}
