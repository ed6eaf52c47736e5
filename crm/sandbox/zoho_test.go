package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// zohoClock is a clock tests move by hand.
type zohoClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *zohoClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *zohoClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func startZoho(t *testing.T, users int) (*Server, string, *zohoClock) {
	t.Helper()
	clock := &zohoClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	s := New(Options{Users: users, Now: clock.Now})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	return s, run.URL, clock
}

type zohoAnswer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func zohoCall(t *testing.T, method, u, token, body string, header ...string) zohoAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if strings.Contains(u, "/oauth/") && body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	a := zohoAnswer{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	if len(data) > 0 {
		if err := json.Unmarshal(data, &a.body); err != nil {
			t.Fatalf("%s %s: not JSON: %s", method, u, data)
		}
	}
	return a
}

func zohoRefreshForm(refresh string) string {
	return url.Values{"grant_type": {"refresh_token"}, "client_id": {ZohoClientID},
		"client_secret": {ZohoClientSecret}, "refresh_token": {refresh}}.Encode()
}

func zohoLogin(t *testing.T, base string) string {
	t.Helper()
	a := zohoCall(t, "POST", base+"/oauth/v2/token", "", zohoRefreshForm(ZohoRefreshToken))
	tok, _ := a.body["access_token"].(string)
	if a.status != 200 || tok == "" {
		t.Fatalf("token: %d %s", a.status, a.raw)
	}
	return tok
}

func TestZohoTokenEndpoint(t *testing.T) {
	s, base, clock := startZoho(t, 10)
	a := zohoCall(t, "POST", base+"/oauth/v2/token", "", zohoRefreshForm("1000.wrong"))
	if a.status != 200 || a.body["error"] != "invalid_code" {
		t.Fatalf("a wrong refresh token must answer Zoho's 200 invalid_code, got %d %s", a.status, a.raw)
	}
	// Credentials in the query work as well as in the form.
	a = zohoCall(t, "POST", base+"/oauth/v2/token?"+zohoRefreshForm(ZohoRefreshToken), "", "")
	if a.body["api_domain"] != base || a.body["expires_in"] != 3600.0 {
		t.Fatalf("token answer must name the sandbox as api_domain and last an hour: %s", a.raw)
	}
	for range zohoTokenLimit - 1 {
		zohoLogin(t, base)
	}
	a = zohoCall(t, "POST", base+"/oauth/v2/token", "", zohoRefreshForm(ZohoRefreshToken))
	if a.status != 400 || a.body["error"] != "Access Denied" {
		t.Fatalf("the 11th token in 10 minutes must be refused, got %d %s", a.status, a.raw)
	}
	clock.Add(zohoTokenWindow)
	zohoLogin(t, base)
	if got := s.ZohoTokensIssued(); got != zohoTokenLimit+1 {
		t.Fatalf("tokens issued = %d, want %d", got, zohoTokenLimit+1)
	}
}

func TestZohoTokensExpire(t *testing.T) {
	s, base, clock := startZoho(t, 10)
	s.SetZohoTokenLifetime(time.Minute)
	tok := zohoLogin(t, base)
	if a := zohoCall(t, "GET", base+"/crm/v2/users", tok, ""); a.status != 200 {
		t.Fatalf("fresh token refused: %d %s", a.status, a.raw)
	}
	clock.Add(time.Minute)
	a := zohoCall(t, "GET", base+"/crm/v2/users", tok, "")
	if a.status != 401 || a.body["code"] != "INVALID_TOKEN" || a.body["status"] != "error" {
		t.Fatalf("expired token must answer 401 INVALID_TOKEN, got %d %s", a.status, a.raw)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/users", "", ""); a.status != 401 {
		t.Fatalf("no token must answer 401, got %d", a.status)
	}
}

