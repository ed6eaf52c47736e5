package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"sort"
	"strings"
	"time"
)

// laurelEditable are the string properties PATCH v1 accepts.
var laurelEditable = []string{"firstName", "lastName", "email", "jobTitle", "nickname", "seniority", "department", "office", "subdepartment", "pod"}

// FailLaurelStatusOnce makes the next PATCH …/users/{id}/status answer status
// in Laurel's error format without changing anything. ForceError cannot aim
// at it: it matches path prefixes, and the status path shares its prefix
// with every other user request.
func (s *Server) FailLaurelStatusOnce(status int) {
	s.laurel.mu.Lock()
	defer s.laurel.mu.Unlock()
	s.laurel.failStatus = append(s.laurel.failStatus, status)
}

// laurelDecodeObject reads a JSON object body for PATCH.
func laurelDecodeObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	var body map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil || body == nil {
		writeLaurelError(w, http.StatusBadRequest, "request body must be a JSON object")
		return nil, false
	}
	return body, true
}

// patch is PATCH v1: whitelisted properties only (NestJS forbidNonWhitelisted).
func (l *laurelState) patch(w http.ResponseWriter, r *http.Request, i int) {
	body, ok := laurelDecodeObject(w, r)
	if !ok {
		return
	}
	var msgs []string
	strs := map[string]string{}
	var roles []laurelRole
	var delegates []laurelDelegate
	var identities []laurelIdentity
	for _, k := range laurelSortedKeys(body) {
		raw := body[k]
		switch {
		case slices.Contains(laurelEditable, k):
			var s string
			if json.Unmarshal(raw, &s) != nil {
				msgs = append(msgs, k+" must be a string")
				continue
			}
			if k == "email" && !laurelIsEmail(s) {
				msgs = append(msgs, "email must be an email")
				continue
			}
			strs[k] = s
		case k == "roleIds" || k == "delegateIds":
			var ids []string
			if json.Unmarshal(raw, &ids) != nil {
				msgs = append(msgs, k+" must be an array")
				continue
			}
			for _, id := range ids {
				if !laurelIsObjectID(id) {
					msgs = append(msgs, "each value in "+k+" must be a mongodb id")
					break
				}
				if k == "delegateIds" {
					delegates = append(delegates, laurelDelegate{UserID: id, Permissions: []laurelPermission{}})
				} else if role, ok := laurelFindRole(id); ok {
					roles = append(roles, role)
				} else {
					msgs = append(msgs, "roleIds contains an unknown role "+id)
				}
			}
		case k == "identities":
			if json.Unmarshal(raw, &identities) != nil {
				msgs = append(msgs, "identities must be an array")
				continue
			}
			for n, id := range identities {
				if !slices.Contains(laurelIdentityTypes, id.Type) {
					msgs = append(msgs, fmt.Sprintf("identities.%d.type must be one of the following values: %s", n, strings.Join(laurelIdentityTypes, ", ")))
				}
			}
		default:
			msgs = append(msgs, "property "+k+" should not exist")
		}
	}
	if len(msgs) > 0 {
		writeLaurelError(w, http.StatusBadRequest, msgs)
		return
	}
	u, err := l.users.Update(i, func(u laurelUser) (laurelUser, error) {
		for k, v := range strs {
			*laurelStringField(&u, k) = v
		}
		if _, ok := body["roleIds"]; ok {
			u.Roles = append([]laurelRole{}, roles...)
		}
		if _, ok := body["delegateIds"]; ok {
			u.Delegates = append([]laurelDelegate{}, delegates...)
		}
		if identities != nil {
			u.Identities = identities
		}
		u.UpdatedAt = l.now().UTC().Format(time.RFC3339)
		return u, nil
	})
	if err != nil {
		writeLaurelError(w, http.StatusNotFound, "user not found")
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// patchStatus is PATCH …/status {"status": active|adminDisabled|firmDisabled}.
func (l *laurelState) patchStatus(w http.ResponseWriter, r *http.Request, i int) {
	l.mu.Lock()
	fail := 0
	if len(l.failStatus) > 0 {
		fail, l.failStatus = l.failStatus[0], l.failStatus[1:]
	}
	l.mu.Unlock()
	if fail != 0 {
		writeLaurelError(w, fail, "injected by the sandbox")
		return
	}
	body, ok := laurelDecodeObject(w, r)
	if !ok {
		return
	}
	var msgs []string
	var status string
	for _, k := range laurelSortedKeys(body) {
		if k != "status" {
			msgs = append(msgs, "property "+k+" should not exist")
		}
	}
	if json.Unmarshal(body["status"], &status) != nil || !slices.Contains(laurelStatuses, status) {
		msgs = append(msgs, "status must be one of the following values: "+strings.Join(laurelStatuses, ", "))
	}
	if len(msgs) > 0 {
		writeLaurelError(w, http.StatusBadRequest, msgs)
		return
	}
	u, err := l.users.Update(i, func(u laurelUser) (laurelUser, error) {
		u.Status = status
		u.UpdatedAt = l.now().UTC().Format(time.RFC3339)
		return u, nil
	})
	if err != nil {
		writeLaurelError(w, http.StatusNotFound, "user not found")
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// laurelStringField points at the user's string property named k.
func laurelStringField(u *laurelUser, k string) *string {
	return map[string]*string{
		"firstName": &u.FirstName, "lastName": &u.LastName, "email": &u.Email, "jobTitle": &u.JobTitle,
		"nickname": &u.Nickname, "seniority": &u.Seniority, "department": &u.Department, "office": &u.Office,
		"subdepartment": &u.Subdepartment, "pod": &u.Pod,
	}[k]
}

func laurelFindRole(id string) (laurelRole, bool) {
	for _, r := range laurelRoles {
		if r.ID == id {
			return r, true
		}
	}
	return laurelRole{}, false
}

// laurelIsEmail is class-validator's IsEmail in spirit: one plain address.
func laurelIsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func laurelSortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
