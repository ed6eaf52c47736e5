package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ZohoMaxInFlight is the concurrency cap: a call beyond it answers 429.
const ZohoMaxInFlight = 5

// zohoEditable are the keys a PUT may change, with the type Zoho checks.
var zohoEditable = map[string]string{
	"first_name": "text", "last_name": "text", "email": "email", "phone": "text",
	"mobile": "text", "fax": "text", "website": "text", "alias": "text", "street": "text",
	"city": "text", "state": "text", "zip": "text", "country": "text", "dob": "date",
	"language": "text", "locale": "text", "time_zone": "text", "date_format": "text",
	"time_format": "text", "Currency": "text",
}

// zohoState is the Zoho protocol's state: users, issued tokens, writes.
type zohoState struct {
	users    *Store[zohoUser]
	started  time.Time
	inFlight atomic.Int32
	peak     atomic.Int32

	mu        sync.Mutex
	lifetime  time.Duration
	tokens    map[string]time.Time // access token → expiry
	issuedAt  []time.Time          // refresh-grant times inside the rate window
	issued    int
	lastWrite time.Time // zero until the first write
	deleted   []zohoUser
	creates   bodyLog
}

// mountZoho registers the Zoho protocol's routes on s.mux.
func (s *Server) mountZoho() {
	s.zoho = &zohoState{
		users:    NewStore(s.opts.Users, zohoUserAt),
		started:  s.opts.Now(),
		lifetime: time.Hour,
		tokens:   map[string]time.Time{},
	}
	s.registerProtocol(writeZohoError, "/crm/v2/", "/oauth/v2/")
	s.mux.HandleFunc("/oauth/v2/token", s.zohoToken)
	s.mux.HandleFunc("/crm/v2/", s.zohoAPI)
	s.registerToucher("/crm/v2/users/{id}", s.zohoTouch)
}

// zohoTouch edits a user as a colleague would, for the "modify" fault.
func (s *Server) zohoTouch(id string) bool {
	i, ok := zohoIndex(id)
	if !ok {
		return false
	}
	now := s.opts.Now()
	_, err := s.zoho.users.Update(i, func(u zohoUser) (zohoUser, error) {
		u.Alias = zohoNullable("edited by a colleague at " + now.UTC().Format(time.Kitchen))
		u.ModifiedTime = now.Format(time.RFC3339)
		return u, nil
	})
	if err != nil {
		return false
	}
	s.zoho.mu.Lock()
	s.zoho.lastWrite = now
	s.zoho.mu.Unlock()
	return true
}

// ZohoPeakInFlight is the most API calls that were ever in flight at once.
func (s *Server) ZohoPeakInFlight() int { return int(s.zoho.peak.Load()) }

// zohoErr is Zoho's error object, top level or per item.
type zohoErr struct {
	Code    string         `json:"code"`
	Details map[string]any `json:"details"`
	Message string         `json:"message"`
	Status  string         `json:"status"`
}

func zohoError(code, message string, details map[string]any) zohoErr {
	if details == nil {
		details = map[string]any{}
	}
	return zohoErr{Code: code, Details: details, Message: message, Status: "error"}
}

// writeZohoError is the protocol's ErrorWriter (used for injected errors).
func writeZohoError(w http.ResponseWriter, r *http.Request, status int, message string, _ time.Duration) {
	if strings.HasPrefix(r.URL.Path, "/oauth/") {
		writeJSON(w, status, map[string]string{"error": "Access Denied", "error_description": message, "status": "failure"})
		return
	}
	code := "INTERNAL_ERROR"
	switch status {
	case 400:
		code = "INVALID_DATA"
	case 401:
		code = "INVALID_TOKEN"
	case 403:
		code = "NO_PERMISSION"
	case 404:
		code = "INVALID_URL_PATTERN"
	case 429:
		code = "TOO_MANY_REQUESTS"
	}
	writeJSON(w, status, zohoError(code, message, nil))
}

