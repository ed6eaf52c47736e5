package audit_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// newApideck is the real adapter over a loopback sandbox.
func newApideck(t *testing.T) *apideck.Provider {
	t.Helper()
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 20})
	return providertest.Apideck(url, nil)
}

func openLog(t *testing.T) *audit.Log {
	t.Helper()
	log, err := audit.Open(filepath.Join(t.TempDir(), "state", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return log
}

var ana = audit.Who{Name: "ana", Fingerprint: "SHA256:abc", Via: "ssh"}

func TestUpdateIsOnDiskWhenItReturns(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	p := audit.Wrap(inner, log, ana)
	if _, err := p.Update(context.Background(), "10000", crm.Changes{"title": "Archivist"}); err != nil {
		t.Fatal(err)
	}
	entries, err := audit.Read(log.Path(), audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%d entries, want 1", len(entries))
	}
	e := entries[0]
	if e.Who != ana || e.Provider != "sales" || e.UserID != "10000" || e.UserName != "Ada Lovelace" ||
		e.Action != "update" || e.Result != "ok" || e.Before["title"] != "Account Executive" || e.After["title"] != "Archivist" {
		t.Fatalf("entry = %+v", e)
	}
	fi, err := os.Stat(log.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit log mode %v (err %v), want 0600", fi.Mode().Perm(), err)
	}
	data, _ := os.ReadFile(log.Path())
	if strings.Contains(string(data), sandbox.ApideckAPIKey) {
		t.Fatal("the audit log holds the API key")
	}
}

func TestDeleteRecordsTheWholeUser(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	if err := audit.Wrap(inner, log, ana).Delete(context.Background(), "10001"); err != nil {
		t.Fatal(err)
	}
	entries, _ := audit.Read(log.Path(), audit.Filter{})
	if len(entries) != 1 || entries[0].Action != "delete" || entries[0].UserName != "Grace Liskov" {
		t.Fatalf("entries = %+v", entries)
	}
	before := entries[0].Before
	if before["id"] != "10001" || len(before) < 5 {
		t.Fatalf("delete kept %v, want the whole user", before)
	}
}

func TestRefusedChangesAreRecordedAsErrors(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	viewer := audit.Wrap(guard.Wrap(inner, guard.Viewer, false), log, audit.Who{Name: "vic", Via: "ssh"})
	_, err := viewer.Update(context.Background(), "10000", crm.Changes{"title": "Nope"})
	if !errors.Is(err, crm.ErrForbidden) {
		t.Fatalf("viewer update = %v, want forbidden", err)
	}
	entries, _ := audit.Read(log.Path(), audit.Filter{Who: "vic"})
	if len(entries) != 1 || entries[0].Result != "error" || !strings.Contains(entries[0].Error, "viewer") {
		t.Fatalf("entries = %+v, want one refused update", entries)
	}
}

func TestReadFilters(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	ctx := context.Background()
	for _, c := range []struct {
		who audit.Who
		id  string
	}{{ana, "10000"}, {audit.Who{Name: "eve", Via: "cli"}, "10000"}, {ana, "10002"}} {
		if _, err := audit.Wrap(inner, log, c.who).Update(ctx, c.id, crm.Changes{"title": "T " + c.id}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(f audit.Filter) int {
		entries, err := audit.Read(log.Path(), f)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	if n := count(audit.Filter{UserID: "10000"}); n != 2 {
		t.Fatalf("user 10000: %d entries, want 2", n)
	}
	if n := count(audit.Filter{Who: "ana"}); n != 2 {
		t.Fatalf("ana: %d entries, want 2", n)
	}
	if n := count(audit.Filter{Who: "ana", UserID: "10002"}); n != 1 {
		t.Fatalf("ana on 10002: %d entries, want 1", n)
	}
	if entries, err := audit.Read(filepath.Join(t.TempDir(), "none.jsonl"), audit.Filter{}); err != nil || len(entries) != 0 {
		t.Fatalf("a missing log = %v, %v; want empty", entries, err)
	}
}

func TestUpdateWritesAnIntentThenItsOutcome(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	if _, err := audit.Wrap(inner, log, ana).Update(context.Background(), "10000", crm.Changes{"title": "Archivist"}); err != nil {
		t.Fatal(err)
	}
	raw, err := audit.ReadRaw(log.Path(), audit.Filter{})
	if err != nil || len(raw) != 2 {
		t.Fatalf("%+v, %v", raw, err)
	}
	if raw[0].Result != audit.ResultIntent || raw[1].Result != audit.ResultOK || raw[1].Intent != raw[0].ID ||
		raw[0].ID == "" || raw[1].ID == raw[0].ID || raw[0].Instance == "" || raw[0].After["title"] != "Archivist" {
		t.Fatalf("raw = %+v", raw)
	}
}

func TestAFailedDeleteIsRecordedAsFailed(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	if err := audit.Wrap(inner, log, ana).Delete(context.Background(), "nobody"); err == nil {
		t.Fatal("deleting a missing user succeeded")
	}
	entries, _ := audit.Read(log.Path(), audit.Filter{})
	if len(entries) != 1 || entries[0].Result != audit.ResultError {
		t.Fatalf("entries = %+v", entries)
	}
}

// An intent left by a process that died (kill -9 between send and outcome)
// is settled by the next run's re-read.
func TestTheNextRunSettlesAnEndedProcesssIntents(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	host, _ := os.Hostname()
	instance := host + ":" + strconv.Itoa(dead.ProcessState.Pid())
	applied := audit.Entry{Instance: instance, Provider: "sales", UserID: "10000", Action: "update",
		Result: audit.ResultIntent, After: map[string]any{"title": "Account Executive"}}
	notApplied := audit.Entry{Instance: instance, Provider: "sales", UserID: "10002", Action: "update",
		Result: audit.ResultIntent, After: map[string]any{"title": "Never sent"}}
	log.Append(&applied)
	log.Append(&notApplied)
	if entries, _ := audit.Read(log.Path(), audit.Filter{}); entries[0].Error != audit.ProcessEnded {
		t.Fatalf("before resolving: %+v", entries[0])
	}
	n, err := audit.Wrap(inner, log, ana).Resolve(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("Resolve = %d, %v", n, err)
	}
	entries, _ := audit.Read(log.Path(), audit.Filter{})
	if len(entries) != 2 || entries[0].Result != audit.ResultOK || entries[1].Result != audit.ResultUnknown ||
		entries[1].Reread["title"] == "Never sent" {
		t.Fatalf("settled = %+v", entries)
	}
}

// A delete killed between its intent and its outcome, whose user a re-read
// still finds, was not applied: the re-read proves it, so the settled entry
// says so (error) instead of unknown; one whose user is gone was applied.
func TestTheNextRunSettlesAKilledDeleteByTheReRead(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	host, _ := os.Hostname()
	instance := host + ":" + strconv.Itoa(dead.ProcessState.Pid())
	if err := inner.Delete(context.Background(), "10000"); err != nil {
		t.Fatal(err)
	}
	applied := audit.Entry{Instance: instance, Provider: "sales", UserID: "10000", Action: "delete", Result: audit.ResultIntent}
	notApplied := audit.Entry{Instance: instance, Provider: "sales", UserID: "10002", Action: "delete", Result: audit.ResultIntent}
	log.Append(&applied)
	log.Append(&notApplied)
	if n, err := audit.Wrap(inner, log, ana).Resolve(context.Background()); err != nil || n != 2 {
		t.Fatalf("Resolve = %d, %v", n, err)
	}
	entries, _ := audit.Read(log.Path(), audit.Filter{})
	if len(entries) != 2 {
		t.Fatalf("settled = %+v", entries)
	}
	if entries[0].Result != audit.ResultOK {
		t.Errorf("the delete whose user is gone: %q, want ok", entries[0].Result)
	}
	if e := entries[1]; e.Result != audit.ResultError || !strings.Contains(e.Error, "not applied") {
		t.Errorf("the delete whose user is still there: %q (%s), want error, not applied", e.Result, e.Error)
	}
}

// Emptying a field sends null; the provider answers "" — the value sent, to
// an admin and to Field.Equal. The entry recorded a "read back" of (empty)
// beside "→ (empty)", as if the provider had shown something else.
func TestAnEmptiedFieldAnsweredAsEmptyIsNotReadBackOtherwise(t *testing.T) {
	inner := newApideck(t)
	log := openLog(t)
	if _, err := audit.Wrap(inner, log, ana).Update(context.Background(), "10000", crm.Changes{"title": nil}); err != nil {
		t.Fatal(err)
	}
	entries, _ := audit.Read(log.Path(), audit.Filter{})
	if len(entries) != 1 || entries[0].Result != audit.ResultOK || entries[0].Reread != nil {
		t.Fatalf("entries = %+v", entries)
	}
}
