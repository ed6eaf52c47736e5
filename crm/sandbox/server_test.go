package sandbox

import (
	"net"
	"strings"
	"testing"
)

// Quitting the demo closes its sandbox; a client connection that was opened
// but never carried a request (a cancelled fetch leaves these) must not hold
// that up until a shutdown deadline passes.
func TestCloseDoesNotWaitForUnusedConnections(t *testing.T) {
	run, err := New(Options{Users: 5}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(run.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := run.Close(); err != nil {
		t.Fatalf("Close with an unused connection open: %v", err)
	}
}