// zohoAPI serves /crm/v2/: the concurrency cap, auth, then the users routes.
func (s *Server) zohoAPI(w http.ResponseWriter, r *http.Request) {
	z := s.zoho
	n := z.inFlight.Add(1)
	defer z.inFlight.Add(-1)
	for p := z.peak.Load(); n > p && !z.peak.CompareAndSwap(p, n); p = z.peak.Load() {
	}
	if n > ZohoMaxInFlight {
		writeJSON(w, http.StatusTooManyRequests, zohoError("TOO_MANY_REQUESTS",
			"The concurrency limit of your edition has been exceeded", map[string]any{"limit": ZohoMaxInFlight}))
		return
	}
	if e, status := s.zohoAuth(r); status != 0 {
		writeJSON(w, status, e)
		return
	}
	if r.Method == http.MethodGet && zohoSettings(w, r.URL.Path) {
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/crm/v2/users")
	switch {
	case r.URL.Path != "/crm/v2/users" && !strings.HasPrefix(r.URL.Path, "/crm/v2/users/"),
		strings.Contains(strings.TrimPrefix(rest, "/"), "/"):
		writeJSON(w, http.StatusNotFound, zohoError("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one", nil))
	case rest == "" && r.Method == http.MethodGet:
		s.zohoList(w, r)
	case rest == "" && r.Method == http.MethodPost:
		s.zohoCreate(w, r)
	case rest != "" && r.Method == http.MethodGet:
		s.zohoGet(w, strings.TrimPrefix(rest, "/"))
	case rest != "" && r.Method == http.MethodPut:
		s.zohoPut(w, r, strings.TrimPrefix(rest, "/"))
	case rest != "" && r.Method == http.MethodDelete:
		s.zohoDelete(w, strings.TrimPrefix(rest, "/"))
	default: // PATCH among others: the seed's INVALID_REQUEST_METHOD
		writeJSON(w, http.StatusBadRequest, zohoError("INVALID_REQUEST_METHOD", "The http request method type is not a valid one", nil))
	}
}

// zohoTypeFilter is the list filter of a `type` value.
func zohoTypeFilter(t string) (func(zohoUser) bool, bool) {
	active := func(u zohoUser) bool { return u.Status == "active" }
	admin := func(u zohoUser) bool { return u.Profile.Name == "Administrator" }
	switch t {
	case "", "AllUsers":
		return nil, true
	case "ActiveUsers":
		return active, true
	case "DeactiveUsers":
		return func(u zohoUser) bool { return !active(u) }, true
	case "ConfirmedUsers":
		return func(u zohoUser) bool { return u.Confirm }, true
	case "NotConfirmedUsers":
		return func(u zohoUser) bool { return !u.Confirm }, true
	case "ActiveConfirmedUsers":
		return func(u zohoUser) bool { return active(u) && u.Confirm }, true
	case "AdminUsers":
		return admin, true
	case "ActiveConfirmedAdmins":
		return func(u zohoUser) bool { return active(u) && u.Confirm && admin(u) }, true
	case "CurrentUser": // the sandbox's tokens belong to user 0
		return func(u zohoUser) bool { return u.ID == zohoID(0) }, true
	}
	return nil, false
}

func zohoBad(w http.ResponseWriter, code, apiName string) {
	writeJSON(w, http.StatusBadRequest, zohoError(code, "Please check whether the input values are correct", map[string]any{"api_name": apiName}))
}

func (s *Server) zohoList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	typ := q.Get("type")
	keep, ok := zohoTypeFilter(typ)
	if !ok && typ != "DeletedUsers" {
		zohoBad(w, "PATTERN_NOT_MATCHED", "type")
		return
	}
	page, per := 1, 200
	var err error
	if v := q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			zohoBad(w, "INVALID_DATA", "page")
			return
		}
	}
	if v := q.Get("per_page"); v != "" {
		if per, err = strconv.Atoi(v); err != nil || per < 1 || per > 200 {
			zohoBad(w, "INVALID_DATA", "per_page")
			return
		}
	}
	if v := q.Get("ids"); v != "" {
		ids := map[string]bool{}
		for _, id := range strings.Split(v, ",") {
			ids[strings.TrimSpace(id)] = true
		}
		if len(ids) > 100 {
			zohoBad(w, "LIMIT_EXCEEDED", "ids")
			return
		}
		inner := keep
		keep = func(u zohoUser) bool { return ids[u.ID] && (inner == nil || inner(u)) }
	}
	if v := r.Header.Get("If-Modified-Since"); v != "" {
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			zohoBad(w, "INVALID_DATA", "If-Modified-Since")
			return
		}
		if !s.zoho.changedSince(since) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	var users []zohoUser
	more := false
	if typ == "DeletedUsers" {
		s.zoho.mu.Lock()
		all := append([]zohoUser(nil), s.zoho.deleted...)
		s.zoho.mu.Unlock()
		from := min((page-1)*per, len(all))
		to := min(from+per, len(all))
		users, more = all[from:to], to < len(all)
	} else {
		// Without a type filter the earlier pages are skipped without
		// generating them, so a late page costs what the first one does.
		if from := s.zoho.users.Skip(0, (page-1)*per, keep); from >= 0 {
			var next int
			users, next = s.zoho.users.Scan(from, per, keep)
			more = next >= 0
		}
	}
	if len(users) == 0 {
		w.WriteHeader(http.StatusNoContent) // Zoho's empty list: no body at all
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users,
		"info": map[string]any{"per_page": per, "count": len(users), "page": page, "more_records": more}})
}

// changedSince reports whether any user may have changed after t: the
// generated users date from before the sandbox started; writes are recorded.
func (z *zohoState) changedSince(t time.Time) bool {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.started.After(t) || (!z.lastWrite.IsZero() && !z.lastWrite.Before(t))
}

// lookup finds a user by id, answering Zoho's error when there is none.
func (s *Server) zohoLookup(w http.ResponseWriter, id string) (int, zohoUser, bool) {
	if i, ok := zohoIndex(id); ok {
		if u, ok := s.zoho.users.Get(i); ok {
			return i, u, true
		}
	}
	writeJSON(w, http.StatusBadRequest, zohoError("INVALID_DATA", "the id given seems to be invalid", map[string]any{"api_name": "id", "id": id}))
	return 0, zohoUser{}, false
}

