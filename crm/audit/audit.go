// Package audit keeps the trail of every change Roster makes: one JSON line
// per update or delete, written and synced before the change is reported as
// done, and a decorator that records changes made through any crm.Provider.
package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Who made a change.
type Who struct {
	Name        string `json:"name"`                  // SSH user name or local OS user
	Fingerprint string `json:"fingerprint,omitempty"` // SSH key fingerprint (SHA256:…)
	Via         string `json:"via"`                   // tui | cli | ssh
}

// Entry is one line of the audit log.
type Entry struct {
	Time     time.Time `json:"time"`
	Who      Who       `json:"who"`
	Provider string    `json:"provider"`
	UserID   string    `json:"user_id"`
	// UserName is the user's display name before the change, so a trail of
	// ids stays readable after a delete.
	UserName string         `json:"user_name,omitempty"`
	Action   string         `json:"action"` // update | delete
	Before   map[string]any `json:"before,omitempty"`
	After    map[string]any `json:"after,omitempty"`
	Result   string         `json:"result"` // ok | error
	Error    string         `json:"error,omitempty"`
}

// Log appends entries to a JSON-lines file. One Log is shared by every
// session of a process; its mutex orders their lines.
type Log struct {
	mu   sync.Mutex
	path string
}

// Open prepares the log at path, creating its directory (0700) and the file
// (0600) when missing.
func Open(path string) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	return &Log{path: path}, nil
}

// Path is where the log lives.
func (l *Log) Path() string { return l.path }

// Append writes one entry and syncs it to disk before returning.
func (l *Log) Append(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit: encode entry: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: sync: %w", l.path, err)
	}
	return f.Close()
}

// Filter selects entries when reading.
type Filter struct {
	UserID string
	Who    string
}

func (f Filter) match(e Entry) bool {
	return (f.UserID == "" || e.UserID == f.UserID) && (f.Who == "" || e.Who.Name == f.Who)
}

// Read returns the entries of the log at path that match f, oldest first.
// A missing file is an empty log.
func Read(path string, f Filter) ([]Entry, error) {
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	defer file.Close()
	return decode(file, path, f)
}

func decode(r io.Reader, path string, f Filter) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return out, fmt.Errorf("audit log %s:%d: %w", path, line, err)
		}
		if f.match(e) {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("audit log %s: %w", path, err)
	}
	return out, nil
}
