package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// apideckCall sends one request with the sandbox's Apideck credentials unless
// header overrides them ("" deletes a header), and decodes the JSON answer.
func apideckCall(t *testing.T, base, method, path, body string, header map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ApideckAPIKey)
	req.Header.Set("x-apideck-app-id", ApideckAppID)
	req.Header.Set("x-apideck-consumer-id", ApideckConsumerID)
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, out
}

func startApideck(t *testing.T, users int) (*Server, string) {
	t.Helper()
	s := New(Options{Users: users, Now: func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return s, run.URL
}

// wantApideckError checks the documented error body.
func wantApideckError(t *testing.T, status int, body map[string]any, wantStatus int, typeName string) {
	t.Helper()
	if status != wantStatus || body["status_code"] != float64(wantStatus) || body["type_name"] != typeName {
		t.Fatalf("got %d %v, want %d %s", status, body, wantStatus, typeName)
	}
	for _, k := range []string{"error", "message", "ref"} {
		if s, _ := body[k].(string); s == "" {
			t.Errorf("error body lacks %s: %v", k, body)
		}
	}
}

func TestApideckPagesEndWithNullNextCursor(t *testing.T) {
	_, base := startApideck(t, 45)
	seen := map[string]bool{}
	path := "/crm/users?limit=20"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("the list does not end")
		}
		status, _, body := apideckCall(t, base, "GET", path, "", map[string]string{"x-apideck-service-id": "pipedrive"})
		if status != 200 || body["resource"] != "users" || body["operation"] != "all" || body["service"] != "pipedrive" {
			t.Fatalf("envelope: %d %v", status, body)
		}
		data := body["data"].([]any)
		meta := body["meta"].(map[string]any)
		if meta["items_on_page"] != float64(len(data)) || meta["total_count"] != float64(45) {
			t.Errorf("meta %v for %d items", meta, len(data))
		}
		for _, u := range data {
			id := u.(map[string]any)["id"].(string)
			if seen[id] {
				t.Errorf("user %s listed twice", id)
			}
			seen[id] = true
		}
		next := meta["cursors"].(map[string]any)["next"]
		if next == nil {
			if len(data) != 5 {
				t.Errorf("last page has %d users, want 5", len(data))
			}
			break
		}
		path = "/crm/users?limit=20&cursor=" + next.(string)
	}
	if len(seen) != 45 {
		t.Errorf("listed %d users, want 45", len(seen))
	}
}

func TestApideckRefusesBadLimitsAndCursors(t *testing.T) {
	_, base := startApideck(t, 10)
	for _, q := range []string{"limit=0", "limit=201", "limit=ten"} {
		status, _, body := apideckCall(t, base, "GET", "/crm/users?"+q, "", nil)
		wantApideckError(t, status, body, 400, "RequestValidationError")
	}
	status, _, body := apideckCall(t, base, "GET", "/crm/users?cursor=bm90LWEtY3Vyc29y", "", nil)
	wantApideckError(t, status, body, 400, "InvalidCursorError")
	status, _, body = apideckCall(t, base, "GET", "/crm/users", "", nil)
	if status != 200 || len(body["data"].([]any)) != 10 {
		t.Errorf("default limit: %d, %d users", status, len(body["data"].([]any)))
	}
}

func TestApideckChecksEveryCredential(t *testing.T) {
	_, base := startApideck(t, 10)
	for _, h := range []map[string]string{
		{"Authorization": ""}, {"Authorization": "Bearer wrong"},
		{"x-apideck-app-id": "other-app"}, {"x-apideck-consumer-id": "someone-else"},
	} {
		status, _, body := apideckCall(t, base, "GET", "/crm/users/10001", "", h)
		wantApideckError(t, status, body, 401, "UnauthorizedError")
	}
	status, _, body := apideckCall(t, base, "GET", "/crm/users", "", map[string]string{"x-apideck-consumer-id": ""})
	wantApideckError(t, status, body, 400, "RequestHeadersValidationError")
	if !strings.Contains(apideckJSON(t, body["detail"]), `"x-apideck-consumer-id":"required"`) {
		t.Errorf("detail does not name the missing header: %v", body["detail"])
	}
}