func (s *Server) zohoGet(w http.ResponseWriter, id string) {
	if _, u, ok := s.zohoLookup(w, id); ok {
		writeJSON(w, http.StatusOK, map[string]any{"users": []zohoUser{u}})
	}
}

func (s *Server) zohoDelete(w http.ResponseWriter, id string) {
	s.zoho.mu.Lock()
	for _, d := range s.zoho.deleted {
		if d.ID == id {
			s.zoho.mu.Unlock()
			writeJSON(w, http.StatusBadRequest, zohoError("ID_ALREADY_DELETED", "the user has already been deleted", map[string]any{"id": id}))
			return
		}
	}
	s.zoho.mu.Unlock()
	i, _, ok := s.zohoLookup(w, id)
	if !ok {
		return
	}
	u, ok := s.zoho.users.Delete(i)
	if !ok { // deleted concurrently
		writeJSON(w, http.StatusBadRequest, zohoError("ID_ALREADY_DELETED", "the user has already been deleted", map[string]any{"id": id}))
		return
	}
	s.zoho.mu.Lock()
	s.zoho.deleted = append(s.zoho.deleted, u)
	s.zoho.lastWrite = s.opts.Now()
	s.zoho.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"users": []any{map[string]any{
		"code": "SUCCESS", "details": map[string]any{}, "message": "User deleted", "status": "success"}}})
}

// zohoPut updates one user from {"users":[{…}]}. Bad values are answered as
// a per-item error inside a 200, as Zoho does.
func (s *Server) zohoPut(w http.ResponseWriter, r *http.Request, id string) {
	var body struct {
		Users []map[string]json.RawMessage `json:"users"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, zohoError("INVALID_DATA", "body", nil))
		return
	}
	if len(body.Users) != 1 {
		zohoBad(w, "INVALID_DATA", "users")
		return
	}
	i, _, ok := s.zohoLookup(w, id)
	if !ok {
		return
	}
	now := s.opts.Now()
	_, err := s.zoho.users.Update(i, func(u zohoUser) (zohoUser, error) {
		return applyZohoChanges(u, body.Users[0], now)
	})
	item := map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "User updated", "status": "success"}
	if ze, isZ := err.(zohoErr); isZ {
		writeJSON(w, http.StatusOK, map[string]any{"users": []zohoErr{ze}})
		return
	} else if err == errMissing { // deleted meanwhile
		writeJSON(w, http.StatusBadRequest, zohoError("INVALID_DATA", "the id given seems to be invalid", map[string]any{"api_name": "id", "id": id}))
		return
	} else if err != nil {
		writeJSON(w, http.StatusInternalServerError, zohoError("INTERNAL_ERROR", "Internal Server Error", nil))
		return
	}
	s.zoho.mu.Lock()
	s.zoho.lastWrite = now
	s.zoho.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"users": []any{item}})
}

func (e zohoErr) Error() string { return e.Code + ": " + e.Message }

// applyZohoChanges checks every changed key as Zoho does and applies them.
func applyZohoChanges(u zohoUser, changes map[string]json.RawMessage, now time.Time) (zohoUser, error) {
	invalid := func(key, want string) error {
		d := map[string]any{"api_name": key}
		if want != "" {
			d["expected_data_type"] = want
		}
		return zohoError("INVALID_DATA", "invalid data", d)
	}
	obj := map[string]any{}
	raw, _ := json.Marshal(u)
	_ = json.Unmarshal(raw, &obj)
	for key, v := range changes {
		if key == "id" {
			var id string
			if json.Unmarshal(v, &id) != nil || id != u.ID {
				return u, invalid("id", "")
			}
			continue
		}
		kind, editable := zohoEditable[key]
		if !editable {
			return u, invalid(key, "")
		}
		var val *string
		if err := json.Unmarshal(v, &val); err != nil {
			return u, invalid(key, kind)
		}
		switch {
		case val == nil || *val == "":
			if key == "last_name" || key == "email" {
				return u, zohoError("MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": key})
			}
		case kind == "email":
			if a, err := mail.ParseAddress(*val); err != nil || a.Address != *val || !strings.Contains(*val, ".") {
				return u, invalid(key, kind)
			}
		case kind == "date":
			if _, err := time.Parse(time.DateOnly, *val); err != nil {
				return u, invalid(key, kind)
			}
		}
		if val == nil || *val == "" {
			obj[key] = nil
		} else {
			obj[key] = *val
		}
	}
	raw, _ = json.Marshal(obj)
	var out zohoUser
	if err := json.Unmarshal(raw, &out); err != nil {
		return u, fmt.Errorf("apply changes: %w", err)
	}
	first := ""
	if out.FirstName != nil {
		first = *out.FirstName
	}
	out.FullName = strings.TrimSpace(first + " " + out.LastName)
	out.ModifiedTime = now.Format(time.RFC3339)
	out.ModifiedBy = zohoRef{Name: PersonAt(0).Full(), ID: zohoID(0)}
	return out, nil
}
