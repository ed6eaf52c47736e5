package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roster-tui/roster/crm/pgstore"
)

// The audit table. Filters use the columns; the entry itself is kept as
// written, in a json (not jsonb) column: jsonb refuses \u0000, which
// provider text may hold. seq orders entries by commit (inserts take one
// advisory lock, so a follower reading "seq > last" never skips one
// committed late).
var migrations = []pgstore.Migration{{Name: "audit table", SQL: `
CREATE TABLE roster_audit (
	seq      bigserial   NOT NULL UNIQUE,
	id       text        PRIMARY KEY,
	time     timestamptz NOT NULL,
	instance text        NOT NULL,
	run      text        NOT NULL,
	provider text        NOT NULL,
	user_id  text        NOT NULL,
	who      text        NOT NULL,
	action   text        NOT NULL,
	result   text        NOT NULL,
	intent   text        NOT NULL,
	entry    json        NOT NULL
);
CREATE INDEX roster_audit_time ON roster_audit (time, id);
CREATE INDEX roster_audit_user ON roster_audit (provider, user_id, time);
CREATE INDEX roster_audit_run ON roster_audit (run, time) WHERE run <> '';
`}}

// notifyChannel carries the seq of each new entry to followers.
const notifyChannel = "roster_audit"

// DefaultTimeout bounds one append to PostgreSQL; past it the entry is
// spooled and the save goes on.
const DefaultTimeout = 2 * time.Second

// PostgresOptions configure the PostgreSQL sink.
type PostgresOptions struct {
	// Spool is the local file (0600) entries wait in while PostgreSQL is
	// unreachable.
	Spool string
	// Timeout bounds one append; DefaultTimeout when 0.
	Timeout time.Duration
	// Retry is how often a waiting spool is offered to PostgreSQL again;
	// 1s when 0.
	Retry time.Duration
	// Redact removes secrets (the DSN's password) from error text.
	Redact func(string) string
}

// Postgres is the sink shared by several instances: entries go to one
// table, each in its own transaction, idempotent by id. It never holds a
// save for longer than its timeout: when PostgreSQL is down, entries go
// to the spool and a background shipper delivers them when it returns
// (at least once; the id makes a second delivery a no-op).
type Postgres struct {
	db       *pgxpool.Pool
	spool    *Log
	instance string
	o        PostgresOptions

	migrateOnce sync.Mutex
	migrated    bool

	spooling   atomic.Bool
	spoolDepth atomic.Int64
	problem    atomic.Value // string

	shipping sync.Mutex // one shipOnce at a time
	wake     chan struct{}
	stop     context.CancelFunc
	done     chan struct{}
	closed   sync.Once
}

var _ Sink = (*Postgres)(nil)

// OpenPostgres opens the sink. It does not need PostgreSQL to be up: the
// schema is created on first use and entries spool until then. Entries a
// previous process left in the spool are shipped in the background.
func OpenPostgres(dsn string, o PostgresOptions) (*Postgres, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Retry <= 0 {
		o.Retry = time.Second
	}
	if o.Redact == nil {
		o.Redact = func(s string) string { return s }
	}
	if o.Spool == "" {
		return nil, errors.New("audit: the PostgreSQL sink needs a spool path")
	}
	spool, err := Open(o.Spool)
	if err != nil {
		return nil, fmt.Errorf("audit spool: %w", err)
	}
	db, err := pgstore.Open(dsn)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	p := &Postgres{db: db, spool: spool, instance: spool.instance, o: o,
		wake: make(chan struct{}, 1), stop: stop, done: make(chan struct{})}
	p.problem.Store("")
	if n := p.pending(); n > 0 {
		p.spoolDepth.Store(int64(n))
		p.spooling.Store(true)
	}
	go p.ship(ctx)
	return p, nil
}

// Instance is the name this process writes into its entries.
func (p *Postgres) Instance() string { return p.instance }

// Warnings are problems the spool's Open repaired.
func (p *Postgres) Warnings() []string { return p.spool.Warnings() }

// Status says whether entries are spooling.
func (p *Postgres) Status() Status {
	return Status{Sink: "postgres", Spooling: p.spooling.Load(), SpoolDepth: int(p.spoolDepth.Load()),
		Problem: p.problem.Load().(string)}
}

// Ping checks PostgreSQL answers, within the sink's timeout. After a
// restart of the server the pool's idle connections are dead; the first
// ping finds (and drops) one, so a failed ping is tried once more.
func (p *Postgres) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.o.Timeout)
	defer cancel()
	err := p.db.Ping(ctx)
	if err != nil && ctx.Err() == nil {
		err = p.db.Ping(ctx)
	}
	return err
}

// Close stops the shipper and closes the pool. Spooled entries stay in
// the spool for the next start.
func (p *Postgres) Close() error {
	p.closed.Do(func() {
		p.stop()
		<-p.done
		p.db.Close()
	})
	return nil
}

