package usertable

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/muesli/termenv"

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

// The cache in front of the dictionary (intern) answers as the map does:
// rows give back their fields while the dictionary fills, once it is full
// (strings held still intern, others are inlined, also when they repeat
// for a stretch of rows), and when strings of the same length and ends
// meet in one slot.
func TestInternCacheKeepsRecords(t *testing.T) {
	s := newRecStore(1)
	var users []crm.User
	title := func(k int) string { return fmt.Sprintf("Title %06d of the test", k) }
	for k := range maxDict + 500 {
		users = append(users, crm.User{ID: strconv.Itoa(k), Title: title(k), Department: title(k % 7)})
	}
	for k := range 3000 { // repeats, inside and outside the dictionary, in stretches
		x := (k / 3) * 97 % (maxDict + 500)
		users = append(users, crm.User{ID: "r" + strconv.Itoa(k), Title: title(x), Department: "2024-01-" + strconv.Itoa(k%30)})
	}
	for i := range users {
		s.put(int32(i), &users[i], []string{users[i].Title})
	}
	if len(s.dict) != maxDict {
		t.Fatalf("dictionary holds %d strings, want it full (%d)", len(s.dict), maxDict)
	}
	for i := range users {
		if got := s.user(int32(i)); !reflect.DeepEqual(got, users[i]) {
			t.Fatalf("row %d: got %+v\nwant %+v", i, got, users[i])
		}
		var cell [1]string
		s.cells(int32(i), cell[:])
		if cell[0] != users[i].Title {
			t.Fatalf("row %d: cell %q, want %q", i, cell[0], users[i].Title)
		}
	}
	if n, ok := s.intern(title(5)); !ok || s.dict[n] != title(5) {
		t.Errorf("a held string no longer interns: %d %v", n, ok)
	}
	if _, ok := s.intern(title(maxDict + 10)); ok {
		t.Error("a string came into the full dictionary")
	}
}

// CreatedAt and UpdatedAt of the form 2006-01-02T15:04:05Z are packed in
// six bytes; every other form is kept as text, and each comes back as it
// was, in fields and in a cell that shows one.
func TestRecordTimes(t *testing.T) {
	times := []string{
		"2021-03-01T09:00:00Z", "0000-00-00T00:00:00Z", "9999-12-31T23:59:59Z", "2024-15-31T31:63:63Z",
		"2024-16-01T00:00:00Z", "2024-01-32T00:00:00Z", "2024-01-01T32:00:00Z", "2024-01-01T00:64:00Z",
		"2024-01-01T00:00:64Z", "2024-01-01T00:00:00.123Z", "2024-01-01T00:00:00+02:00", "2024-01-01 00:00:00Z",
		"2024-01-01T00:00:00z", "2024-0a-01T00:00:00Z", "", "yesterday", "2024-01-01",
	}
	for _, v := range times {
		p, ok := packTime(v)
		want := v == "2021-03-01T09:00:00Z" || v == "0000-00-00T00:00:00Z" || v == "9999-12-31T23:59:59Z" || v == "2024-15-31T31:63:63Z"
		if ok != want {
			t.Errorf("packTime(%q) packs: %v, want %v", v, ok, want)
		}
		if ok && unpackTime(p) != v {
			t.Errorf("packTime(%q) comes back as %q", v, unpackTime(p))
		}
	}
	cols := []Column{
		{Title: "Created", Value: func(u *crm.User) string { return u.CreatedAt }},
		{Title: "Updated", Value: func(u *crm.User) string { return u.UpdatedAt }},
	}
	var users []crm.User
	for k, v := range times {
		users = append(users, crm.User{ID: strconv.Itoa(k), CreatedAt: v, UpdatedAt: times[len(times)-1-k]})
	}
	m := New(cols, testStyles(termenv.Ascii))
	m.SetSize(80, 10)
	m.SetUsers(users)
	for i := range users {
		if got := m.store.user(int32(i)); !reflect.DeepEqual(got, users[i]) {
			t.Fatalf("row %d: got %+v\nwant %+v", i, got, users[i])
		}
		cells := m.store.rowCells(int32(i))
		if cells[0] != users[i].CreatedAt || cells[1] != users[i].UpdatedAt || m.store.cell(int32(i), 1) != users[i].UpdatedAt {
			t.Fatalf("row %d: cells %q, want %q and %q", i, cells, users[i].CreatedAt, users[i].UpdatedAt)
		}
	}
	// row 0: Active, id "0", seven empty fields, CreatedAt packed,
	// UpdatedAt "2024-01-01" as text, then the two cells (short: interned)
	r0, r1 := m.store.recs.refs[0], m.store.recs.refs[1]
	if n := r1.off - r0.off; r0.blk != r1.blk || n != 1+2+7+6+11+1+1 {
		t.Errorf("row 0's record is %d bytes, want %d", n, 1+2+7+6+11+1+1)
	}
}
