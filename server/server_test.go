package server

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
)

func TestAuthorisedKeySeesTheUserList(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := start(t, ana)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	c.waitFor(0, "Ada Lovelace")
	c.waitFor(0, "ana (admin)") // the status bar says who is signed in
}

func TestUnknownKeyIsRefused(t *testing.T) {
	ana, stranger := newPerson(t, "ana", "admin"), newPerson(t, "mallory", "")
	f := start(t, ana, stranger)
	if c, err := dial(f.addr, gossh.PublicKeys(stranger.signer)); err == nil {
		c.Close()
		t.Fatal("an unlisted key signed in")
	}
}

func TestPasswordsAreNotOffered(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := start(t, ana)
	answered := false
	c, err := dial(f.addr, gossh.Password("hunter2"), gossh.KeyboardInteractive(
		func(string, string, []string, []bool) ([]string, error) { answered = true; return nil, nil }))
	if err == nil {
		c.Close()
		t.Fatal("signed in without a key")
	}
	if answered {
		t.Fatal("the server asked keyboard-interactive questions")
	}
}

// offerOnly holds someone else's public key and not its private half: the
// client offers it (the server answers whether it would accept it) and
// cannot sign. Sign records that the server accepted the offer; the client
// signs only after the server said the key would do.
type offerOnly struct {
	pub      gossh.PublicKey
	accepted *bool
}

func (o offerOnly) PublicKey() gossh.PublicKey { return o.pub }

func (o offerOnly) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	*o.accepted = true
	return nil, errors.New("no private key")
}

// offerThenSign is a client that offers the victim's key, and then
// authenticates with its own in the same connection: the attack on servers
// that take the identity from the last key their callback saw.
func offerThenSign(victim gossh.PublicKey, own gossh.Signer, accepted *bool) *gossh.ClientConfig {
	cfg := clientConfig()
	attempt := 0
	cfg.AuthCallback = func(*gossh.ClientAuthContext) (gossh.AuthMethod, error) {
		attempt++
		switch attempt {
		case 1:
			return gossh.PublicKeys(offerOnly{victim, accepted}), nil
		case 2:
			return gossh.PublicKeys(own), nil
		}
		return nil, errors.New("out of keys")
	}
	return cfg
}

func TestOfferingTheAdminKeyThenSigningWithAnUnlistedOneGetsNothing(t *testing.T) {
	ana, mallory := newPerson(t, "ana", "admin"), newPerson(t, "mallory", "")
	f := start(t, ana, mallory)
	accepted := false
	c, err := gossh.Dial("tcp", f.addr, offerThenSign(ana.signer.PublicKey(), mallory.signer, &accepted))
	if !accepted {
		t.Fatalf("the attack did not run: the server never accepted the offered admin key (err %v)", err)
	}
	if err == nil {
		c.Close()
		t.Fatal("signed in after offering the admin's key and signing with an unlisted one")
	}
}

func TestOfferingTheAdminKeyThenSigningAsAViewerIsTheViewer(t *testing.T) {
	ana, vic := newPerson(t, "ana", "admin"), newPerson(t, "vic", "viewer")
	f := start(t, ana, vic)
	accepted := false
	c := openConsoleWith(t, f.addr, 100, 30, offerThenSign(ana.signer.PublicKey(), vic.signer, &accepted))
	if !accepted {
		t.Fatal("the attack did not run: the server never accepted the offered admin key")
	}
	c.waitFor(0, "vic (viewer)")
	if strings.Contains(c.text(0), "admin") {
		t.Fatalf("the session shows an admin:\n%s", c.text(0))
	}
}

func TestViewerCannotUpdateEvenWithTheEditKeys(t *testing.T) {
	vic := newPerson(t, "vic", "viewer")
	f := start(t, vic)
	before, err := f.provider.Get(context.Background(), "10000")
	if err != nil {
		t.Fatal(err)
	}
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(vic.signer))
	c.waitFor(0, "Ada Lovelace")
	m := c.mark()
	c.press("enter")
	c.waitFor(m, "Email (primary)")
	// The whole editor sequence, as the editor test sends it.
	c.press("e", "tab", "tab", "tab", "tab", "ctrl+u", "Hacked", "ctrl+s", "right", "enter")
	// Keys are handled in order: once help shows, the ones above were read.
	c.press("?")
	c.waitFor(m, "Keys: Ada Lovelace")
	if strings.Contains(c.text(m), "Edit Ada") {
		t.Fatalf("the viewer got the edit form:\n%s", c.text(m))
	}
	// Shutdown waits for any change in flight, so nothing lands after the
	// checks below.
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := f.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := f.provider.Get(context.Background(), "10000")
	if err != nil {
		t.Fatal(err)
	}
	if after.Title != before.Title {
		t.Fatalf("a viewer changed the title from %q to %q", before.Title, after.Title)
	}
	for _, e := range f.auditEntries(t) {
		if e.Result == "ok" {
			t.Fatalf("the audit log has a successful change by a viewer: %+v", e)
		}
	}
}

