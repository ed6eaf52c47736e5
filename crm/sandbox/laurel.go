package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The sandbox's Laurel client and customer (PROVIDERS.md §4). The demo and
// tests authenticate with these.
const (
	LaurelClientID     = "roster-sandbox-laurel"
	LaurelClientSecret = "laurel-sandbox-secret"
	LaurelCustomerID   = "64f1c0de5a1e2b3c4d5e6f70"
	LaurelAudience     = "https://timeautomation.com"
	// LaurelTokenLifetime is what the token endpoint answers in expires_in.
	LaurelTokenLifetime = 86400 * time.Second
)

var (
	laurelStatuses      = []string{"active", "adminDisabled", "firmDisabled"}
	laurelIntegrations  = []string{"cloud-assistant-cdr", "cloud-assistant-google", "cloud-assistant-microsoft-exchange", "cloud-assistant-microsoft-teams", "cloud-assistant-zoom"}
	laurelIdentityTypes = []string{"aderant", "auth0", "azure", "email", "external-billing-system", "elite",
		"intercom", "juris", "cisco-cdr", "mixpanel", "phone", "phone-extension", "salesforce", "segment",
		"vitally", "walls", "zendesk", "zoom", "exchange", "user-principal-name", "cisco-webex", "ringcentral", "google"}
	laurelRoles = []laurelRole{
		{ID: "650000000000000000000001", Name: "Timekeeper"},
		{ID: "650000000000000000000002", Name: "Firm Admin"},
		{ID: "650000000000000000000003", Name: "Billing Partner"},
	}
)

// laurelState is the Laurel protocol's state: users, issued tokens, and
// failures tests asked for.
type laurelState struct {
	now   func() time.Time
	users *Store[laurelUser]

	mu         sync.Mutex
	tokens     map[string]time.Time // access token → expiry
	issued     int
	failStatus []int // statuses the next …/status requests answer
}

// LaurelTokensIssued counts the access tokens the token endpoint has issued.
func (s *Server) LaurelTokensIssued() int {
	s.laurel.mu.Lock()
	defer s.laurel.mu.Unlock()
	return s.laurel.issued
}

// writeLaurelError answers in NestJS's default error shape; message is a
// string or, for validation, a list of strings.
func writeLaurelError(w http.ResponseWriter, status int, message any) {
	writeJSON(w, status, map[string]any{"statusCode": status, "message": message, "error": http.StatusText(status)})
}

// mountLaurel registers the Laurel protocol's routes on s.mux.
func (s *Server) mountLaurel() {
	l := &laurelState{now: s.opts.Now, users: NewStore(s.opts.Users, laurelUserAt), tokens: map[string]time.Time{}}
	s.laurel = l
	s.registerProtocol(func(w http.ResponseWriter, r *http.Request, status int, message string, _ time.Duration) {
		writeLaurelError(w, status, message)
	}, "/api/v1/", "/api/v2/")
	const v1, v2 = "/api/v1/customers/{cid}/users", "/api/v2/customers/{cid}/users"
	s.mux.HandleFunc("POST /api/v1/oauth/token", l.token)
	s.mux.HandleFunc("GET "+v1, l.authed(l.listV1))
	s.mux.HandleFunc("GET "+v2, l.authed(l.listV2))
	s.mux.HandleFunc("GET "+v2+"/lookup/identity", l.authed(l.lookup))
	s.mux.HandleFunc("GET "+v1+"/{uid}", l.authed(l.withUser(l.getOne)))
	s.mux.HandleFunc("PATCH "+v1+"/{uid}", l.authed(l.withUser(l.patch)))
	s.mux.HandleFunc("PATCH "+v1+"/{uid}/status", l.authed(l.withUser(l.patchStatus)))
	s.mux.HandleFunc("DELETE "+v1+"/{uid}", l.authed(l.withUser(l.remove)))
	notFound := func(w http.ResponseWriter, r *http.Request) {
		writeLaurelError(w, http.StatusNotFound, fmt.Sprintf("Cannot %s %s", r.Method, r.URL.Path))
	}
	s.mux.HandleFunc("/api/v1/", notFound)
	s.mux.HandleFunc("/api/v2/", notFound)
	s.registerToucher(v1+"/{uid}", l.touch)
}

