package tokencache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/roster-tui/roster/internal/filelock"
)

// File is a Store in a directory (Roster's state directory, "tokens"): one
// JSON file per account, mode 0600 in a 0700 directory, replaced atomically;
// refreshes are serialised across processes by an flock on a lock file
// beside it. Inside one process a Memory-style channel lock is taken first,
// so goroutines do not each hold a descriptor while they wait.
type File struct {
	dir   string
	local *Memory // per-key in-process locks (its token map stays unused)
}

// NewFile returns a Store in dir, which it creates (0700) on first write.
func NewFile(dir string) *File { return &File{dir: dir, local: NewMemory()} }

func (f *File) path(key string) string { return filepath.Join(f.dir, key+".json") }

// Get implements Store. A missing or garbled file is no token: the next
// Refresh replaces it.
func (f *File) Get(_ context.Context, key string) (Token, error) {
	data, err := os.ReadFile(f.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return Token{}, nil
	}
	if err != nil {
		return Token{}, fmt.Errorf("token cache: %w", err)
	}
	var t Token
	if json.Unmarshal(data, &t) != nil {
		return Token{}, nil
	}
	return t, nil
}

// Refresh implements Store.
func (f *File) Refresh(ctx context.Context, key string, use func(Token) bool, fetch Fetch) (Token, error) {
	// The in-process lock first (cancellable), then the cross-process one.
	return f.local.Refresh(ctx, key, func(Token) bool { return false }, func(ctx context.Context) (Token, error) {
		if err := os.MkdirAll(f.dir, 0o700); err != nil {
			return Token{}, fmt.Errorf("token cache: %w", err)
		}
		unlock, err := filelock.Lock(ctx, filepath.Join(f.dir, key+".lock"))
		if err != nil {
			return Token{}, fmt.Errorf("token cache: %w", err)
		}
		defer unlock()
		if t, err := f.Get(ctx, key); err == nil && use(t) {
			return t, nil
		}
		t, err := fetch(ctx)
		if err != nil {
			return Token{}, err
		}
		_ = f.write(key, t) // on failure the token still works; only sharing it failed
		return t, nil
	})
}

// write replaces key's file with t: a temporary file (0600) renamed over it,
// so a reader never sees half a token.
func (f *File) write(key string, t Token) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.dir, key+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.path(key))
}
