package ui

import (
	"encoding/json"
	"testing"

	"github.com/roster-tui/roster/crm"
)

// The list keeps no provider JSON, so a bulk edit of list users does not
// know a field that has no common meaning: it starts as "each user keeps
// their own", never as an empty value they all seem to share. A field with
// a common meaning starts at the shared value as before.
func TestBulkFormStartsUnknownFieldsAsKeep(t *testing.T) {
	schema := crm.Schema{Fields: []crm.Field{
		{Key: "division", Label: "Division", Type: crm.TypeText, Editable: true},
		{Key: "title", Label: "Title", Type: crm.TypeText, Editable: true, Common: "title"},
	}}
	listUsers := []crm.User{{ID: "1", Title: "Engineer"}, {ID: "2", Title: "Engineer"}}
	v := newBulkValues(schema, listUsers)
	if !v.unknown["division"] || !v.varies["division"] || v.initial["division"] != "" {
		t.Errorf("division from list users: unknown %v varies %v initial %q; want unknown, varies, empty",
			v.unknown["division"], v.varies["division"], v.initial["division"])
	}
	if v.unknown["title"] || v.varies["title"] || v.initial["title"] != "Engineer" {
		t.Errorf("title from list users: unknown %v varies %v initial %q; want the shared Engineer",
			v.unknown["title"], v.varies["title"], v.initial["title"])
	}

	read := make([]crm.User, len(listUsers))
	for i, u := range listUsers {
		u.Raw, _ = json.Marshal(map[string]string{"division": "Sales"})
		read[i] = u
	}
	v = newBulkValues(schema, read)
	if v.unknown["division"] || v.initial["division"] != "Sales" {
		t.Errorf("division from read users: unknown %v initial %q; want the shared Sales", v.unknown["division"], v.initial["division"])
	}
}
