package limit

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Local is the in-process Limiter: a token bucket (golang.org/x/time/rate)
// for the rate, a semaphore for the concurrency cap, and the end of the
// latest 429 pause.
type Local struct {
	s       Settings
	bucket  *rate.Limiter // nil: no rate limit
	slots   chan struct{} // nil: no cap
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	mu      sync.Mutex
	pausing time.Time // no request before this (a 429's reset)
}

// Clock lets tests run Local on a fake clock; the zero Clock is real time.
type Clock struct {
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// NewLocal builds the in-process limiter for s.
func NewLocal(s Settings) *Local { return NewLocalClock(s, Clock{}) }

// NewLocalClock is NewLocal on the given clock.
func NewLocalClock(s Settings, c Clock) *Local {
	l := &Local{s: s, now: c.Now, sleep: c.Sleep}
	if l.now == nil {
		l.now = time.Now
	}
	if l.sleep == nil {
		l.sleep = sleep
	}
	if r := s.Rate(); r > 0 {
		l.bucket = rate.NewLimiter(rate.Limit(r), s.Burst())
	}
	if s.Concurrency > 0 {
		l.slots = make(chan struct{}, s.Concurrency)
	}
	return l
}

// Settings are the limits l keeps.
func (l *Local) Settings() Settings { return l.s }

// Wait takes a slot under the cap first (so a request waiting for one does
// not spend a token meanwhile), then waits out any 429 pause and the rate.
func (l *Local) Wait(ctx context.Context) (func(), error) {
	if l.slots != nil {
		select {
		case l.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			if l.slots != nil {
				<-l.slots
			}
		})
	}
	if err := l.pace(ctx); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// pace waits for the pause and a token. A pause set while waiting for the
// token (another request met a 429) is waited out too.
func (l *Local) pace(ctx context.Context) error {
	for {
		if err := l.waitPause(ctx); err != nil {
			return err
		}
		if l.bucket != nil {
			now := l.now()
			r := l.bucket.ReserveN(now, 1)
			if d := r.DelayFrom(now); d > 0 {
				if err := l.sleep(ctx, d); err != nil {
					r.CancelAt(l.now())
					return err
				}
			}
		}
		l.mu.Lock()
		paused := l.now().Before(l.pausing)
		l.mu.Unlock()
		if !paused {
			return nil
		}
	}
}

func (l *Local) waitPause(ctx context.Context) error {
	for {
		l.mu.Lock()
		d := l.pausing.Sub(l.now())
		l.mu.Unlock()
		if d <= 0 {
			return ctx.Err()
		}
		if err := l.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// Backoff pauses every request of the account until until.
func (l *Local) Backoff(until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.pausing) {
		l.pausing = until
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Registry holds one Limiter per account for the whole process, so every
// request of an account — from any view, command or SSH session — shares
// one budget.
type Registry struct {
	// New builds an account's limiter the first time it is asked for;
	// NewLocal when nil. A PostgreSQL-backed limiter plugs in here.
	New func(account string, s Settings) Limiter

	mu sync.Mutex
	m  map[string]Limiter
}

// For returns the account's limiter, building it with s on first use (s is
// ignored afterwards: an account has one set of limits per process).
func (r *Registry) For(account string, s Settings) Limiter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.m[account]; ok {
		return l
	}
	if r.m == nil {
		r.m = map[string]Limiter{}
	}
	var l Limiter
	if r.New != nil {
		l = r.New(account, s)
	} else {
		l = NewLocal(s)
	}
	r.m[account] = l
	return l
}

// Unlimited lets every request through at once (tests, the demo).
type Unlimited struct{}

func (Unlimited) Wait(ctx context.Context) (func(), error) { return func() {}, ctx.Err() }
func (Unlimited) Backoff(time.Time)                        {}
func (Unlimited) Settings() Settings                       { return Settings{} }

var (
	_ Limiter = (*Local)(nil)
	_ Limiter = Unlimited{}
)
