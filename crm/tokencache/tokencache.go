// Package tokencache keeps providers' OAuth access tokens where every Roster
// process that talks to the same provider account finds them, so that they
// share one token instead of each asking for its own. Zoho grants at most ten
// access tokens per refresh token in ten minutes: a CLI run per user in a
// script would exhaust that on its eleventh call if each process refreshed.
//
// A Store is keyed by provider account (Key). Get reads without locking;
// Refresh runs under the store's lock for that key, so of several processes
// (or goroutines, or instances sharing a database) that find the token stale
// at once, one asks the provider and the others take its answer.
//
// Implementations: File (the state directory, one 0600 file per account,
// flock), Memory (one process; tests and the demo). A database-backed Store
// for several `roster serve` instances implements the same two methods.
package tokencache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// Token is one cached access token.
type Token struct {
	Access string    `json:"access_token"`
	Expiry time.Time `json:"expiry,omitzero"` // zero: unknown (used until refused)
	// Extra holds what the provider sent with the token that requests need
	// (Zoho's api_domain).
	Extra map[string]string `json:"extra,omitempty"`
}

// Usable reports whether t may still be sent at now: it is set and does not
// expire within early.
func (t Token) Usable(now time.Time, early time.Duration) bool {
	return t.Access != "" && (t.Expiry.IsZero() || now.Add(early).Before(t.Expiry))
}

// Fetch asks the provider for a new token.
type Fetch func(ctx context.Context) (Token, error)

// Store is a token cache shared by every process (or instance) that uses it.
type Store interface {
	// Get returns the token stored for key; the zero Token when there is
	// none. It takes no lock: a stale answer only leads to Refresh.
	Get(ctx context.Context, key string) (Token, error)
	// Refresh takes the lock for key (waiting for it at most until ctx is
	// done), and then returns the stored token if use accepts it (another
	// holder of the lock refreshed meanwhile); otherwise it calls fetch,
	// stores its token and returns it. A failed fetch stores nothing.
	Refresh(ctx context.Context, key string, use func(Token) bool, fetch Fetch) (Token, error)
}

// Key names one provider account: the same kind, token endpoint and
// credentials give the same key in every process. The credentials are
// hashed, never stored: the key may become a file name or a database row.
func Key(kind, tokenURL string, credentials ...string) string {
	h := sha256.New()
	for _, s := range append([]string{kind, tokenURL}, credentials...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return strings.ToLower(kind) + "-" + hex.EncodeToString(h.Sum(nil))[:32]
}

// Memory is a Store for one process.
type Memory struct {
	mu     sync.Mutex
	tokens map[string]Token
	locks  map[string]chan struct{}
}

// NewMemory returns an empty in-process Store.
func NewMemory() *Memory {
	return &Memory{tokens: map[string]Token{}, locks: map[string]chan struct{}{}}
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, key string) (Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens[key], nil
}

// Refresh implements Store. Its lock is a channel, so a caller waiting for
// another's fetch can still give up when its context ends.
func (m *Memory) Refresh(ctx context.Context, key string, use func(Token) bool, fetch Fetch) (Token, error) {
	m.mu.Lock()
	lock, ok := m.locks[key]
	if !ok {
		lock = make(chan struct{}, 1)
		m.locks[key] = lock
	}
	m.mu.Unlock()
	select {
	case lock <- struct{}{}:
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
	defer func() { <-lock }()
	if t, _ := m.Get(ctx, key); use(t) {
		return t, nil
	}
	t, err := fetch(ctx)
	if err != nil {
		return Token{}, err
	}
	m.mu.Lock()
	m.tokens[key] = t
	m.mu.Unlock()
	return t, nil
}
