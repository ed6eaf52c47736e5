package truto

import (
	"testing"
	"unicode/utf8"
)

// FuzzDecoders feeds arbitrary bytes to every decoder of Truto answers: they
// may refuse, never panic, and what they accept must be usable.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte(`{"result":[{"id":"1","name":"Ada","email":"a@b.c","is_active":true,"remote_data":{"attributes":{"firstName":"Ada"}}}],"next_cursor":null,"prev_cursor":null,"result_count":1}`))
	f.Add([]byte(`{"id":42,"remote_data":{"FirstName":"Ada","LastName":"Lovelace"}}`))
	f.Add([]byte(`{"statusCode":422,"error":"Unprocessable Entity","message":"Missing required fields","details":{"email":"is required"}}`))
	f.Add([]byte(`{"statusCode":400,"message":"x","details":[{"path":["email",0],"message":"bad"}],"truto_is_remote_error":true}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if u, err := decodeUser(data); err == nil && u.ID == "" {
			t.Errorf("decodeUser accepted a user without an id: %q", data)
		}
		if users, _, err := decodeList(data); err == nil {
			for _, u := range users {
				if u.ID == "" {
					t.Errorf("decodeList accepted a user without an id: %q", data)
				}
			}
		}
		e := decodeError(data)
		for k, v := range e.detailFields() {
			_ = k + v
		}
		if utf8.Valid(data) && !utf8.ValidString(e.Message) {
			t.Errorf("decodeError cut a character in half: %q", e.Message)
		}
	})
}
