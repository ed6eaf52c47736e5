package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// shared is the cluster a test binary started for its tests, when
// $ROSTER_TEST_PG_DSN is not set and Main runs the tests (so it is stopped
// when they end).
var shared struct {
	sync.Mutex
	main    bool
	cluster *Cluster
	err     error
}

// Main runs the package's tests and stops the cluster they started, if
// any. Use it from TestMain: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	shared.Lock()
	shared.main = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	if shared.cluster != nil {
		if err := shared.cluster.Remove(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	shared.Unlock()
	os.Exit(code)
}

// Unavailable skips the test — or fails it under CI, where the database
// must be there.
func Unavailable(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL is required under CI: %s", reason)
	}
	t.Skipf("PostgreSQL tests skipped: %s (set %s, or install PostgreSQL so the tests start their own)", reason, EnvDSN)
}

// server returns the DSN of the server tests share.
func server(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return dsn
	}
	shared.Lock()
	defer shared.Unlock()
	if !shared.main {
		return Private(t).DSN() // nothing would stop a shared one
	}
	if shared.cluster == nil && shared.err == nil {
		shared.cluster, shared.err = NewCluster()
	}
	if shared.err != nil {
		Unavailable(t, shared.err.Error())
	}
	return shared.cluster.DSN()
}

// Private starts a cluster of the test's own (to stop and start it), and
// removes it when the test ends.
func Private(t testing.TB) *Cluster {
	t.Helper()
	c, err := NewCluster()
	if err != nil {
		Unavailable(t, err.Error())
	}
	t.Cleanup(func() {
		if err := c.Remove(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// DSN returns the URL of a new, empty database for this test, dropped
// when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	return Fresh(t, server(t))
}

// Fresh creates a new database on the server at serverDSN and returns its
// URL; it is dropped when the test ends.
func Fresh(t testing.TB, serverDSN string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, serverDSN)
	if err != nil {
		Unavailable(t, fmt.Sprintf("connect to %s: %v", redact(serverDSN), err))
	}
	defer conn.Close(ctx)
	name := "roster_test_" + strings.ToLower(strings.NewReplacer("/", "_", "-", "_").Replace(t.Name()))
	if len(name) > 40 {
		name = name[:40]
	}
	name = fmt.Sprintf("%s_%d", name, time.Now().UnixNano())
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, serverDSN)
		if err != nil {
			return // the server is gone (a private cluster stopped first)
		}
		defer conn.Close(ctx)
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
	})
	u, err := url.Parse(serverDSN)
	if err != nil || u.Scheme == "" {
		t.Fatalf("pgtest: %s must be a postgres:// URL", EnvDSN)
	}
	u.Path = "/" + name
	return u.String()
}

// redact hides a password in a DSN for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the DSN"
	}
	return u.Redacted()
}
