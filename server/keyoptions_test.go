package server

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
)

func signsIn(t *testing.T, f *fixture, p person) bool {
	t.Helper()
	c, err := dial(f.addr, gossh.PublicKeys(p.signer))
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

func TestFromOptionLimitsWhereAKeySignsInFrom(t *testing.T) {
	elsewhere := newPerson(t, "ana", "admin")
	elsewhere.options = `from="10.1.2.3,192.168.0.0/16"`
	local := newPerson(t, "bob", "admin")
	local.options = `from="127.0.0.0/8,!127.0.0.2"`
	wild := newPerson(t, "cy", "viewer")
	wild.options = `from="127.0.0.*"`
	f := start(t, elsewhere, local, wild)
	if signsIn(t, f, elsewhere) {
		t.Fatal("a key limited to other addresses signed in from 127.0.0.1")
	}
	if !signsIn(t, f, local) || !signsIn(t, f, wild) {
		t.Fatal("a key allowed from 127.0.0.1 was refused")
	}
}

func TestExpiredKeyIsRefused(t *testing.T) {
	old := newPerson(t, "ana", "admin")
	old.options = `expiry-time="20200101"`
	current := newPerson(t, "bob", "admin")
	current.options = `expiry-time="29990101Z"`
	f := start(t, old, current)
	if signsIn(t, f, old) {
		t.Fatal("an expired key signed in")
	}
	if !signsIn(t, f, current) {
		t.Fatal("a key that expires in 2999 was refused")
	}
}

func TestRestrictedKeyGetsNoConsole(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	ana.options = "restrict"
	f := start(t, ana)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	c.waitFor(0, "do not allow the console")
	c.waitEnd()
}

func TestUnsupportedKeyOptionsStopTheServer(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`command="/bin/true" `, `"command"`},
		{`@cert-authority `, "@cert-authority"},
		{`tunnel="1" `, `"tunnel"`},
	} {
		p := newPerson(t, "ana", "admin")
		cfg := &config.Config{Order: []string{}, Providers: map[string]config.Provider{}}
		cfg.SSH.Users = []config.SSHUser{{Name: "ana", Role: "admin", Keys: []string{tc.line + p.authorizedLine()}}}
		cfg.SSH.HostKey = t.TempDir() + "/host"
		_, err := New(Options{Config: cfg, Providers: []crm.Provider{}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an error naming %s, got %v", tc.line, tc.want, err)
		}
	}
}

func TestAgentForwardingIsRefused(t *testing.T) {
	ana := newPerson(t, "ana", "admin")
	f := start(t, ana)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
	c.waitFor(0, "Ada Lovelace")
	ok, err := c.sess.SendRequest(agentRequest, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Fatal("the agent-forwarding request was answered ok")
	}
}
