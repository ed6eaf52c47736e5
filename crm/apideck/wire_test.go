package apideck

import (
	"encoding/json"
	"testing"
)

// A page's users share its body for their raw JSON; each must still be
// exactly its own object, and growing one must not overwrite the next.
func TestPageUsersRawIsTheirOwnObject(t *testing.T) {
	body := []byte(`{"status_code":200,"data": [ {"id":"1","name":"Ada","emails":[{"email":"a@b.c","type":"primary"}]} ,
		{"id":"2","first_name":"George","last_name":"Byron"}],
		"meta":{"items_on_page":2,"total_count":7,"cursors":{"next":"bmV4dA=="}},"links":{}}`)
	page, err := decodeList(body)
	if err != nil || len(page.Users) != 2 || page.Next != "bmV4dA==" || page.Total != 7 {
		t.Fatalf("page: %+v, %v", page, err)
	}
	if got := string(page.Users[0].Raw); got != `{"id":"1","name":"Ada","emails":[{"email":"a@b.c","type":"primary"}]}` {
		t.Fatalf("first user's raw: %s", got)
	}
	if u := page.Users[1]; u.Name != "George Byron" {
		t.Fatalf("second user: %+v", u)
	}
	second := string(page.Users[1].Raw)
	_ = append(page.Users[0].Raw, `,"spill":1}`...)
	if string(page.Users[1].Raw) != second || !json.Valid(page.Users[1].Raw) {
		t.Fatalf("appending to the first user's raw changed the second's: %s", page.Users[1].Raw)
	}
}