func TestEditorSaveIsAuditedUnderTheirName(t *testing.T) {
	eve := newPerson(t, "eve", "editor")
	f := start(t, eve)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(eve.signer))
	c.waitFor(0, "Ada Lovelace")
	m := c.saveAdasTitle("Remote Editor")
	c.waitFor(m, "saved Ada Lovelace: Title")

	u, err := f.provider.Get(context.Background(), "10000")
	if err != nil || u.Title != "Remote Editor" {
		t.Fatalf("the sandbox has title %q, err %v", u.Title, err)
	}
	// The entry is on disk before the success message shows.
	entries := f.auditEntries(t)
	if len(entries) != 1 {
		t.Fatalf("audit log has %d entries, want 1: %+v", len(entries), entries)
	}
	e := entries[0]
	want := audit.Who{Name: "eve", Fingerprint: gossh.FingerprintSHA256(eve.signer.PublicKey()), Via: "ssh", Addr: e.Who.Addr}
	if host, _, _ := strings.Cut(e.Who.Addr, ":"); host != "127.0.0.1" {
		t.Errorf("audit entry's address %q, want the client's (127.0.0.1:port)", e.Who.Addr)
	}
	if e.Who != want || e.Action != "update" || e.Result != "ok" || e.UserID != "10000" || e.After["title"] != "Remote Editor" {
		t.Fatalf("audit entry = %+v, want an ok update of 10000 to title Remote Editor by %+v", e, want)
	}
}

func TestSessionsAskingForACommandAreRefused(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := start(t, ana)
	client, err := dial(f.addr, gossh.PublicKeys(ana.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("cat /etc/passwd")
	if err == nil || !strings.Contains(string(out), "only offers the console") {
		t.Fatalf("exec answered %q, err %v; want a refusal", out, err)
	}
}

func TestNoPortForwarding(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := start(t, ana)
	client, err := dial(f.addr, gossh.PublicKeys(ana.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if conn, err := client.Dial("tcp", f.addr); err == nil {
		conn.Close()
		t.Fatal("the server forwarded a TCP connection")
	}
	if ln, err := client.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
		t.Fatal("the server accepted a remote forward")
	}
}

func TestHostKeyIsCreatedPrivate(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := start(t, ana)
	fi, err := os.Stat(f.cfg.SSH.HostKey)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %04o, want 0600", fi.Mode().Perm())
	}
	// And a second start uses the same key.
	first, err := loadHostKey(f.cfg.SSH.HostKey)
	if err != nil {
		t.Fatal(err)
	}
	again, err := loadHostKey(f.cfg.SSH.HostKey)
	if err != nil || string(again.PublicKey().Marshal()) != string(first.PublicKey().Marshal()) {
		t.Fatalf("reloading the host key gave a different key (err %v)", err)
	}
	if err := os.Chmod(f.cfg.SSH.HostKey, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadHostKey(f.cfg.SSH.HostKey); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable host key loaded (err %v)", err)
	}
}

// titleBar finds the title bar ("Roster" and the breadcrumb) among lines.
func isTitleBar(line string) bool {
	return strings.Contains(line, "Roster") && strings.Contains(line, "sales users")
}

func TestWindowSizeIsHonoured(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := start(t, ana)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	title := c.waitForLine(0, "the title bar", isTitleBar)
	if w := ansi.StringWidth(title); w != 100 {
		t.Fatalf("title bar is %d columns wide in a 100-column window: %q", w, title)
	}
	m := c.mark()
	if err := c.sess.WindowChange(20, 60); err != nil {
		t.Fatal(err)
	}
	title = c.waitForLine(m, "the title bar after the resize", isTitleBar)
	if w := ansi.StringWidth(title); w != 60 {
		t.Fatalf("after resizing to 60 columns the title bar is %d wide: %q", w, title)
	}
}

func TestSessionsBeyondMaxSessionsAreTurnedAway(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := startWith(t, setup{config: func(c *config.Config) { c.SSH.MaxSessions = 1 }}, ana)
	first := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	first.waitFor(0, "Ada Lovelace")
	second := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	second.waitFor(0, "the console is full (max_sessions = 1)")
	second.waitEnd()
}

// Each session keeps its own page cache: a colleague's change shows in a
// session opened after it, and in an open session once its user refreshes
// (r), not from pages that session cached before the change.
func TestAColleaguesChangeShowsAfterRefresh(t *testing.T) {
	ana, eve := newPerson(t, "ana", "admin"), newPerson(t, "eve", "editor")
	f := start(t, ana, eve)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	c.waitFor(0, "Ada Lovelace")

	// A colleague retitles Ada elsewhere (the provider's own screens).
	if _, err := f.provider.Update(context.Background(), "10000", crm.Changes{"title": "Roster Chief"}); err != nil {
		t.Fatal(err)
	}
	// Eve signs in afterwards: her session does not see Ana's cached pages.
	e := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(eve.signer))
	e.waitFor(0, "Roster Chief")

	m := c.mark()
	c.press("r")
	c.waitFor(m, "Roster Chief")
}
