package server

import (
	"context"
	"sync"
)

// writes counts changes in flight so that shutdown can let them finish
// (provider call and audit line both) before the process exits, and refuses
// new ones once shutdown has begun.
type writes struct {
	mu      sync.Mutex
	n       int
	closing bool
	idle    chan struct{} // closed when n drops to 0 while closing
	// waiting is closed once drain waits for writes in flight (tests use it
	// to let a held save go only when shutdown really depends on it).
	waiting chan struct{}
}

// draining returns a channel closed once shutdown is waiting for writes.
func (w *writes) draining() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.waiting == nil {
		w.waiting = make(chan struct{})
	}
	return w.waiting
}

// Begin registers a write; false once shutdown has begun. With End, it is
// how the provider stack (crm/stack Options.Writes) counts a session's writes.
func (w *writes) Begin() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closing {
		return false
	}
	w.n++
	return true
}

// End says a write has finished.
func (w *writes) End() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n--
	if w.n == 0 && w.closing && w.idle != nil {
		close(w.idle)
		w.idle = nil
	}
}

// drain refuses new writes and waits for those in flight, or for ctx.
func (w *writes) drain(ctx context.Context) error {
	w.mu.Lock()
	w.closing = true
	if w.n == 0 {
		w.mu.Unlock()
		return nil
	}
	if w.idle == nil {
		w.idle = make(chan struct{})
	}
	idle := w.idle
	if w.waiting == nil {
		w.waiting = make(chan struct{})
	}
	select { // a second drain must not close it again
	case <-w.waiting:
	default:
		close(w.waiting)
	}
	w.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
