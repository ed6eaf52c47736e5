package server

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/state"
)

// signInAs opens the console with key, typing sshUser as the SSH user name
// (which the server ignores: the key says who it is).
func signInAs(t *testing.T, f *fixture, sshUser string, key gossh.Signer) *console {
	t.Helper()
	cfg := clientConfig(gossh.PublicKeys(key))
	cfg.User = sshUser
	c := openConsoleWith(t, f.addr, 100, 30, cfg)
	c.waitFor(0, "Ada Lovelace")
	return c
}

// command types :LINE in the list and waits for the answer.
func (c *console) command(line, want string) {
	c.tb.Helper()
	m := c.mark()
	c.press(":" + line)
	c.press("enter")
	c.waitFor(m, want)
}

// An SSH user's columns and saved views are kept in their own state file
// (named after the [[ssh.users]] name, not the typed SSH user name) and
// come back in their next session; another user neither sees nor changes
// them.
func TestSSHUsersKeepTheirOwnColumnsAndViews(t *testing.T) {
	ana, bob := newPerson(t, "ana", "admin"), newPerson(t, "bob", "viewer")
	f := start(t, ana, bob)

	c := signInAs(t, f, "whoever", ana.signer)
	c.command("columns email,name", "(remembered for sales)")
	m := c.mark()
	c.command("save mine", "saved view mine")
	// The state file is the server's: its path is not shown over SSH.
	if screen := c.text(m); strings.Contains(screen, " in /") || strings.Contains(screen, "console-ssh-") {
		t.Errorf("the save's message shows the server's path:\n%s", screen)
	}
	c.client.Close()
	c.waitEnd()

	anaFile := filepath.Join(f.cfg.StateDir, "console-ssh-ana.json")
	fi, err := os.Stat(anaFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s is %v, want 0600", anaFile, fi.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(f.cfg.StateDir, "console-ssh-whoever.json")); err == nil {
		t.Error("a state file was named after the typed SSH user name")
	}

	// Ana again, typing another SSH user name: her columns and view are back.
	again := signInAs(t, f, "bob", ana.signer)
	header := again.waitForLine(0, "the list's header", func(line string) bool {
		return strings.Contains(line, "Email") && strings.Contains(line, "Name")
	})
	if strings.Index(header, "Email") > strings.Index(header, "Name") || strings.Contains(header, "Title") {
		t.Errorf("header after reconnecting: %q, want her columns Email, Name", header)
	}
	again.command("view mine", "view mine")
	again.client.Close()
	again.waitEnd()

	// Bob, typing ana as the SSH user name, has the default columns and no
	// view of hers; what he saves goes to his own file.
	b := signInAs(t, f, "ana", bob.signer)
	header = b.waitForLine(0, "the list's header", func(line string) bool {
		return strings.Contains(line, "Email") && strings.Contains(line, "Name")
	})
	if !strings.Contains(header, "Title") {
		t.Errorf("bob's header %q: want the default columns (with Title)", header)
	}
	b.command("view mine", "this provider has no views")
	b.command("columns name,title", "(remembered for sales)")
	b.command("save mine", "saved view mine")

	kept, err := state.Open(anaFile)
	if err != nil {
		t.Fatal(err)
	}
	p := kept.Provider("sales")
	if !slices.Equal(p.Columns, []string{"email", "name"}) || len(p.Views) != 1 || !slices.Equal(p.Views[0].Columns, []string{"email", "name"}) {
		t.Errorf("ana's state after bob saved: %+v", p)
	}
	bobs, err := state.Open(filepath.Join(f.cfg.StateDir, "console-ssh-bob.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := bobs.Provider("sales").Columns; !slices.Equal(got, []string{"name", "title"}) {
		t.Errorf("bob's columns %v", got)
	}
}
