package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func startWithFaults(t *testing.T, f Faults) (*Server, *Running) {
	t.Helper()
	return startWithFaultsAt(t, f, nil)
}

// startWithFaultsAt starts a faulty sandbox on a clock (time.Now when nil).
func startWithFaultsAt(t *testing.T, f Faults, now func() time.Time) (*Server, *Running) {
	t.Helper()
	s := New(Options{Users: 20, Faults: f, Now: now})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	return s, run
}

// getApideck sends an authorised Apideck request without any retrying.
func getApideck(t *testing.T, base, path string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+ApideckAPIKey)
	req.Header.Set("x-apideck-app-id", ApideckAppID)
	req.Header.Set("x-apideck-consumer-id", ApideckConsumerID)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults("latency=200ms, rate429=0.1,retry-after=2,err5xx=0.05,drop=0.02,malformed=0.02,modify=10%,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	want := Faults{Latency: 200 * time.Millisecond, Rate429: 0.1, RetryAfter: 2 * time.Second, Err5xx: 0.05,
		Drop: 0.02, Malformed: 0.02, Modify: 0.1, Seed: 7}
	if f != want {
		t.Fatalf("ParseFaults = %+v, want %+v", f, want)
	}
	if again, err := ParseFaults(f.String()); err != nil || again != f {
		t.Fatalf("ParseFaults(String()) = %+v, %v; want the same faults", again, err)
	}
	if f, err := ParseFaults(""); err != nil || f.Active() {
		t.Fatalf("empty spec = %+v, %v; want no faults", f, err)
	}
	bad := map[string]string{
		"rate249=0.1":            `unknown fault "rate249"`,
		"drop=2":                 "drop=2: want a probability between 0 and 1",
		"latency=soon":           "latency=soon: want a duration",
		"drop":                   `"drop": want key=value`,
		"rate429=0.6,err5xx=0.6": "add up to 1.20",
		"seed=-1":                "seed=-1: want a whole number",
		"retry-after=-3":         "must not be negative",
	}
	for spec, want := range bad {
		if _, err := ParseFaults(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFaults(%q) error = %v, want it to say %q", spec, err, want)
		}
	}
}

func TestInjected429SpeaksTheProtocolAndSaysWhenToRetry(t *testing.T) {
	_, run := startWithFaults(t, Faults{Rate429: 1, RetryAfter: 2 * time.Second})
	resp, body, err := getApideck(t, run.URL, "/crm/users")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("got %d Retry-After %q, want 429 with Retry-After 2", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	var e struct {
		TypeName string `json:"type_name"`
	}
	if json.Unmarshal(body, &e) != nil || e.TypeName != "ConnectorRateLimitError" {
		t.Fatalf("body %s is not Apideck's rate-limit error", body)
	}
}

func TestInjected5xxIsAnUpstreamFailureButNever503(t *testing.T) {
	_, run := startWithFaults(t, Faults{Err5xx: 1, Seed: 3})
	for i := 0; i < 12; i++ {
		resp, body, err := getApideck(t, run.URL, "/crm/users")
		if err != nil {
			t.Fatal(err)
		}
		if s := resp.StatusCode; s != 500 && s != 502 && s != 504 {
			t.Fatalf("status %d, want 500, 502 or 504", s)
		}
		if !json.Valid(body) {
			t.Fatalf("body %q is not the protocol's JSON error", body)
		}
	}
}

func TestDroppedConnectionGetsNoAnswer(t *testing.T) {
	_, run := startWithFaults(t, Faults{Drop: 1})
	if resp, _, err := getApideck(t, run.URL, "/crm/users"); err == nil {
		t.Fatalf("got HTTP %d, want the connection closed without an answer", resp.StatusCode)
	}
}

func TestMalformedAnswersAreCutJSONOrHTML(t *testing.T) {
	_, run := startWithFaults(t, Faults{Malformed: 1, Seed: 1})
	var cut, html int
	for i := 0; i < 16; i++ {
		resp, body, err := getApideck(t, run.URL, "/crm/users")
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
			html++
			if !strings.Contains(string(body), "<html>") {
				t.Fatalf("HTML fault body %q", body)
			}
		case json.Valid(body) || len(body) == 0:
			t.Fatalf("answer %d is intact: %.80s", i, body)
		default:
			cut++
			if !strings.HasPrefix(string(body), "{") {
				t.Fatalf("cut answer %q does not start like the real one", body)
			}
		}
	}
	if cut == 0 || html == 0 {
		t.Fatalf("cut %d, html %d; want both kinds over 16 requests", cut, html)
	}
}

func TestFaultsRepeatWithTheSameSeed(t *testing.T) {
	statuses := func() []int {
		_, run := startWithFaults(t, Faults{Rate429: 0.3, Err5xx: 0.3, Seed: 42})
		var out []int
		for i := 0; i < 20; i++ {
			resp, _, err := getApideck(t, run.URL, "/crm/users")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, resp.StatusCode)
		}
		return out
	}
	a, b := statuses(), statuses()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	ok := 0
	for _, s := range a {
		if s == 200 {
			ok++
		}
	}
	if ok == 0 || ok == len(a) {
		t.Fatalf("statuses %v: want a mix of faults and answers", a)
	}
}

