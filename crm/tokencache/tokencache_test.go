package tokencache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrentRefreshesFetchOnce: N stores on one directory (as N
// processes would open it) all find no token and refresh at once; the
// provider is asked once, and all get its token.
func TestConcurrentRefreshesFetchOnce(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	var fetches atomic.Int32
	// The first fetch waits until every caller has found the cache empty
	// and is about to refresh, so they truly contend for the lock.
	var found sync.WaitGroup
	found.Add(n)
	allFound := make(chan struct{})
	go func() { found.Wait(); close(allFound) }()
	fetch := func(ctx context.Context) (Token, error) {
		fetches.Add(1)
		<-allFound
		return Token{Access: "tok-1", Expiry: time.Now().Add(time.Hour)}, nil
	}
	use := func(t Token) bool { return t.Usable(time.Now(), time.Minute) }

	var wg sync.WaitGroup
	got := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := NewFile(dir) // its own cache, as another process has
			ctx := context.Background()
			if tok, _ := s.Get(ctx, "zoho-a"); use(tok) {
				t.Errorf("cache not empty at start: %+v", tok)
			}
			found.Done()
			tok, err := s.Refresh(ctx, "zoho-a", use, fetch)
			got[i], errs[i] = tok.Access, err
		}()
	}
	wg.Wait()
	if f := fetches.Load(); f != 1 {
		t.Errorf("%d token requests, want 1", f)
	}
	for i := range n {
		if errs[i] != nil || got[i] != "tok-1" {
			t.Errorf("caller %d: %q, %v", i, got[i], errs[i])
		}
	}
	// Another process later reuses it without asking.
	if tok, err := NewFile(dir).Get(context.Background(), "zoho-a"); err != nil || tok.Access != "tok-1" {
		t.Errorf("later Get: %+v, %v", tok, err)
	}
}

func TestFileIsPrivateAndKeyedByAccount(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tokens")
	s := NewFile(dir)
	ctx := context.Background()
	a, b := Key("zoho", "https://accounts", "id", "secret", "refresh-1"), Key("zoho", "https://accounts", "id", "secret", "refresh-2")
	if a == b {
		t.Fatal("two refresh tokens share a key")
	}
	never := func(Token) bool { return false }
	for _, k := range []string{a, b} {
		if _, err := s.Refresh(ctx, k, never, func(context.Context) (Token, error) { return Token{Access: "for " + k}, nil }); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{a, b} {
		tok, _ := s.Get(ctx, k)
		if tok.Access != "for "+k {
			t.Errorf("key %s holds %q", k, tok.Access)
		}
		fi, err := os.Stat(filepath.Join(dir, k+".json"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("token file mode %v, %v; want 0600", fi.Mode().Perm(), err)
		}
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("token directory mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}
}

func TestStaleOrRefusedTokenIsReplacedAndFailuresStoreNothing(t *testing.T) {
	ctx := context.Background()
	for name, s := range map[string]Store{"file": NewFile(t.TempDir()), "memory": NewMemory()} {
		t.Run(name, func(t *testing.T) {
			now := time.Now()
			put := func(tok Token) {
				if _, err := s.Refresh(ctx, "k", func(Token) bool { return false }, func(context.Context) (Token, error) { return tok, nil }); err != nil {
					t.Fatal(err)
				}
			}
			put(Token{Access: "old", Expiry: now.Add(30 * time.Second)})
			// Expiring within the margin: replaced.
			tok, _ := s.Refresh(ctx, "k", func(t Token) bool { return t.Usable(now, time.Minute) },
				func(context.Context) (Token, error) { return Token{Access: "new", Expiry: now.Add(time.Hour)}, nil })
			if tok.Access != "new" {
				t.Errorf("stale token kept: %q", tok.Access)
			}
			// Refused by the provider (use rejects it): replaced even though valid.
			_, err := s.Refresh(ctx, "k", func(t Token) bool { return t.Access != "new" },
				func(context.Context) (Token, error) { return Token{}, errors.New("token endpoint down") })
			if err == nil {
				t.Error("a failed fetch returned no error")
			}
			if tok, _ := s.Get(ctx, "k"); tok.Access != "new" {
				t.Errorf("a failed fetch changed the stored token to %q", tok.Access)
			}
		})
	}
}

func TestGarbledFileIsNoToken(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.json"), []byte(`{"access_tok`), 0o600); err != nil {
		t.Fatal(err)
	}
	tok, err := NewFile(dir).Get(context.Background(), "k")
	if err != nil || tok.Access != "" {
		t.Errorf("garbled file: %+v, %v", tok, err)
	}
}

// TestWaitingForTheLockEndsWithTheContext: a refresh held up by another
// holder of the lock gives up when its context ends, and the lock is free
// afterwards.
func TestWaitingForTheLockEndsWithTheContext(t *testing.T) {
	dir := t.TempDir()
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = NewFile(dir).Refresh(context.Background(), "k", func(Token) bool { return false }, func(context.Context) (Token, error) {
			close(holding)
			<-release
			return Token{Access: "a"}, nil
		})
	}()
	<-holding
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewFile(dir).Refresh(ctx, "k", func(Token) bool { return false }, func(context.Context) (Token, error) {
		t.Error("fetched while another process held the lock")
		return Token{}, nil
	}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	close(release)
	<-done
	tok, err := NewFile(dir).Refresh(context.Background(), "k", func(t Token) bool { return t.Access == "a" }, nil)
	if err != nil || tok.Access != "a" {
		t.Errorf("after the holder finished: %+v, %v", tok, err)
	}
}
