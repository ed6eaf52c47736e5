package laurel

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// FuzzDecoders feeds arbitrary bodies to every decoder of Laurel's answers:
// none may panic, a decoded user always has an id and keeps valid raw JSON,
// and an error answer always becomes a typed error that says something.
// Seeds are in testdata/fuzz/FuzzDecoders.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte(`{"_id":"64f1c0de5a1e2b3c4d5e6f70","firstName":"Ada","status":"active","identities":[{"type":"email","value":"a@example.com"}]}`))
	f.Add([]byte(`{"statusCode":400,"message":["property foo should not exist","email must be an email"],"error":"Bad Request"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if u, err := decodeUser("laurel", body); err == nil {
			if u.ID == "" || !json.Valid(u.Raw) {
				t.Fatalf("decoded user without id or with invalid raw JSON: %+v", u)
			}
		} else if crm.KindOf(err) != crm.KindBadResponse {
			t.Fatalf("user decode error of kind %s: %v", crm.KindOf(err), err)
		}
		if page, err := decodePage("laurel", body); err == nil {
			for _, u := range page.Users {
				if u.ID == "" {
					t.Fatal("page holds a user without id")
				}
			}
		}
		_, _ = decodeV1List("laurel", body)
		for _, status := range []int{400, 401, 404, 429, 503} {
			err := decodeError("laurel", "fuzz", &httpx.Response{Status: status, Header: http.Header{}, Body: body})
			e := crm.AsError(err)
			if e == nil || e.Message == "" || e.Status != status {
				t.Fatalf("error answer %d became %v", status, err)
			}
		}
	})
}
