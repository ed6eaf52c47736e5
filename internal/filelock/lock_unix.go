//go:build unix

package filelock

import (
	"context"
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive flock on the file at path (creating it, 0600) and
// returns its release. flock cannot be cancelled, so it waits on its own
// goroutine; a caller whose context ends first gets ctx.Err() at once and
// that goroutine lets the lock go as soon as it has it.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
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
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		return func() { f.Close() }, nil
	case <-ctx.Done():
		close(abandoned)
		return nil, ctx.Err()
	}
}
