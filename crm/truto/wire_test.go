package truto

import (
	"encoding/json"
	"testing"
)

// A page's users share its body for their raw JSON; each must still be
// exactly its own object, and growing one must not overwrite the next.
func TestPageUsersRawIsTheirOwnObject(t *testing.T) {
	body := []byte(`{"result": [ {"id":"1","name":"Ada","remote_data":{"FirstName":"Ada"}} ,
		{"id":2,"email":"b@example.com","is_active":false}],"next_cursor":"abc","prev_cursor":null,"result_count":2}`)
	users, next, err := decodeList(body)
	if err != nil || len(users) != 2 || next != "abc" {
		t.Fatalf("page: %d users, next %q, %v", len(users), next, err)
	}
	if got := string(users[0].Raw); got != `{"id":"1","name":"Ada","remote_data":{"FirstName":"Ada"}}` || users[0].FirstName != "Ada" {
		t.Fatalf("first user: %+v (raw %s)", users[0], got)
	}
	if u := users[1]; u.ID != "2" || u.Active == nil || *u.Active {
		t.Fatalf("second user: %+v", u)
	}
	second := string(users[1].Raw)
	_ = append(users[0].Raw, `,"spill":1}`...)
	if string(users[1].Raw) != second || !json.Valid(users[1].Raw) {
		t.Fatalf("appending to the first user's raw changed the second's: %s", users[1].Raw)
	}
}
