//go:build unix

package state

import (
	"context"
	"fmt"
	"os"
	"syscall"
)

// lockPath takes an exclusive flock on the file at path (creating it, 0600)
// and returns its release. flock cannot be cancelled, so it waits on its own
// goroutine; a caller whose context ends first returns at once and that
// goroutine lets the lock go as soon as it has it.
func lockPath(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	got := make(chan error) // unbuffered: a send only succeeds to a caller still waiting
	abandoned := make(chan struct{})
	go func() {
		var err error
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
			if err != syscall.EINTR {
				break
			}
		}
		select {
		case got <- err:
		case <-abandoned:
			f.Close() // closing releases the lock
		}
	}()
	select {
	case err := <-got:
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("state: lock: %w", err)
		}
		return func() { f.Close() }, nil
	case <-ctx.Done():
		close(abandoned)
		return nil, ctx.Err()
	}
}
