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
	s := New(Options{Users: 20, Faults: f})
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
