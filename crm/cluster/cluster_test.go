package cluster

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/tokencache"
	"github.com/roster-tui/roster/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// instances opens n Stores on one database: n instances of roster serve.
func instances(t *testing.T, n int) []*Store {
	t.Helper()
	dsn := pgtest.DSN(t)
	out := make([]*Store, n)
	for i := range out {
		s, err := Open(dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		out[i] = s
	}
	return out
}

var key = bytes.Repeat([]byte{7}, 32)

func TestTokensAreRefreshedOncePerExpiryByAllInstances(t *testing.T) {
	stores := instances(t, 3)
	var fetches atomic.Int32
	fetch := func(ctx context.Context) (tokencache.Token, error) {
		fetches.Add(1)
		return tokencache.Token{Access: "1000.secret-access-token", Expiry: time.Now().Add(time.Hour),
			Extra: map[string]string{"api_domain": "https://www.zohoapis.eu"}}, nil
	}
	use := func(t tokencache.Token) bool { return t.Usable(time.Now(), time.Minute) }
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := range 30 {
		tokens, err := stores[i%3].Tokens(key)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := tokens.Refresh(context.Background(), "zoho-acct", use, fetch)
			if err == nil && tok.Access != "1000.secret-access-token" {
				err = errors.New("got token " + tok.Access)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("%d refreshes for 30 callers on 3 instances, want 1", n)
	}

	// At rest the token is sealed: the row holds no trace of it.
	var sealed []byte
	if err := stores[0].db.QueryRow(context.Background(), `SELECT sealed FROM roster_token WHERE key = 'zoho-acct'`).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("secret-access-token")) || bytes.Contains(sealed, []byte("zohoapis")) {
		t.Fatal("the token is stored in clear")
	}
	// Under another key it does not open: no token, so a refresh.
	other, _ := stores[1].Tokens(bytes.Repeat([]byte{8}, 32))
	if tok, err := other.Get(context.Background(), "zoho-acct"); err != nil || tok.Access != "" {
		t.Fatalf("opened with the wrong key: %+v, %v", tok, err)
	}
	mine, _ := stores[2].Tokens(key)
	if tok, err := mine.Get(context.Background(), "zoho-acct"); err != nil || tok.Extra["api_domain"] != "https://www.zohoapis.eu" {
		t.Fatalf("Get = %+v, %v", tok, err)
	}
}

// One request per hour, so the test's own pace cannot move the schedule.
var slow = limit.Settings{Requests: 2, Per: time.Hour}

func TestTheRateIsSharedByEveryInstance(t *testing.T) {
	stores := instances(t, 2)
	a := stores[0].NewLimiter("truto-acct", slow).(*Limiter)
	b := stores[1].NewLimiter("truto-acct", slow).(*Limiter)
	interval := time.Duration(float64(time.Second) / slow.Rate())
	for k, l := range []*Limiter{a, b, a, b} {
		wait, err := l.reserve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := time.Duration(k) * interval // burst 1: the first goes at once
		if wait < want-time.Minute || wait > want+time.Minute {
			t.Errorf("request %d waits %s, want about %s", k+1, wait.Round(time.Second), want)
		}
	}
	other := stores[1].NewLimiter("another-acct", slow).(*Limiter)
	if wait, err := other.reserve(context.Background()); err != nil || wait != 0 {
		t.Errorf("another account waits %s (%v), want 0", wait, err)
	}
}

func TestA429SeenByOneInstancePausesAll(t *testing.T) {
	stores := instances(t, 2)
	fast := limit.Settings{Requests: 1000, Per: time.Second}
	a := stores[0].NewLimiter("truto-acct", fast).(*Limiter)
	b := stores[1].NewLimiter("truto-acct", fast).(*Limiter)
	if wait, err := b.reserve(context.Background()); err != nil || wait != 0 {
		t.Fatalf("before the 429: wait %s, %v", wait, err)
	}
	a.Backoff(time.Now().Add(time.Hour))
	wait, err := b.reserve(context.Background())
	if err != nil || wait < 59*time.Minute || wait > time.Hour {
		t.Fatalf("after the other instance's 429: wait %s (%v), want about 1h", wait, err)
	}
}

func TestTheConcurrencyCapCountsEveryInstance(t *testing.T) {
	stores := instances(t, 2)
	capped := limit.Settings{Concurrency: 2}
	a := stores[0].NewLimiter("zoho-org", capped)
	b := stores[1].NewLimiter("zoho-org", capped)
	ctx := context.Background()
	r1, err := a.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := b.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := a.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a third request got a slot with two held (%v)", err)
	}
	r1()
	r1() // twice is harmless
	r3, err := b.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r2()
	r3()
}

func TestWithoutPostgreSQLEachInstancePacesItself(t *testing.T) {
	s, err := Open("postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := s.NewLimiter("acct", limit.Settings{Requests: 100, Per: time.Second, Concurrency: 2}).(*Limiter)
	release, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	if !l.Degraded() {
		t.Fatal("not degraded without PostgreSQL")
	}
	var tok tokencache.Token
	tokens, _ := s.Tokens(key)
	if tok, err = tokens.Get(context.Background(), "k"); err == nil {
		t.Fatalf("a token from nowhere: %+v", tok)
	}
}
