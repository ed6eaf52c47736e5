package server

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
)

// The config's theme and [keys] reach every SSH session, drawn on that
// session's renderer; a client that sets NO_COLOR gets no colour (but
// still reverse video) while the other, without it, gets the theme's.
func TestSessionsTakeTheThemeAndKeysAndTheirOwnNoColor(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := startWith(t, setup{config: func(c *config.Config) {
		c.Theme = "high-contrast"
		c.Keys = map[string][]string{"load-all": {"ctrl+l"}}
	}}, ana)

	plain := openConsoleEnv(t, f.addr, nil, gossh.PublicKeys(ana.signer))
	plain.waitFor(0, "ctrl+l load all")
	if out := plain.raw(); !strings.Contains(out, "38;5;51m") {
		t.Errorf("the session should show high-contrast's cyan (256-colour 51):\n%q", out)
	}

	mono := openConsoleEnv(t, f.addr, map[string]string{"NO_COLOR": "1"}, gossh.PublicKeys(ana.signer))
	mono.waitFor(0, "ctrl+l load all")
	out := mono.raw()
	if strings.Contains(out, "38;5;") || strings.Contains(out, "48;5;") {
		t.Errorf("a client with NO_COLOR got colours:\n%q", out)
	}
	if !strings.Contains(out, "\x1b[7m") {
		t.Errorf("without colour the title and cursor row should still be reverse video:\n%q", out)
	}
}

// openConsoleEnv is openConsole with the client's environment sent first.
func openConsoleEnv(tb testing.TB, addr string, env map[string]string, auth ...gossh.AuthMethod) *console {
	tb.Helper()
	client, err := dial(addr, auth...)
	if err != nil {
		tb.Fatal(err)
	}
	sess, err := client.NewSession()
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			tb.Fatal(err)
		}
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
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
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

// raw is everything the session wrote, escapes included.
func (c *console) raw() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.out)
}
