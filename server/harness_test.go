package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/sandbox"
)

// waitLimit bounds every wait for the console; it is a failure bound, not
// a synchronisation: tests go on as soon as the screen shows what they want.
const waitLimit = 20 * time.Second

// person is a key pair and the name and role the config lists it under
// (role "" means unlisted).
type person struct {
	name, role string
	signer     gossh.Signer
	options    string // authorized_keys options before the key, if any
}

func newPerson(tb testing.TB, name, role string) person {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		tb.Fatal(err)
	}
	return person{name: name, role: role, signer: s}
}

func (p person) authorizedLine() string {
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(p.signer.PublicKey())))
	if p.options != "" {
		return p.options + " " + line
	}
	return line
}

// fixture is a running server over an in-process sandbox, with the config
// read from a real file.
type fixture struct {
	srv      *Server
	addr     string
	cfg      *config.Config
	provider crm.Provider // the unwrapped adapter, to check the sandbox
	dir      string
}

// start writes a config listing people, opens its providers over the
// sandbox and serves on a loopback port.
func start(tb testing.TB, people ...person) *fixture {
	tb.Helper()
	return startWith(tb, setup{}, people...)
}

// setup changes what start builds.
type setup struct {
	config    func(*config.Config) // applied to the loaded config
	transport http.RoundTripper    // the adapter's HTTP transport
	slotFreed func()               // called whenever a console slot is freed
	metrics   *Metrics             // counters to pass to New (and wrap the transport with)
}

// startWith is start with changes to the config or the adapter's transport.
func startWith(tb testing.TB, o setup, people ...person) *fixture {
	tb.Helper()
	run, err := sandbox.New(sandbox.Options{Users: 120}).Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = run.Close() })
	dir := tb.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, `[providers.sales]
kind = "apideck"
base_url = %q
api_key = %q
app_id = %q
consumer_id = %q

[ssh]
listen = "127.0.0.1:0"
host_key = "state/ssh_host_ed25519"
audit_log = "state/audit.jsonl"
idle_timeout = "15m"
max_sessions = 60
`, run.URL, sandbox.ApideckAPIKey, sandbox.ApideckAppID, sandbox.ApideckConsumerID)
	for _, p := range people {
		if p.role == "" {
			continue
		}
		fmt.Fprintf(&b, "\n[[ssh.users]]\nname = %q\nrole = %q\nkeys = [%q]\n", p.name, p.role, p.authorizedLine())
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	// Users' state files (columns, saved views) go to the test's own
	// directory, never the state directory of whoever runs the tests.
	cfg.StateDir = filepath.Join(dir, "state")
	if o.config != nil {
		o.config(cfg)
	}
	transport := o.transport
	if o.metrics != nil {
		if transport == nil {
			transport = http.DefaultTransport
		}
		transport = o.metrics.Transport("sales", transport)
	}
	p, err := config.Open(cfg.Providers["sales"], config.Deps{HTTP: &http.Client{Timeout: waitLimit, Transport: transport}})
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := New(Options{Config: cfg, Providers: []crm.Provider{p}, slotFreed: o.slotFreed, Metrics: o.metrics})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			tb.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			tb.Errorf("serve: %v", err)
		}
	})
	return &fixture{srv: srv, addr: ln.Addr().String(), cfg: cfg, provider: p, dir: dir}
}

// auditEntries reads the server's audit log.
func (f *fixture) auditEntries(tb testing.TB) []audit.Entry {
	tb.Helper()
	entries, err := audit.Read(f.cfg.SSH.AuditLog, audit.Filter{})
	if err != nil {
		tb.Fatal(err)
	}
	return entries
}

// clientConfig signs in with auth; the SSH user name means nothing here,
// the key does.
func clientConfig(auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            "whoever",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         waitLimit,
	}
}

func dial(addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, clientConfig(auth...))
}

// console is a real SSH client session with a pty, as `ssh -t` opens.
type console struct {
	tb     testing.TB
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser

	mu     sync.Mutex
	out    []byte        // everything the server wrote
	more   chan struct{} // signalled after every read
	ended  int           // readers (stdout, stderr) at their end
	closed bool          // both have ended: the session is over
}

// readerDone records one stream's end; c.mu is held.
func (c *console) readerDone() {
	c.ended++
	c.closed = c.ended == 2
}

func openConsole(tb testing.TB, addr string, width, height int, auth ...gossh.AuthMethod) *console {
	tb.Helper()
	return openConsoleWith(tb, addr, width, height, clientConfig(auth...))
}

func openConsoleWith(tb testing.TB, addr string, width, height int, cfg *gossh.ClientConfig) *console {
	tb.Helper()
	client, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		tb.Fatalf("dial: %v", err)
	}
	return consoleOn(tb, client, width, height)
}

