package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
)

// apideckWritable are the keys a create or update may carry; password and
// pass_through are write-only and not kept.
var apideckWritable = map[string]bool{"parent_id": true, "username": true, "first_name": true,
	"last_name": true, "title": true, "division": true, "department": true, "company_name": true,
	"employee_number": true, "description": true, "image": true, "language": true, "status": true,
	"password": true, "addresses": true, "phone_numbers": true, "emails": true, "pass_through": true}

var apideckReadOnly = map[string]bool{"id": true, "created_at": true, "updated_at": true, "custom_mappings": true}

var apideckEmailTypes = map[string]bool{"": true, "primary": true, "secondary": true, "work": true, "personal": true, "billing": true, "other": true}

// apideckInvalid is a refused write: a RequestValidationError with an object detail.
type apideckInvalid struct{ detail map[string]any }

func (e apideckInvalid) Error() string { return "invalid params" }

func invalidField(category, field, reason string) apideckInvalid {
	return apideckInvalid{map[string]any{category: []map[string]string{{field: reason}}}}
}

// applyApideckPatch returns u with the keys of patch set, or why it refuses.
func applyApideckPatch(u apideckUser, patch map[string]json.RawMessage) (apideckUser, error) {
	for k := range patch {
		switch {
		case apideckReadOnly[k]:
			return u, invalidField("invalid", k, "is read-only")
		case !apideckWritable[k]:
			return u, invalidField("invalid", k, "is not a field of users")
		}
	}
	current, err := json.Marshal(u)
	if err != nil {
		return u, err
	}
	merged := map[string]json.RawMessage{}
	if err := json.Unmarshal(current, &merged); err != nil {
		return u, err
	}
	for k, v := range patch {
		if k != "password" && k != "pass_through" {
			merged[k] = v
		}
	}
	data, err := json.Marshal(merged)
	if err != nil {
		return u, err
	}
	var out apideckUser
	if err := json.Unmarshal(data, &out); err != nil {
		if te, ok := err.(*json.UnmarshalTypeError); ok {
			return u, invalidField("invalid", te.Field, "must be of type "+te.Type.String())
		}
		return u, invalidField("invalid", "body", err.Error())
	}
	if len(out.Emails) == 0 {
		return u, invalidField("missing", "emails", "required")
	}
	for i, e := range out.Emails {
		if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email || a.Name != "" {
			return u, invalidField("invalid", fmt.Sprintf("emails[%d].email", i), "must be a valid email address")
		}
		if !apideckEmailTypes[e.Type] {
			return u, invalidField("invalid", fmt.Sprintf("emails[%d].type", i), "must be one of primary, secondary, work, personal, billing, other")
		}
	}
	for i, p := range out.PhoneNumbers {
		if strings.TrimSpace(p.Number) == "" {
			return u, invalidField("missing", fmt.Sprintf("phone_numbers[%d].number", i), "required")
		}
	}
	return out, nil
}

// readApideckBody decodes a JSON object body, answering the error itself.
func readApideckBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	var patch map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&patch); err != nil || patch == nil {
		writeApideckError(w, 400, "RequestValidationError", "Invalid Params", "The request body must be a JSON object")
		return nil, false
	}
	return patch, true
}

func writeApideckWriteError(w http.ResponseWriter, err error) {
	if inv, ok := err.(apideckInvalid); ok {
		writeApideckError(w, 400, "RequestValidationError", "Invalid Params", inv.detail)
		return
	}
	writeApideckError(w, 500, "UnexpectedError", "Unexpected error", err.Error())
}

func (st *apideckState) update(w http.ResponseWriter, r *http.Request, i int, id string) {
	patch, ok := readApideckBody(w, r)
	if !ok {
		return
	}
	_, err := st.users.Update(i, func(u apideckUser) (apideckUser, error) {
		out, err := applyApideckPatch(u, patch)
		if err != nil {
			return u, err
		}
		out.UpdatedAt = st.now().UTC().Format(apideckTime)
		return out, nil
	})
	switch {
	case err == errMissing:
		writeApideckError(w, 404, "EntityNotFoundError", "Unknown User", fmt.Sprintf("Could not find user with id: '%s'", id))
	case err != nil:
		writeApideckWriteError(w, err)
	default:
		writeJSON(w, 200, envelope(r, 200, "update", map[string]string{"id": id}))
	}
}

func (st *apideckState) create(w http.ResponseWriter, r *http.Request) {
	body, ok := readApideckBody(w, r)
	if !ok {
		return
	}
	st.creates.add(body)
	now := st.now().UTC().Format(apideckTime)
	u, err := applyApideckPatch(apideckUser{Emails: []apideckEmail{}}, body)
	if err != nil {
		writeApideckWriteError(w, err)
		return
	}
	created := st.users.Create(func(i int) apideckUser {
		u.ID, u.CreatedAt, u.UpdatedAt = apideckID(i), now, now
		return u
	})
	writeJSON(w, 201, envelope(r, 201, "add", map[string]string{"id": created.ID}))
}