func TestModifyTouchesTheAddressedRecordThroughItsProtocol(t *testing.T) {
	s := New(Options{Users: 20, Faults: Faults{Modify: 1}})
	var mu sync.Mutex
	var touched []string
	s.registerToucher("/test/customers/{cid}/users/{uid}", func(id string) bool {
		mu.Lock()
		defer mu.Unlock()
		touched = append(touched, id)
		return true
	})
	run, err := s.Start("127.0.0.1:0") // touchers are registered before serving, as protocols do
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	for _, p := range []string{"/test/customers/c1/users/42", "/test/customers/c1/users/43/status", "/test/customers/c1/users"} {
		resp, err := http.Get(run.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(touched, ",") != "42,43" {
		t.Fatalf("touched %v, want records 42 and 43 (not the list)", touched)
	}
}

func TestModifyWithoutToucherServesNormally(t *testing.T) {
	_, run := startWithFaults(t, Faults{Modify: 1})
	resp, body, err := getApideck(t, run.URL, "/crm/users")
	if err != nil || resp.StatusCode != 200 || !json.Valid(body) {
		t.Fatalf("got %v %v, want a normal answer", resp, err)
	}
}

// TestModifyShowsAColleaguesEditBetweenReadAndWrite follows a save as Roster
// makes it under the "modify" fault: read the user when the form opens, read
// again just before writing (a colleague changed it in between: a new
// updated time and a visibly changed field), then write, which still lands.
func TestModifyShowsAColleaguesEditBetweenReadAndWrite(t *testing.T) {
	type snapshot struct{ updated, visible string }
	type protocolCase struct {
		name  string
		read  func(t *testing.T) snapshot
		write func(t *testing.T) int
	}
	clock := &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s, run := startWithFaultsAt(t, Faults{Modify: 1}, clock.Now)
	base := run.URL
	str := func(v any) string { s, _ := v.(string); return s }

	apideckPath := apideckPrefix + "/" + apideckID(3)
	zohoToken := zohoLogin(t, base)
	zohoPath := base + "/crm/v2/users/" + zohoID(3)
	trutoPath := "/unified/crm/users/" + trutoRulesFor("pipedrive").ids.format(3)
	laurel := &laurelClient{t: t, base: base}
	laurel.token = laurelLogin(t, laurel)
	laurelPath := laurelUsersPath + "/" + laurelObjectID(3, PersonAt(3).Created)

	cases := []protocolCase{
		{"apideck",
			func(t *testing.T) snapshot {
				status, _, body := apideckCall(t, base, "GET", apideckPath, "", nil)
				u, _ := body["data"].(map[string]any)
				if status != 200 || u == nil {
					t.Fatalf("GET %s: %d %v", apideckPath, status, body)
				}
				return snapshot{str(u["updated_at"]), str(u["description"])}
			},
			func(t *testing.T) int {
				status, _, _ := apideckCall(t, base, "PATCH", apideckPath, `{"title":"Head of Sales"}`, nil)
				return status
			}},
		{"zoho",
			func(t *testing.T) snapshot {
				a := zohoCall(t, "GET", zohoPath, zohoToken, "")
				users, _ := a.body["users"].([]any)
				if a.status != 200 || len(users) != 1 {
					t.Fatalf("GET %s: %d %s", zohoPath, a.status, a.raw)
				}
				u, _ := users[0].(map[string]any)
				return snapshot{str(u["Modified_Time"]), str(u["alias"])}
			},
			func(t *testing.T) int {
				a := zohoCall(t, "PUT", zohoPath, zohoToken, `{"users":[{"city":"Porto"}]}`)
				if users, _ := a.body["users"].([]any); len(users) != 1 || users[0].(map[string]any)["code"] != "SUCCESS" {
					t.Errorf("PUT answered %s", a.raw)
				}
				return a.status
			}},
		{"truto",
			func(t *testing.T) snapshot {
				status, _, u := trutoCall(t, base, "GET", trutoPath, TrutoAccountPipedrive, "", nil)
				if status != 200 {
					t.Fatalf("GET %s: %d %v", trutoPath, status, u)
				}
				return snapshot{str(u["updated_at"]), str(u["name"])}
			},
			func(t *testing.T) int {
				status, _, _ := trutoCall(t, base, "PATCH", trutoPath, TrutoAccountPipedrive, `{"is_active":false}`, nil)
				return status
			}},
		{"laurel",
			func(t *testing.T) snapshot {
				status, body := laurel.do("GET", laurelPath, "")
				var u laurelUser
				if status != 200 || json.Unmarshal(body, &u) != nil {
					t.Fatalf("GET %s: %d %s", laurelPath, status, body)
				}
				return snapshot{u.UpdatedAt, u.Nickname}
			},
			func(t *testing.T) int {
				status, _ := laurel.do("PATCH", laurelPath, `{"jobTitle":"Of Counsel"}`)
				return status
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opened := c.read(t)
			clock.Add(time.Minute) // the user edits the form; a colleague saves meanwhile
			before := c.read(t)
			if before.updated == opened.updated {
				t.Errorf("updated time stayed %q: a colleague's edit must move it", opened.updated)
			}
			if !strings.Contains(strings.ToLower(before.visible), "edited by a colleague") || before.visible == opened.visible {
				t.Errorf("field went %q → %q; want a visible, fresh colleague's edit", opened.visible, before.visible)
			}
			if status := c.write(t); status != 200 {
				t.Errorf("the write after the colleague's edit answered %d, want 200", status)
			}
		})
	}
	// Only the account the requests named was touched, not the other
	// Pipedrive account whose ids look the same.
	if edited := s.truto.accounts[TrutoAccountReadOnly].store.EditedIndexes(); len(edited) != 0 {
		t.Errorf("the read-only Pipedrive account's users %v changed; only the addressed account's may", edited)
	}
}
