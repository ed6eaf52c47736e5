package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// laurelClient talks raw HTTP to a sandbox's Laurel protocol.
type laurelClient struct {
	t     *testing.T
	base  string
	token string
}

// laurelClock is a settable clock for token expiry.
type laurelClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *laurelClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *laurelClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func startLaurel(t *testing.T, users int, clock *laurelClock) (*Server, *laurelClient) {
	t.Helper()
	opts := Options{Users: users}
	if clock != nil {
		opts.Now = clock.Now
	}
	s := New(opts)
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	c := &laurelClient{t: t, base: run.URL}
	c.token = laurelLogin(t, c)
	return s, c
}

// laurelLogin gets an access token with the sandbox's client credentials.
func laurelLogin(t *testing.T, c *laurelClient) string {
	t.Helper()
	status, body := c.do("POST", "/api/v1/oauth/token", `{"audience":"https://timeautomation.com","grant_type":"client_credentials","client_id":"`+LaurelClientID+`","client_secret":"`+LaurelClientSecret+`"}`)
	if status != 200 {
		t.Fatalf("token: %d %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" || tok.ExpiresIn != 86400 || tok.TokenType != "Bearer" {
		t.Fatalf("token answer %s (%v)", body, err)
	}
	return tok.AccessToken
}

func (c *laurelClient) do(method, path, body string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

const laurelUsersPath = "/api/v1/customers/" + LaurelCustomerID + "/users"
const laurelUsersV2 = "/api/v2/customers/" + LaurelCustomerID + "/users"

// nestError decodes a NestJS error body, with message as a list.
func laurelNestError(t *testing.T, body []byte) (int, []string) {
	t.Helper()
	var e struct {
		StatusCode int             `json:"statusCode"`
		Message    json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not a NestJS error: %s", body)
	}
	var list []string
	if json.Unmarshal(e.Message, &list) != nil {
		var s string
		_ = json.Unmarshal(e.Message, &s)
		list = []string{s}
	}
	return e.StatusCode, list
}

func TestLaurelTokenRefusesWrongSecretAndFormBodies(t *testing.T) {
	s, c := startLaurel(t, 10, nil)
	c.token = ""
	status, body := c.do("POST", "/api/v1/oauth/token", `{"audience":"https://timeautomation.com","grant_type":"client_credentials","client_id":"`+LaurelClientID+`","client_secret":"nope"}`)
	if code, msg := laurelNestError(t, body); status != 401 || code != 401 || msg[0] == "" {
		t.Errorf("wrong secret: %d %s", status, body)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {LaurelClientID}, "client_secret": {LaurelClientSecret}}.Encode()
	if status, body := c.do("POST", "/api/v1/oauth/token", form); status != 400 {
		t.Errorf("form body: %d %s, want 400 (the endpoint takes JSON)", status, body)
	}
	if n := s.LaurelTokensIssued(); n != 1 {
		t.Errorf("tokens issued = %d, want 1", n)
	}
}

func TestLaurelTokenExpiresAfterADay(t *testing.T) {
	clock := &laurelClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, c := startLaurel(t, 10, clock)
	if status, body := c.do("GET", laurelUsersV2, ""); status != 200 {
		t.Fatalf("fresh token: %d %s", status, body)
	}
	clock.Add(24*time.Hour + time.Second)
	if status, body := c.do("GET", laurelUsersV2, ""); status != 401 {
		t.Fatalf("day-old token: %d %s, want 401", status, body)
	}
}

func TestLaurelV2PagesEndWithoutNextPage(t *testing.T) {
	_, c := startLaurel(t, 45, nil)
	var seen []string
	for page := 1; ; page++ {
		status, body := c.do("GET", laurelUsersV2+"?pageSize=20&page="+strconv.Itoa(page), "")
		if status != 200 {
			t.Fatalf("page %d: %d %s", page, status, body)
		}
		var p struct {
			Items      []laurelUser `json:"items"`
			NextPage   *int         `json:"nextPage"`
			TotalPages int          `json:"totalPages"`
			TotalItems int          `json:"totalItems"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		if p.TotalItems != 45 || p.TotalPages != 3 {
			t.Errorf("page %d: totals %d items / %d pages, want 45 / 3", page, p.TotalItems, p.TotalPages)
		}
		for _, u := range p.Items {
			seen = append(seen, u.ID)
		}
		if p.NextPage == nil {
			break
		}
		if *p.NextPage != page+1 || page > 3 {
			t.Fatalf("page %d: nextPage %d", page, *p.NextPage)
		}
	}
	if len(seen) != 45 {
		t.Errorf("listed %d users, want 45", len(seen))
	}
	if status, body := c.do("GET", laurelUsersV2+"?pageSize=151", ""); status != 400 {
		t.Errorf("pageSize 151: %d %s", status, body)
	}
}

func TestLaurelSearchNeedsTwoToHundredCharacters(t *testing.T) {
	_, c := startLaurel(t, 100, nil)
	for _, q := range []string{"a", strings.Repeat("x", 101)} {
		status, body := c.do("GET", laurelUsersV2+"?search="+url.QueryEscape(q), "")
		if _, msg := laurelNestError(t, body); status != 400 || !strings.HasPrefix(msg[0], "search must be") {
			t.Errorf("search %d chars: %d %s", len(q), status, body)
		}
	}
	status, body := c.do("GET", laurelUsersV2+"?search=LOVELACE", "")
	var p struct{ Items []laurelUser }
	_ = json.Unmarshal(body, &p)
	if status != 200 || len(p.Items) == 0 {
		t.Fatalf("search lovelace: %d %s", status, body)
	}
	for _, u := range p.Items {
		if u.LastName != "Lovelace" {
			t.Errorf("search lovelace found %s %s", u.FirstName, u.LastName)
		}
	}
}

func TestLaurelV1ListFiltersByIntegration(t *testing.T) {
	_, c := startLaurel(t, 60, nil)
	if status, _ := c.do("GET", laurelUsersPath, ""); status != 400 {
		t.Errorf("v1 list without integration: %d, want 400", status)
	}
	status, body := c.do("GET", laurelUsersPath+"?integration=cloud-assistant-zoom", "")
	var users []laurelProjection
	if err := json.Unmarshal(body, &users); status != 200 || err != nil {
		t.Fatalf("v1 list: %d %s", status, body)
	}
	// projections (issue 12 item 8): _id, email, name, relevantIdentities only
	var objects []map[string]any
	_ = json.Unmarshal(body, &objects)
	for _, o := range objects {
		for k := range o {
			if !slices.Contains([]string{"_id", "email", "name", "relevantIdentities"}, k) {
				t.Fatalf("a projection carries %q: %v", k, o)
			}
		}
	}
	if len(users) == 0 || len(users) >= 60 {
		t.Fatalf("integration filter kept %d of 60 users", len(users))
	}
	for _, u := range users {
		// integrations are not on the wire; the generator says what user i has.
		if !slices.Contains(laurelUserAt(laurelIndex(u.ID)).integrations, "cloud-assistant-zoom") {
			t.Errorf("user %s listed without the zoom integration", u.ID)
		}
	}
}

func TestLaurelLookupByIdentity(t *testing.T) {
	_, c := startLaurel(t, 30, nil)
	want := laurelUserAt(17)
	status, body := c.do("GET", laurelUsersV2+"/lookup/identity?type=phone-extension&value=10017", "")
	var got laurelUser
	if err := json.Unmarshal(body, &got); status != 200 || err != nil || got.ID != want.ID {
		t.Fatalf("lookup extension 10017: %d %s", status, body)
	}
	if status, _ := c.do("GET", laurelUsersV2+"/lookup/identity?type=phone-extension&value=99999", ""); status != 404 {
		t.Errorf("lookup of a missing identity: %d, want 404", status)
	}
	if status, _ := c.do("GET", laurelUsersV2+"/lookup/identity?type=myspace&value=x", ""); status != 400 {
		t.Errorf("lookup with an unknown type: %d, want 400", status)
	}
}

func TestLaurelPatchRejectsUnknownPropertiesAndBadEmail(t *testing.T) {
	_, c := startLaurel(t, 10, nil)
	id := laurelUserAt(2).ID
	status, body := c.do("PATCH", laurelUsersPath+"/"+id, `{"foo":1,"email":"not-an-email","jobTitle":"Partner"}`)
	_, msgs := laurelNestError(t, body)
	if status != 400 || strings.Join(msgs, "|") != "email must be an email|property foo should not exist" {
		t.Fatalf("patch: %d %s", status, body)
	}
	_, body = c.do("GET", laurelUsersPath+"/"+id, "")
	var u laurelUser
	_ = json.Unmarshal(body, &u)
	if u.JobTitle == "Partner" {
		t.Error("a refused PATCH changed the job title")
	}
	status, body = c.do("PATCH", laurelUsersPath+"/"+id, `{"jobTitle":"Partner","nickname":""}`)
	_ = json.Unmarshal(body, &u)
	if status != 200 || u.JobTitle != "Partner" {
		t.Fatalf("patch: %d %s", status, body)
	}
}

func TestLaurelStatusEndpointAndForcedFailure(t *testing.T) {
	s, c := startLaurel(t, 10, nil)
	id := laurelUserAt(1).ID
	if status, _ := c.do("PATCH", laurelUsersPath+"/"+id+"/status", `{"status":"asleep"}`); status != 400 {
		t.Errorf("bad status: %d, want 400", status)
	}
	s.FailLaurelStatusOnce(503)
	if status, body := c.do("PATCH", laurelUsersPath+"/"+id+"/status", `{"status":"firmDisabled"}`); status != 503 {
		t.Errorf("forced failure: %d %s", status, body)
	}
	status, body := c.do("PATCH", laurelUsersPath+"/"+id+"/status", `{"status":"firmDisabled"}`)
	var u laurelUser
	_ = json.Unmarshal(body, &u)
	if status != 200 || u.Status != "firmDisabled" {
		t.Fatalf("status after the forced failure: %d %s", status, body)
	}
}

func TestLaurelDeleteAnswersTheUserAndWrongCustomerIsForbidden(t *testing.T) {
	_, c := startLaurel(t, 10, nil)
	id := laurelUserAt(3).ID
	status, body := c.do("DELETE", laurelUsersPath+"/"+id, "")
	var u laurelUser
	if err := json.Unmarshal(body, &u); status != 200 || err != nil || u.ID != id {
		t.Fatalf("delete: %d %s", status, body)
	}
	if status, _ := c.do("GET", laurelUsersPath+"/"+id, ""); status != 404 {
		t.Errorf("get after delete: %d, want 404", status)
	}
	if status, _ := c.do("GET", "/api/v2/customers/aaaaaaaaaaaaaaaaaaaaaaaa/users", ""); status != 403 {
		t.Errorf("another customer's users: %d, want 403", status)
	}
}
