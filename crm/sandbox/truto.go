package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Truto protocol (PROVIDERS.md §2): one bearer token, several integrated
// accounts, each connected to a CRM whose field rules differ.
const (
	TrutoToken = "truto-sandbox-token"

	TrutoAccountSalesforce = "5d1c7a52-0f3e-4b8a-9c61-000000000001"
	TrutoAccountPipedrive  = "5d1c7a52-0f3e-4b8a-9c61-000000000002"
	TrutoAccountOutreach   = "5d1c7a52-0f3e-4b8a-9c61-000000000003"
	TrutoAccountOnePageCRM = "5d1c7a52-0f3e-4b8a-9c61-000000000004"
	TrutoAccountPlanhat    = "5d1c7a52-0f3e-4b8a-9c61-000000000005"
	TrutoAccountWix        = "5d1c7a52-0f3e-4b8a-9c61-000000000006"
	// TrutoAccountReadOnly is a Pipedrive sandbox account: Truto answers 405
	// to every write on sandbox accounts.
	TrutoAccountReadOnly = "5d1c7a52-0f3e-4b8a-9c61-000000000007"
)

// TrutoIntegration names the CRM behind a sandbox integrated account ("" when unknown).
func TrutoIntegration(account string) string {
	switch account {
	case TrutoAccountSalesforce:
		return "salesforce"
	case TrutoAccountPipedrive, TrutoAccountReadOnly:
		return "pipedrive"
	case TrutoAccountOutreach:
		return "outreach"
	case TrutoAccountOnePageCRM:
		return "onepagecrm"
	case TrutoAccountPlanhat:
		return "planhat"
	case TrutoAccountWix:
		return "wix"
	}
	return ""
}

const (
	trutoWindow       = 10 * time.Second // documented: 50 requests / 10 s per integrated account
	trutoDefaultLimit = 50
	trutoMaxPage      = 100 // assumed: the docs give no maximum
)

// trutoRecord is one user as the sandbox holds it, whatever the CRM.
type trutoRecord struct {
	First, Last, Name, Email string
	Active                   bool
	Created, Updated         time.Time
	Custom                   map[string]any // Planhat only; replaced, never mutated
}

// trutoAnswer is a write's answer, kept for Idempotency-Key replays.
type trutoAnswer struct {
	status int
	body   any
}

type trutoAccount struct {
	id       string
	rules    trutoRules
	readOnly bool
	store    *Store[trutoRecord]
	writeMu  sync.Mutex // one write at a time, so a key is applied once
	mu       sync.Mutex // guards hits, answers, keys
	hits     []time.Time
	answers  map[string]trutoAnswer
	keys     []string
}

type trutoState struct {
	mu       sync.Mutex
	limit    int // requests per window and account; 0: unlimited
	accounts map[string]*trutoAccount
}

// mountTruto registers the Truto protocol's routes on s.mux.
func (s *Server) mountTruto() {
	st := &trutoState{limit: trutoDefaultLimit, accounts: map[string]*trutoAccount{}}
	for _, id := range []string{TrutoAccountSalesforce, TrutoAccountPipedrive, TrutoAccountOutreach,
		TrutoAccountOnePageCRM, TrutoAccountPlanhat, TrutoAccountWix, TrutoAccountReadOnly} {
		st.accounts[id] = &trutoAccount{
			id: id, rules: trutoRulesFor(TrutoIntegration(id)), readOnly: id == TrutoAccountReadOnly,
			store: NewStore(s.opts.Users, func(i int) trutoRecord {
				p := PersonAt(i)
				return trutoRecord{First: p.First, Last: p.Last, Name: p.Full(), Email: p.Email, Active: p.Active,
					Created: p.Created, Updated: p.Updated, Custom: map[string]any{"region": p.Country}}
			}),
			answers: map[string]trutoAnswer{},
		}
	}
	s.truto = st
	s.mux.HandleFunc("/unified/", func(w http.ResponseWriter, r *http.Request) {
		trutoError(w, http.StatusNotFound, "Not found", nil)
	})
	s.mux.HandleFunc("/unified/crm/users", s.trutoHandle(s.trutoCollection))
	s.mux.HandleFunc("/unified/crm/users/{id}", s.trutoHandle(s.trutoOne))
	s.registerProtocol(trutoForcedError, "/unified/")
}

// SetTrutoRateLimit sets the requests allowed per 10 s and integrated
// account (0: no limit). Tests lower it to reach the limit quickly.
func (s *Server) SetTrutoRateLimit(n int) {
	s.truto.mu.Lock()
	defer s.truto.mu.Unlock()
	s.truto.limit = n
}

// TrutoIdempotencyKeys lists the Idempotency-Key headers an account received
// on writes, in order, repeats included.
func (s *Server) TrutoIdempotencyKeys(account string) []string {
	a := s.truto.accounts[account]
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.keys...)
}

