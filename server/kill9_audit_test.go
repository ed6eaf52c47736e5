package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/audit"
)

// killAuditEnv names the audit file TestKilledAuditWriter writes to.
const killAuditEnv = "ROSTER_SERVER_KILL_AUDIT"

// TestKilledAuditWriter is the child of TestKill9DuringAnAuditWrite: one
// change (intent and outcome), then entries of 16 MB (4,000 values at the
// cap) until it is killed, so that a kill as the file grows lands while
// write(2) is still copying the line.
func TestKilledAuditWriter(t *testing.T) {
	path := os.Getenv(killAuditEnv)
	if path == "" {
		t.Skip("run by TestKill9DuringAnAuditWrite")
	}
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	intent := audit.Entry{Who: audit.Who{Name: "ana", Via: "ssh"}, Provider: "sales", UserID: "10001",
		Action: "update", After: map[string]any{"title": "Before the kill"}, Result: audit.ResultIntent}
	outcome := intent
	if err := log.Append(&intent); err != nil {
		t.Fatal(err)
	}
	outcome.Intent, outcome.Result = intent.ID, audit.ResultOK
	if err := log.Append(&outcome); err != nil {
		t.Fatal(err)
	}
	huge := map[string]any{}
	// 3,800 capped values: each whole entry stays under audit.MaxLineBytes
	// (4,000 made 16.9 MB lines, which the reader skips).
	for i := range 3800 {
		huge[fmt.Sprintf("field%04d", i)] = strings.Repeat("y", audit.MaxValueBytes)
	}
	fmt.Println("ready")
	for {
		e := audit.Entry{Who: audit.Who{Name: "ana", Via: "ssh"}, Provider: "sales", UserID: "10002",
			Action: "update", Result: audit.ResultOK, After: huge}
		if err := log.Append(&e); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKill9DuringAnAuditWrite: a process writing the audit file is killed
// with SIGKILL while write(2) copies an entry; the next `roster audit` (the
// built binary) shows every complete entry and names the torn line.
func TestKill9DuringAnAuditWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds roster")
	}
	bin := buildRoster(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	config := filepath.Join(dir, "config.toml")
	// roster audit reads the file sink; the provider is never asked.
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`[providers.sales]
kind = "apideck"
base_url = "http://127.0.0.1:9"
api_key = "k"
app_id = "a"
consumer_id = "c"

[ssh]
audit_log = %q
`, path)), 0o600); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], "-test.run=^TestKilledAuditWriter$")
	child.Env = append(os.Environ(), killAuditEnv+"="+path)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Wait()
	defer child.Process.Kill()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		t.Fatalf("the writer said %q", line)
	}
	// SIGKILL as soon as the file grows past the first change.
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > before.Size() {
			break
		}
		runtime.Gosched()
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	complete := bytes.Count(raw, []byte("\n"))
	torn := len(raw) > 0 && raw[len(raw)-1] != '\n'
	t.Logf("killed after %d complete lines; the last torn: %v", complete, torn)

	query := exec.Command(bin, "--config", config, "audit", "--json")
	query.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir)
	var stderr bytes.Buffer
	query.Stderr = &stderr
	stdout, err := query.Output()
	if err != nil {
		t.Fatalf("roster audit: %v\n%s", err, stderr.String())
	}
	var changes []audit.Entry
	if err := json.Unmarshal(stdout, &changes); err != nil {
		t.Fatalf("roster audit --json: %v", err)
	}
	// The first change is two lines (intent, outcome); each huge entry is
	// one complete change.
	if len(changes) != complete-1 {
		t.Fatalf("roster audit shows %d changes, want %d: every complete entry", len(changes), complete-1)
	}
	if first := changes[0]; first.After["title"] != "Before the kill" || first.Result != audit.ResultOK {
		t.Errorf("the change before the kill reads %+v", first)
	}
	reported := fmt.Sprintf("audit.jsonl:%d skipped", complete+1)
	if torn != strings.Contains(stderr.String(), reported) {
		t.Errorf("torn: %v, yet roster audit said %q (looked for %q)", torn, stderr.String(), reported)
	}
}
