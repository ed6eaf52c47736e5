package run

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/roster-tui/roster/crm"
)

// Outcome of one user's write.
type Outcome string

const (
	Applied    Outcome = "applied"
	NotApplied Outcome = "not_applied"
	Unknown    Outcome = "unknown"
	Unchanged  Outcome = "unchanged"
	// Skipped: not attempted, the run was cancelled first.
	Skipped Outcome = "skipped"
)

// Record is one JSON line of a journal: the plan first, then a "start"
// before each write is sent and a "done" once its outcome is known.
type Record struct {
	Type    string  `json:"type"` // plan | start | done
	Plan    *Plan   `json:"plan,omitempty"`
	ID      string  `json:"id,omitempty"`
	Outcome Outcome `json:"outcome,omitempty"`
	Error   string  `json:"error,omitempty"`
	// Kind is the error's crm kind ("conflict", "transient", …).
	Kind string `json:"kind,omitempty"`
	// Retry marks a write not applied for a passing reason (a 5xx, a 429):
	// a resume tries it again.
	Retry bool `json:"retry,omitempty"`
}

// Dir is where journals live: $XDG_STATE_HOME/roster/runs (default
// ~/.local/state/roster/runs).
func Dir() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("runs directory: %w", err)
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "roster", "runs"), nil
}

// Journal appends records to RUN.jsonl, syncing each one to disk before
// the write it announces (or reports) goes further.
type Journal struct {
	mu   sync.Mutex
	f    *os.File
	Path string
}

// ErrBusy: another open journal — a run still going in this process or
// another (a second console, roster serve, a CLI) — holds the journal.
// Resuming it now could send a write that run is sending too.
var ErrBusy = errors.New("the run is going on elsewhere (another console or command holds its journal)")

// OpenJournal opens (creating) the journal of run in dir for appending,
// holding it for as long as it is open: one run writes a journal at a time.
func OpenJournal(dir, run string) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	path := filepath.Join(dir, run+".jsonl")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	locked, err := tryLock(f)
	if err == nil && !locked {
		err = ErrBusy
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal: %w", err) // the caller names the run
	}
	return &Journal{f: f, Path: path}, nil
}

// busy reports whether an open journal holds the file at path.
func busy(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close() // closing drops a lock taken here
	locked, err := tryLock(f)
	return err == nil && !locked
}

// Write appends r and syncs it.
func (j *Journal) Write(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.f.Close() }

// State is what a journal says about a run.
type State struct {
	Plan Plan
	// Started are users whose write was announced; Done their outcomes.
	Started map[string]bool
	Done    map[string]Outcome
	// Retry are users whose last write was not applied for a passing
	// reason; Errors the last error per user.
	Retry  map[string]bool
	Errors map[string]string
	Kinds  map[string]string
}

// Settled is the outcome a resume keeps for the user with id: one the
// journal recorded, unless it is unknown (re-checked by reading) or a
// passing failure (tried again). false: the user still needs its step.
func (st *State) Settled(id string) (Outcome, bool) {
	out, ok := st.Done[id]
	if !ok || out == Unknown || st.Retry[id] {
		return "", false
	}
	return out, true
}

// journaledError is an error read back from a journal: its message as it
// was first said, and its kind, so a resumed run's exit code means what
// the first run's did.
func journaledError(msg, kind string) error {
	for k := crm.KindUnknown; k <= crm.KindUnknownOutcome; k++ {
		if k.String() == kind {
			return &journaled{msg: msg, kind: &crm.Error{Kind: k, Message: msg}}
		}
	}
	return errors.New(msg)
}

// journaled reads as the message the journal holds (a crm.Error built
// from it would say its kind a second time: "invalid: sales: … invalid
// (HTTP 400)") and unwraps to its kind for crm.KindOf.
type journaled struct {
	msg  string
	kind *crm.Error
}

func (e *journaled) Error() string { return e.msg }
func (e *journaled) Unwrap() error { return e.kind }

// ReadJournal reads the journal at path. A torn last line (a kill during a
// write) is ignored: its record was never synced, so nothing relied on it.
func ReadJournal(path string) (State, error) {
	f, err := os.Open(path)
	if err != nil {
		return State{}, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	st := State{Started: map[string]bool{}, Done: map[string]Outcome{}, Retry: map[string]bool{}, Errors: map[string]string{}, Kinds: map[string]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	havePlan := false
	for sc.Scan() {
		var r Record
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue
		}
		switch r.Type {
		case "plan":
			if r.Plan != nil {
				st.Plan, havePlan = *r.Plan, true
			}
		case "start":
			st.Started[r.ID] = true
		case "done":
			st.Done[r.ID] = r.Outcome
			st.Retry[r.ID] = r.Retry
			st.Errors[r.ID] = r.Error
			st.Kinds[r.ID] = r.Kind
		}
	}
	if err := sc.Err(); err != nil {
		return State{}, fmt.Errorf("journal: %w", err)
	}
	if !havePlan {
		return State{}, fmt.Errorf("journal %s: no plan", path)
	}
	return st, nil
}
