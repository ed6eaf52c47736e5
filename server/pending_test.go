package server

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/roster-tui/roster/config"
)

// idleTCP connects and reads the server's version line, which it sends once
// it has taken the connection in; the connection then says nothing more.
func idleTCP(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	// A failure bound, not a synchronisation.
	if err := conn.SetReadDeadline(time.Now().Add(waitLimit)); err != nil {
		t.Fatal(err)
	}
	return conn, bufio.NewReader(conn)
}

func TestAConnectionThatNeverSignsInIsClosedAtTheAuthDeadline(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := startWith(t, setup{config: func(c *config.Config) { c.SSH.Auth = 50 * time.Millisecond }}, ana)
	_, r := idleTCP(t, f.addr)
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "SSH-2.0-") {
		t.Fatalf("want the server's version line first, got %q, %v", line, err)
	}
	if _, err := r.ReadByte(); err == nil {
		t.Fatal("the server sent more instead of closing the connection")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server kept an idle connection open for %s", waitLimit)
	}
}

func TestConnectionsNotSignedInAreCapped(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := startWith(t, setup{config: func(c *config.Config) {
		c.SSH.Auth = time.Hour
		c.SSH.MaxUnauthenticated = 2
	}}, ana)
	for range 2 {
		_, r := idleTCP(t, f.addr)
		if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "SSH-2.0-") {
			t.Fatalf("a connection under the cap got %q, %v", line, err)
		}
	}
	_, r := idleTCP(t, f.addr)
	line, err := r.ReadString('\n')
	if err == nil {
		t.Fatalf("a third connection not signed in was taken in: %q", line)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("a third connection was held open instead of closed")
	}
}
