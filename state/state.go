// Package state keeps what the console remembers between runs — per
// provider, the columns the admin chose and the views saved from the
// console — in one JSON file in Roster's state directory
// ($XDG_STATE_HOME/roster/console.json).
//
// The file is state, not configuration: the config's views
// ([[providers.NAME.views]]) are never written by Roster; views saved with
// ctrl+s or :save live here. Every change is a read-modify-write of the file
// under an exclusive lock, replaced atomically (a temporary file, mode 0600,
// renamed over it), so two consoles saving at once keep both changes and a
// reader never sees half a file.
package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/roster-tui/roster/internal/filelock"
)

// View is one saved view: a filter, a provider view, a sort and columns.
// Empty parts mean "none" (no filter, the provider's default view, load
// order, the default columns).
type View struct {
	Name    string   `json:"name"`
	Query   string   `json:"query,omitempty"`
	View    string   `json:"view,omitempty"`
	Sort    string   `json:"sort,omitempty"` // "COLUMN" or "COLUMN desc"
	Columns []string `json:"columns,omitempty"`
}

// Provider is what is remembered of one provider.
type Provider struct {
	Columns []string `json:"columns,omitempty"` // column keys, in order; empty: the default
	Views   []View   `json:"views,omitempty"`
}

// file is the JSON document.
type file struct {
	Version   int                 `json:"version"`
	Providers map[string]Provider `json:"providers"`
}

const version = 1

// Store is the state file of one process. Its methods are safe for
// concurrent use: the console reads it on its own goroutine and writes it
// from commands.
type Store struct {
	path string

	mu  sync.Mutex
	mem file
}

// Open reads the state file at path; a missing file is an empty state. A
// file that cannot be read or parsed is an error, and the Store is not
// returned: writing over it would lose what it holds.
func Open(path string) (*Store, error) {
	s := &Store{path: path}
	f, err := read(path)
	if err != nil {
		return nil, err
	}
	s.mem = f
	return s, nil
}

// Path is where the state lives.
func (s *Store) Path() string { return s.path }

func read(path string) (file, error) {
	f := file{Version: version, Providers: map[string]Provider{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("state: %w", err)
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return f, fmt.Errorf("state: %s: %w (fix or remove the file)", path, err)
	}
	if f.Version > version {
		return f, fmt.Errorf("state: %s is version %d, newer than this roster's %d", path, f.Version, version)
	}
	if f.Providers == nil {
		f.Providers = map[string]Provider{}
	}
	return f, nil
}

// Provider is a copy of what is remembered of the named provider.
func (s *Store) Provider(name string) Provider {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.mem.Providers[name])
}

// SetColumns remembers the provider's columns (nil: the default again).
func (s *Store) SetColumns(ctx context.Context, name string, cols []string) error {
	return s.update(ctx, name, func(p *Provider) { p.Columns = slices.Clone(cols) })
}

// SaveView adds the view, or replaces the one of the same name (any case).
func (s *Store) SaveView(ctx context.Context, name string, v View) error {
	v.Columns = slices.Clone(v.Columns)
	return s.update(ctx, name, func(p *Provider) {
		for i := range p.Views {
			if strings.EqualFold(p.Views[i].Name, v.Name) {
				p.Views[i] = v
				return
			}
		}
		p.Views = append(p.Views, v)
	})
}

// DeleteView forgets the provider's saved view of that name.
func (s *Store) DeleteView(ctx context.Context, name, view string) error {
	return s.update(ctx, name, func(p *Provider) {
		p.Views = slices.DeleteFunc(p.Views, func(v View) bool { return strings.EqualFold(v.Name, view) })
	})
}

// update changes one provider's entry in the file as it is now on disk
// (another console may have written since this one read it), then keeps
// the result in memory too.
func (s *Store) update(ctx context.Context, name string, change func(p *Provider)) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	unlock, err := filelock.Lock(ctx, s.path+".lock")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	defer unlock()
	f, err := read(s.path)
	if err != nil {
		return err
	}
	p := clone(f.Providers[name])
	change(&p)
	if len(p.Columns) == 0 && len(p.Views) == 0 {
		delete(f.Providers, name)
	} else {
		f.Providers[name] = p
	}
	f.Version = version
	if err := write(s.path, f); err != nil {
		return err
	}
	s.mu.Lock()
	s.mem = f
	s.mu.Unlock()
	return nil
}

// write replaces the file: a temporary file (0600) in the same directory,
// synced, renamed over it.
func write(path string, f file) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(append(data, '\n'))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("state: write %s: %w", path, err)
	}
	return nil
}

func clone(p Provider) Provider {
	out := Provider{Columns: slices.Clone(p.Columns)}
	for _, v := range p.Views {
		v.Columns = slices.Clone(v.Columns)
		out.Views = append(out.Views, v)
	}
	return out
}
