// Package pgstore is what Roster's PostgreSQL users share: opening a pool
// with bounded waits, and schema migrations that are code, applied on
// first use under an advisory lock so several instances starting at once
// apply each exactly once.
package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ConnectTimeout bounds establishing one connection: an unreachable
// server must not hold a save for long.
const ConnectTimeout = 2 * time.Second

// Open returns a pool for dsn. It does not connect yet (the first use
// does), so a server that is down at start is not an error here.
func Open(dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message can quote the DSN, password included.
		return nil, fmt.Errorf("postgres: the DSN does not parse (want postgres://user:password@host:port/db)")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > ConnectTimeout {
		cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	}
	cfg.MaxConnIdleTime = time.Minute
	cfg.HealthCheckPeriod = 10 * time.Second
	return pgxpool.NewWithConfig(context.Background(), cfg)
}

// Migration is one step of a component's schema. Steps are applied in
// order, each once, in a transaction.
type Migration struct {
	Name string
	SQL  string
}

// schemaTable records, per component (audit, cluster), how many steps
// have been applied.
const schemaTable = `CREATE TABLE IF NOT EXISTS roster_schema_version (
	component  text PRIMARY KEY,
	version    integer NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// Migrate applies the steps of component that the database lacks. The
// advisory lock makes instances that start together take turns; the
// second finds the work done.
func Migrate(ctx context.Context, db *pgxpool.Pool, component string, steps []Migration) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('roster_schema_version'))`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, schemaTable); err != nil {
			return err
		}
		var have int
		err := tx.QueryRow(ctx, `SELECT version FROM roster_schema_version WHERE component = $1`, component).Scan(&have)
		if err != nil && err != pgx.ErrNoRows {
			return err
		}
		if have > len(steps) {
			return fmt.Errorf("postgres: the %s schema is at version %d, newer than this roster knows (%d): upgrade roster", component, have, len(steps))
		}
		for i := have; i < len(steps); i++ {
			if _, err := tx.Exec(ctx, steps[i].SQL); err != nil {
				return fmt.Errorf("postgres: %s migration %d (%s): %w", component, i+1, steps[i].Name, err)
			}
		}
		if have == len(steps) {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO roster_schema_version (component, version) VALUES ($1, $2)
			ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()`, component, len(steps))
		return err
	})
}