// touch edits a user as a colleague would, for the "modify" fault.
func (l *laurelState) touch(uid string) bool {
	i := laurelIndex(uid)
	if i < 0 {
		return false
	}
	now := l.now().UTC()
	_, err := l.users.Update(i, func(u laurelUser) (laurelUser, error) {
		if u.ID != uid { // the index came from the id's counter only
			return u, errMissing
		}
		u.Nickname = "edited by a colleague at " + now.Format(time.Kitchen)
		u.UpdatedAt = now.Format(time.RFC3339)
		return u, nil
	})
	return err == nil
}

// token is the client-credentials grant; the body is JSON, not a form.
func (l *laurelState) token(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Audience     string `json:"audience"`
		GrantType    string `json:"grant_type"`
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&body); err != nil {
		writeLaurelError(w, http.StatusBadRequest, "request body must be a JSON object")
		return
	}
	if body.GrantType != "client_credentials" {
		writeLaurelError(w, http.StatusBadRequest, []string{"grant_type must be one of the following values: client_credentials"})
		return
	}
	if body.Audience != LaurelAudience {
		writeLaurelError(w, http.StatusForbidden, "the client is not authorized for this audience")
		return
	}
	if body.ClientID != LaurelClientID || body.ClientSecret != LaurelClientSecret {
		writeLaurelError(w, http.StatusUnauthorized, "invalid client credentials")
		return
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	l.mu.Lock()
	l.issued++
	tok := fmt.Sprintf("lsbx.%d.%s", l.issued, hex.EncodeToString(b[:]))
	l.tokens[tok] = l.now().Add(LaurelTokenLifetime)
	l.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "expires_in": int(LaurelTokenLifetime.Seconds()), "token_type": "Bearer"})
}

// authed checks the bearer token and that the customer is the client's.
func (l *laurelState) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		l.mu.Lock()
		exp, known := l.tokens[tok]
		l.mu.Unlock()
		if !ok || !known || !l.now().Before(exp) {
			// NestJS's UnauthorizedException carries no "error" field.
			writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "Unauthorized"})
			return
		}
		cid := r.PathValue("cid")
		if !laurelIsObjectID(cid) {
			writeLaurelError(w, http.StatusBadRequest, []string{"customerId must be a mongodb id"})
			return
		}
		if cid != LaurelCustomerID {
			writeLaurelError(w, http.StatusForbidden, "Forbidden resource")
			return
		}
		next(w, r)
	}
}

// withUser resolves {uid} to a store index that holds that exact user.
func (l *laurelState) withUser(next func(w http.ResponseWriter, r *http.Request, i int)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		uid := r.PathValue("uid")
		i := laurelIndex(uid)
		if i < 0 {
			writeLaurelError(w, http.StatusBadRequest, []string{"userId must be a mongodb id"})
			return
		}
		if u, ok := l.users.Get(i); !ok || u.ID != uid {
			writeLaurelError(w, http.StatusNotFound, "user not found")
			return
		}
		next(w, r, i)
	}
}

// laurelSearchFilter validates ?search= (2–100 characters) and matches it against
// first and last name, nickname and email.
func laurelSearchFilter(q map[string][]string) (func(laurelUser) bool, []string) {
	vs, present := q["search"]
	if !present {
		return nil, nil
	}
	s := vs[0]
	switch n := utf8.RuneCountInString(s); {
	case n < 2:
		return nil, []string{"search must be longer than or equal to 2 characters"}
	case n > 100:
		return nil, []string{"search must be shorter than or equal to 100 characters"}
	}
	needle := strings.ToLower(s)
	return func(u laurelUser) bool {
		for _, f := range []string{u.FirstName, u.LastName, u.Nickname, u.Email} {
			if strings.Contains(strings.ToLower(f), needle) {
				return true
			}
		}
		return false
	}, nil
}

