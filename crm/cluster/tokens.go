package cluster

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/nacl/secretbox"

	"github.com/roster-tui/roster/crm/tokencache"
)

// Tokens is a tokencache.Store in PostgreSQL: access tokens sealed with
// secretbox under a key from the config ([cluster] token_key), so the
// database (and its backups) hold nothing a reader can send to a
// provider. A refresh runs under a transaction-level advisory lock on the
// token's key: of N instances that find it stale at once, one asks the
// provider and the others wait, then read its token.
type Tokens struct {
	store *Store
	key   [32]byte
}

var _ tokencache.Store = (*Tokens)(nil)

// Tokens returns the token store sealing with key (32 bytes).
func (s *Store) Tokens(key []byte) (*Tokens, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("cluster: the token key must be 32 bytes, not %d", len(key))
	}
	t := &Tokens{store: s}
	copy(t.key[:], key)
	return t, nil
}

// Get implements tokencache.Store. A token that does not open (sealed
// under another key, or damaged) is no token: the next Refresh replaces it.
func (t *Tokens) Get(ctx context.Context, key string) (tokencache.Token, error) {
	if err := t.store.migrate(ctx); err != nil {
		return tokencache.Token{}, fmt.Errorf("token cache: %w", err)
	}
	return t.read(ctx, t.store.db, key)
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (t *Tokens) read(ctx context.Context, q querier, key string) (tokencache.Token, error) {
	var sealed []byte
	err := q.QueryRow(ctx, `SELECT sealed FROM roster_token WHERE key = $1`, key).Scan(&sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return tokencache.Token{}, nil
	}
	if err != nil {
		return tokencache.Token{}, fmt.Errorf("token cache: %w", err)
	}
	return t.open(sealed), nil
}

// Refresh implements tokencache.Store.
func (t *Tokens) Refresh(ctx context.Context, key string, use func(tokencache.Token) bool, fetch tokencache.Fetch) (tokencache.Token, error) {
	if err := t.store.migrate(ctx); err != nil {
		return tokencache.Token{}, fmt.Errorf("token cache: %w", err)
	}
	var out tokencache.Token
	err := pgx.BeginFunc(ctx, t.store.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('roster_token'), hashtext($1))`, key); err != nil {
			return err
		}
		if have, err := t.read(ctx, tx, key); err == nil && use(have) {
			out = have // another instance refreshed while we waited
			return nil
		}
		fresh, err := fetch(ctx)
		if err != nil {
			return err
		}
		sealed, err := t.seal(fresh)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO roster_token (key, sealed) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()`, key, sealed); err != nil {
			return err
		}
		out = fresh
		return nil
	})
	return out, err
}

func (t *Tokens) seal(tok tokencache.Token) ([]byte, error) {
	plain, err := json.Marshal(tok)
	if err != nil {
		return nil, err
	}
	var nonce [24]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, err
	}
	return secretbox.Seal(nonce[:], plain, &nonce, &t.key), nil
}

func (t *Tokens) open(sealed []byte) tokencache.Token {
	if len(sealed) < 24 {
		return tokencache.Token{}
	}
	var nonce [24]byte
	copy(nonce[:], sealed[:24])
	plain, ok := secretbox.Open(nil, sealed[24:], &nonce, &t.key)
	var tok tokencache.Token
	if !ok || json.Unmarshal(plain, &tok) != nil {
		return tokencache.Token{}
	}
	return tok
}
