//go:build unix

package filelock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// A second holder waits for the first; one whose context ends gives up with
// the context's error, and the lock is free once the first lets it go.
func TestLockExcludesAndGivesUpWithTheContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := Lock(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file: %v, %v", fi, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Lock(ctx, path); !errors.Is(err, context.Canceled) {
		t.Fatalf("while held: err = %v, want context.Canceled", err)
	}
	// The second holder must find the first one's release already made.
	var released atomic.Bool
	got := make(chan bool)
	go func() {
		u, err := Lock(context.Background(), path)
		if err != nil {
			t.Error(err)
			got <- true
			return
		}
		got <- released.Load()
		u()
	}()
	released.Store(true)
	unlock()
	if !<-got {
		t.Fatal("a second holder got the lock while the first held it")
	}
}
