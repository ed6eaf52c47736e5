package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/sandbox"
)

// Benchmarks of the bulk CLI and of `users list --all` against the sandbox
// over real HTTP, each command run as its own process (this test binary
// re-executed as roster, see TestMain) so that wall time and peak RSS are
// the CLI's own. Run them with
//
//	go test -run '^$' -bench 'BenchmarkCLI' -benchtime 1x .
//
// Custom metrics: ms (wall time of the command), limit-ms (what the rate
// limit, concurrency and latency allow), ratio (ms / limit-ms), req/user
// (requests the sandbox served per user written), maxrss-MB (peak RSS).

// benchSandbox serves a sandbox with n users per provider and latency on a
// loopback port and writes a config for it: every provider's table gets
// the extra lines (rate_limit, max_concurrency) given for its name.
func benchSandbox(b *testing.B, n int, latency time.Duration, extra map[string]string) (*sandbox.Server, string) {
	b.Helper()
	s := sandbox.New(sandbox.Options{Users: n, Latency: latency})
	srv := httptest.NewServer(s.Handler())
	b.Cleanup(srv.Close)
	text := sampleConfig(demoConfig(srv.URL))
	for name, lines := range extra {
		head := "[providers." + name + "]\n"
		text = strings.Replace(text, head, head+lines+"\n", 1)
	}
	dir := b.TempDir()
	text += fmt.Sprintf("\n[ssh]\naudit_log = %q\n", filepath.Join(dir, "audit.jsonl"))
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		b.Fatal(err)
	}
	b.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	b.Setenv("XDG_CONFIG_HOME", dir)
	return s, cfg
}

// runChild runs roster with args in a child process, stdout to out, and
// returns its wall time and peak RSS.
func runChild(b *testing.B, out io.Writer, args ...string) (time.Duration, int64) {
	b.Helper()
	a, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "ROSTER_TEST_ARGS="+string(a))
	cmd.Stdout = out
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("roster %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	wall := time.Since(start)
	rss := int64(0)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return wall, rss
}

// processStart is the wall time of the cheapest command (roster version):
// what every child pays before its first request.
func processStart(b *testing.B) time.Duration {
	best := time.Hour
	for range 5 {
		d, _ := runChild(b, io.Discard, "version")
		best = min(best, d)
	}
	return best
}

func writes(s *sandbox.Server) (n int) {
	for _, r := range s.Requests() {
		if strings.HasPrefix(r, "PATCH ") || strings.HasPrefix(r, "PUT ") {
			n++
		}
	}
	return n
}

