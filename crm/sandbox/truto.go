package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
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
	Title                    string // Salesforce's User.Title, in remote_data only
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
	creates  bodyLog
	mu       sync.Mutex
	limit    int           // requests per window and account; 0: unlimited
	window   time.Duration // trutoWindow unless SetRateLimit scaled it
	accounts map[string]*trutoAccount
}

// mountTruto registers the Truto protocol's routes on s.mux.
func (s *Server) mountTruto() {
	st := &trutoState{limit: trutoDefaultLimit, window: trutoWindow, accounts: map[string]*trutoAccount{}}
	for _, id := range []string{TrutoAccountSalesforce, TrutoAccountPipedrive, TrutoAccountOutreach,
		TrutoAccountOnePageCRM, TrutoAccountPlanhat, TrutoAccountWix, TrutoAccountReadOnly} {
		st.accounts[id] = &trutoAccount{
			id: id, rules: trutoRulesFor(TrutoIntegration(id)), readOnly: id == TrutoAccountReadOnly,
			store: NewStore(s.opts.Users, func(i int) trutoRecord {
				p := PersonAt(i)
				return trutoRecord{First: p.First, Last: p.Last, Name: p.Full(), Email: p.EmailIn("truto"), Title: p.Title, Active: p.Active,
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
	s.registerQueryToucher("/unified/crm/users/{id}", s.trutoTouch)
}

// trutoTouch renames a user in the CRM behind the integrated account the
// query names, as a colleague would, for the "modify" fault. The name is the
// one field every CRM's unified user shows; sandbox (read-only) accounts
// change too, since only Truto's writes are refused there, not the CRM's.
func (s *Server) trutoTouch(id string, query url.Values) bool {
	a := s.truto.accounts[query.Get("integrated_account_id")]
	if a == nil {
		return false
	}
	i, ok := a.rules.ids.parse(id)
	if !ok {
		return false
	}
	now := s.opts.Now().UTC()
	_, err := a.store.Update(i, func(rec trutoRecord) (trutoRecord, error) {
		last, _, _ := strings.Cut(rec.Last, trutoColleagueMark)
		rec.Last = last + trutoColleagueMark + " at " + now.Format(time.Kitchen) + ")"
		rec.Name = strings.TrimSpace(rec.First + " " + rec.Last)
		rec.Updated = now
		return rec, nil
	})
	return err == nil
}

// trutoColleagueMark starts what trutoTouch appends to a last name; a later
// touch replaces it rather than piling up.
const trutoColleagueMark = " (edited by a colleague"

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

// TrutoWrites counts the writes an account has applied (replays excluded;
// edits by the "modify" fault's colleague included).
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
			w.Header().Set("Retry-After", w.Header().Get("ratelimit-reset")) // documented: 10
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
	limit, window := s.truto.limit, s.truto.window
	s.truto.mu.Unlock()
	if limit <= 0 {
		return true
	}
	now := s.opts.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	kept := a.hits[:0]
	for _, t := range a.hits {
		if now.Sub(t) < window {
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
	h.Set("ratelimit-reset", strconv.Itoa(int((window+time.Second-1)/time.Second)))
	return allowed
}

// trutoCollection serves GET (list) and POST (create) on /unified/crm/users.
func (s *Server) trutoCollection(w http.ResponseWriter, r *http.Request, a *trutoAccount) {
	switch r.Method {
	case http.MethodGet:
		s.trutoList(w, r, a)
	case http.MethodPost:
		s.trutoWrite(w, r, a, func(body map[string]json.RawMessage) trutoAnswer {
			s.truto.creates.add(body)
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
