package zoho

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/httpx"
)

// FuzzDecoders feeds arbitrary answers to every decoder of Zoho's bodies:
// none may panic, a decoded user always has an id and its raw object, and
// an error answer always becomes an error with words in it. Seeds are in
// testdata/fuzz/FuzzDecoders (the seed page's sample, 204, per-item errors).
func FuzzDecoders(f *testing.F) {
	p := &Provider{name: "zoho", now: time.Now}
	f.Fuzz(func(t *testing.T, body []byte) {
		if users, _, err := decodeUsers(body); err == nil {
			for _, u := range users {
				if u.ID == "" || !json.Valid(u.Raw) {
					t.Fatalf("decoded a user without an id or raw object: %+v", u)
				}
			}
		}
		if items, err := decodeItems(body); err == nil {
			for _, it := range items {
				if it.Status != "success" {
					if e := p.zohoError("update user 1", 200, nil, it); e == nil || e.Error() == "" {
						t.Fatal("a failed item produced no error")
					}
				}
			}
		}
		for _, status := range []int{400, 401, 429, 500} {
			e := p.decodeError("list users", &httpx.Response{Status: status, Body: body})
			if e == nil || e.Message == "" || e.Status != status {
				t.Fatalf("status %d with %q: %#v", status, body, e)
			}
		}
	})
}
