package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"sort"
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
	laurelSeniorities = []string{"Partner", "Senior Associate", "Associate", "Paralegal", "Of Counsel", ""}
	laurelPractices   = []string{"Litigation", "Corporate", "Tax", "Real Estate", "Employment", ""}
	// laurelEditable are the string properties PATCH v1 accepts.
	laurelEditable = []string{"firstName", "lastName", "email", "jobTitle", "nickname", "seniority", "department", "office", "subdepartment", "pod"}
)

type laurelRole struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

type laurelIdentity struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type laurelDelegate struct {
	UserID      string             `json:"userId"`
	Permissions []laurelPermission `json:"permissions"`
}

type laurelPermission struct {
	Claim string `json:"claim"`
}

// laurelUser is a user as Laurel's identity service sends it.
type laurelUser struct {
	ID                       string           `json:"_id"`
	CreatedAt                string           `json:"createdAt"`
	UpdatedAt                string           `json:"updatedAt"`
	Email                    string           `json:"email"`
	FirstName                string           `json:"firstName"`
	LastName                 string           `json:"lastName"`
	JobTitle                 string           `json:"jobTitle"`
	Nickname                 string           `json:"nickname"`
	Status                   string           `json:"status"`
	Seniority                string           `json:"seniority"`
	Department               string           `json:"department"`
	Office                   string           `json:"office"`
	Subdepartment            string           `json:"subdepartment"`
	Pod                      string           `json:"pod"`
	GroupIDs                 []string         `json:"groupIds"`
	IsSuperDelegate          bool             `json:"isSuperDelegate"`
	SuperDelegatePermissions map[string]bool  `json:"superDelegatePermissions,omitempty"`
	Roles                    []laurelRole     `json:"roles"`
	Delegates                []laurelDelegate `json:"delegates"`
	Delegators               []laurelDelegate `json:"delegators"`
	Identities               []laurelIdentity `json:"identities"`
	// integrations are the cloud assistants connected for the user; only the
	// v1 list's integration filter sees them.
	integrations []string
}

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

// laurelObjectID makes user i's 24-hex objectid: creation time, a fixed
// "machine" part and i as the counter, so the id leads back to the index.
func laurelObjectID(i int, created time.Time) string {
	return fmt.Sprintf("%08xa1b2c3d4e5%06x", uint32(created.Unix()), i&0xffffff)
}

// laurelIndex recovers the store index from an objectid (-1 when malformed).
func laurelIndex(id string) int {
	if !laurelIsObjectID(id) {
		return -1
	}
	n, err := strconv.ParseInt(id[18:], 16, 64)
	if err != nil {
		return -1
	}
	return int(n)
}

func laurelIsObjectID(s string) bool {
	if len(s) != 24 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// laurelUserAt turns person i into a Laurel user.
func laurelUserAt(i int) laurelUser {
	p := PersonAt(i)
	u := laurelUser{
		ID:            laurelObjectID(i, p.Created),
		CreatedAt:     p.Created.Format(time.RFC3339),
		UpdatedAt:     p.Updated.Format(time.RFC3339),
		Email:         p.Email,
		FirstName:     p.First,
		LastName:      p.Last,
		JobTitle:      p.Title,
		Seniority:     laurelSeniorities[i%len(laurelSeniorities)],
		Department:    p.Department,
		Office:        p.City,
		Subdepartment: laurelPractices[(i/3)%len(laurelPractices)],
		Pod:           fmt.Sprintf("Pod %c", 'A'+rune(i%4)),
		Roles:         []laurelRole{laurelRoles[0]},
		Delegates:     []laurelDelegate{},
		Delegators:    []laurelDelegate{},
	}
	if u.Email == "" {
		u.Email = fmt.Sprintf("user.%d@example.com", i) // Laurel logs in by email
	}
	if i%6 == 0 {
		u.Nickname = strings.SplitN(p.First, "-", 2)[0]
	}
	switch {
	case p.Active:
		u.Status = "active"
	case i%2 == 0:
		u.Status = "adminDisabled"
	default:
		u.Status = "firmDisabled"
	}
	if p.Admin {
		u.Roles = append(u.Roles, laurelRoles[1])
	}
	if i%9 == 4 {
		u.Roles = append(u.Roles, laurelRoles[2])
	}
	if i%4 != 0 {
		u.GroupIDs = []string{fmt.Sprintf("6600000000000000000000%02x", i%3)}
	}
	if i%40 == 7 {
		u.IsSuperDelegate = true
		u.SuperDelegatePermissions = map[string]bool{"canSubmitTime": true, "canEditTime": i%80 == 7}
	}
	perm := []laurelPermission{{Claim: "time:read"}, {Claim: "time:write"}}
	if i%5 == 0 {
		u.Delegates = append(u.Delegates, laurelDelegate{UserID: laurelObjectID(i+1, PersonAt(i+1).Created), Permissions: perm})
	}
	if i%5 == 1 && i > 0 {
		u.Delegators = append(u.Delegators, laurelDelegate{UserID: laurelObjectID(i-1, PersonAt(i-1).Created), Permissions: perm})
	}
	u.Identities = []laurelIdentity{
		{Type: "email", Value: u.Email},
		{Type: "azure", Value: fmt.Sprintf("3f2a%04x-7c1d-4e8b-9a6f-%012x", i%0x10000, i)},
		{Type: "phone-extension", Value: strconv.Itoa(10000 + i)},
	}
	if i%3 == 0 {
		u.Identities = append(u.Identities, laurelIdentity{Type: "salesforce", Value: fmt.Sprintf("0055g%010dAAA", i)})
	}
	if i%4 == 1 {
		u.Identities = append(u.Identities, laurelIdentity{Type: "user-principal-name", Value: strings.Replace(u.Email, "@example.com", "@firm.example", 1)})
	}
	switch i % 3 {
	case 0:
		u.integrations = []string{laurelIntegrations[i%5]}
	case 1:
		u.integrations = []string{laurelIntegrations[i%5], laurelIntegrations[(i+1)%5]}
	}
	return u
}

// LaurelTokensIssued counts the access tokens the token endpoint has issued.
func (s *Server) LaurelTokensIssued() int {
	s.laurel.mu.Lock()
	defer s.laurel.mu.Unlock()
	return s.laurel.issued
}

// FailLaurelStatusOnce makes the next PATCH …/users/{id}/status answer status
// in Laurel's error format without changing anything. ForceError cannot aim
// at it: it matches path prefixes, and the status path shares its prefix
// with every other user request.
func (s *Server) FailLaurelStatusOnce(status int) {
	s.laurel.mu.Lock()
	defer s.laurel.mu.Unlock()
	s.laurel.failStatus = append(s.laurel.failStatus, status)
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

// listV1 answers every matching user as a bare array; integration is required.
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
	if users == nil {
		users = []laurelUser{}
	}
	writeJSON(w, http.StatusOK, users)
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
	total := l.users.Count(match)
	// Skip the earlier pages in bounded chunks, so a late page of a large
	// store does not hold all the skipped users at once.
	from, skip := 0, (page-1)*size
	for skip > 0 && from >= 0 {
		got, next := l.users.Scan(from, min(skip, 1000), match)
		skip -= len(got)
		from = next
	}
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
