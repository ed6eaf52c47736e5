package server

import (
	"io"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
)

// rudeClient is an SSH client with a pty and a shell that misbehaves: it
// never answers the terminal's queries and reads only when told to.
type rudeClient struct {
	client *gossh.Client
	sess   *gossh.Session
	stdout io.Reader
	ended  chan struct{} // closed when the server has ended the session
}

func dialRude(t *testing.T, addr string, signer gossh.Signer, read bool) *rudeClient {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, clientConfig(gossh.PublicKeys(signer)))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.StdinPipe(); err != nil { // open, never written
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	if read {
		go func() { _, _ = io.Copy(io.Discard, stdout) }()
	}
	c := &rudeClient{client: client, sess: sess, stdout: stdout, ended: make(chan struct{})}
	go func() { _ = sess.Wait(); close(c.ended) }()
	return c
}

// waitEnded fails the test unless the server ends the connection.
func (c *rudeClient) waitEnded(t *testing.T, why string) {
	t.Helper()
	select {
	case <-c.ended:
	case <-time.After(waitLimit):
		t.Fatalf("the server kept the connection of a client that %s", why)
	}
}

// waitFreed waits for a console slot to be freed.
func waitFreed(t *testing.T, freed <-chan struct{}, why string) {
	t.Helper()
	select {
	case <-freed:
	case <-time.After(waitLimit):
		t.Fatalf("the console slot of a client that %s was not freed", why)
	}
}

func notifier() (chan struct{}, func()) {
	ch := make(chan struct{}, 64)
	return ch, func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// A client that reads but never answers the background-colour query gets
// the console at once (no query is waited on), so the idle clock ends it and
// its slot goes to the next admin.
func TestAClientThatNeverAnswersTheTerminalQueryDoesNotKeepTheSlot(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	freed, notify := notifier()
	f := startWith(t, setup{slotFreed: notify, config: func(c *config.Config) {
		c.SSH.MaxSessions = 1
		// Short, but long enough that the next console below, which this
		// also applies to, draws Ada before it idles out on a loaded machine.
		c.SSH.Idle = time.Second
	}}, ana)
	silent := dialRude(t, f.addr, ana.signer, true)
	silent.waitEnded(t, "never answers the terminal query")
	waitFreed(t, freed, "never answers the terminal query")
	next := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	next.waitFor(0, "Ada Lovelace")
}

// floodWindowChanges waits for the console's first output, then sends
// window changes until the connection ends or n have been sent (n < 0: no
// limit). Waiting matters to the race detector, not to the server: a window
// change that arrives while the session's handlers still read Pty() races
// inside github.com/charmbracelet/ssh (its request loop writes pty.Window
// unlocked), which is the library's, not Roster's; once the program draws,
// nothing reads Pty() again.
func floodWindowChanges(c *rudeClient, n int) {
	if _, err := c.stdout.Read(make([]byte, 1)); err != nil {
		return
	}
	for i := 0; n < 0 || i < n; i++ {
		if err := c.sess.WindowChange(300+i%2, 1000+i%3); err != nil {
			return
		}
	}
}

// A client that never reads its output is disconnected once a write has
// waited write_timeout, and its slot is freed.
func TestAClientThatNeverReadsIsDisconnected(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	freed, notify := notifier()
	f := startWith(t, setup{slotFreed: notify, config: func(c *config.Config) {
		c.SSH.MaxSessions = 1
		c.SSH.Write = 100 * time.Millisecond
	}}, ana)
	deaf := dialRude(t, f.addr, ana.signer, false)
	go floodWindowChanges(deaf, -1)
	deaf.waitEnded(t, "never reads")
	waitFreed(t, freed, "never reads")
	next := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	next.waitFor(0, "Ada Lovelace")
}

// A client that floods window changes without reading and then hangs up
// frees its slot when the connection ends, long before write_timeout.
func TestASlotIsFreedWhenTheConnectionEnds(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	freed, notify := notifier()
	f := startWith(t, setup{slotFreed: notify, config: func(c *config.Config) {
		c.SSH.MaxSessions = 1
		c.SSH.Write = time.Hour
	}}, ana)
	flood := dialRude(t, f.addr, ana.signer, false)
	floodWindowChanges(flood, 3000)
	_ = flood.client.Close()
	waitFreed(t, freed, "hung up while its output was blocked")
	next := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	next.waitFor(0, "Ada Lovelace")
}
