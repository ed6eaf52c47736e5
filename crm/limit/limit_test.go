package limit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeClock advances only when the limiter sleeps.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func newFake() (*fakeClock, Clock) {
	c := &fakeClock{now: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)}
	return c, Clock{Now: c.Now, Sleep: c.Sleep}
}

// Truto's 50 per 10 s: no 10-second window ever holds more than 49 sends
// (one left for a late arrival), and a long run still gets over 90 % of the
// published rate.
// truto is Truto's published limit (config's registry declares it).
var truto = Settings{Requests: 50, Per: 10 * time.Second, Concurrency: 8}

func TestNoWindowHoldsMoreThanThePublishedLimit(t *testing.T) {
	clock, c := newFake()
	s := truto
	l := NewLocalClock(Settings{Requests: s.Requests, Per: s.Per}, c)
	start := clock.Now()
	var sends []time.Time
	for range 500 {
		release, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		release()
		sends = append(sends, clock.Now())
	}
	for i := range sends {
		n := 0
		for j := i; j < len(sends) && sends[j].Sub(sends[i]) < s.Per; j++ {
			n++
		}
		if n > s.Requests-1 {
			t.Fatalf("%d sends in the 10 s from %s", n, sends[i].Sub(start))
		}
	}
	elapsed := sends[len(sends)-1].Sub(start)
	published := time.Duration(float64(len(sends)) / 50 * float64(10*time.Second))
	if ratio := float64(elapsed) / float64(published); ratio > 1.10 {
		t.Fatalf("500 requests took %s on the clock, %.2f× the published limit's %s", elapsed, ratio, published)
	}
}

// A 429's reset pauses every request of the account, not only the refused one.
func TestBackoffPausesEveryRequest(t *testing.T) {
	clock, c := newFake()
	l := NewLocalClock(Settings{Requests: 100, Per: time.Second}, c)
	until := clock.Now().Add(7 * time.Second)
	l.Backoff(until)
	l.Backoff(clock.Now().Add(time.Second)) // an earlier end does not shorten it
	release, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	if clock.Now().Before(until) {
		t.Fatalf("a request went at %s, before the pause ended at %s", clock.Now(), until)
	}
}

// The concurrency cap: with every slot held, a request waits (here: until
// its context ends); a released slot lets the next one go.
func TestConcurrencyCap(t *testing.T) {
	l := NewLocal(Settings{Concurrency: 2})
	r1, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("third request with two slots held: %v, want it to wait", err)
	}
	r1()
	r1() // twice is harmless: it must not free r2's slot
	r3, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(ctx); err == nil {
		t.Fatal("a second release of one slot freed another")
	}
	r2()
	r3()
}

func TestRegistryGivesOneLimiterPerAccount(t *testing.T) {
	var r Registry
	a := r.For("truto:acct-1", truto)
	if b := r.For("truto:acct-1", Settings{}); b != a {
		t.Fatal("two limiters for one account")
	}
	if c := r.For("truto:acct-2", truto); c == a {
		t.Fatal("two accounts share a limiter")
	}
}

func TestParseRate(t *testing.T) {
	for text, want := range map[string]Settings{
		"50/10s": {Requests: 50, Per: 10 * time.Second},
		"5/s":    {Requests: 5, Per: time.Second},
		"300/1m": {Requests: 300, Per: time.Minute},
	} {
		n, per, err := ParseRate(text)
		if err != nil || n != want.Requests || per != want.Per {
			t.Errorf("ParseRate(%q) = %d, %s, %v", text, n, per, err)
		}
		if got := FormatRate(n, per); got != text && text != "5/s" {
			t.Errorf("FormatRate(%d, %s) = %q, want %q", n, per, got, text)
		}
	}
	for _, bad := range []string{"", "50", "0/10s", "x/10s", "5/0s", "5/-1s", "5/soon"} {
		if _, _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
}

// Least is the rate's long-run pace per request: Truto's 50 per 10 s lets
// 47 requests through per 10.2 s (Burst and one kept back), so 470 take 102 s.
func TestLeastFollowsTheRate(t *testing.T) {
	s := truto
	if got, want := s.Least(470), 102*time.Second; got.Round(time.Millisecond) != want {
		t.Fatalf("Least(470) = %s, want %s", got, want)
	}
	if got := (Settings{Concurrency: 4}).Least(100); got != 0 {
		t.Fatalf("no rate: Least = %s, want 0", got)
	}
	if got := Of(struct{}{}); got != (Settings{}) {
		t.Fatalf("Of something that reports nothing = %+v", got)
	}
}
