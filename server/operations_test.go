package server

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pires/go-proxyproto"
	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
)

func TestProxyProtocolPutsTheAdminsAddressInTheAudit(t *testing.T) {
	eve := newPerson(t, "eve", "editor")
	f := startWith(t, setup{config: func(c *config.Config) { c.SSH.ProxyProtocol = true }}, eve)

	conn, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	admin := &net.TCPAddr{IP: net.ParseIP("203.0.113.7"), Port: 40001}
	header := proxyproto.HeaderProxyFromAddrs(2, admin, conn.RemoteAddr())
	if _, err := header.WriteTo(conn); err != nil {
		t.Fatal(err)
	}
	sshConn, chans, reqs, err := gossh.NewClientConn(conn, f.addr, clientConfig(gossh.PublicKeys(eve.signer)))
	if err != nil {
		t.Fatal(err)
	}
	c := consoleOn(t, gossh.NewClient(sshConn, chans, reqs), 100, 30)
	c.waitFor(0, "Ada Lovelace")
	c.waitFor(c.saveAdasTitle("Behind A Balancer"), "saved Ada Lovelace: Title")

	entries := f.auditEntries(t)
	if len(entries) != 1 || entries[0].Who.Addr != "203.0.113.7:40001" {
		t.Fatalf("audit entries %+v, want one from 203.0.113.7:40001", entries)
	}
}

func TestProxyProtocolRefusesAConnectionWithoutAHeader(t *testing.T) {
	eve := newPerson(t, "eve", "editor")
	f := startWith(t, setup{config: func(c *config.Config) { c.SSH.ProxyProtocol = true }}, eve)
	if _, err := dial(f.addr, gossh.PublicKeys(eve.signer)); err == nil {
		t.Fatal("signed in without a PROXY header")
	}
}

func TestReloadRevokesAKeyWithoutDroppingSessions(t *testing.T) {
	ana, bob := newPerson(t, "ana", "admin"), newPerson(t, "bob", "editor")
	f := start(t, ana, bob)
	open := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(bob.signer))
	open.waitFor(0, "Ada Lovelace")

	var users []config.SSHUser
	for _, u := range f.cfg.SSH.Users {
		if u.Name != "bob" {
			users = append(users, u)
		}
	}
	if err := f.srv.Reload(users); err != nil {
		t.Fatal(err)
	}
	if _, err := dial(f.addr, gossh.PublicKeys(bob.signer)); err == nil {
		t.Fatal("a revoked key still signs in")
	}
	client, err := dial(f.addr, gossh.PublicKeys(ana.signer))
	if err != nil {
		t.Fatalf("a kept key no longer signs in: %v", err)
	}
	client.Close()
	// Bob's session, opened before, goes on: it still saves.
	open.waitFor(open.saveAdasTitle("Still Here"), "saved Ada Lovelace: Title")

	if err := f.srv.Reload(nil); err == nil {
		t.Fatal("reloading no users was accepted")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	eve := newPerson(t, "eve", "editor")
	m := NewMetrics()
	f := startWith(t, setup{metrics: m}, eve)
	c := openConsole(t, f.addr, 100, 30, gossh.PublicKeys(eve.signer))
	c.waitFor(0, "Ada Lovelace")
	c.waitFor(c.saveAdasTitle("Counted"), "saved Ada Lovelace: Title")

	h := httptest.NewServer(f.srv.HealthHandler())
	defer h.Close()
	resp, err := http.Get(h.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health struct {
		Status    string
		Sessions  int
		Audit     auditHealth
		Providers map[string]providerState
	}
	if err := json.NewDecoder(resp.Body).Decode(&health); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz %d: %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	if health.Status != "ok" || health.Sessions != 1 || !health.Audit.Reachable || health.Audit.Sink != "file" ||
		health.Providers["sales"].Status != "200" {
		t.Errorf("healthz: %+v", health)
	}

	resp, err = http.Get(h.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		"# TYPE roster_sessions gauge\nroster_sessions 1\n",
		"roster_audit_spool_depth 0\n",
		`roster_provider_requests_total{provider="sales",status="200"} `,
		"# TYPE roster_provider_429_total counter\n",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = f.srv.Shutdown(ctx) // closing: healthz says so
	resp, err = http.Get(h.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz while shutting down: %d, want 503", resp.StatusCode)
	}
}
