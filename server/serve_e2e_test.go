package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The sandbox's Truto limit in this test: low, so two editors' saves go
// past it, over a window long enough that a request delayed on a loaded
// machine does not land in the next one. The instances are told the same
// limit (rate_limit), as an admin copies a provider's published limit.
const (
	e2eTrutoRequests = 6
	e2eTrutoPer      = 3 * time.Second
	// e2eTokenLifetime: Zoho's clients renew a token 10 s before it
	// expires, so a token of 11 s is due for renewal 1 s after it came.
	e2eTokenLifetime = 11 * time.Second
	e2eTokenDue      = e2eTokenLifetime - 10*time.Second
	e2eTrutoSaves    = 3 // per Truto editor
)

// instance is one `roster serve` process.
type instance struct {
	proc         *rosterProc
	addr, health string
	name         string // what it writes as the audit entries' instance
	fingerprint  string // its host key's
}

// TestTwoServeInstancesShareOnePostgreSQL is issue 18's end-to-end test:
// two `roster serve` processes (the built binary) share one PostgreSQL and
// one sandbox; four editors, two on each, save users over SSH at once —
// two in Truto, whose account the sandbox limits to fewer requests than
// both instances ask for, two in Zoho, whose access tokens last a second.
// Afterwards one `roster audit --json` shows every change from both
// instances in order with their instance names, the sandbox answered no
// 429, and Zoho's token endpoint was asked once per expiry, not once per
// instance.
func TestTwoServeInstancesShareOnePostgreSQL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds roster and runs two servers")
	}
	dsn := pgtest.DSN(t)
	bin := buildRoster(t)

	var tokensMu sync.Mutex
	var tokenAsked []time.Time // arrivals at Zoho's token endpoint
	sb := sandbox.New(sandbox.Options{Users: 40, OnRequest: func(r *http.Request, served bool) {
		if !served && r.URL.Path == "/oauth/v2/token" {
			tokensMu.Lock()
			tokenAsked = append(tokenAsked, time.Now())
			tokensMu.Unlock()
		}
	}})
	sb.SetRateLimit("truto", sandbox.RateLimit{Requests: e2eTrutoRequests, Per: e2eTrutoPer})
	sb.SetZohoTokenLifetime(e2eTokenLifetime)
	run, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	tokens := func() []time.Time {
		tokensMu.Lock()
		defer tokensMu.Unlock()
		return append([]time.Time(nil), tokenAsked...)
	}

	ana, ben := newPerson(t, "ana", "editor"), newPerson(t, "ben", "editor")
	cleo, dan := newPerson(t, "cleo", "editor"), newPerson(t, "dan", "editor")
	dir := t.TempDir()
	config := writeE2EConfig(t, dir, run.URL, fmt.Sprintf("%d/%s", e2eTrutoRequests, e2eTrutoPer), ana, ben, cleo, dan)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	env := []string{"ROSTER_AUDIT_DSN=" + dsn, "ROSTER_TOKEN_KEY=" + base64.StdEncoding.EncodeToString(key),
		"XDG_CONFIG_HOME=" + dir}
	// One after the other: the first creates the shared host key.
	a, b := serveE2E(t, bin, config, env, "one"), serveE2E(t, bin, config, env, "two")
	if a.fingerprint == "" || a.fingerprint != b.fingerprint {
		t.Errorf("host key fingerprints %q and %q: the instances should share one identity", a.fingerprint, b.fingerprint)
	}
	follower := startRoster(t, "roster audit --follow", bin, append(env, "XDG_STATE_HOME="+filepath.Join(dir, "reader")),
		"--config", config, "audit", "--follow", "--json")

	var wg sync.WaitGroup
	saved := make(map[string][]string) // editor → last names saved, in order
	var savedMu sync.Mutex
	edit := func(p person, in *instance, provider, row int, more func(done int) bool) {
		defer wg.Done()
		c := openConsole(t, in.addr, 120, 40, gossh.PublicKeys(p.signer))
		c.openUser(provider, row)
		for i := 1; more(i - 1); i++ {
			last := fmt.Sprintf("%s%d", strings.ToUpper(p.name[:1])+p.name[1:], i)
			c.saveLastName(last)
			savedMu.Lock()
			saved[p.name] = append(saved[p.name], last)
			savedMu.Unlock()
		}
	}
	trutoSaves := func(done int) bool { return done < e2eTrutoSaves }
	// Zoho's editors go on until the third token: two expiries seen by
	// both instances at once (a token is due after a second; a save takes
	// a fraction of one, so a hundred saves without it is a failure).
	zohoSaves := func(done int) bool {
		if done >= 100 {
			t.Errorf("%d saves and only %d Zoho tokens asked for", done, len(tokens()))
			return false
		}
		return done < 2 || len(tokens()) < 3
	}
	wg.Add(4)
	go edit(ana, a, 0, 0, trutoSaves)
	go edit(ben, b, 0, 1, trutoSaves)
	go edit(cleo, a, 1, 0, zohoSaves)
	go edit(dan, b, 1, 1, zohoSaves)
	wg.Wait()
	if t.Failed() {
		return
	}

	// Every save's outcome has reached PostgreSQL: the follower, which
	// prints entries as any instance commits them, has shown them all.
	want := 0
	for _, names := range saved {
		want += len(names)
	}
	follower.waitLines(fmt.Sprintf("the outcomes of %d saves", want), func(lines []string) bool {
		return countOutcomes(lines) >= want
	})

	// One query shows every change, from both instances, in order.
	changes := auditQuery(t, bin, config, append(env, "XDG_STATE_HOME="+filepath.Join(dir, "reader")))
	checkTrail(t, changes, saved, map[string]string{"ana": a.name, "ben": b.name, "cleo": a.name, "dan": b.name})

	// The Truto account was pushed past its limit by both instances (each
	// one's limiter made requests wait), and the sandbox answered no 429.
	tooMany, truto := 0, 0
	for _, r := range sb.RequestLog() {
		if strings.HasPrefix(r.Path, "/unified/") {
			truto++
			if r.Status == http.StatusTooManyRequests {
				tooMany++
			}
		}
	}
	if tooMany != 0 {
		t.Errorf("the sandbox answered %d of %d Truto requests with 429", tooMany, truto)
	}
	t.Logf("%d changes in the trail; %d Truto requests, %d answered 429", len(changes), truto, tooMany)
	for _, in := range []*instance{a, b} {
		m := getText(t, "http://"+in.health+"/metrics")
		if waits := metric(m, `roster_limiter_waits_total{provider="truto"}`); waits == 0 {
			t.Errorf("%s never waited for the shared limiter: the test did not drive Truto past its limit\n%s", in.name, m)
		}
		if n := metric(m, `roster_provider_429_total{provider="truto"}`); n != 0 {
			t.Errorf("%s saw %v 429s", in.name, n)
		}
		t.Logf("%s: %v requests waited for the limiter", in.name, metric(m, `roster_limiter_waits_total{provider="truto"}`))
	}

	// One token per expiry: each was asked for only once the one before it
	// was due for renewal (two instances refreshing on their own ask twice
	// within milliseconds).
	asked := tokens()
	if len(asked) < 3 {
		t.Fatalf("%d tokens asked for, want at least 3", len(asked))
	}
	for i := 1; i < len(asked); i++ {
		if gap := asked[i].Sub(asked[i-1]); gap < e2eTokenDue {
			t.Errorf("token %d was asked for %s after token %d, which was good for %s: a second refresh for one expiry", i+1, gap, i, e2eTokenDue)
		}
	}
	t.Logf("Zoho tokens asked for at %v", asked)
	if issued := sb.ZohoTokensIssued(); issued != len(asked) {
		t.Errorf("%d tokens issued for %d requests", issued, len(asked))
	}

	// Both stop gracefully on SIGTERM.
	for _, in := range []*instance{a, b} {
		if err := in.proc.stop(); err != nil {
			t.Errorf("%s: %v\n%s", in.proc.name, err, in.proc.output())
		}
	}
}

