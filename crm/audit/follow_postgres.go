package audit

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// followCatchUp is how often a follower reads new entries even without a
// notification (one lost while its connection was down).
const followCatchUp = 5 * time.Second

// Follow emits the stored entries that match f, then each new one as it
// is committed, by any instance: LISTEN/NOTIFY wakes it, the seq column
// says what is new. A lost connection is re-established and the entries
// missed meanwhile are read then; following stops only with ctx.
func (p *Postgres) Follow(ctx context.Context, f Filter, emit func([]Entry, error) error) error {
	conn, err := p.listen(ctx)
	if err != nil {
		return err
	}
	defer func() { drop(conn) }()
	var top int64
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM roster_audit`).Scan(&top); err != nil {
		return err
	}
	backlog, _, err := p.query(ctx, f, -1, top)
	if err != nil {
		return err
	}
	if backlog, err = p.withSpooled(backlog, f); err != nil {
		if eerr := emit(backlog, err); eerr != nil {
			return eerr
		}
	} else if err := emit(backlog, nil); err != nil {
		return err
	}
	last := top
	for ctx.Err() == nil {
		wctx, cancel := context.WithTimeout(ctx, followCatchUp)
		n, werr := conn.Conn().WaitForNotification(wctx)
		cancel()
		notified := int64(-1)
		if werr == nil {
			notified, _ = strconv.ParseInt(n.Payload, 10, 64)
		} else if ctx.Err() != nil {
			return nil
		} else if conn.Conn().IsClosed() {
			drop(conn)
			if conn, err = p.relisten(ctx); err != nil {
				return nil // ctx ended while PostgreSQL was away
			}
		}
		entries, seen, qerr := p.query(ctx, f, last, -1)
		if qerr != nil {
			continue // PostgreSQL went away between the wait and the read
		}
		last = max(seen, notified, last)
		if len(entries) > 0 {
			if err := emit(entries, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// listen takes a connection of its own out of the pool and LISTENs on it.
func (p *Postgres) listen(ctx context.Context) (*pgxpool.Conn, error) {
	if err := p.migrate(ctx); err != nil {
		return nil, err
	}
	conn, err := p.db.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		conn.Release()
		return nil, err
	}
	return conn, nil
}

// relisten retries listen every second until it works or ctx ends.
func (p *Postgres) relisten(ctx context.Context) (*pgxpool.Conn, error) {
	for {
		conn, err := p.listen(ctx)
		if err == nil {
			return conn, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// drop closes a listening connection rather than returning it, still
// listening, to the pool.
func drop(conn *pgxpool.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = conn.Hijack().Close(ctx)
}
