package sandbox

import (
	"encoding/json"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// Zoho's Add User (POST /crm/v2/users) and the roles and profiles settings
// it takes ids from (GET /crm/v2/settings/roles, /settings/profiles).

// ZohoRoles and ZohoProfiles are the sandbox org's roles and profiles.
var (
	ZohoRoles = []zohoRef{{Name: "CEO", ID: "4150868000000026003"}, {Name: "Manager", ID: "4150868000000026007"},
		{Name: "Standard user", ID: "4150868000000026013"}}
	ZohoProfiles = []zohoRef{{Name: "Administrator", ID: "4150868000000026011"}, {Name: "Standard", ID: "4150868000000026014"}}
)

func zohoRefByID(refs []zohoRef, id string) (zohoRef, bool) {
	for _, r := range refs {
		if r.ID == id {
			return r, true
		}
	}
	return zohoRef{}, false
}

// zohoSettings answers GET /crm/v2/settings/roles and /settings/profiles.
func zohoSettings(w http.ResponseWriter, path string) bool {
	switch path {
	case "/crm/v2/settings/roles":
		writeJSON(w, http.StatusOK, map[string]any{"roles": ZohoRoles})
	case "/crm/v2/settings/profiles":
		writeJSON(w, http.StatusOK, map[string]any{"profiles": ZohoProfiles})
	default:
		return false
	}
	return true
}

// zohoCreate adds one user from {"users":[{…}]}: last_name, email, role and
// profile are mandatory; role and profile are ids from the settings. A bad
// item is answered 400 with the per-item error, as Zoho's writes do.
func (s *Server) zohoCreate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Users []map[string]json.RawMessage `json:"users"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, zohoError("INVALID_DATA", "body", nil))
		return
	}
	s.zoho.creates.add(body)
	if len(body.Users) != 1 {
		zohoBad(w, "INVALID_DATA", "users")
		return
	}
	item := body.Users[0]
	itemErr := func(code, message, apiName string) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"users": []zohoErr{zohoError(code, message, map[string]any{"api_name": apiName})}})
	}
	text := map[string]string{}
	for k, v := range item {
		var sv string
		if json.Unmarshal(v, &sv) != nil {
			itemErr("INVALID_DATA", "invalid data", k)
			return
		}
		text[k] = strings.TrimSpace(sv)
	}
	for _, k := range []string{"last_name", "email", "role", "profile"} {
		if text[k] == "" {
			itemErr("MANDATORY_NOT_FOUND", "required field not found", k)
			return
		}
	}
	if a, err := mail.ParseAddress(text["email"]); err != nil || a.Address != text["email"] {
		itemErr("INVALID_DATA", "invalid data", "email")
		return
	}
	role, okRole := zohoRefByID(ZohoRoles, text["role"])
	profile, okProfile := zohoRefByID(ZohoProfiles, text["profile"])
	switch {
	case !okRole:
		itemErr("INVALID_DATA", "invalid data", "role")
		return
	case !okProfile:
		itemErr("INVALID_DATA", "invalid data", "profile")
		return
	}
	for k := range text {
		switch k {
		case "first_name", "last_name", "email", "role", "profile":
		default:
			itemErr("INVALID_DATA", "invalid data", k)
			return
		}
	}
	now := s.opts.Now().UTC().Format(time.RFC3339)
	owner := zohoRef{Name: PersonAt(0).Full(), ID: zohoID(0)}
	created := s.zoho.users.Create(func(i int) zohoUser {
		return zohoUser{ID: zohoID(i), FirstName: zohoNullable(text["first_name"]), LastName: text["last_name"],
			FullName: strings.TrimSpace(text["first_name"] + " " + text["last_name"]), Email: text["email"],
			Status: "active", Role: role, Profile: profile, Language: "en_US", Locale: "en_US",
			TimeZone: "Europe/Lisbon", DateFormat: "MM/dd/yyyy", TimeFormat: "hh:mm a", Currency: "EUR",
			Territories: []any{}, CreatedBy: owner, ModifiedBy: owner, CreatedTime: now, ModifiedTime: now}
	})
	s.zoho.mu.Lock()
	s.zoho.lastWrite = s.opts.Now()
	s.zoho.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"users": []any{map[string]any{
		"code": "SUCCESS", "details": map[string]any{"id": created.ID}, "message": "User added", "status": "success"}}})
}
