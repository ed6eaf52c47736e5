package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The spool is a file log beside the sink. Shipping claims it by renaming
// it (under its lock: a writer that opened it before then sees the rename
// and opens a new spool), inserts every entry and removes the claimed
// file. A process that dies meanwhile leaves the claimed file; the next
// shipper on this host ships it again, and ids make that harmless.

const claimedSuffix = ".shipping-"

// ship delivers the spool whenever poked, and every Retry while entries
// wait, until ctx ends.
func (p *Postgres) ship(ctx context.Context) {
	defer close(p.done)
	tick := time.NewTicker(p.o.Retry)
	defer tick.Stop()
	for {
		if p.spooling.Load() || p.spoolHasData() {
			p.shipOnce(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		case <-tick.C:
		}
	}
}

// Flush ships the spool now and reports whether entries still wait (a
// clean shutdown, and tests, use it instead of waiting for the shipper).
func (p *Postgres) Flush(ctx context.Context) error {
	p.shipOnce(ctx)
	if st := p.Status(); st.Spooling || st.SpoolDepth > 0 {
		return fmt.Errorf("audit: %d entries still spooled: %s", st.SpoolDepth, st.Problem)
	}
	return nil
}

// shipOnce tries to deliver every spooled entry; when all are delivered
// (and no new one arrived), appends go straight to PostgreSQL again.
func (p *Postgres) shipOnce(ctx context.Context) {
	p.shipping.Lock()
	defer p.shipping.Unlock()
	if err := p.Ping(ctx); err != nil {
		p.unreachable(err)
		return
	}
	if err := p.claim(); err != nil {
		p.problem.Store(err.Error())
		return
	}
	files, _ := filepath.Glob(p.spool.path + claimedSuffix + "*")
	for _, file := range files {
		if err := p.shipFile(ctx, file); err != nil {
			p.unreachable(err)
			p.spoolDepth.Store(int64(p.pending()))
			return
		}
	}
	p.spooling.Store(false)
	p.problem.Store("")
	// An entry appended while we shipped waits for the next round.
	p.spoolDepth.Store(int64(p.pending()))
	if p.spoolDepth.Load() > 0 {
		p.poke()
	}
}

// claim renames a non-empty spool out of the way of writers.
func (p *Postgres) claim() error {
	l := p.spool
	l.mu.Lock()
	defer l.mu.Unlock()
	if fi, err := os.Stat(l.path); err != nil || fi.Size() == 0 {
		return nil
	}
	f, err := l.openLocked()
	if err != nil {
		return err
	}
	defer f.Close()
	defer unlockFile(f)
	claimed := fmt.Sprintf("%s%s%d-%d", l.path, claimedSuffix, os.Getpid(), time.Now().UnixNano())
	if err := os.Rename(l.path, claimed); err != nil {
		return fmt.Errorf("audit spool: %w", err)
	}
	return nil
}

// shipFile inserts a claimed file's entries and removes it. Lines that do
// not parse (a writer killed mid-line) cannot be shipped: the file is kept
// beside the spool, renamed .unreadable-…, for a person to look at.
func (p *Postgres) shipFile(ctx context.Context, path string) error {
	entries, err := ReadRaw(path, Filter{})
	var bad *BadLinesError
	if err != nil && !errors.As(err, &bad) {
		return err
	}
	batch := make([]spooled, 0, len(entries))
	for _, e := range entries {
		line, perr := json.Marshal(e) // as spooled: values were cut then
		if perr != nil {
			return perr
		}
		batch = append(batch, spooled{e: e, line: line})
	}
	ictx, cancel := context.WithTimeout(ctx, p.o.Timeout+time.Duration(len(batch))*100*time.Millisecond)
	defer cancel()
	if err := p.insert(ictx, batch); err != nil {
		return err
	}
	if bad != nil {
		kept := path + ".unreadable-" + strconv.FormatInt(time.Now().Unix(), 10)
		p.problem.Store(bad.Error() + "; kept in " + kept)
		return os.Rename(path, kept)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// spoolHasData reports whether the spool or a claimed file is not empty.
func (p *Postgres) spoolHasData() bool {
	for _, file := range p.spoolFiles() {
		if fi, err := os.Stat(file); err == nil && fi.Size() > 0 {
			return true
		}
	}
	return false
}

func (p *Postgres) spoolFiles() []string {
	claimed, _ := filepath.Glob(p.spool.path + claimedSuffix + "*")
	return append(claimed, p.spool.path)
}

// pending counts the entries waiting in the spool and claimed files.
func (p *Postgres) pending() int {
	n := 0
	for _, file := range p.spoolFiles() {
		entries, _ := ReadRaw(file, Filter{})
		n += len(entries)
	}
	return n
}

// withSpooled adds the entries matching f that wait in this host's spool
// to those read from PostgreSQL, oldest first, each once.
func (p *Postgres) withSpooled(entries []Entry, f Filter) ([]Entry, error) {
	if !p.spoolHasData() {
		return entries, nil
	}
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		seen[e.ID] = true
	}
	var errs []error
	for _, file := range p.spoolFiles() {
		more, err := ReadRaw(file, f)
		if err != nil {
			errs = append(errs, err)
		}
		for _, e := range more {
			if !seen[e.ID] {
				seen[e.ID] = true
				entries = append(entries, e)
			}
		}
	}
	slices.SortStableFunc(entries, func(a, b Entry) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return entries, errors.Join(errs...)
}