func TestApideckUsersAreStableAndVaried(t *testing.T) {
	_, a := startApideck(t, 10)
	_, b := startApideck(t, 10)
	_, _, one := apideckCall(t, a, "GET", "/crm/users/10003", "", nil)
	_, _, two := apideckCall(t, b, "GET", "/crm/users/10003", "", nil)
	if apideckJSON(t, one) != apideckJSON(t, two) {
		t.Error("the same user differs between two sandboxes")
	}
	u := one["data"].(map[string]any)
	if _, ok := u["name"]; ok {
		t.Errorf("an Apideck user has no name field (the users docs): %v", u)
	}
	for _, k := range []string{"first_name", "last_name", "emails", "phone_numbers", "company_name", "status", "language", "created_at", "updated_at"} {
		if _, ok := u[k]; !ok {
			t.Errorf("user lacks %s: %v", k, u)
		}
	}
	if _, err := time.Parse(time.RFC3339, u["updated_at"].(string)); err != nil {
		t.Errorf("updated_at: %v", err)
	}
	// Person 5 has no email address: Apideck shows an empty list.
	_, _, noEmail := apideckCall(t, a, "GET", "/crm/users/10005", "", nil)
	if emails := noEmail["data"].(map[string]any)["emails"].([]any); len(emails) != 0 {
		t.Errorf("user without email has emails %v", emails)
	}
}

func TestApideckPatchChangesOnlyTheGivenKeys(t *testing.T) {
	_, base := startApideck(t, 10)
	_, _, before := apideckCall(t, base, "GET", "/crm/users/10002", "", nil)
	status, _, body := apideckCall(t, base, "PATCH", "/crm/users/10002", `{"title":"Head of Sandboxes"}`, nil)
	if status != 200 || apideckJSON(t, body["data"]) != `{"id":"10002"}` || body["operation"] != "update" {
		t.Fatalf("patch answer: %d %v", status, body)
	}
	_, _, after := apideckCall(t, base, "GET", "/crm/users/10002", "", nil)
	b, a := before["data"].(map[string]any), after["data"].(map[string]any)
	if a["title"] != "Head of Sandboxes" || a["updated_at"] != "2025-06-01T12:00:00.000Z" {
		t.Errorf("after patch: title %v updated_at %v", a["title"], a["updated_at"])
	}
	for k, v := range b {
		if k != "title" && k != "updated_at" && apideckJSON(t, v) != apideckJSON(t, a[k]) {
			t.Errorf("%s changed from %v to %v", k, v, a[k])
		}
	}
}

func TestApideckPatchValidatesNamingTheField(t *testing.T) {
	_, base := startApideck(t, 10)
	cases := []struct{ body, field string }{
		{`{"emails":[{"email":"not an email","type":"primary"}]}`, "emails[0].email"},
		{`{"emails":[]}`, "emails"},
		{`{"id":"1"}`, "id"},
		{`{"created_at":"2020-01-01T00:00:00Z"}`, "created_at"},
		{`{"favourite_colour":"blue"}`, "favourite_colour"},
		{`{"title":42}`, "title"},
	}
	for _, c := range cases {
		status, _, body := apideckCall(t, base, "PATCH", "/crm/users/10001", c.body, nil)
		wantApideckError(t, status, body, 400, "RequestValidationError")
		if !strings.Contains(apideckJSON(t, body["detail"]), `"`+c.field+`":`) {
			t.Errorf("%s: detail %v does not name %s", c.body, body["detail"], c.field)
		}
	}
	status, _, body := apideckCall(t, base, "PATCH", "/crm/users/99", `{"title":"x"}`, nil)
	wantApideckError(t, status, body, 404, "EntityNotFoundError")
}

func TestApideckCreateAndDelete(t *testing.T) {
	_, base := startApideck(t, 10)
	status, _, body := apideckCall(t, base, "POST", "/crm/users", `{"first_name":"New","emails":[{"email":"new@example.com","type":"primary"}]}`, nil)
	if status != 201 || body["operation"] != "add" {
		t.Fatalf("create: %d %v", status, body)
	}
	id := body["data"].(map[string]any)["id"].(string)
	status, _, body = apideckCall(t, base, "DELETE", "/crm/users/"+id, "", nil)
	if status != 200 || apideckJSON(t, body["data"]) != `{"id":"`+id+`"}` {
		t.Fatalf("delete: %d %v", status, body)
	}
	status, _, body = apideckCall(t, base, "GET", "/crm/users/"+id, "", nil)
	wantApideckError(t, status, body, 404, "EntityNotFoundError")
	status, _, body = apideckCall(t, base, "POST", "/crm/users", `{"first_name":"No Email"}`, nil)
	wantApideckError(t, status, body, 400, "RequestValidationError")
}

func TestApideckForced429CarriesDownstreamLimits(t *testing.T) {
	s, base := startApideck(t, 10)
	s.ForceError("/crm/users", 429, 1, 7*time.Second)
	status, h, body := apideckCall(t, base, "GET", "/crm/users", "", nil)
	wantApideckError(t, status, body, 429, "ConnectorRateLimitError")
	if h.Get("Retry-After") != "7" || h.Get("x-downstream-ratelimit-remaining") != "0" || h.Get("x-downstream-ratelimit-reset") == "" {
		t.Errorf("headers %v", h)
	}
	if status, _, _ := apideckCall(t, base, "GET", "/crm/users", "", nil); status != 200 {
		t.Errorf("after the forced error: %d", status)
	}
}

func apideckJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
