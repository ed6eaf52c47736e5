package laurel

import (
	"encoding/json"
	"testing"
)

// A page's users share its body for their raw JSON; each must still be
// exactly its own object, and growing one must not overwrite the next.
func TestPageUsersRawIsTheirOwnObject(t *testing.T) {
	body := []byte(`{"items": [ {"_id":"a1","firstName":"Ada","status":"active"} ,
		{"_id":"b2","firstName":7,"lastName":"Byron","email":"b@example.com"}],"nextPage":2,"totalPages":2,"totalItems":3}`)
	page, err := decodePage("laurel", body)
	if err != nil || len(page.Users) != 2 || page.Next != "2" || page.Total != 3 {
		t.Fatalf("page: %+v, %v", page, err)
	}
	if got := string(page.Users[0].Raw); got != `{"_id":"a1","firstName":"Ada","status":"active"}` {
		t.Fatalf("first user's raw: %s", got)
	}
	if u := page.Users[1]; u.FirstName != "" || u.Name != "Byron" || u.Email != "b@example.com" {
		t.Fatalf("a number for firstName should read as empty, the rest kept: %+v", u)
	}
	second := string(page.Users[1].Raw)
	_ = append(page.Users[0].Raw, `,"spill":1}`...)
	if string(page.Users[1].Raw) != second || !json.Valid(page.Users[1].Raw) {
		t.Fatalf("appending to the first user's raw changed the second's: %s", page.Users[1].Raw)
	}
}
