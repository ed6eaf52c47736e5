package zoho

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// BenchmarkDecodePage decodes one full page (200 users) as the sandbox
// sends it: the adapter's CPU per page during a load-all.
func BenchmarkDecodePage(b *testing.B) {
	body := samplePage(b, MaxPageSize)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		users, _, err := decodeUsers(body)
		if err != nil || len(users) != MaxPageSize {
			b.Fatalf("%d users, %v", len(users), err)
		}
	}
}

// samplePage fetches page 1 of per users from a sandbox, body as sent.
func samplePage(tb testing.TB, per int) []byte {
	tb.Helper()
	srv, err := sandbox.New(sandbox.Options{Users: 1000}).Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	var body []byte
	keep := recordBody(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil && r.URL.Path == "/crm/v2/users" {
			body, _ = io.ReadAll(resp.Body)
			resp.Body = io.NopCloser(bytes.NewReader(body))
		}
		return resp, err
	})
	p, err := New(Options{BaseURL: srv.URL, AccountsURL: srv.URL, ClientID: sandbox.ZohoClientID,
		ClientSecret: sandbox.ZohoClientSecret, RefreshToken: sandbox.ZohoRefreshToken, HTTP: &http.Client{Transport: keep}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := p.List(context.Background(), crm.PageRequest{Limit: per}); err != nil {
		tb.Fatal(err)
	}
	return body
}

type recordBody func(*http.Request) (*http.Response, error)

func (f recordBody) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