// TrutoWrites counts the writes an account has applied (replays excluded).
func (s *Server) TrutoWrites(account string) int {
	if a := s.truto.accounts[account]; a != nil {
		return a.store.Version()
	}
	return 0
}

// trutoHandle checks the token, the integrated account and the rate limit
// before the route's handler runs.
func (s *Server) trutoHandle(next func(http.ResponseWriter, *http.Request, *trutoAccount)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+TrutoToken {
			trutoError(w, http.StatusUnauthorized, "Invalid API token", nil)
			return
		}
		id := r.URL.Query().Get("integrated_account_id")
		if id == "" {
			trutoError(w, http.StatusBadRequest, "integrated_account_id is required", nil)
			return
		}
		a := s.truto.accounts[id]
		if a == nil {
			trutoError(w, http.StatusNotFound, "Integrated account not found", nil)
			return
		}
		if !s.trutoAllow(w, a) {
			w.Header().Set("Retry-After", "10")
			trutoError(w, http.StatusTooManyRequests, "Rate limit exceeded for this integrated account", nil)
			return
		}
		next(w, r, a)
	}
}

// trutoAllow counts a request against the account's sliding window and sets
// the normalised ratelimit headers.
func (s *Server) trutoAllow(w http.ResponseWriter, a *trutoAccount) bool {
	s.truto.mu.Lock()
	limit := s.truto.limit
	s.truto.mu.Unlock()
	if limit <= 0 {
		return true
	}
	now := s.opts.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	kept := a.hits[:0]
	for _, t := range a.hits {
		if now.Sub(t) < trutoWindow {
			kept = append(kept, t)
		}
	}
	a.hits = kept
	allowed := len(a.hits) < limit
	if allowed {
		a.hits = append(a.hits, now)
	}
	h := w.Header()
	h.Set("ratelimit-limit", strconv.Itoa(limit))
	h.Set("ratelimit-remaining", strconv.Itoa(limit-len(a.hits)))
	h.Set("ratelimit-reset", "10")
	return allowed
}

// trutoCollection serves GET (list) and POST (create) on /unified/crm/users.
func (s *Server) trutoCollection(w http.ResponseWriter, r *http.Request, a *trutoAccount) {
	switch r.Method {
	case http.MethodGet:
		s.trutoList(w, r, a)
	case http.MethodPost:
		s.trutoWrite(w, r, a, func(body map[string]json.RawMessage) trutoAnswer {
			rec := trutoRecord{Active: true, Created: s.opts.Now().UTC(), Updated: s.opts.Now().UTC()}
			rec, ans := a.rules.apply(rec, body)
			if ans.status != 0 {
				return ans
			}
			var id string
			a.store.Create(func(i int) trutoRecord { id = a.rules.ids.format(i); return rec })
			return trutoAnswer{http.StatusCreated, a.rules.render(id, rec)}
		})
	default:
		trutoError(w, http.StatusNotFound, "Not found", nil)
	}
}

func (s *Server) trutoList(w http.ResponseWriter, r *http.Request, a *trutoAccount) {
	q := r.URL.Query()
	limit := trutoMaxPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			trutoError(w, http.StatusBadRequest, "limit must be a positive integer", nil)
			return
		}
		limit = min(n, trutoMaxPage)
	}
	from := 0
	if c := q.Get("next_cursor"); c != "" {
		n, ok := trutoDecodeCursor(c)
		if !ok {
			trutoError(w, http.StatusBadRequest, "Invalid next_cursor", nil)
			return
		}
		from = n
	}
	name, email, active := strings.ToLower(q.Get("name")), strings.ToLower(q.Get("email")), q.Get("is_active")
	keep := func(rec trutoRecord) bool {
		return (name == "" || strings.Contains(strings.ToLower(rec.Name), name)) &&
			(email == "" || strings.Contains(strings.ToLower(rec.Email), email)) &&
			(active == "" || active == strconv.FormatBool(rec.Active))
	}
	// Scan returns records, not their indexes (which make the ids): scan one
	// at a time; after the first, each record sits at the index Scan gave.
	result := []map[string]any{}
	next, first := from, true
	for len(result) < limit && next >= 0 {
		recs, after := a.store.Scan(next, 1, keep)
		if len(recs) == 0 {
			next = -1
			break
		}
		idx := next
		if first {
			idx, first = a.indexFrom(next, keep), false
		}
		result = append(result, a.rules.render(a.rules.ids.format(idx), recs[0]))
		next = after
	}
	var nextCursor, prevCursor any
	if next >= 0 {
		nextCursor = trutoEncodeCursor(next)
	}
	if from > 0 {
		prevCursor = trutoEncodeCursor(max(0, from-limit))
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result, "next_cursor": nextCursor,
		"prev_cursor": prevCursor, "result_count": len(result)})
}