func TestZohoListPagesAndEnds(t *testing.T) {
	_, base, _ := startZoho(t, 450)
	tok := zohoLogin(t, base)
	seen := map[string]bool{}
	for page := 1; ; page++ {
		a := zohoCall(t, "GET", base+"/crm/v2/users?type=AllUsers&per_page=200&page="+strconv.Itoa(page), tok, "")
		if a.status != 200 {
			t.Fatalf("page %d: %d %s", page, a.status, a.raw)
		}
		for _, u := range a.body["users"].([]any) {
			seen[u.(map[string]any)["id"].(string)] = true
		}
		if info := a.body["info"].(map[string]any); info["more_records"] == false {
			break
		}
	}
	if len(seen) != 450 {
		t.Fatalf("paging saw %d distinct users, want 450", len(seen))
	}
	a := zohoCall(t, "GET", base+"/crm/v2/users?page=4&per_page=200", tok, "")
	if a.status != 204 || a.raw != "" {
		t.Fatalf("a page past the end must be 204 with no body, got %d %q", a.status, a.raw)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/users?type=DeletedUsers", tok, ""); a.status != 204 {
		t.Fatalf("no deleted users must be 204, got %d", a.status)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/users?per_page=201", tok, ""); a.status != 400 {
		t.Fatalf("per_page over 200 must be refused, got %d", a.status)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/users?type=Everyone", tok, ""); a.body["code"] != "PATTERN_NOT_MATCHED" {
		t.Fatalf("unknown type: %s", a.raw)
	}
	a = zohoCall(t, "GET", base+"/crm/v2/users?type=AdminUsers", tok, "")
	for _, u := range a.body["users"].([]any) {
		if p := u.(map[string]any)["profile"].(map[string]any)["name"]; p != "Administrator" {
			t.Fatalf("AdminUsers listed a %v", p)
		}
	}
}

func TestZohoIfModifiedSince(t *testing.T) {
	_, base, clock := startZoho(t, 10)
	tok := zohoLogin(t, base)
	since := clock.Now().Format(time.RFC3339)
	if a := zohoCall(t, "GET", base+"/crm/v2/users", tok, "", "If-Modified-Since", since); a.status != 304 {
		t.Fatalf("nothing changed: want 304, got %d", a.status)
	}
	clock.Add(time.Second)
	id := zohoID(2)
	if a := zohoCall(t, "PUT", base+"/crm/v2/users/"+id, tok, `{"users":[{"id":"`+id+`","city":"Porto"}]}`); a.status != 200 {
		t.Fatalf("put: %d %s", a.status, a.raw)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/users", tok, "", "If-Modified-Since", since); a.status != 200 {
		t.Fatalf("after a write: want 200, got %d", a.status)
	}
}

func TestZohoWrites(t *testing.T) {
	_, base, _ := startZoho(t, 10)
	tok := zohoLogin(t, base)
	id := zohoID(1)
	u := base + "/crm/v2/users/" + id
	a := zohoCall(t, "PUT", u, tok, `{"users":[{"id":"`+id+`","email":"not an email"}]}`)
	item := a.body["users"].([]any)[0].(map[string]any)
	if a.status != 200 || item["status"] != "error" || item["code"] != "INVALID_DATA" ||
		item["details"].(map[string]any)["api_name"] != "email" {
		t.Fatalf("a bad email must be a per-item INVALID_DATA inside a 200, got %d %s", a.status, a.raw)
	}
	a = zohoCall(t, "PATCH", u, tok, `{"users":[{"id":"`+id+`","city":"Porto"}]}`)
	if a.status != 400 || a.body["code"] != "INVALID_REQUEST_METHOD" {
		t.Fatalf("PATCH must be refused as Zoho does, got %d %s", a.status, a.raw)
	}
	a = zohoCall(t, "PUT", u, tok, `{"users":[{"id":"`+id+`","city":"Porto","dob":"1990-02-03"}]}`)
	if item := a.body["users"].([]any)[0].(map[string]any); item["code"] != "SUCCESS" {
		t.Fatalf("put: %s", a.raw)
	}
	got := zohoCall(t, "GET", u, tok, "").body["users"].([]any)[0].(map[string]any)
	if got["city"] != "Porto" || got["dob"] != "1990-02-03" {
		t.Fatalf("the update did not stick: %v", got)
	}
	if a := zohoCall(t, "DELETE", u, tok, ""); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.raw)
	}
	if a := zohoCall(t, "DELETE", u, tok, ""); a.body["code"] != "ID_ALREADY_DELETED" {
		t.Fatalf("second delete: %s", a.raw)
	}
	if a := zohoCall(t, "GET", u, tok, ""); a.status != 400 || a.body["code"] != "INVALID_DATA" {
		t.Fatalf("get of a deleted user: %d %s", a.status, a.raw)
	}
	a = zohoCall(t, "GET", base+"/crm/v2/users?type=DeletedUsers", tok, "")
	if users := a.body["users"].([]any); len(users) != 1 || users[0].(map[string]any)["id"] != id {
		t.Fatalf("DeletedUsers: %s", a.raw)
	}
}

