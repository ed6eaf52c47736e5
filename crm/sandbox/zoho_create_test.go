package sandbox

import (
	"strings"
	"testing"
)

// Add User answers Zoho's per-item errors for a missing mandatory field and
// a role that is not the org's, and SUCCESS with the new id otherwise.
func TestZohoAddUserValidatesAsZohoDoes(t *testing.T) {
	_, base, _ := startZoho(t, 3)
	tok := zohoLogin(t, base)
	for _, c := range []struct {
		body, code, apiName string
		status              int
	}{
		{`{"users":[{"email":"a@example.com","role":"4150868000000026003","profile":"4150868000000026014"}]}`, "MANDATORY_NOT_FOUND", "last_name", 400},
		{`{"users":[{"last_name":"A","email":"a@example.com","role":"1","profile":"4150868000000026014"}]}`, "INVALID_DATA", "role", 400},
		{`{"users":[{"last_name":"A","email":"not-an-email","role":"4150868000000026003","profile":"4150868000000026014"}]}`, "INVALID_DATA", "email", 400},
		{`{"users":[{"last_name":"A","email":"a@example.com","role":"4150868000000026003","profile":"4150868000000026014"}]}`, "SUCCESS", "", 201},
	} {
		a := zohoCall(t, "POST", base+"/crm/v2/users", tok, c.body)
		if a.status != c.status || !strings.Contains(a.raw, `"code":"`+c.code+`"`) || (c.apiName != "" && !strings.Contains(a.raw, `"api_name":"`+c.apiName+`"`)) {
			t.Errorf("%s: %d %s; want %d %s %s", c.body, a.status, a.raw, c.status, c.code, c.apiName)
		}
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/settings/roles", tok, ""); a.status != 200 || !strings.Contains(a.raw, `"name":"Manager"`) {
		t.Errorf("roles: %d %s", a.status, a.raw)
	}
	if a := zohoCall(t, "GET", base+"/crm/v2/settings/profiles", "", ""); a.status != 401 {
		t.Errorf("profiles without a token: %d, want 401", a.status)
	}
}
