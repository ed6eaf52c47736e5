package sandbox

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Credentials the Apideck sandbox accepts (the demo and tests use them).
const (
	ApideckAPIKey     = "sandbox-apideck-key"
	ApideckAppID      = "sandbox-app"
	ApideckConsumerID = "sandbox-consumer"
)

// apideckPrefix is where the Apideck users API lives. It is narrower than
// "/crm/" because Zoho's API lives under "/crm/v2/".
const apideckPrefix = "/crm/users"

// apideckIDBase offsets ids from store indexes so they look like real ids.
const apideckIDBase = 10000

// apideckState is the Apideck protocol's state.
type apideckState struct {
	users   *Store[apideckUser]
	now     func() time.Time
	creates bodyLog
}

// apideckUser is a user as Apideck's CRM API sends it (field order as documented).
type apideckUser struct {
	ID             string           `json:"id"`
	ParentID       string           `json:"parent_id,omitempty"`
	Username       string           `json:"username"`
	FirstName      string           `json:"first_name"`
	LastName       string           `json:"last_name"`
	Title          string           `json:"title"`
	Division       string           `json:"division"`
	Department     string           `json:"department"`
	CompanyName    string           `json:"company_name"`
	EmployeeNumber string           `json:"employee_number"`
	Description    string           `json:"description"`
	Image          string           `json:"image,omitempty"`
	Language       string           `json:"language"`
	Status         string           `json:"status"`
	Addresses      []apideckAddress `json:"addresses"`
	PhoneNumbers   []apideckPhone   `json:"phone_numbers"`
	Emails         []apideckEmail   `json:"emails"`
	UpdatedAt      string           `json:"updated_at"`
	CreatedAt      string           `json:"created_at"`
}

type apideckEmail struct {
	ID    string `json:"id,omitempty"`
	Email string `json:"email"`
	Type  string `json:"type,omitempty"`
}

