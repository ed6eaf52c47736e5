package audit

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Sink is where the trail is kept: the file (Log, the default) or
// PostgreSQL (Postgres), shared by several instances. One sink is opened
// per process and shared by every provider stack.
type Sink interface {
	// Append fills in ID, Time and Instance when empty and stores the
	// entry durably before it returns; it never blocks for long (the
	// PostgreSQL sink spools when the database does not answer in time).
	Append(e *Entry) error
	// ReadRaw returns every entry that matches f as written, intents
	// included, oldest first. Entries come with a *BadLinesError when some
	// stored lines could not be read.
	ReadRaw(ctx context.Context, f Filter) ([]Entry, error)
	// Follow calls emit with the entries that match f: first every stored
	// one (one batch), then new ones as they are written, until ctx ends
	// or emit fails. A batch may come with a *BadLinesError naming lines
	// that were skipped; following goes on.
	Follow(ctx context.Context, f Filter, emit func([]Entry, error) error) error
	// Status says whether entries reach their store; cheap, for a status
	// bar.
	Status() Status
	// Instance is the name this process writes into its entries.
	Instance() string
	// Close stops background work (shipping a spool).
	Close() error
}

// Status is a sink's health.
type Status struct {
	Sink string // file | postgres
	// Spooling: the store is unreachable and entries wait in the local
	// spool (safe on disk) to be shipped when it returns.
	Spooling   bool
	SpoolDepth int    // entries waiting in the spool
	Problem    string // the last error reaching the store, redacted
}

// String is the status line the console shows ("" when all is well).
func (s Status) String() string {
	if !s.Spooling {
		return ""
	}
	return "audit: spooling (PostgreSQL unreachable)"
}

// ReadSink returns the changes in sink that match f, settled (see Settle).
func ReadSink(ctx context.Context, sink Sink, f Filter) ([]Entry, error) {
	raw, err := sink.ReadRaw(ctx, f)
	return Settle(raw), err
}

// SinkOptions say which sink to open.
type SinkOptions struct {
	Kind    string // file (default) | postgres
	File    string // the file sink's path
	DSN     string // postgres
	Spool   string // postgres: the local spool
	Timeout time.Duration
}

// OpenSink opens the configured sink. Its Warnings (a log or spool that
// others could read, now fixed) are returned for the caller to print.
func OpenSink(o SinkOptions) (Sink, []string, error) {
	if o.Kind != "postgres" {
		l, err := Open(o.File)
		if err != nil {
			return nil, nil, err
		}
		return l, l.Warnings(), nil
	}
	p, err := OpenPostgres(o.DSN, PostgresOptions{Spool: o.Spool, Timeout: o.Timeout, Redact: redactDSN(o.DSN)})
	if err != nil {
		return nil, nil, err
	}
	return p, p.Warnings(), nil
}

// redactDSN hides the DSN's password (and the DSN itself) in error text.
func redactDSN(dsn string) func(string) string {
	var secrets []string
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			secrets = append(secrets, pw)
		}
	}
	return func(s string) string {
		s = strings.ReplaceAll(s, dsn, "[dsn]")
		for _, v := range secrets {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
		return s
	}
}