// bulkCSV writes a CSV changing the last name of users ids (a field both
// Zoho and every Truto CRM take).
func bulkCSV(b *testing.B, ids []string) string {
	var sb strings.Builder
	sb.WriteString("id,last_name\n")
	for i, id := range ids {
		fmt.Fprintf(&sb, "%s,Bench%d-%d\n", id, i, time.Now().UnixNano())
	}
	path := filepath.Join(b.TempDir(), "bulk.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkCLIBulkUpdate: 1,000 users at 50 ms per request, against each
// provider's limit: Zoho at concurrency 4 (its published cap is the only
// limit), Truto at a rate scaled 10× (500 per 10 s: the published 50 per
// 10 s would take over ten minutes for one run; the sandbox enforces the
// same scaled limit).
func BenchmarkCLIBulkUpdate(b *testing.B) {
	const users = 1000
	const latency = 50 * time.Millisecond
	b.Run("zoho-c4", func(b *testing.B) {
		s, cfg := benchSandbox(b, users+100, latency, map[string]string{"zoho-demo": "rate_limit = \"100000/1s\""})
		ids := benchIDs(b, cfg, "zoho-demo", users)
		if len(ids) != users {
			b.Fatalf("%d users with an email", len(ids))
		}
		for range b.N {
			before := len(s.Requests())
			wall, _ := runChild(b, io.Discard, "--config", cfg, "-p", "zoho-demo", "users", "update", "--from", bulkCSV(b, ids))
			reqs := len(s.Requests()) - before
			perUser := float64(reqs) / users
			// Each round of 4 users costs one round trip per request per user.
			limit := time.Duration((users+3)/4) * time.Duration(perUser*float64(latency))
			report(b, wall, limit, perUser)
		}
	})
	b.Run("truto-500per10s", func(b *testing.B) {
		s, cfg := benchSandbox(b, users+100, latency, map[string]string{"truto-demo": "rate_limit = \"500/10s\""})
		s.SetRateLimit("truto", sandbox.RateLimit{Requests: 500, Per: 10 * time.Second})
		ids := benchIDs(b, cfg, "truto-demo", users)
		if len(ids) != users {
			b.Fatalf("%d users with an email", len(ids))
		}
		for range b.N {
			before := len(s.Requests())
			wall, _ := runChild(b, io.Discard, "--config", cfg, "-p", "truto-demo", "users", "update", "--from", bulkCSV(b, ids))
			reqs := len(s.Requests()) - before
			perUser := float64(reqs) / users
			limit := time.Duration(float64(reqs) / 500 * float64(10*time.Second))
			report(b, wall, limit, perUser)
			b.ReportMetric(float64(writes(s)), "writes")
		}
	})
}

func report(b *testing.B, wall, limit time.Duration, perUser float64) {
	b.ReportMetric(float64(wall.Milliseconds()), "ms")
	b.ReportMetric(float64(limit.Milliseconds()), "limit-ms")
	b.ReportMetric(float64(wall)/float64(limit), "ratio")
	b.ReportMetric(perUser, "req/user")
}

// BenchmarkCLIExportCSV: `users list --all --format csv` of 100,000 users
// (Zoho: numbered pages of 200, four at once; no latency), to a file.
func BenchmarkCLIExportCSV(b *testing.B) {
	_, cfg := benchSandbox(b, 100_000, 0, map[string]string{"zoho-demo": "rate_limit = \"100000/1s\""})
	out, err := os.Create(filepath.Join(b.TempDir(), "users.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	for range b.N {
		wall, rss := runChild(b, out, "--config", cfg, "-p", "zoho-demo", "users", "list", "--all", "--format", "csv")
		b.ReportMetric(float64(wall.Milliseconds()), "ms")
		b.ReportMetric(float64(rss)/(1<<20), "maxrss-MB")
	}
	if st, err := out.Stat(); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
	}
}

// BenchmarkCLIListAllJSONL: `users list --all --format jsonl` of 10,000
// users at 50 ms per request, per provider, against the network limit
// (pages × 50 ms one after another for cursors, ⌈pages/4⌉ × 50 ms for page
// numbers four at once), after subtracting the process start. The rate
// limits are lifted (rate_limit = "100000/1s", the sandbox's Truto limit
// off): this measures the client against the network, not the limiter.
func BenchmarkCLIListAllJSONL(b *testing.B) {
	const users = 10_000
	const latency = 50 * time.Millisecond
	unlimited := "rate_limit = \"100000/1s\""
	s, cfg := benchSandbox(b, users, latency, map[string]string{
		"sales": unlimited, "zoho-demo": unlimited, "truto-demo": unlimited, "laurel-demo": unlimited})
	s.SetRateLimit("truto", sandbox.RateLimit{})
	start := processStart(b)
	b.ReportMetric(float64(start.Milliseconds()), "start-ms")
	for _, c := range []struct {
		provider string
		pages    int // round trips the network needs
	}{
		{"sales", users / 200},                   // Apideck: cursor, 200 per page
		{"zoho-demo", (users/200 + 3) / 4},       // Zoho: numbered pages of 200, 4 at once
		{"truto-demo", users / 100},              // Truto: cursor, 100 per page
		{"laurel-demo", (users/150 + 1 + 3) / 4}, // Laurel v2: numbered pages of 150, 4 at once
	} {
		b.Run(c.provider, func(b *testing.B) {
			for range b.N {
				wall, rss := runChild(b, io.Discard, "--config", cfg, "-p", c.provider, "users", "list", "--all", "--format", "jsonl")
				limit := time.Duration(c.pages) * latency
				b.ReportMetric(float64((wall - start).Milliseconds()), "ms")
				b.ReportMetric(float64(limit.Milliseconds()), "limit-ms")
				b.ReportMetric(float64(wall-start)/float64(limit), "ratio")
				b.ReportMetric(float64(rss)/(1<<20), "maxrss-MB")
			}
		})
	}
}

// benchIDs lists the first n user ids of provider that have an email (a
// few sandbox users have none, and some CRMs refuse any save without it).
func benchIDs(b *testing.B, cfg, provider string, n int) []string {
	out, stderr, err := runRoster(b.Context(), "--config", cfg, "-p", provider, "users", "list", "--all", "--format", "jsonl", "--columns", "id,email")
	if err != nil {
		b.Fatalf("list ids: %v\n%s", err, stderr)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var u struct{ ID, Email string }
		if json.Unmarshal([]byte(line), &u) == nil && u.Email != "" && len(ids) < n {
			ids = append(ids, u.ID)
		}
	}
	return ids
}