// serveE2E starts `roster serve` with a state directory of its own (its
// own spool), as on another host, and waits until it listens.
func serveE2E(t *testing.T, bin, config string, env []string, name string) *instance {
	t.Helper()
	state := filepath.Join(filepath.Dir(config), name)
	p := startRoster(t, name, bin, append(env, "XDG_STATE_HOME="+state),
		"--config", config, "--log-format", "json", "serve")
	in := &instance{proc: p}
	in.fingerprint, _ = p.waitLog("host key")["fingerprint"].(string)
	in.addr, _ = p.waitLog("listening")["addr"].(string)
	in.health, _ = p.waitLog("health")["addr"].(string)
	host, _ := os.Hostname()
	in.name = host + ":" + strconv.Itoa(p.cmd.Process.Pid)
	return in
}

// auditQuery runs `roster audit --json` and returns the changes.
func auditQuery(t *testing.T, bin, config string, env []string) []audit.Entry {
	t.Helper()
	query := exec.Command(bin, "--config", config, "audit", "--json")
	query.Env = append(os.Environ(), env...)
	out, err := query.Output()
	if err != nil {
		t.Fatalf("roster audit --json: %v (%s)", err, stderrOf(err))
	}
	var changes []audit.Entry
	if err := json.Unmarshal(out, &changes); err != nil {
		t.Fatalf("roster audit --json: %v\n%s", err, out)
	}
	return changes
}