// consoleOn opens the console over a client already connected.
func consoleOn(tb testing.TB, client *gossh.Client, width, height int) *console {
	tb.Helper()
	sess, err := client.NewSession()
	if err != nil {
		tb.Fatal(err)
	}
	c := &console{tb: tb, client: client, sess: sess, more: make(chan struct{}, 1)}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stderr, err := sess.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if c.stdin, err = sess.StdinPipe(); err != nil {
		tb.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", height, width, gossh.TerminalModes{}); err != nil {
		tb.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		tb.Fatal(err)
	}
	go c.read(stdout)
	go c.readStderr(stderr)
	tb.Cleanup(func() { _ = client.Close() })
	return c
}

// read collects output and answers the renderer's terminal queries as a
// terminal would (background colour, then device attributes).
func (c *console) read(r io.Reader) {
	buf := make([]byte, 32*1024)
	answered := false
	for {
		n, err := r.Read(buf)
		c.mu.Lock()
		c.out = append(c.out, buf[:n]...)
		ask := !answered && bytes.Contains(c.out, []byte("\x1b[c"))
		if err != nil {
			c.readerDone()
		}
		c.mu.Unlock()
		if ask {
			answered = true
			_, _ = io.WriteString(c.stdin, "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22c")
		}
		select {
		case c.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// readStderr shows what the server writes to stderr (refusals) among the
// output, as a terminal does.
func (c *console) readStderr(r io.Reader) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		c.mu.Lock()
		c.out = append(c.out, buf[:n]...)
		if err != nil {
			c.readerDone()
		}
		c.mu.Unlock()
		select {
		case c.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// mark is where the output ends now; waits after it see only new frames.
func (c *console) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.out)
}

// text is the output since mark with escape sequences removed.
func (c *console) text(since int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ansi.Strip(string(c.out[since:]))
}

// waitFor waits until the output after since shows want (escape sequences
// removed); it fails the test after waitLimit or when the session ends.
func (c *console) waitFor(since int, want string) {
	c.tb.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		seen := strings.Contains(ansi.Strip(string(c.out[since:])), want)
		closed := c.closed
		c.mu.Unlock()
		if seen {
			return
		}
		if closed {
			c.tb.Fatalf("session ended before %q appeared; it showed:\n%s", want, c.text(since))
		}
		select {
		case <-c.more:
		case <-deadline.C:
			c.tb.Fatalf("%q did not appear within %s; the screen showed:\n%s", want, waitLimit, c.text(since))
		}
	}
}

// waitEnd waits for the server to end the session.
func (c *console) waitEnd() {
	c.tb.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return
		}
		select {
		case <-c.more:
		case <-deadline.C:
			c.tb.Fatalf("the session did not end within %s", waitLimit)
		}
	}
}

// press sends keys as a terminal encodes them.
// saveAdasTitle opens Ada (the first user) from the list, sets her title
// and confirms the save; it returns the mark from before it started.
func (c *console) saveAdasTitle(title string) int {
	c.tb.Helper()
	m := c.mark()
	c.press("enter")
	c.waitFor(m, "Email (primary)")
	c.press("e")
	c.waitFor(m, "Edit Ada")
	c.press("tab", "tab", "tab", "tab") // First, Last, Email, Username → Title
	c.waitFor(m, "┃ Title")
	c.press("ctrl+u", title, "ctrl+s")
	c.waitFor(m, "Save changes to")
	c.press("right", "enter")
	return m
}

func (c *console) press(keys ...string) {
	c.tb.Helper()
	for _, k := range keys {
		seq, ok := keyBytes[k]
		if !ok {
			seq = k // typed text
		}
		if _, err := io.WriteString(c.stdin, seq); err != nil {
			c.tb.Fatalf("send %q: %v", k, err)
		}
	}
}

var keyBytes = map[string]string{
	"enter": "\r", "tab": "\t", "ctrl+u": "\x15", "ctrl+s": "\x13", "ctrl+c": "\x03",
	"right": "\x1b[C", "left": "\x1b[D", "up": "\x1b[A", "down": "\x1b[B",
}

// waitForLine waits until a whole line written after since (escape
// sequences removed) satisfies match, and returns it.
func (c *console) waitForLine(since int, what string, match func(line string) bool) string {
	c.tb.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		text := c.text(since)
		if i := strings.LastIndexByte(text, '\n'); i >= 0 {
			for _, line := range strings.Split(text[:i], "\n") {
				line = strings.Trim(line, "\r")
				if match(line) {
					return line
				}
			}
		}
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if closed {
			c.tb.Fatalf("session ended before %s appeared; it showed:\n%s", what, text)
		}
		select {
		case <-c.more:
		case <-deadline.C:
			c.tb.Fatalf("%s did not appear within %s; the screen showed:\n%s", what, waitLimit, text)
		}
	}
}
