package usertable

import (
	"reflect"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
)

// withoutRaw is what the table keeps of u: everything but the provider's
// JSON.
func withoutRaw(u crm.User) crm.User {
	u.Raw = nil
	return u
}

// A row gives back every common field as it was loaded, and no Raw: the
// list keeps what it shows and searches, the detail view reads the rest.
func TestRowsKeepCommonFieldsAndNoRaw(t *testing.T) {
	users := people(300)
	odd := []crm.User{
		{ID: "x1", Email: "no-at-sign", Title: "", Status: ""},
		{ID: "x2", Name: "Zoë Ångström", Email: "zoe@exämple.org", Active: crm.BoolPtr(false)},
		{ID: "x3", Name: strings.Repeat("long ", blockSize/4), Email: "a@b@c", Department: strings.Repeat("d", 100)},
		{ID: "", Name: "no id"},
		{ID: "x5", Email: "@only-domain", CreatedAt: "2020-01-01T00:00:00Z", UpdatedAt: "2020-01-01T00:00:00Z"},
	}
	users = append(users, odd...)
	m := newTable(users, 120, 10)
	for i := range users {
		want := withoutRaw(users[i])
		got := m.store.user(int32(i))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("row %d: got %+v\nwant %+v", i, got, want)
		}
	}
	m.SetCursor(0)
	if u, _ := m.Selected(); u.Raw != nil {
		t.Errorf("Selected() holds Raw (%d bytes)", len(u.Raw))
	}
	m.MarkShown()
	for _, u := range m.MarkedUsers() {
		if u.Raw != nil {
			t.Fatalf("MarkedUsers() user %s holds Raw", u.ID)
		}
	}
	if len(users[0].Raw) == 0 {
		t.Fatal("the test users should carry Raw, or this test proves nothing")
	}
}

// Upserting a row writes a new record; the id still finds it, and a
// removed user's id finds nothing until the user is added again.
func TestRecordsFollowUpsertAndRemove(t *testing.T) {
	users := people(50)
	m := newTable(users, 80, 10)
	u := users[7]
	u.Title = "Changed Title"
	m.Upsert(u)
	i, ok := m.store.find(u.ID)
	if !ok || m.store.user(i).Title != "Changed Title" || m.Total() != 50 {
		t.Fatalf("after Upsert: found %v, title %q, total %d", ok, m.store.user(i).Title, m.Total())
	}
	m.Remove(u.ID)
	if _, ok := m.store.find(u.ID); ok || m.Total() != 49 {
		t.Fatalf("after Remove: found %v, total %d", ok, m.Total())
	}
	m.Append([]crm.User{u})
	if j, ok := m.store.find(u.ID); !ok || j == i || m.Total() != 50 {
		t.Fatalf("after adding again: row %d (was %d), found %v, total %d", j, i, ok, m.Total())
	}
}

// Thousands of distinct ids keep finding their rows across the index's
// growth.
func TestIDIndexFindsEveryRow(t *testing.T) {
	users := people(20_000)
	m := newTable(users, 80, 10)
	for k, u := range users {
		if i, ok := m.store.find(u.ID); !ok || int(i) != k {
			t.Fatalf("id %s: row %d, found %v; want row %d", u.ID, i, ok, k)
		}
	}
	if _, ok := m.store.find("nobody"); ok {
		t.Error("an unknown id was found")
	}
}
