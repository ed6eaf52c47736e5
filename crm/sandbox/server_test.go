package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

// TestInjectedErrorsUseTheLongestMatchingProtocol registers a protocol with
// a prefix broader than Apideck's and Zoho's, first and last: either way an
// error injected under "/crm/users" stays Apideck's and one under "/crm/v2/"
// stays Zoho's, and only the paths no narrower protocol owns get the broad one.
func TestInjectedErrorsUseTheLongestMatchingProtocol(t *testing.T) {
	broad := func(w http.ResponseWriter, _ *http.Request, status int, message string, _ time.Duration) {
		writeJSON(w, status, map[string]string{"owner": "broad", "message": message})
	}
	for _, order := range []string{"registered first", "registered last"} {
		t.Run(order, func(t *testing.T) {
			s := New(Options{Users: 5})
			if order == "registered first" {
				s.protocols = append([]protocol{{prefixes: []string{"/crm/"}, writeError: broad}}, s.protocols...)
			} else {
				s.registerProtocol(broad, "/crm/")
			}
			run, err := s.Start("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = run.Close() })
			for _, c := range []struct {
				path, key, want string
			}{
				{"/crm/users", "type_name", "EntityNotFoundError"}, // Apideck
				{"/crm/v2/users", "code", "INVALID_URL_PATTERN"},   // Zoho
				{"/crm/v3/leads", "owner", "broad"},                // nobody narrower
			} {
				s.ForceError(c.path, http.StatusNotFound, 1, 0)
				resp, err := http.Get(run.URL + c.path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var got map[string]any
				if resp.StatusCode != http.StatusNotFound || json.Unmarshal(body, &got) != nil || got[c.key] != c.want {
					t.Errorf("GET %s: %d %s; want a 404 whose %s is %q", c.path, resp.StatusCode, body, c.key, c.want)
				}
			}
		})
	}
}
