package truto_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/sandbox"
)

// Salesforce needs first_name, last_name and email on every update: editing
// only the last name still saves, with the others sent unchanged.
func TestSalesforceUpdateKeepsTheRequiredFieldsItDidNotEdit(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountSalesforce, nil)
	ctx := context.Background()
	before := userAt(t, p, 0)
	after, err := p.Update(ctx, before.ID, crm.Changes{"last_name": "Roster"})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if after.LastName != "Roster" || after.FirstName != before.FirstName || after.Email != before.Email {
		t.Errorf("after update: %q %q <%s>, want %q Roster <%s>", after.FirstName, after.LastName, after.Email, before.FirstName, before.Email)
	}
	if after.Name != before.FirstName+" Roster" {
		t.Errorf("name = %q, want Salesforce's derived %q", after.Name, before.FirstName+" Roster")
	}
	reread, err := p.Get(ctx, before.ID)
	if err != nil || reread.LastName != "Roster" {
		t.Errorf("get after update: %q, %v", reread.LastName, err)
	}
	if n := s.TrutoWrites(sandbox.TrutoAccountSalesforce); n != 1 {
		t.Errorf("%d writes applied, want 1", n)
	}
}

func TestPipedriveUpdateChangesOnlyWhatWasEdited(t *testing.T) {
	_, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountPipedrive, nil)
	before := userAt(t, p, 0)
	after, err := p.Update(context.Background(), before.ID, crm.Changes{"is_active": false})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if after.Active == nil || *after.Active {
		t.Errorf("is_active = %v after deactivating", after.Active)
	}
	if after.Name != before.Name || after.Email != before.Email || after.CreatedAt != before.CreatedAt {
		t.Errorf("unedited fields changed: %+v → %+v", before, after)
	}
	if rd, _ := after.Fields()["remote_data"].(map[string]any); rd["active_flag"] != false {
		t.Errorf("remote_data does not show the CRM's record deactivated: %v", rd)
	}
}

// loseFirstPatchAnswer delivers the first PATCH to the sandbox and then
// drops its answer, as a connection cut after the server acted would.
type loseFirstPatchAnswer struct {
	mu   sync.Mutex
	lost bool
}

func (l *loseFirstPatchAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil && r.Method == http.MethodPatch && !l.lost {
		l.lost = true
		resp.Body.Close()
		return nil, errors.New("connection reset after the request was sent")
	}
	return resp, err
}

// The retried PATCH of one save carries the same Idempotency-Key, so Truto
// replays its answer instead of applying the save twice; the next save has
// a key of its own.
func TestIdempotencyKeyIsReusedWhenASaveIsRetried(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{})
	hc := httpx.NewHTTPClient(httpx.Options{Base: &loseFirstPatchAnswer{},
		Sleep: func(context.Context, time.Duration) error { return nil }})
	p := open(t, url, sandbox.TrutoAccountPipedrive, hc)
	u := userAt(t, p, 2)
	got, err := p.Update(context.Background(), u.ID, crm.Changes{"name": "Retried Once"})
	if err != nil {
		t.Fatalf("update with a lost answer: %v", err)
	}
	if got.Name != "Retried Once" {
		t.Errorf("update answered name %q", got.Name)
	}
	keys := s.TrutoIdempotencyKeys(sandbox.TrutoAccountPipedrive)
	if len(keys) != 2 || keys[0] == "" || keys[0] != keys[1] {
		t.Fatalf("keys seen = %q, want one key sent twice", keys)
	}
	if n := s.TrutoWrites(sandbox.TrutoAccountPipedrive); n != 1 {
		t.Errorf("the save was applied %d times, want once", n)
	}
	if _, err := p.Update(context.Background(), u.ID, crm.Changes{"name": "Second Save"}); err != nil {
		t.Fatalf("second update: %v", err)
	}
	keys = s.TrutoIdempotencyKeys(sandbox.TrutoAccountPipedrive)
	if len(keys) != 3 || keys[2] == keys[0] {
		t.Errorf("keys seen = %q, want a fresh key for the second save", keys)
	}
}
