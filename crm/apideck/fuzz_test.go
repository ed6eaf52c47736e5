package apideck

import (
	"net/http"
	"testing"
	"time"
)

// The decoders read whatever a provider (or something pretending to be one)
// sends; they must never panic, and a page they accept must be usable.
func FuzzDecodeList(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"1","emails":[{"email":"a@b.c","type":"primary"}]}],"meta":{"cursors":{"next":null}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := decodeList(body)
		if err != nil {
			return
		}
		for _, u := range page.Users {
			if u.ID == "" {
				t.Fatalf("accepted a user without an id: %s", u.Raw)
			}
			_ = u.Fields()
		}
		if page.Total < -1 {
			t.Fatalf("total %d", page.Total)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"status_code":400,"type_name":"RequestValidationError","message":"Invalid Params","detail":{"missing":[{"email":"required"}]}}`), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, reset string) {
		h := http.Header{}
		h.Set("x-downstream-ratelimit-reset", reset)
		e := decodeError("apideck", "op", status, h, body, time.Unix(1_700_000_000, 0))
		if e == nil || e.Error() == "" {
			t.Fatal("no error built")
		}
		if e.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter %s", e.RetryAfter)
		}
	})
}