func TestZohoConcurrencyCap(t *testing.T) {
	s, base, _ := startZoho(t, 10)
	tok := zohoLogin(t, base)
	s.zoho.inFlight.Add(ZohoMaxInFlight) // as if five calls were being served
	a := zohoCall(t, "GET", base+"/crm/v2/users", tok, "")
	s.zoho.inFlight.Add(-ZohoMaxInFlight)
	if a.status != 429 || a.body["code"] != "TOO_MANY_REQUESTS" {
		t.Fatalf("a sixth call in flight must answer 429, got %d %s", a.status, a.raw)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/users", tok, ""); a.status != 200 {
		t.Fatalf("below the cap: %d", a.status)
	}
}

func TestZohoForcedErrorsUseZohoBodies(t *testing.T) {
	s, base, _ := startZoho(t, 10)
	tok := zohoLogin(t, base)
	s.ForceError("/crm/v2/", 403, 1, 0)
	a := zohoCall(t, "GET", base+"/crm/v2/users", tok, "")
	if a.status != 403 || a.body["code"] != "NO_PERMISSION" || a.body["status"] != "error" {
		t.Fatalf("forced 403: %d %s", a.status, a.raw)
	}
}

func TestZohoColleagueEditIsVisible(t *testing.T) {
	s, base, clock := startZoho(t, 10)
	tok := zohoLogin(t, base)
	since := clock.Now().Format(time.RFC3339)
	clock.Add(time.Second)
	if !s.touch("/crm/v2/users/"+zohoID(3), nil) {
		t.Fatal("the modify fault found no Zoho user to touch")
	}
	got := zohoCall(t, "GET", base+"/crm/v2/users/"+zohoID(3), tok, "").body["users"].([]any)[0].(map[string]any)
	if alias, _ := got["alias"].(string); !strings.HasPrefix(alias, "edited by a colleague") {
		t.Fatalf("touched user: %v", got)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/users", tok, "", "If-Modified-Since", since); a.status != 200 {
		t.Fatalf("a colleague's edit must end 304s, got %d", a.status)
	}
}

// Numbered pages skip the users before them without generating them; after
// deletions every remaining user must still be listed exactly once, and the
// last page of a million users must hold the last user and say it is last.
func TestZohoPagesAfterDeletionsListEveryoneOnce(t *testing.T) {
	_, base, _ := startZoho(t, 250)
	tok := zohoLogin(t, base)
	deleted := map[string]bool{}
	for _, i := range []int{0, 1, 7, 49, 50, 51, 120, 249} {
		id := zohoID(i)
		if a := zohoCall(t, "DELETE", base+"/crm/v2/users/"+id, tok, ""); a.status != 200 {
			t.Fatalf("delete %s: %d %s", id, a.status, a.raw)
		}
		deleted[id] = true
	}
	seen := map[string]bool{}
	for page := 1; ; page++ {
		a := zohoCall(t, "GET", base+"/crm/v2/users?per_page=50&page="+strconv.Itoa(page), tok, "")
		if a.status == http.StatusNoContent {
			t.Fatalf("page %d is empty: the page before should have said it was last", page)
		}
		users, _ := a.body["users"].([]any)
		for _, u := range users {
			id, _ := u.(map[string]any)["id"].(string)
			if seen[id] || deleted[id] {
				t.Fatalf("page %d lists %s again or after its deletion", page, id)
			}
			seen[id] = true
		}
		if more, _ := a.body["info"].(map[string]any)["more_records"].(bool); !more {
			break
		}
	}
	if len(seen) != 250-len(deleted) {
		t.Fatalf("listed %d users, want %d", len(seen), 250-len(deleted))
	}

	_, big, _ := startZoho(t, 1_000_000)
	tok = zohoLogin(t, big)
	a := zohoCall(t, "GET", big+"/crm/v2/users?per_page=200&page=5000", tok, "")
	users, _ := a.body["users"].([]any)
	more, _ := a.body["info"].(map[string]any)["more_records"].(bool)
	if len(users) != 200 || more || users[199].(map[string]any)["id"] != zohoID(999_999) {
		t.Fatalf("last page of a million: %d users, more_records %v", len(users), more)
	}
}