// indexFrom is the index of the first kept record at or after from (the
// caller knows there is one).
func (a *trutoAccount) indexFrom(from int, keep func(trutoRecord) bool) int {
	for i := from; ; i++ {
		if rec, ok := a.store.Get(i); ok && keep(rec) {
			return i
		}
	}
}

// trutoOne serves GET, PATCH and DELETE on /unified/crm/users/{id}.
func (s *Server) trutoOne(w http.ResponseWriter, r *http.Request, a *trutoAccount) {
	id := r.PathValue("id")
	i, ok := a.rules.ids.parse(id)
	if r.Method == http.MethodPatch || r.Method == http.MethodDelete {
		s.trutoWrite(w, r, a, func(body map[string]json.RawMessage) trutoAnswer {
			if !ok {
				return trutoNotFound(id)
			}
			if r.Method == http.MethodDelete {
				if _, found := a.store.Delete(i); !found {
					return trutoNotFound(id)
				}
				return trutoAnswer{http.StatusOK, map[string]any{"id": id}}
			}
			var ans trutoAnswer
			rec, err := a.store.Update(i, func(rec trutoRecord) (trutoRecord, error) {
				rec, ans = a.rules.apply(rec, body)
				if ans.status != 0 {
					return rec, errMissing // refuse the update; ans says why
				}
				rec.Updated = s.opts.Now().UTC()
				return rec, nil
			})
			if ans.status != 0 {
				return ans
			}
			if err != nil {
				return trutoNotFound(id)
			}
			return trutoAnswer{http.StatusOK, a.rules.render(id, rec)}
		})
		return
	}
	if r.Method != http.MethodGet {
		trutoError(w, http.StatusNotFound, "Not found", nil)
		return
	}
	rec, found := trutoRecord{}, false
	if ok {
		rec, found = a.store.Get(i)
	}
	if !found {
		ans := trutoNotFound(id)
		writeJSON(w, ans.status, ans.body)
		return
	}
	writeJSON(w, http.StatusOK, a.rules.render(id, rec))
}

// trutoWrite runs one write: 405 on read-only accounts, and Idempotency-Key
// replays (a repeated key answers what the first request got, unapplied).
func (s *Server) trutoWrite(w http.ResponseWriter, r *http.Request, a *trutoAccount, apply func(map[string]json.RawMessage) trutoAnswer) {
	if a.readOnly {
		trutoError(w, http.StatusMethodNotAllowed, "Write operations are not allowed on sandbox integrated accounts", nil)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	a.writeMu.Lock()
	defer a.writeMu.Unlock()
	if key != "" {
		a.mu.Lock()
		a.keys = append(a.keys, key)
		prev, seen := a.answers[key]
		a.mu.Unlock()
		if seen {
			writeJSON(w, prev.status, prev.body)
			return
		}
	}
	body := map[string]json.RawMessage{}
	if r.Method != http.MethodDelete {
		data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || json.Unmarshal(data, &body) != nil || body == nil {
			trutoError(w, http.StatusBadRequest, "Request body must be a JSON object", nil)
			return
		}
	}
	ans := apply(body)
	if key != "" {
		a.mu.Lock()
		a.answers[key] = ans
		a.mu.Unlock()
	}
	writeJSON(w, ans.status, ans.body)
}

func trutoNotFound(id string) trutoAnswer {
	return trutoAnswer{http.StatusNotFound, trutoErrorBody(http.StatusNotFound, "Resource not found",
		map[string]any{"truto_is_remote_error": true, "raw_response": map[string]any{"error": "not_found", "id": id}})}
}

// trutoErrorBody is Truto's error body {statusCode, error, message, details?}
// plus extra keys (truto_is_remote_error, raw_response, details).
func trutoErrorBody(status int, message string, extra map[string]any) map[string]any {
	b := map[string]any{"statusCode": status, "error": http.StatusText(status), "message": message}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func trutoError(w http.ResponseWriter, status int, message string, extra map[string]any) {
	writeJSON(w, status, trutoErrorBody(status, message, extra))
}

// trutoForcedError writes injected errors. A 401 is made a remote error: the
// case Roster must explain ("the connected account needs re-authorising");
// other 5xx except 503 (a blocked account, Truto's own) come from the CRM too.
func trutoForcedError(w http.ResponseWriter, _ *http.Request, status int, message string, _ time.Duration) {
	var extra map[string]any
	if status == http.StatusUnauthorized || (status >= 500 && status != http.StatusServiceUnavailable) {
		extra = map[string]any{"truto_is_remote_error": true, "raw_response": map[string]any{"message": message}}
	}
	trutoError(w, status, message, extra)
}

func trutoEncodeCursor(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(i)))
}

func trutoDecodeCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "offset:") {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "offset:"))
	return n, err == nil && n >= 0
}

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
			"Email": r.Email, "IsActive": r.Active, "CreatedDate": ts(r.Created), "LastModifiedDate": ts(r.Updated)}
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
