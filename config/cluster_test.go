package config

import (
	"strings"
	"testing"
	"time"
)

func TestAuditAndClusterTables(t *testing.T) {
	env := testEnv(map[string]string{"APIDECK_KEY": "k", "ROSTER_AUDIT_DSN": "postgres://roster:pw@db/roster",
		"KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})
	cfg, err := parse("roster.toml", []byte(apideckOK+`
[audit]
sink = "postgres"
dsn = "env:ROSTER_AUDIT_DSN"
timeout = "500ms"

[cluster]
store = "postgres"
token_key = "env:KEY"

[ssh]
proxy_protocol = true
health_listen = "127.0.0.1:9090"
`), env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Audit.Sink != "postgres" || cfg.Audit.DSN.Value != "postgres://roster:pw@db/roster" || cfg.Audit.Wait != 500*time.Millisecond ||
		cfg.Audit.Spool != "/home/ana/.local/state/roster/audit-spool.jsonl" {
		t.Errorf("audit: %+v", cfg.Audit)
	}
	if cfg.Cluster.DSN.Value != cfg.Audit.DSN.Value || len(cfg.Cluster.Key) != 32 || cfg.Cluster.Key[31] != 31 {
		t.Errorf("cluster: dsn %q, key %v", cfg.Cluster.DSN.Value, cfg.Cluster.Key)
	}
	if !cfg.SSH.ProxyProtocol || cfg.SSH.HealthListen != "127.0.0.1:9090" {
		t.Errorf("ssh: %+v", cfg.SSH)
	}

	def, err := parse("roster.toml", []byte(apideckOK), env)
	if err != nil || def.Audit.Sink != "file" || def.Cluster.Store != "" {
		t.Errorf("defaults: %+v %+v %v", def.Audit, def.Cluster, err)
	}
}

func TestAuditAndClusterMistakes(t *testing.T) {
	env := testEnv(map[string]string{"APIDECK_KEY": "k", "SHORT": "c2hvcnQ="})
	for _, c := range []struct{ doc, want string }{
		{"[audit]\nsink = \"mysql\"\n", `audit sink "mysql" is not one of file or postgres`},
		{"[audit]\nsink = \"postgres\"\n", `audit sink "postgres" needs dsn`},
		{"[audit]\ndsn = \"env:NOPE\"\n", `audit dsn: environment variable NOPE is not set`},
		{"[audit]\ntimeout = \"soon\"\n", `audit timeout "soon"`},
		{"[cluster]\nstore = \"redis\"\n", `cluster store "redis" is not one of postgres`},
		{"[cluster]\nstore = \"postgres\"\ntoken_key = \"env:SHORT\"\ndsn = \"postgres://x\"\n", `cluster token_key: want 32 bytes`},
		{"[cluster]\nstore = \"postgres\"\ndsn = \"postgres://x\"\n", `needs token_key`},
		{"[ssh]\nhealth_listen = \"9090\"\n", `ssh health_listen "9090": want HOST:PORT`},
	} {
		_, err := parse("roster.toml", []byte(apideckOK+c.doc), env)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.doc, err, c.want)
		}
	}
}
