package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/pgtest"
)

// TestServeSavesWhilePostgreSQLIsDown stops PostgreSQL under a running
// `roster serve` (the built binary): the editor's saves still succeed, the
// console says the audit is spooling, the entries wait in the spool, and
// once PostgreSQL is back every one arrives, none twice.
func TestServeSavesWhilePostgreSQLIsDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds roster and stops a PostgreSQL cluster")
	}
	cluster := pgtest.Private(t) // ours to stop and start
	dsn := pgtest.Fresh(t, cluster.DSN())
	bin := buildRoster(t)
	sb := sandbox.New(sandbox.Options{Users: 20})
	sb.SetRateLimit("truto", sandbox.RateLimit{}) // pacing is not what this tests
	run, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })

	ana := newPerson(t, "ana", "editor")
	dir := t.TempDir()
	config := writeE2EConfig(t, dir, run.URL, "1000/1s", ana)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	env := []string{"ROSTER_AUDIT_DSN=" + dsn, "ROSTER_TOKEN_KEY=" + base64.StdEncoding.EncodeToString(key),
		"XDG_CONFIG_HOME=" + dir}
	in := serveE2E(t, bin, config, env, "one")

	c := openConsole(t, in.addr, 120, 40, gossh.PublicKeys(ana.signer))
	c.openUser(0, 0)
	saved := []string{}
	save := func() int {
		t.Helper()
		last := fmt.Sprintf("Ana%d", len(saved)+1)
		m := c.mark()
		c.saveLastName(last)
		saved = append(saved, last)
		return m
	}
	save()
	save()
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	m := save() // PostgreSQL is down: the save succeeds, its entries spool
	c.waitFor(m, "audit: spooling (PostgreSQL unreachable)")
	save()
	var health struct {
		Status string `json:"status"`
		Audit  struct {
			Reachable  bool `json:"reachable"`
			SpoolDepth int  `json:"spool_depth"`
		} `json:"audit"`
	}
	if err := json.Unmarshal([]byte(getText(t, "http://"+in.health+"/healthz")), &health); err != nil {
		t.Fatal(err)
	}
	if health.Status != "degraded" || health.Audit.Reachable || health.Audit.SpoolDepth != 4 {
		t.Errorf("/healthz while PostgreSQL is down: %+v, want degraded with 4 entries spooled (2 saves × intent and outcome)", health)
	}

	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	// A reader on another host (its own, empty spool) sees every change
	// once the spool is shipped.
	reader := append(env, "XDG_STATE_HOME="+filepath.Join(dir, "reader"))
	follower := startRoster(t, "roster audit --follow", bin, reader, "--config", config, "audit", "--follow", "--json")
	follower.waitLines(fmt.Sprintf("the outcomes of %d saves", len(saved)), func(lines []string) bool {
		return countOutcomes(lines) >= len(saved)
	})
	checkTrail(t, auditQuery(t, bin, config, reader), map[string][]string{"ana": saved}, map[string]string{"ana": in.name})

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, ids int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT id) FROM roster_audit`).Scan(&rows, &ids); err != nil {
		t.Fatal(err)
	}
	if rows != 2*len(saved) || ids != rows {
		t.Errorf("%d rows with %d ids, want %d (each save's intent and outcome, once)", rows, ids, 2*len(saved))
	}
	if err := in.proc.stop(); err != nil {
		t.Errorf("roster serve: %v", err)
	}
}
