package providertest

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
)

// sameValue compares two field values the way a user would: by their JSON
// form, so []string{"a"} equals a decoded []any{"a"}.
func sameValue(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(a, b)
	}
	return string(ja) == string(jb)
}

// sameFields compares two raw objects.
func sameFields(a, b map[string]any) bool {
	return sameValue(a, b)
}

// checkEdited asserts every edited key now shows its new value.
func checkEdited(t *testing.T, what string, u crm.User, edit crm.Changes) {
	t.Helper()
	for _, k := range edit.Keys() {
		if got := u.Value(k); !sameValue(got, edit[k]) {
			t.Errorf("%s: %s = %v, want %v", what, k, got, edit[k])
		}
	}
}

// checkOthersUnchanged asserts that fields outside the edit kept their
// values. The field holding the update time may move; so may the provider's
// own representation of an edited synthetic field (a key of the raw object
// that the edited key is a prefix of, e.g. Apideck's "email" → "emails").
func checkOthersUnchanged(t *testing.T, before, after crm.User, edit crm.Changes, derived ...string) {
	t.Helper()
	b, a := before.Fields(), after.Fields()
	for k, bv := range b {
		if _, edited := edit[k]; edited || derivedFromEdit(k, edit) || slices.Contains(derived, k) {
			continue
		}
		if isUpdateTime(bv, before.UpdatedAt) {
			continue
		}
		if av, ok := a[k]; !ok {
			t.Errorf("field %s disappeared after updating %v", k, edit.Keys())
		} else if !sameValue(av, bv) {
			t.Errorf("field %s changed from %v to %v, but only %v was edited", k, bv, av, edit.Keys())
		}
	}
}

func derivedFromEdit(key string, edit crm.Changes) bool {
	for k := range edit {
		if strings.HasPrefix(key, k) {
			return true
		}
	}
	return false
}

func isUpdateTime(v any, updatedAt string) bool {
	s, ok := v.(string)
	return ok && updatedAt != "" && s == updatedAt
}

// namesAKey reports whether a validation error's fields name one of the
// changed keys (or a wire form of it: "emails[0].email" names "email").
func namesAKey(fields map[string]string, changes crm.Changes) bool {
	for f := range fields {
		for k := range changes {
			if f == k || strings.HasPrefix(f, k) || strings.Contains(f, k) {
				return true
			}
		}
	}
	return false
}

// missingID makes an id shaped like the listed ones but held by none of them:
// it shifts every digit and letter of a real id, keeping its length and
// character classes so the provider sees a well-formed id it does not have.
func missingID(users []crm.User) string {
	taken := map[string]bool{}
	for _, u := range users {
		taken[u.ID] = true
	}
	if len(users) == 0 {
		return "roster-missing-user"
	}
	model := users[0].ID
	for shift := 5; shift < 5+16; shift++ {
		cand := shiftID(model, shift)
		if !taken[cand] {
			return cand
		}
	}
	return model + "0"
}

func shiftID(id string, shift int) string {
	out := []rune(id)
	for i, r := range out {
		switch {
		case r >= '0' && r <= '9':
			out[i] = '0' + (r-'0'+rune(shift))%10
		case r >= 'a' && r <= 'f':
			out[i] = 'a' + (r-'a'+rune(shift))%6
		case r >= 'A' && r <= 'F':
			out[i] = 'A' + (r-'A'+rune(shift))%6
		}
	}
	return string(out)
}
