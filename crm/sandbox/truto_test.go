package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// trutoCall sends one request to the Truto protocol and decodes the JSON answer.
func trutoCall(t *testing.T, base, method, path, account, body string, header map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	u := base + path
	if account != "" {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "integrated_account_id=" + account
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+TrutoToken)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, m
}

func startTruto(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return s, run.URL
}

func TestTrutoPagesEndWithNullCursor(t *testing.T) {
	_, url := startTruto(t, Options{Users: 25})
	seen := map[string]bool{}
	path := "/unified/crm/users?limit=10"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("the list does not end")
		}
		status, _, m := trutoCall(t, url, "GET", path, TrutoAccountPipedrive, "", nil)
		if status != 200 {
			t.Fatalf("list: HTTP %d %v", status, m)
		}
		for _, u := range m["result"].([]any) {
			seen[u.(map[string]any)["id"].(string)] = true
		}
		if m["result_count"].(float64) != float64(len(m["result"].([]any))) {
			t.Errorf("result_count %v for %d results", m["result_count"], len(m["result"].([]any)))
		}
		next, ok := m["next_cursor"].(string)
		if !ok {
			if m["next_cursor"] != nil {
				t.Fatalf("next_cursor = %v, want a string or null", m["next_cursor"])
			}
			break
		}
		path = "/unified/crm/users?limit=10&next_cursor=" + next
	}
	if len(seen) != 25 {
		t.Errorf("listed %d distinct users, want 25", len(seen))
	}
}

func TestTrutoEveryCallNeedsTokenAndAccount(t *testing.T) {
	_, url := startTruto(t, Options{Users: 5})
	status, _, m := trutoCall(t, url, "GET", "/unified/crm/users", "", "", nil)
	if status != 400 || m["statusCode"].(float64) != 400 || m["message"] == "" {
		t.Errorf("no integrated_account_id: HTTP %d %v", status, m)
	}
	status, _, m = trutoCall(t, url, "GET", "/unified/crm/users", "nope", "", nil)
	if status != 404 {
		t.Errorf("unknown account: HTTP %d %v", status, m)
	}
	status, _, m = trutoCall(t, url, "GET", "/unified/crm/users", TrutoAccountWix, "", map[string]string{"Authorization": "Bearer wrong"})
	if status != 401 || m["truto_is_remote_error"] != nil {
		t.Errorf("bad token: HTTP %d %v, want Truto's own 401", status, m)
	}
}

func TestTrutoSalesforceRequiresNamesAndEmailOnPatch(t *testing.T) {
	_, url := startTruto(t, Options{Users: 5})
	id := trutoRulesFor("salesforce").ids.format(1)
	status, _, m := trutoCall(t, url, "PATCH", "/unified/crm/users/"+id, TrutoAccountSalesforce, `{"first_name":"Ada"}`, nil)
	if status != 422 {
		t.Fatalf("PATCH without email/last_name: HTTP %d %v, want 422", status, m)
	}
	details, _ := m["details"].(map[string]any)
	if details["email"] == nil || details["last_name"] == nil || details["first_name"] != nil {
		t.Errorf("details = %v, want email and last_name named", m["details"])
	}
	status, _, m = trutoCall(t, url, "PATCH", "/unified/crm/users/"+id, TrutoAccountSalesforce,
		`{"first_name":"Ada","last_name":"King","email":"ada@example.com","is_active":false}`, nil)
	if status != 200 || m["id"] != id || m["name"] != "Ada King" {
		t.Fatalf("full PATCH: HTTP %d %v, want the bare user named Ada King", status, m)
	}
	if rd := m["remote_data"].(map[string]any); rd["IsActive"] != true {
		t.Errorf("is_active is not a Salesforce field but changed IsActive: %v", rd)
	}
}

