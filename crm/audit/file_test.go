package audit_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/roster-tui/roster/crm/audit"
)

func appendN(t testing.TB, log *audit.Log, who string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		e := audit.Entry{Who: audit.Who{Name: who, Via: "cli"}, Provider: "p", UserID: fmt.Sprint(i),
			Action: "update", Result: audit.ResultOK, After: map[string]any{"title": strings.Repeat("x", 3000)}}
		if err := log.Append(&e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestATornLineIsReportedAndTheNextEntryStaysReadable(t *testing.T) {
	log := openLog(t)
	appendN(t, log, "ana", 1)
	f, _ := os.OpenFile(log.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"x","time":"2026-01-01T00:00:00Z","who":{"na`) // a writer killed mid-line
	f.Close()
	appendN(t, log, "bob", 1)

	entries, err := audit.Read(log.Path(), audit.Filter{})
	var bad *audit.BadLinesError
	if !errors.As(err, &bad) || len(bad.Lines) != 1 || bad.Lines[0].Line != 2 {
		t.Fatalf("err = %v, want line 2 reported", err)
	}
	if len(entries) != 2 || entries[0].Who.Name != "ana" || entries[1].Who.Name != "bob" {
		t.Fatalf("entries = %+v, want ana and bob", entries)
	}
}

func TestAHugeLineDoesNotHideTheOthers(t *testing.T) {
	log := openLog(t)
	appendN(t, log, "ana", 1)
	f, _ := os.OpenFile(log.Path(), os.O_APPEND|os.O_WRONLY, 0)
	w := bufio.NewWriter(f)
	w.WriteString(`{"id":"huge","time":"2026-01-01T00:00:00Z","action":"update","result":"ok","after":{"title":"`)
	for i := 0; i < 44; i++ {
		w.WriteString(strings.Repeat("y", 1<<20))
	}
	w.WriteString("\"}}\n")
	w.Flush()
	f.Close()
	appendN(t, log, "bob", 1)

	entries, err := audit.Read(log.Path(), audit.Filter{})
	var bad *audit.BadLinesError
	if !errors.As(err, &bad) || len(bad.Lines) != 1 || bad.Lines[0].Line != 2 || !strings.Contains(bad.Lines[0].Reason, "longer") {
		t.Fatalf("err = %v, want line 2 reported as too long", err)
	}
	if len(entries) != 2 || entries[1].Who.Name != "bob" {
		t.Fatalf("got %d entries, want ana and bob", len(entries))
	}
}

func TestHugeValuesAreStoredCutWithLengthAndHash(t *testing.T) {
	log := openLog(t)
	e := audit.Entry{Provider: "p", UserID: "1", Action: "update", Result: audit.ResultOK,
		After: map[string]any{"bio": strings.Repeat("z", 44<<20), "title": "short"}}
	if err := log.Append(&e); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(log.Path())
	if fi.Size() > 2*audit.MaxValueBytes {
		t.Fatalf("the log is %d bytes; the value was not cut", fi.Size())
	}
	entries, err := audit.Read(log.Path(), audit.Filter{})
	if err != nil || len(entries) != 1 {
		t.Fatalf("%v, %v", entries, err)
	}
	cut, _ := entries[0].After["bio"].(map[string]any)
	if cut["cut_length"] != float64(44<<20+2) || len(cut["cut_sha256"].(string)) != 64 || entries[0].After["title"] != "short" {
		t.Fatalf("after = %.300v", entries[0].After)
	}
}

func TestWritersInSeveralLogsNeverInterleave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		log, err := audit.Open(path) // each its own file and lock, as separate processes
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(who string) {
			defer wg.Done()
			appendN(t, log, who, 50)
		}(fmt.Sprint("w", w))
	}
	wg.Wait()
	raw, err := audit.ReadRaw(path, audit.Filter{})
	if err != nil || len(raw) != 200 {
		t.Fatalf("%d entries, %v; want 200 whole lines", len(raw), err)
	}
	ids := map[string]bool{}
	for _, e := range raw {
		ids[e.ID] = true
	}
	if len(ids) != 200 {
		t.Fatalf("%d distinct ids, want 200", len(ids))
	}
}

// TestKilledWriter is the child of TestKillDuringAWrite: it appends until
// it is killed — entries of about 16 MB (3,800 values at the cap), so that
// a kill as the file grows lands while write(2) is still copying the line,
// yet each whole entry stays under MaxLineBytes (4,000 made 16.9 MB, which
// the reader rightly skips: on a slow machine the child finished one
// before the kill and the test failed).
func TestKilledWriter(t *testing.T) {
	path := os.Getenv("ROSTER_AUDIT_KILL_TEST")
	if path == "" {
		t.Skip("run by TestKillDuringAWrite")
	}
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, log, "child", 1)
	huge := map[string]any{}
	for i := range 3800 {
		huge[fmt.Sprintf("field%04d", i)] = strings.Repeat("y", audit.MaxValueBytes)
	}
	fmt.Println("ready")
	for {
		e := audit.Entry{Who: audit.Who{Name: "child", Via: "cli"}, Provider: "p", UserID: "huge",
			Action: "update", Result: audit.ResultOK, After: huge}
		if err := log.Append(&e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestKillDuringAWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriter$")
	cmd.Env = append(os.Environ(), "ROSTER_AUDIT_KILL_TEST="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "ready\n" {
		cmd.Process.Kill()
		t.Fatalf("child said %q", line)
	}
	// SIGKILL as soon as the file grows past the first entry: the child is
	// writing its first huge line (or, on a slow machine, has written it).
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
	cmd.Process.Kill()
	cmd.Wait()

	// Every complete line is an entry the reader returns; a line the kill
	// cut short (no newline) is reported, by its number, and nothing else.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	complete := bytes.Count(raw, []byte("\n"))
	torn := len(raw) > 0 && raw[len(raw)-1] != '\n'
	checkRead := func(wantEntries int) {
		t.Helper()
		entries, err := audit.ReadRaw(path, audit.Filter{})
		var bad *audit.BadLinesError
		switch {
		case torn && (!errors.As(err, &bad) || len(bad.Lines) != 1 || bad.Lines[0].Line != complete+1):
			t.Fatalf("the torn line %d is not the one reported: %v", complete+1, err)
		case !torn && err != nil:
			t.Fatalf("nothing torn, yet: %v", err)
		}
		if len(entries) != wantEntries {
			t.Fatalf("%d entries read, want %d", len(entries), wantEntries)
		}
	}
	checkRead(complete)

	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, log, "after", 1)
	checkRead(complete + 1)
	entries, _ := audit.Read(log.Path(), audit.Filter{})
	if last := entries[len(entries)-1]; last.Who.Name != "after" {
		t.Fatalf("the last entry is %+v, want the one appended after the kill", last.Who)
	}
	t.Logf("killed after %d complete lines; torn: %v", complete, torn)
}

func TestAnIntentWithoutOutcomeReadsAsProcessEnded(t *testing.T) {
	log := openLog(t)
	intent := audit.Entry{Provider: "p", UserID: "1", Action: "delete", Result: audit.ResultIntent}
	if err := log.Append(&intent); err != nil {
		t.Fatal(err)
	}
	settledIntent := audit.Entry{Provider: "p", UserID: "2", Action: "delete", Result: audit.ResultIntent}
	log.Append(&settledIntent)
	outcome := audit.Entry{Provider: "p", UserID: "2", Action: "delete", Result: audit.ResultError, Intent: settledIntent.ID, Error: "refused"}
	log.Append(&outcome)

	entries, err := audit.Read(log.Path(), audit.Filter{})
	if err != nil || len(entries) != 2 {
		t.Fatalf("%+v, %v", entries, err)
	}
	if entries[0].Result != audit.ResultUnknown || entries[0].Error != audit.ProcessEnded || entries[1].Result != audit.ResultError {
		t.Fatalf("entries = %+v", entries)
	}
}

func TestOpenRefusesFilesThatAreNotAuditLogs(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"config.toml": "[providers.sales]\nkind = \"apideck\"\n",
		"host_key":    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
		"other.json":  `{"name":"not an entry"}` + "\n",
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), 0o600)
		if _, err := audit.Open(path); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("%s: Open = %v, want refused", name, err)
		}
		if data, _ := os.ReadFile(path); string(data) != content {
			t.Errorf("%s was changed", name)
		}
	}
}

func TestOpenMakesAReadableLogPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	os.WriteFile(path, nil, 0o644)
	os.Chmod(path, 0o644)
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 || len(log.Warnings()) != 1 {
		t.Fatalf("mode %v, warnings %v", fi.Mode().Perm(), log.Warnings())
	}
}