// Append stores e in PostgreSQL, or in the spool when PostgreSQL does not
// answer within the timeout (or entries are already waiting there, so
// they keep their order of delivery). Either way it is durable when
// Append returns nil.
func (p *Postgres) Append(e *Entry) error {
	line, err := prepare(e, p.instance)
	if err != nil {
		return err
	}
	if !p.spooling.Load() {
		ctx, cancel := context.WithTimeout(context.Background(), p.o.Timeout)
		err = p.insert(ctx, []spooled{{e: *e, line: line}})
		cancel()
		if err == nil {
			return nil
		}
		p.unreachable(err)
	}
	if err := p.spool.appendLine(append(line, '\n')); err != nil {
		return fmt.Errorf("audit: PostgreSQL unreachable and the spool failed: %w", err)
	}
	p.spoolDepth.Add(1)
	p.poke()
	return nil
}

func (p *Postgres) unreachable(err error) {
	p.problem.Store(p.o.Redact(err.Error()))
	p.spooling.Store(true)
}

func (p *Postgres) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// spooled is an entry with its stored form.
type spooled struct {
	e    Entry
	line []byte
}

// insert writes entries, each in its own transaction: an entry already
// there (shipped before, by us or another instance) is left as it is.
func (p *Postgres) insert(ctx context.Context, entries []spooled) error {
	if err := p.migrate(ctx); err != nil {
		return err
	}
	for _, s := range entries {
		err := pgx.BeginFunc(ctx, p.db, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('roster_audit'))`); err != nil {
				return err
			}
			var seq int64
			err := tx.QueryRow(ctx, `INSERT INTO roster_audit
				(id, time, instance, run, provider, user_id, who, action, result, intent, entry)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
				ON CONFLICT (id) DO NOTHING RETURNING seq`,
				s.e.ID, s.e.Time, s.e.Instance, s.e.Run, s.e.Provider, s.e.UserID, s.e.Who.Name,
				s.e.Action, s.e.Result, s.e.Intent, string(s.line)).Scan(&seq)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // delivered before
			}
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, strconv.FormatInt(seq, 10))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *Postgres) migrate(ctx context.Context) error {
	p.migrateOnce.Lock()
	defer p.migrateOnce.Unlock()
	if p.migrated {
		return nil
	}
	if err := pgstore.Migrate(ctx, p.db, "audit", migrations); err != nil {
		return err
	}
	p.migrated = true
	return nil
}

// ReadRaw returns the entries in PostgreSQL that match f, oldest first,
// with those still waiting in this host's spool.
func (p *Postgres) ReadRaw(ctx context.Context, f Filter) ([]Entry, error) {
	entries, _, err := p.query(ctx, f, -1, -1)
	if err != nil {
		return nil, err
	}
	return p.withSpooled(entries, f)
}

// query reads the entries matching f, oldest first; with after not
// negative, only those after that seq, in seq order; with upTo not
// negative, only those up to it. It returns the highest seq read.
func (p *Postgres) query(ctx context.Context, f Filter, after, upTo int64) ([]Entry, int64, error) {
	if err := p.migrate(ctx); err != nil {
		return nil, after, fmt.Errorf("audit: %s", p.o.Redact(err.Error()))
	}
	where, args := []string{"true"}, []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	for _, c := range []struct{ col, v string }{{"user_id", f.UserID}, {"who", f.Who},
		{"provider", f.Provider}, {"action", f.Action}, {"run", f.Run}} {
		if c.v != "" {
			add(c.col+" = $%d", c.v)
		}
	}
	if !f.Since.IsZero() {
		add("time >= $%d", f.Since)
	}
	if !f.Until.IsZero() {
		add("time < $%d", f.Until)
	}
	order := "time, id"
	if after >= 0 {
		add("seq > $%d", after)
		order = "seq"
	}
	if upTo >= 0 {
		add("seq <= $%d", upTo)
	}
	rows, err := p.db.Query(ctx, "SELECT seq, entry::text FROM roster_audit WHERE "+
		strings.Join(where, " AND ")+" ORDER BY "+order, args...)
	if err != nil {
		return nil, after, fmt.Errorf("audit: %s", p.o.Redact(err.Error()))
	}
	defer rows.Close()
	var out []Entry
	last := after
	for rows.Next() {
		var (
			seq  int64
			text string
			e    Entry
		)
		if err := rows.Scan(&seq, &text); err != nil {
			return nil, after, err
		}
		if err := json.Unmarshal([]byte(text), &e); err != nil {
			return nil, after, fmt.Errorf("audit: entry %d does not decode: %w", seq, err)
		}
		out = append(out, e)
		last = max(last, seq)
	}
	return out, last, rows.Err()
}
