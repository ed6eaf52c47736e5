// Package cluster is what several `roster serve` instances share through
// PostgreSQL ([cluster] store = "postgres"): each provider account's rate
// limit, concurrency cap and 429 pause (Limiter), and OAuth access tokens,
// encrypted at rest (Tokens). Its tables are created on first use
// (crm/pgstore migrations).
package cluster

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roster-tui/roster/crm/pgstore"
)

var migrations = []pgstore.Migration{{Name: "limits and tokens", SQL: `
CREATE TABLE roster_limit (
	account      text        PRIMARY KEY,
	tat          timestamptz NOT NULL,  -- GCRA: the theoretical arrival time
	paused_until timestamptz            -- a 429 asked every instance to wait
);
CREATE TABLE roster_token (
	key        text        PRIMARY KEY,
	sealed     bytea       NOT NULL,     -- secretbox(nonce || box) of the token's JSON
	updated_at timestamptz NOT NULL DEFAULT now()
);
`}}

// Store is the process's connection to the shared tables.
type Store struct {
	db *pgxpool.Pool

	mu       sync.Mutex
	migrated bool
}

// Open returns a Store for dsn; it connects on first use.
func Open(dsn string) (*Store, error) {
	db, err := pgstore.Open(dsn)
	if err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

// Close closes the pool.
func (s *Store) Close() { s.db.Close() }

func (s *Store) migrate(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.migrated {
		return nil
	}
	if err := pgstore.Migrate(ctx, s.db, "cluster", migrations); err != nil {
		return err
	}
	s.migrated = true
	return nil
}