// writeE2EConfig writes the config both instances read: Truto and Zoho on
// the sandbox, the audit trail, limits and tokens in PostgreSQL, and the
// editors.
func writeE2EConfig(t *testing.T, dir, url, trutoRate string, people ...person) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `[providers.truto]
kind = "truto"
base_url = %q
token = %q
integrated_account_id = %q
integration = "salesforce"
rate_limit = %q

[providers.zoho]
kind = "zoho"
base_url = %q
accounts_url = %q
data_center = "us"
client_id = %q
client_secret = %q
refresh_token = %q
user_type = "AllUsers"

[audit]
sink = "postgres"
dsn = "env:ROSTER_AUDIT_DSN"
timeout = "10s"

[cluster]
store = "postgres"
token_key = "env:ROSTER_TOKEN_KEY"

[ssh]
listen = "127.0.0.1:0"
health_listen = "127.0.0.1:0"
host_key = %q
idle_timeout = "15m"
`, url, sandbox.TrutoToken, sandbox.TrutoAccountSalesforce, trutoRate,
		url, url, sandbox.ZohoClientID, sandbox.ZohoClientSecret, sandbox.ZohoRefreshToken,
		filepath.Join(dir, "ssh_host_ed25519"))
	for _, p := range people {
		fmt.Fprintf(&b, "\n[[ssh.users]]\nname = %q\nrole = %q\nkeys = [%q]\n", p.name, p.role, p.authorizedLine())
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openUser chooses the provider-th provider and opens the user in row.
func (c *console) openUser(provider, row int) {
	c.tb.Helper()
	c.waitFor(0, "Choose a provider")
	for range provider {
		c.press("down")
	}
	m := c.mark()
	c.press("enter")
	c.waitFor(m, "row 1 of")
	for range row {
		c.press("down")
	}
	m = c.mark()
	c.press("enter")
	c.waitFor(m, "Last name")
}

// saveLastName edits the user the console shows, sets their last name and
// waits for the save to be confirmed.
func (c *console) saveLastName(last string) {
	c.tb.Helper()
	m := c.mark()
	c.press("e")
	c.waitFor(m, "┃ First name") // the form, focus on its first field
	c.press("tab")
	c.waitFor(m, "┃ Last name")
	c.press("ctrl+u", last, "ctrl+s")
	c.waitFor(m, "Save changes to")
	c.press("right", "enter")
	c.waitFor(m, "✓ saved")
}

// countOutcomes counts the successful outcomes among `roster audit
// --follow --json` lines.
func countOutcomes(lines []string) int {
	n := 0
	for _, l := range lines {
		var e audit.Entry
		if json.Unmarshal([]byte(l), &e) == nil && e.Result == audit.ResultOK {
			n++
		}
	}
	return n
}

// checkTrail checks that changes (from `roster audit --json`) hold each
// editor's saves in the order made, by the instance they were made on,
// and that the trail is in time order.
func checkTrail(t *testing.T, changes []audit.Entry, saved map[string][]string, on map[string]string) {
	t.Helper()
	got := map[string][]string{}
	for i, e := range changes {
		if i > 0 && e.Time.Before(changes[i-1].Time) {
			t.Errorf("change %d (%s) is before change %d (%s)", i+1, e.Time, i, changes[i-1].Time)
		}
		if e.Result != audit.ResultOK {
			t.Errorf("change %d by %s: %s %s", i+1, e.Who.Name, e.Result, e.Error)
		}
		if e.Instance != on[e.Who.Name] {
			t.Errorf("change %d by %s: instance %q, want %q", i+1, e.Who.Name, e.Instance, on[e.Who.Name])
		}
		got[e.Who.Name] = append(got[e.Who.Name], lastNameIn(e.After))
	}
	for who, want := range saved {
		if strings.Join(got[who], ",") != strings.Join(want, ",") {
			t.Errorf("%s's changes in the trail: %v, want %v", who, got[who], want)
		}
	}
	if t.Failed() {
		t.Logf("the trail: %+v", changes)
	}
}

// lastNameIn finds the last name a change set, whatever the provider
// calls the field.
func lastNameIn(after map[string]any) string {
	for k, v := range after {
		if strings.Contains(strings.ToLower(strings.ReplaceAll(k, "_", "")), "lastname") {
			s, _ := v.(string)
			return s
		}
	}
	return fmt.Sprint(after)
}

// stderrOf is what a command that exited with err wrote to stderr.
func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// metric reads one sample from Prometheus text (0 when absent).
func metric(text, series string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` ([0-9.eE+-]+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}
