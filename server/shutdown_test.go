package server

import (
	"context"
	"net/http"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// holdWrites lets reads through and holds every write to the provider until
// release is closed, announcing it on entered: a save that is in flight for
// as long as the test wants.
type holdWrites struct {
	entered chan struct{}
	release chan struct{}
}

func (h holdWrites) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet {
		h.entered <- struct{}{}
		<-h.release
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestShutdownLetsASaveInFlightFinish(t *testing.T) {
	eve := newPerson(t, "eve", "editor")
	hold := holdWrites{entered: make(chan struct{}, 1), release: make(chan struct{})}
	f := startWith(t, setup{transport: hold}, eve)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(eve.signer))
	c.waitFor(0, "Ada Lovelace")
	m := c.saveAdasTitle("Saved In Time")
	<-hold.entered // the save is on its way to the provider

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	done := make(chan error, 1)
	draining := f.srv.writes.draining()
	go func() { done <- f.srv.Shutdown(ctx) }()
	select { // release the save only once shutdown is waiting for it
	case <-draining:
	case err := <-done:
		t.Fatalf("shutdown returned (%v) with a save in flight", err)
	}
	close(hold.release)
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	c.waitFor(m, "the server is shutting down")

	u, err := f.provider.Get(context.Background(), "10000")
	if err != nil || u.Title != "Saved In Time" {
		t.Fatalf("after shutdown the sandbox has title %q (err %v); the save in flight was lost", u.Title, err)
	}
	entries := f.auditEntries(t)
	if len(entries) != 1 || entries[0].Result != "ok" || entries[0].Who.Name != "eve" {
		t.Fatalf("audit log = %+v, want eve's ok update", entries)
	}
}
