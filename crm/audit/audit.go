// Package audit keeps the trail of every change Roster makes: JSON lines,
// an "intent" written and synced before a change is sent and its outcome
// after, and a decorator that records changes made through any
// crm.Provider.
package audit

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// Results an entry can hold.
const (
	ResultIntent  = "intent"  // written before the change is sent
	ResultOK      = "ok"      // the provider's answer (or a re-read) shows it
	ResultError   = "error"   // refused: nothing was changed
	ResultUnknown = "unknown" // sent, outcome not known: settle by reading
)

// ProcessEnded is how readers describe an intent no outcome followed.
const ProcessEnded = "outcome unknown (process ended)"

// Who made a change.
type Who struct {
	Name        string `json:"name"`                  // SSH user name or local OS user
	Fingerprint string `json:"fingerprint,omitempty"` // SSH key fingerprint (SHA256:…)
	Via         string `json:"via"`                   // tui | cli | ssh
	// Addr is the SSH client's address (the admin's, not a load
	// balancer's, with [ssh] proxy_protocol).
	Addr string `json:"addr,omitempty"`
}

// Entry is one line of the audit log.
type Entry struct {
	// ID is unique per entry: 12 hex digits of milliseconds, then 16 random.
	ID       string    `json:"id"`
	Time     time.Time `json:"time"`
	Instance string    `json:"instance,omitempty"` // host:pid that wrote it
	Run      string    `json:"run,omitempty"`      // the bulk run it belongs to
	Who      Who       `json:"who"`
	Provider string    `json:"provider"`
	UserID   string    `json:"user_id"`
	// UserName is the user's display name before the change, so a trail of
	// ids stays readable after a delete.
	UserName string `json:"user_name,omitempty"`
	Action   string `json:"action"` // update | delete
	// Intent is, on an outcome, the id of the intent it settles.
	Intent string         `json:"intent,omitempty"`
	Before map[string]any `json:"before,omitempty"`
	// After is what was sent; Reread what a read afterwards showed, when it
	// differs from After.
	After  map[string]any `json:"after,omitempty"`
	Reread map[string]any `json:"reread,omitempty"`
	Result string         `json:"result"` // intent | ok | error | unknown
	Error  string         `json:"error,omitempty"`
}

// NewID returns a unique, time-ordered entry id (crypto/rand).
func NewID(now time.Time) string {
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return fmt.Sprintf("%012x%s", now.UnixMilli(), hex.EncodeToString(r[:]))
}

// instanceName names this process in entries.
func instanceName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return host + ":" + strconv.Itoa(os.Getpid())
}

// Log appends entries to a JSON-lines file. One Log is shared by every
// session of a process; its mutex orders their lines, a file lock orders
// them with other processes.
type Log struct {
	mu       sync.Mutex
	path     string
	instance string
	warnings []string
}

// Path is where the log lives.
func (l *Log) Path() string { return l.path }

// Instance is the name this process writes into its entries.
func (l *Log) Instance() string { return l.instance }

// Warnings are problems Open repaired (a log others could read).
func (l *Log) Warnings() []string { return l.warnings }

// prepare fills in ID, Time and Instance when empty and returns the line
// to store: the entry with huge values cut, as JSON.
func prepare(e *Entry, instance string) ([]byte, error) {
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	if e.ID == "" {
		e.ID = NewID(e.Time)
	}
	if e.Instance == "" {
		e.Instance = instance
	}
	stored := *e
	stored.Before, stored.After, stored.Reread = capValues(e.Before), capValues(e.After), capValues(e.Reread)
	line, err := json.Marshal(stored)
	if err != nil {
		return nil, fmt.Errorf("audit: encode entry: %w", err)
	}
	return line, nil
}

// Append fills in ID, Time and Instance when empty, cuts huge values and
// writes the entry as one line, synced before it returns. A file whose
// last line was torn (no final newline) gets one first, so the torn line
// stays one bad line and this entry stays readable.
func (l *Log) Append(e *Entry) error {
	line, err := prepare(e, l.instance)
	if err != nil {
		return err
	}
	return l.appendLine(append(line, '\n'))
}

func (l *Log) appendLine(line []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := l.openLocked()
	if err != nil {
		return err
	}
	defer f.Close()
	defer unlockFile(f)
	if torn, err := endsTorn(f); err != nil {
		return fmt.Errorf("audit log %s: %w", l.path, err)
	} else if torn {
		line = append([]byte{'\n'}, line...)
	}
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("audit log %s: sync: %w", l.path, err)
	}
	return nil
}

// openLocked opens the file for appending (creating it, 0600) under its
// lock. When the path was renamed away meanwhile (a spool being shipped),
// it opens the new file at the path: a line must never land in a file
// already handed over.
func (l *Log) openLocked() (*os.File, error) {
	for {
		f, err := os.OpenFile(l.path, os.O_APPEND|os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("audit log %s: %w", l.path, err)
		}
		if err := lockFile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("audit log %s: lock: %w", l.path, err)
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(l.path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return f, nil
		}
		unlockFile(f)
		f.Close()
		if err1 != nil {
			return nil, fmt.Errorf("audit log %s: %w", l.path, err1)
		}
	}
}

// endsTorn reports whether f is not empty and does not end in a newline.
func endsTorn(f *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
		return false, err
	}
	return last[0] != '\n', nil
}
