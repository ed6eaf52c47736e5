package providertest

import (
	"testing"

	"github.com/roster-tui/roster/crm"
)

func TestMissingIDKeepsTheShapeOfRealIDs(t *testing.T) {
	users := []crm.User{{ID: "65a1f0c2e4b0a1b2c3d4e5f6"}, {ID: "10000"}}
	got := missingID(users)
	if len(got) != len(users[0].ID) || got == users[0].ID || got == users[1].ID {
		t.Errorf("missingID = %q", got)
	}
	// Sequential numeric ids: the shifted id must not be one of them.
	var seq []crm.User
	for i := 0; i < 100; i++ {
		seq = append(seq, crm.User{ID: string(rune('0'+i/10)) + string(rune('0'+i%10))})
	}
	if got := missingID(seq); len(got) == 2 {
		t.Errorf("missingID over all two-digit ids = %q, which is taken", got)
	}
}

func TestSameValueComparesWhatUsersSee(t *testing.T) {
	if !sameValue([]string{"a", "b"}, []any{"a", "b"}) || sameValue("1", 1) || !sameValue(nil, nil) {
		t.Error("sameValue disagrees with the JSON form")
	}
}

func TestValidationFieldsMayUseTheWireForm(t *testing.T) {
	if !namesAKey(map[string]string{"emails[0].email": "bad"}, crm.Changes{"email": "x"}) {
		t.Error("a wire path under the changed key should count")
	}
	if namesAKey(map[string]string{"title": "bad"}, crm.Changes{"email": "x"}) {
		t.Error("an unrelated field should not count")
	}
}