func TestTrutoIdempotencyKeyReplaysWithoutApplyingTwice(t *testing.T) {
	s, url := startTruto(t, Options{Users: 5})
	id := trutoRulesFor("pipedrive").ids.format(2)
	key := map[string]string{"Idempotency-Key": "k-1"}
	_, _, first := trutoCall(t, url, "PATCH", "/unified/crm/users/"+id, TrutoAccountPipedrive, `{"name":"First"}`, key)
	_, _, again := trutoCall(t, url, "PATCH", "/unified/crm/users/"+id, TrutoAccountPipedrive, `{"name":"Second"}`, key)
	if again["name"] != "First" || first["name"] != "First" {
		t.Errorf("replay answered %v, want the first answer %v", again["name"], first["name"])
	}
	if got := s.TrutoWrites(TrutoAccountPipedrive); got != 1 {
		t.Errorf("%d writes applied, want 1", got)
	}
	if got := s.TrutoIdempotencyKeys(TrutoAccountPipedrive); strings.Join(got, ",") != "k-1,k-1" {
		t.Errorf("keys seen = %v", got)
	}
}

func TestTrutoReadOnlyAccountRefusesWrites(t *testing.T) {
	_, url := startTruto(t, Options{Users: 5})
	id := trutoRulesFor("pipedrive").ids.format(0)
	if status, _, m := trutoCall(t, url, "PATCH", "/unified/crm/users/"+id, TrutoAccountReadOnly, `{"name":"x"}`, nil); status != 405 {
		t.Errorf("PATCH on the read-only account: HTTP %d %v, want 405", status, m)
	}
	if status, _, _ := trutoCall(t, url, "GET", "/unified/crm/users/"+id, TrutoAccountReadOnly, "", nil); status != 200 {
		t.Errorf("GET on the read-only account: HTTP %d, want 200", status)
	}
}

// fakeClock is a settable clock for the rate-limit window.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestTrutoRateLimitPerAccount(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, url := startTruto(t, Options{Users: 5, Now: clock.Now})
	s.SetTrutoRateLimit(3)
	for i := 0; i < 3; i++ {
		if status, _, m := trutoCall(t, url, "GET", "/unified/crm/users", TrutoAccountWix, "", nil); status != 200 {
			t.Fatalf("request %d: HTTP %d %v", i+1, status, m)
		}
	}
	status, h, _ := trutoCall(t, url, "GET", "/unified/crm/users", TrutoAccountWix, "", nil)
	if status != 429 || h.Get("Retry-After") != "10" {
		t.Fatalf("4th request: HTTP %d Retry-After %q, want 429 and 10", status, h.Get("Retry-After"))
	}
	if status, _, _ := trutoCall(t, url, "GET", "/unified/crm/users", TrutoAccountPlanhat, "", nil); status != 200 {
		t.Errorf("another account is limited too: HTTP %d", status)
	}
	clock.Add(10 * time.Second)
	if status, _, _ := trutoCall(t, url, "GET", "/unified/crm/users", TrutoAccountWix, "", nil); status != 200 {
		t.Errorf("after the window: HTTP %d", status)
	}
}

func TestTrutoForced401IsARemoteError(t *testing.T) {
	s, url := startTruto(t, Options{Users: 5})
	s.ForceError("/unified/", 401, 1, 0)
	status, _, m := trutoCall(t, url, "GET", "/unified/crm/users", TrutoAccountWix, "", nil)
	if status != 401 || m["truto_is_remote_error"] != true {
		t.Errorf("forced 401: HTTP %d %v, want a remote error", status, m)
	}
}

func TestTrutoIDsRoundTrip(t *testing.T) {
	for _, name := range []string{"salesforce", "pipedrive", "outreach", "onepagecrm", "planhat", "wix"} {
		ids := trutoRulesFor(name).ids
		for _, i := range []int{0, 1, 999, 123456} {
			if got, ok := ids.parse(ids.format(i)); !ok || got != i {
				t.Errorf("%s: parse(format(%d)) = %d, %v", name, i, got, ok)
			}
		}
		if _, ok := ids.parse("x" + ids.format(1)); ok {
			t.Errorf("%s: a mangled id parses", name)
		}
	}
}