// listV1 answers every matching user as a bare array of projections ({_id,
// email, name, relevantIdentities}); integration is required.
func (l *laurelState) listV1(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match, msgs := laurelSearchFilter(q)
	integ := q.Get("integration")
	if !slices.Contains(laurelIntegrations, integ) {
		msgs = append(msgs, "integration must be one of the following values: "+strings.Join(laurelIntegrations, ", "))
	}
	if len(msgs) > 0 {
		writeLaurelError(w, http.StatusBadRequest, msgs)
		return
	}
	users, _ := l.users.Scan(0, int(^uint(0)>>1), func(u laurelUser) bool {
		return slices.Contains(u.integrations, integ) && (match == nil || match(u))
	})
	// With integration, Laurel's OpenAPI answers UserIntegrationProjection
	// objects, not users: the client must open each user for the rest.
	out := make([]laurelProjection, 0, len(users))
	for _, u := range users {
		out = append(out, u.projection())
	}
	writeJSON(w, http.StatusOK, out)
}

// listV2 answers one numbered page: {items, nextPage?, totalPages, totalItems}.
func (l *laurelState) listV2(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match, msgs := laurelSearchFilter(q)
	page, m := laurelIntParam(q.Get("page"), "page", 1, 1, 1<<30)
	msgs = append(msgs, m...)
	size, m := laurelIntParam(q.Get("pageSize"), "pageSize", 20, 1, 150)
	msgs = append(msgs, m...)
	if len(msgs) > 0 {
		writeLaurelError(w, http.StatusBadRequest, msgs)
		return
	}
	// Without a search both are O(1) in the users before this page.
	total := l.users.Count(match)
	from := l.users.Skip(0, (page-1)*size, match)
	items := []laurelUser{}
	if from >= 0 {
		if got, _ := l.users.Scan(from, size, match); got != nil {
			items = got
		}
	}
	totalPages := (total + size - 1) / size
	body := map[string]any{"items": items, "totalPages": totalPages, "totalItems": total}
	if page < totalPages {
		body["nextPage"] = page + 1
	}
	writeJSON(w, http.StatusOK, body)
}

// laurelIntParam parses an optional integer query parameter within [lo, hi].
func laurelIntParam(v, name string, def, lo, hi int) (int, []string) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		return 0, []string{name + " must be an integer number"}
	case n < lo:
		return 0, []string{fmt.Sprintf("%s must not be less than %d", name, lo)}
	case n > hi:
		return 0, []string{fmt.Sprintf("%s must not be greater than %d", name, hi)}
	}
	return n, nil
}

// lookup finds the user holding an external identity.
func (l *laurelState) lookup(w http.ResponseWriter, r *http.Request) {
	typ, value := r.URL.Query().Get("type"), r.URL.Query().Get("value")
	var msgs []string
	if !slices.Contains(laurelIdentityTypes, typ) {
		msgs = append(msgs, "type must be one of the following values: "+strings.Join(laurelIdentityTypes, ", "))
	}
	if value == "" {
		msgs = append(msgs, "value should not be empty")
	}
	if len(msgs) > 0 {
		writeLaurelError(w, http.StatusBadRequest, msgs)
		return
	}
	found, _ := l.users.Scan(0, 1, func(u laurelUser) bool {
		for _, id := range u.Identities {
			if id.Type == typ && (id.Value == value || (typ == "email" && strings.EqualFold(id.Value, value))) {
				return true
			}
		}
		return false
	})
	if len(found) == 0 {
		writeLaurelError(w, http.StatusNotFound, "user not found")
		return
	}
	writeJSON(w, http.StatusOK, found[0])
}

func (l *laurelState) getOne(w http.ResponseWriter, r *http.Request, i int) {
	u, _ := l.users.Get(i)
	writeJSON(w, http.StatusOK, u)
}

func (l *laurelState) remove(w http.ResponseWriter, r *http.Request, i int) {
	u, ok := l.users.Delete(i)
	if !ok {
		writeLaurelError(w, http.StatusNotFound, "user not found")
		return
	}
	writeJSON(w, http.StatusOK, u)
}