type apideckPhone struct {
	ID          string `json:"id,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
	AreaCode    string `json:"area_code,omitempty"`
	Number      string `json:"number"`
	Extension   string `json:"extension,omitempty"`
	Type        string `json:"type,omitempty"`
}

type apideckAddress struct {
	ID      string `json:"id,omitempty"`
	Type    string `json:"type,omitempty"`
	City    string `json:"city,omitempty"`
	Country string `json:"country,omitempty"`
}

// apideckTime is the documented timestamp form, e.g. 2017-08-12T20:43:21.291Z.
const apideckTime = "2006-01-02T15:04:05.000Z07:00"

var (
	apideckCompanies = []string{"Acme Corp", "Globex", "Initech", "Umbrella Industries", "Hooli"}
	apideckDivisions = map[string]string{"PT": "Europe", "CH": "Europe", "IS": "Europe", "JP": "Asia Pacific",
		"NZ": "Asia Pacific", "BR": "Latin America", "CA": "North America", "KE": "Africa"}
	apideckLanguages = map[string]string{"PT": "PT", "CH": "DE", "JP": "JA", "BR": "PT", "IS": "IS", "KE": "EN", "CA": "EN", "NZ": "EN"}
)

func apideckID(i int) string { return strconv.Itoa(apideckIDBase + i) }

func apideckIndex(id string) (int, bool) {
	n, err := strconv.Atoi(id)
	if err != nil || n < apideckIDBase || strconv.Itoa(n) != id {
		return 0, false
	}
	return n - apideckIDBase, true
}

// apideckUserAt turns person i into an Apideck user.
func apideckUserAt(i int) apideckUser {
	p := PersonAt(i)
	id := apideckID(i)
	u := apideckUser{
		ID: id, Username: fmt.Sprintf("%s%d", asciiSlug(p.First), i),
		FirstName: p.First, LastName: p.Last, Title: p.Title, Division: apideckDivisions[p.Country],
		Department: p.Department, CompanyName: apideckCompanies[i%len(apideckCompanies)],
		EmployeeNumber: fmt.Sprintf("E-%05d", i), Language: apideckLanguages[p.Country],
		Status:    "inactive",
		Addresses: []apideckAddress{{ID: id + "-a1", Type: "office", City: p.City, Country: p.Country}},
		Emails:    []apideckEmail{},
		UpdatedAt: p.Updated.UTC().Format(apideckTime), CreatedAt: p.Created.UTC().Format(apideckTime),
	}
	if p.Active {
		u.Status = "active"
	}
	if i%9 == 4 {
		u.Description = "Covers strategic accounts; prefers email over calls."
	}
	if i%25 == 1 {
		u.ParentID = apideckID(i - 1)
	}
	if parts := strings.Fields(p.Phone); len(parts) == 4 {
		u.PhoneNumbers = []apideckPhone{{ID: id + "-p1", CountryCode: strings.TrimPrefix(parts[0], "+"),
			AreaCode: parts[1], Number: parts[2] + "-" + parts[3], Type: "work"}}
	}
	if p.Email != "" {
		u.Emails = append(u.Emails, apideckEmail{ID: id + "-e1", Email: p.Email, Type: "primary"})
		if i%3 == 0 {
			u.Emails = append(u.Emails, apideckEmail{ID: id + "-e2", Email: fmt.Sprintf("%s.%d@home.example.org", asciiSlug(p.First), i), Type: "secondary"})
		}
	}
	return u
}

// mountApideck registers the Apideck protocol's routes on s.mux.
func (s *Server) mountApideck() {
	st := &apideckState{users: NewStore(s.opts.Users, apideckUserAt), now: s.opts.Now}
	s.apideck = st
	s.registerProtocol(writeApideckForced, apideckPrefix)
	s.mux.HandleFunc(apideckPrefix, st.authorized(st.collection))
	s.mux.HandleFunc(apideckPrefix+"/{id}", st.authorized(st.item))
	s.registerToucher(apideckPrefix+"/{id}", st.touch)
}

// touch edits a user as a colleague would, for the "modify" fault.
func (st *apideckState) touch(id string) bool {
	i, ok := apideckIndex(id)
	if !ok {
		return false
	}
	_, err := st.users.Update(i, func(u apideckUser) (apideckUser, error) {
		now := st.now().UTC()
		u.Description = "Edited by a colleague at " + now.Format(time.Kitchen)
		u.UpdatedAt = now.Format(apideckTime)
		return u, nil
	})
	return err == nil
}

// apideckError is the documented error body.
type apideckError struct {
	StatusCode int    `json:"status_code"`
	Error      string `json:"error"`
	TypeName   string `json:"type_name"`
	Message    string `json:"message"`
	Detail     any    `json:"detail,omitempty"`
	Ref        string `json:"ref"`
}

func writeApideckError(w http.ResponseWriter, status int, typeName, message string, detail any) {
	writeJSON(w, status, apideckError{StatusCode: status, Error: http.StatusText(status), TypeName: typeName,
		Message: message, Detail: detail, Ref: "https://developers.apideck.com/errors#" + strings.ToLower(typeName)})
}

// writeApideckForced answers an injected error the way Apideck would; a 429
// carries the downstream rate-limit headers Apideck passes through.
func writeApideckForced(w http.ResponseWriter, r *http.Request, status int, message string, retryAfter time.Duration) {
	typeName := map[int]string{400: "RequestValidationError", 401: "UnauthorizedError", 402: "RequestLimitError",
		404: "EntityNotFoundError", 422: "InvalidStateError", 429: "ConnectorRateLimitError",
		501: "ConnectorOperationUnsupportedError"}[status]
	switch {
	case typeName != "":
	case status >= 502:
		typeName = "ConnectorExecutionError"
	default:
		typeName = "UnexpectedError"
	}
	if status == http.StatusTooManyRequests {
		reset := retryAfter
		if reset <= 0 {
			reset = time.Minute
		}
		w.Header().Set("x-downstream-ratelimit-limit", "100")
		w.Header().Set("x-downstream-ratelimit-remaining", "0")
		w.Header().Set("x-downstream-ratelimit-reset", strconv.FormatInt(time.Now().Add(reset).Unix(), 10))
	}
	writeApideckError(w, status, typeName, message, "The request was answered by the Roster sandbox's fault injection")
}

// authorized checks the credentials headers before h runs.
func (st *apideckState) authorized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		appID, consumer := r.Header.Get("x-apideck-app-id"), r.Header.Get("x-apideck-consumer-id")
		switch {
		case auth == "":
			writeApideckError(w, 401, "UnauthorizedError", "Unauthorized Request", "Missing authentication")
		case auth != "Bearer "+ApideckAPIKey:
			writeApideckError(w, 401, "UnauthorizedError", "Unauthorized Request", "Invalid API key")
		case appID == "" || consumer == "":
			missing := []map[string]string{}
			for _, h := range []struct{ name, v string }{{"x-apideck-app-id", appID}, {"x-apideck-consumer-id", consumer}} {
				if h.v == "" {
					missing = append(missing, map[string]string{h.name: "required"})
				}
			}
			writeApideckError(w, 400, "RequestHeadersValidationError", "Invalid request headers", map[string]any{"missing": missing})
		case appID != ApideckAppID:
			writeApideckError(w, 401, "UnauthorizedError", "Unauthorized Request", "Unknown application id")
		case consumer != ApideckConsumerID:
			writeApideckError(w, 401, "UnauthorizedError", "Unauthorized Request", "Unknown consumer id")
		default:
			h(w, r)
		}
	}
}

// envelope is the documented success body.
func envelope(r *http.Request, status int, operation string, data any) map[string]any {
	service := r.Header.Get("x-apideck-service-id")
	if service == "" {
		service = "roster-sandbox"
	}
	return map[string]any{"status_code": status, "status": http.StatusText(status), "service": service,
		"resource": "users", "operation": operation, "data": data}
}

func (st *apideckState) collection(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		st.list(w, r)
	case http.MethodPost:
		st.create(w, r)
	default:
		writeApideckError(w, 405, "MethodNotAllowedError", "Method not allowed", r.Method+" is not supported on "+r.URL.Path)
	}
}

func (st *apideckState) item(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	i, ok := apideckIndex(id)
	if !ok {
		writeApideckError(w, 404, "EntityNotFoundError", "Unknown User", fmt.Sprintf("Could not find user with id: '%s'", id))
		return
	}
	switch r.Method {
	case http.MethodGet:
		u, found := st.users.Get(i)
		if !found {
			writeApideckError(w, 404, "EntityNotFoundError", "Unknown User", fmt.Sprintf("Could not find user with id: '%s'", id))
			return
		}
		writeJSON(w, 200, envelope(r, 200, "one", u))
	case http.MethodPatch:
		st.update(w, r, i, id)
	case http.MethodDelete:
		if _, found := st.users.Delete(i); !found {
			writeApideckError(w, 404, "EntityNotFoundError", "Unknown User", fmt.Sprintf("Could not find user with id: '%s'", id))
			return
		}
		writeJSON(w, 200, envelope(r, 200, "delete", map[string]string{"id": id}))
	default:
		writeApideckError(w, 405, "MethodNotAllowedError", "Method not allowed", r.Method+" is not supported on "+r.URL.Path)
	}
}

// apideckCursor encodes a store index as an opaque cursor, like Apideck's
// base64 "connector::page::n" cursors.
func apideckCursor(index int) string {
	return base64.StdEncoding.EncodeToString([]byte("roster-sandbox::index::" + strconv.Itoa(index)))
}

func apideckCursorIndex(c string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "roster-sandbox::index::"))
	if err != nil || n < 0 || !strings.HasPrefix(string(b), "roster-sandbox::index::") {
		return 0, false
	}
	return n, true
}

func (st *apideckState) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			writeApideckError(w, 400, "RequestValidationError", "Invalid Params",
				map[string]any{"invalid": []map[string]string{{"limit": "must be an integer between 1 and 200"}}})
			return
		}
		limit = n
	}
	start := 0
	if c := q.Get("cursor"); c != "" {
		n, ok := apideckCursorIndex(c)
		if !ok {
			writeApideckError(w, 400, "InvalidCursorError", "Invalid cursor", "The cursor "+strconv.Quote(c)+" is not one this API gave out")
			return
		}
		start = n
	}
	users, next := st.users.Scan(start, limit, nil) // the users docs list no search or filter parameter
	if users == nil {
		users = []apideckUser{}
	}
	cursors := map[string]any{"previous": nil, "current": apideckCursor(start), "next": nil}
	links := map[string]any{"previous": nil, "current": apideckLink(r, apideckCursor(start)), "next": nil}
	if prev, ok := st.previousStart(start, limit); ok {
		cursors["previous"], links["previous"] = apideckCursor(prev), apideckLink(r, apideckCursor(prev))
	}
	if next >= 0 {
		cursors["next"], links["next"] = apideckCursor(next), apideckLink(r, apideckCursor(next))
	}
	body := envelope(r, 200, "all", users)
	body["meta"] = map[string]any{"items_on_page": len(users), "cursors": cursors, "total_count": st.users.Count(nil)}
	body["links"] = links
	writeJSON(w, 200, body)
}

// previousStart finds where the previous page began: limit users back.
func (st *apideckState) previousStart(start, limit int) (int, bool) {
	return st.users.Back(start, limit, nil)
}

func apideckLink(r *http.Request, cursor string) string {
	q := r.URL.Query()
	q.Set("cursor", cursor)
	return "http://" + r.Host + r.URL.Path + "?" + q.Encode()
}
