package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// trutoIDs formats a CRM's own id shape from a store index and back.
type trutoIDs struct {
	prefix, suffix string
	base, width    int
	offset         int
}

func (c trutoIDs) format(i int) string {
	s := strconv.FormatInt(int64(i+c.offset), c.base)
	if len(s) < c.width {
		s = strings.Repeat("0", c.width-len(s)) + s
	}
	return c.prefix + s + c.suffix
}

func (c trutoIDs) parse(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, c.prefix)
	if !ok || !strings.HasSuffix(s, c.suffix) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(s, c.suffix), c.base, 64)
	if err != nil || n-int64(c.offset) < 0 || n > 1<<40 {
		return 0, false
	}
	i := int(n) - c.offset
	return i, c.format(i) == id // only the canonical spelling names a user
}

// trutoRules is what one CRM accepts and answers (the seed's tables).
type trutoRules struct {
	integration         string
	supported, required map[string]bool
	ids                 trutoIDs
}

func trutoSet(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// trutoRulesFor is the PATCH request table of the seed page per integration.
func trutoRulesFor(integration string) trutoRules {
	r := trutoRules{integration: integration, required: trutoSet()}
	switch integration {
	case "salesforce":
		r.supported, r.required = trutoSet("email", "first_name", "last_name"), trutoSet("email", "first_name", "last_name")
		r.ids = trutoIDs{prefix: "005", suffix: "AAI", base: 10, width: 12}
	case "pipedrive":
		r.supported, r.ids = trutoSet("email", "is_active", "name"), trutoIDs{base: 10, offset: 11000}
	case "outreach":
		r.supported, r.ids = trutoSet("email", "first_name", "last_name", "name"), trutoIDs{base: 10, offset: 1}
	case "onepagecrm":
		r.supported, r.ids = trutoSet("email", "name"), trutoIDs{prefix: "5f", base: 16, width: 22}
	case "planhat":
		r.supported, r.ids = trutoSet("custom_fields", "email", "is_active", "name"), trutoIDs{prefix: "64", base: 16, width: 22}
	case "wix":
		r.supported, r.ids = trutoSet("email", "is_active", "name"), trutoIDs{prefix: "8c0e2b1a-7a1e-4c2d-9b3f-", base: 16, width: 12}
	}
	return r
}

// apply writes the supported fields of a body onto rec. Fields the CRM does
// not support are ignored, as Truto's unified mapping drops what it cannot map.
func (t trutoRules) apply(rec trutoRecord, body map[string]json.RawMessage) (trutoRecord, trutoAnswer) {
	missing := map[string]any{}
	for k := range t.required {
		var v string
		if json.Unmarshal(body[k], &v) != nil || strings.TrimSpace(v) == "" {
			missing[k] = "is required by " + t.integration
		}
	}
	if len(missing) > 0 {
		return rec, trutoAnswer{http.StatusUnprocessableEntity, trutoErrorBody(http.StatusUnprocessableEntity,
			"Missing required fields for "+t.integration, map[string]any{"details": missing})}
	}
	nameSet, nameParts := false, false
	for k, raw := range body {
		if k == "remote_data" {
			var err error
			if rec, err = t.applyRemote(rec, raw); err != nil {
				return rec, trutoAnswer{http.StatusBadRequest, trutoErrorBody(http.StatusBadRequest, err.Error(), nil)}
			}
			continue
		}
		if !t.supported[k] {
			continue
		}
		var err error
		switch k {
		case "name":
			err, nameSet = trutoString(raw, &rec.Name), true
		case "first_name":
			err, nameParts = trutoString(raw, &rec.First), true
		case "last_name":
			err, nameParts = trutoString(raw, &rec.Last), true
		case "email":
			err = trutoString(raw, &rec.Email)
			if err == nil && rec.Email != "" && !strings.Contains(rec.Email, "@") {
				return rec, trutoAnswer{http.StatusBadRequest, trutoErrorBody(http.StatusBadRequest,
					"Invalid email address: "+rec.Email, map[string]any{"truto_is_remote_error": true,
						"raw_response": map[string]any{"errorCode": "INVALID_EMAIL_ADDRESS", "fields": []string{"email"}}})}
			}
		case "is_active":
			err = json.Unmarshal(raw, &rec.Active)
		case "custom_fields":
			var m map[string]any
			err, rec.Custom = json.Unmarshal(raw, &m), m
		}
		if err != nil {
			return rec, trutoAnswer{http.StatusBadRequest, trutoErrorBody(http.StatusBadRequest,
				fmt.Sprintf("%s has the wrong type", k), nil)}
		}
	}
	if nameParts && !nameSet {
		rec.Name = strings.TrimSpace(rec.First + " " + rec.Last)
	}
	return rec, trutoAnswer{}
}

// applyRemote is remote_data, which Truto passes to the CRM untransformed:
// the sandbox models Salesforce's IsActive (how a Salesforce user is
// deactivated) and ignores the rest, as it ignores what other CRMs' own
// records would take.
func (t trutoRules) applyRemote(rec trutoRecord, raw json.RawMessage) (trutoRecord, error) {
	var remote map[string]json.RawMessage
	if err := json.Unmarshal(raw, &remote); err != nil || remote == nil {
		return rec, fmt.Errorf("remote_data must be an object")
	}
	if t.integration != "salesforce" {
		return rec, nil
	}
	if v, ok := remote["IsActive"]; ok {
		if err := json.Unmarshal(v, &rec.Active); err != nil {
			return rec, fmt.Errorf("IsActive has the wrong type")
		}
	}
	return rec, nil
}

func trutoString(raw json.RawMessage, dst *string) error {
	if string(raw) == "null" {
		*dst = ""
		return nil
	}
	return json.Unmarshal(raw, dst)
}

// render is the unified user as Truto answers it for this CRM: the common
// fields the seed's response table lists for it (it omits Salesforce; the
// sandbox assumes name and email) and the CRM's own object as remote_data.
func (t trutoRules) render(id string, r trutoRecord) map[string]any {
	ts := func(tm time.Time) string { return tm.UTC().Format(time.RFC3339) }
	u := map[string]any{"id": id, "name": r.Name, "email": r.Email}
	switch t.integration {
	case "salesforce":
		u["created_at"], u["updated_at"] = ts(r.Created), ts(r.Updated)
		u["remote_data"] = map[string]any{"Id": id, "FirstName": r.First, "LastName": r.Last, "Name": r.Name,
			"Email": r.Email, "Title": r.Title, "IsActive": r.Active, "CreatedDate": ts(r.Created), "LastModifiedDate": ts(r.Updated)}
	case "pipedrive":
		u["is_active"], u["created_at"], u["updated_at"] = r.Active, ts(r.Created), ts(r.Updated)
		u["urls"] = []map[string]any{{"url": "https://sandbox.pipedrive.com/users/" + id, "type": "profile"}}
		u["remote_data"] = map[string]any{"id": id, "name": r.Name, "email": r.Email, "active_flag": r.Active}
	case "outreach":
		u["created_at"], u["updated_at"] = ts(r.Created), ts(r.Updated)
		u["remote_data"] = map[string]any{"id": id, "type": "user", "attributes": map[string]any{
			"firstName": r.First, "lastName": r.Last, "name": r.Name, "email": r.Email, "locked": !r.Active}}
	case "onepagecrm":
		u["urls"] = []map[string]any{{"url": "https://app.onepagecrm.com/users/" + id, "type": "profile"}}
		u["remote_data"] = map[string]any{"id": id, "first_name": r.First, "last_name": r.Last, "email": r.Email}
	case "planhat":
		u["is_active"], u["created_at"], u["updated_at"] = r.Active, ts(r.Created), ts(r.Updated)
		u["custom_fields"] = r.Custom
		u["remote_data"] = map[string]any{"_id": id, "firstName": r.First, "lastName": r.Last, "email": r.Email,
			"inactive": !r.Active, "custom": r.Custom}
	case "wix":
		u["is_active"], u["created_at"], u["updated_at"] = r.Active, ts(r.Created), ts(r.Updated)
		status := "ACTIVE"
		if !r.Active {
			status = "INACTIVE"
		}
		u["remote_data"] = map[string]any{"id": id, "name": r.Name, "email": r.Email, "status": status}
	}
	return u
}
