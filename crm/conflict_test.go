package crm_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/sandbox"
)

// The lost-update check runs against the sandbox's Apideck protocol through
// the real adapter: two admins are two adapters on one sandbox.

// tickingClock advances a second per reading, so every write gets a new
// updated_at as it would on a real provider.
func tickingClock() func() time.Time {
	var n atomic.Int64
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Second) }
}

// lockedBuffer collects an HTTP trace written from request goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startApideck(t *testing.T) string {
	t.Helper()
	s := sandbox.New(sandbox.Options{Users: 10, Now: tickingClock()})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return run.URL
}

func openApideck(url string, trace *lockedBuffer) crm.Provider {
	o := httpx.Options{}
	if trace != nil {
		o.Trace = trace
	}
	return apideck.New(apideck.Options{BaseURL: url, APIKey: sandbox.ApideckAPIKey,
		AppID: sandbox.ApideckAppID, ConsumerID: sandbox.ApideckConsumerID, HTTP: httpx.NewHTTPClient(o)})
}

const someone = "10003"

func TestCheckedUpdateSavesWhenNobodyElseChangedTheUser(t *testing.T) {
	url := startApideck(t)
	admin := openApideck(url, nil)
	ctx := context.Background()
	original, err := admin.Get(ctx, someone)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := crm.CheckedUpdate(ctx, admin, original, crm.Changes{"title": "Chief Roster Officer"})
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	if saved.Title != "Chief Roster Officer" {
		t.Fatalf("saved title = %q", saved.Title)
	}
	if again, _ := admin.Get(ctx, someone); again.Title != "Chief Roster Officer" {
		t.Fatalf("provider holds title %q after the save", again.Title)
	}
}

func TestCheckedUpdateDoesNotOverwriteAColleaguesChange(t *testing.T) {
	url := startApideck(t)
	admin, colleague := openApideck(url, nil), openApideck(url, nil)
	ctx := context.Background()
	original, err := admin.Get(ctx, someone) // the admin opens the form
	if err != nil {
		t.Fatal(err)
	}
	if _, err := colleague.Update(ctx, someone, crm.Changes{"title": "VP Sales"}); err != nil {
		t.Fatal(err)
	}

	_, err = crm.CheckedUpdate(ctx, admin, original, crm.Changes{"title": "Chief Roster Officer"})
	if !errors.Is(err, crm.ErrConflict) {
		t.Fatalf("err = %v, want a conflict", err)
	}
	var ce *crm.ConflictError
	if !errors.As(err, &ce) || len(ce.Fields) != 1 {
		t.Fatalf("conflict %#v, want one field", err)
	}
	want := crm.FieldConflict{Key: "title", Original: original.Title, Theirs: "VP Sales", Yours: "Chief Roster Officer"}
	if ce.Fields[0] != want {
		t.Errorf("field conflict = %+v, want %+v", ce.Fields[0], want)
	}
	if ce.Current.Title != "VP Sales" {
		t.Errorf("conflict's current user has title %q, want the colleague's", ce.Current.Title)
	}
	if !strings.Contains(err.Error(), `now "VP Sales", yours "Chief Roster Officer"`) {
		t.Errorf("message %q does not show the three values", err)
	}
	if now, _ := admin.Get(ctx, someone); now.Title != "VP Sales" {
		t.Fatalf("the colleague's title was overwritten: %q", now.Title)
	}
}

func TestCheckedUpdateStopsWhenOtherFieldsMoved(t *testing.T) {
	url := startApideck(t)
	admin, colleague := openApideck(url, nil), openApideck(url, nil)
	ctx := context.Background()
	original, err := admin.Get(ctx, someone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := colleague.Update(ctx, someone, crm.Changes{"department": "Revenue Operations"}); err != nil {
		t.Fatal(err)
	}
	_, err = crm.CheckedUpdate(ctx, admin, original, crm.Changes{"title": "Chief Roster Officer"})
	var ce *crm.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a conflict because updated_at moved", err)
	}
	if len(ce.Fields) != 0 || ce.OriginalVersion == ce.CurrentVersion {
		t.Errorf("conflict %+v, want no edited field in dispute and a moved version", ce)
	}
	if !contains(ce.Others, "department") {
		t.Errorf("Others = %v, want department listed", ce.Others)
	}
	if now, _ := admin.Get(ctx, someone); now.Title == "Chief Roster Officer" {
		t.Fatal("the save went through despite the conflict")
	}
}

func TestCheckedUpdateSendsOnlyChangedFields(t *testing.T) {
	url := startApideck(t)
	trace := &lockedBuffer{}
	admin := openApideck(url, trace)
	ctx := context.Background()
	original, err := admin.Get(ctx, someone)
	if err != nil {
		t.Fatal(err)
	}
	// The form hands over the title untouched and a new department.
	_, err = crm.CheckedUpdate(ctx, admin, original, crm.Changes{"title": original.Title, "department": "Revenue Operations"})
	if err != nil {
		t.Fatal(err)
	}
	patch := traceOf(trace.String(), "→ PATCH")
	if !strings.Contains(patch, "department") || strings.Contains(patch, `\"title\"`) {
		t.Fatalf("PATCH sent:\n%s\nwant only department", patch)
	}

	// Nothing really changed: nothing is written.
	before := strings.Count(trace.String(), "→ PATCH")
	now, _ := admin.Get(ctx, someone)
	if _, err := crm.CheckedUpdate(ctx, admin, now, crm.Changes{"title": now.Title}); err != nil {
		t.Fatal(err)
	}
	if after := strings.Count(trace.String(), "→ PATCH"); after != before {
		t.Fatalf("a no-op save sent %d PATCH requests", after-before)
	}
}

func TestCheckedUpdateReportsAFailedReRead(t *testing.T) {
	url := startApideck(t)
	admin := openApideck(url, nil)
	ctx := context.Background()
	original, err := admin.Get(ctx, someone)
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Delete(ctx, someone); err != nil {
		t.Fatal(err)
	}
	_, err = crm.CheckedUpdate(ctx, admin, original, crm.Changes{"title": "x"})
	if !errors.Is(err, crm.ErrNotFound) || !strings.Contains(err.Error(), "re-read user "+someone) {
		t.Fatalf("err = %v, want not found while re-reading", err)
	}
}

// traceOf returns the trace block that starts with prefix.
func traceOf(trace, prefix string) string {
	i := strings.Index(trace, prefix)
	if i < 0 {
		return ""
	}
	rest := trace[i:]
	if j := strings.Index(rest[1:], "→ "); j >= 0 {
		rest = rest[:j+1]
	}
	return rest
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}
