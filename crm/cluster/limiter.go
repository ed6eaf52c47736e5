package cluster

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roster-tui/roster/crm/limit"
)

// askTimeout bounds one question to PostgreSQL about the limit; past it
// (or when PostgreSQL is down) the instance paces itself alone with the
// in-process limiter, so a database outage slows nobody's console.
const askTimeout = time.Second

// Limiter paces one provider account across every instance sharing the
// store:
//
//   - the rate is GCRA in one UPSERT: each request moves the account's
//     theoretical arrival time (tat) on by one interval and is sent when
//     tat minus the burst has come, by the database's clock;
//   - the concurrency cap is N advisory-lock slots per account, each held on
//     its own connection for the request's lifetime (a crashed instance's
//     slots free themselves with its connections);
//   - a 429 seen by one instance sets paused_until, and every instance's
//     next request waits for it.
type Limiter struct {
	store   *Store
	account string
	s       limit.Settings
	local   *limit.Local // used when PostgreSQL does not answer
	lockKey int32

	mu       sync.Mutex
	fallback bool // the last question failed: say so in Degraded
}

// NewLimiter returns the shared limiter of account; limit.Registry.New
// takes it: registry.New = store.NewLimiter.
func (s *Store) NewLimiter(account string, set limit.Settings) limit.Limiter {
	h := fnv.New32a()
	h.Write([]byte(account))
	return &Limiter{store: s, account: account, s: set, local: limit.NewLocal(set), lockKey: int32(h.Sum32())}
}

// Settings implements limit.Limiter.
func (l *Limiter) Settings() limit.Settings { return l.s }

// Degraded reports whether the last question to PostgreSQL failed (the
// instance is pacing itself alone).
func (l *Limiter) Degraded() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fallback
}

func (l *Limiter) degrade(failed bool) {
	l.mu.Lock()
	l.fallback = failed
	l.mu.Unlock()
}

// Wait implements limit.Limiter.
func (l *Limiter) Wait(ctx context.Context) (func(), error) {
	if l.s.Requests <= 0 && l.s.Concurrency <= 0 {
		return func() {}, ctx.Err()
	}
	if l.s.Requests > 0 {
		wait, err := l.reserve(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			l.degrade(true)
			return l.local.Wait(ctx)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	if l.s.Concurrency <= 0 {
		l.degrade(false)
		return func() {}, nil
	}
	release, err := l.slot(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		l.degrade(true)
		return l.local.Wait(ctx)
	}
	l.degrade(false)
	return release, nil
}

// reserve takes the account's next send time (GCRA, one statement) and
// returns how long to wait for it.
func (l *Limiter) reserve(ctx context.Context) (time.Duration, error) {
	actx, cancel := context.WithTimeout(ctx, askTimeout)
	defer cancel()
	if err := l.store.migrate(actx); err != nil {
		return 0, err
	}
	interval := 1 / l.s.Rate() // seconds per request
	burst := float64(l.s.Burst()) * interval
	var wait float64
	err := l.store.db.QueryRow(actx, `
		INSERT INTO roster_limit AS l (account, tat) VALUES ($1, clock_timestamp() + make_interval(secs => $2))
		ON CONFLICT (account) DO UPDATE SET tat = greatest(
			l.tat,
			clock_timestamp(),
			coalesce(l.paused_until, '-infinity') + make_interval(secs => $3 - $2)
		) + make_interval(secs => $2)
		RETURNING greatest(0, extract(epoch FROM (tat - make_interval(secs => $3) - clock_timestamp())))::float8`,
		l.account, interval, burst).Scan(&wait)
	if err != nil {
		return 0, err
	}
	return time.Duration(wait * float64(time.Second)), nil
}

// slot takes one of the account's concurrency slots: an advisory lock held
// on a connection of its own until release.
func (l *Limiter) slot(ctx context.Context) (func(), error) {
	actx, cancel := context.WithTimeout(ctx, askTimeout)
	conn, err := l.store.db.Acquire(actx)
	cancel()
	if err != nil {
		return nil, err
	}
	n := l.s.Concurrency
	start := rand.IntN(n) // spread instances over the slots
	for backoff := 5 * time.Millisecond; ; backoff = min(2*backoff, 200*time.Millisecond) {
		for i := range n {
			s := (start + i) % n
			var got bool
			actx, cancel := context.WithTimeout(ctx, askTimeout)
			err := conn.QueryRow(actx, `SELECT pg_try_advisory_lock($1, $2)`, l.lockKey, s).Scan(&got)
			cancel()
			if err != nil {
				conn.Release()
				return nil, err
			}
			if got {
				return l.releaser(conn, s), nil
			}
		}
		if err := sleep(ctx, backoff); err != nil {
			conn.Release()
			return nil, err
		}
	}
}

// releaser unlocks the slot and returns the connection, once.
func (l *Limiter) releaser(conn *pgxpool.Conn, slot int) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), askTimeout)
			defer cancel()
			if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1, $2)`, l.lockKey, slot); err != nil {
				// The lock may still be held: never hand this session back.
				_ = conn.Hijack().Close(ctx)
				return
			}
			conn.Release()
		})
	}
}

// Backoff implements limit.Limiter: every instance's requests of the
// account wait until until. This instance waits for it even when
// PostgreSQL cannot be told.
func (l *Limiter) Backoff(until time.Time) {
	l.local.Backoff(until)
	ctx, cancel := context.WithTimeout(context.Background(), askTimeout)
	defer cancel()
	if err := l.store.migrate(ctx); err != nil {
		return
	}
	_, _ = l.store.db.Exec(ctx, `
		INSERT INTO roster_limit AS l (account, tat, paused_until) VALUES ($1, clock_timestamp(), $2)
		ON CONFLICT (account) DO UPDATE SET paused_until = greatest(coalesce(l.paused_until, '-infinity'), $2)`,
		l.account, until)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
