package apideck

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// errorBody is Apideck's documented error: detail is a string or an object
// such as {"missing":[{"email":"required"}]}.
type errorBody struct {
	StatusCode int             `json:"status_code"`
	Error      string          `json:"error"`
	TypeName   string          `json:"type_name"`
	Message    string          `json:"message"`
	Detail     json.RawMessage `json:"detail"`
	Ref        string          `json:"ref"`
}

// kindForType refines the status with Apideck's type_name.
var kindForType = map[string]crm.ErrorKind{
	"UnauthorizedError":             crm.KindUnauthorized,
	"ConnectorCredentialsError":     crm.KindUnauthorized,
	"RequestHeadersValidationError": crm.KindUnauthorized, // a missing app or consumer id is a credentials problem
	// 402: the Apideck plan's call allowance is used up; waiting seconds
	// does not help, so it is not a rate limit to retry.
	"RequestLimitError":                  crm.KindForbidden,
	"ConnectorDisabledError":             crm.KindForbidden,
	"EntityNotFoundError":                crm.KindNotFound,
	"RequestValidationError":             crm.KindValidation,
	"InvalidStateError":                  crm.KindValidation,
	"ConnectorRateLimitError":            crm.KindRateLimited,
	"ConnectorOperationUnsupportedError": crm.KindUnsupported,
	"UnsupportedFiltersError":            crm.KindUnsupported,
	"UnsupportedSortFieldError":          crm.KindUnsupported,
	"ConnectorExecutionError":            crm.KindTransient,
}

// decodeError turns a non-2xx answer into a *crm.Error with Apideck's words.
func decodeError(provider, op string, status int, header http.Header, body []byte, now time.Time) *crm.Error {
	e := &crm.Error{Provider: provider, Op: op, Status: status, Kind: crm.KindForStatus(status)}
	var b errorBody
	if err := json.Unmarshal(body, &b); err != nil || (b.TypeName == "" && b.Message == "" && len(b.Detail) == 0) {
		e.Message = httpx.Snippet(body)
		if e.Kind == crm.KindUnknown {
			e.Kind = crm.KindBadResponse
		}
	} else {
		e.Code = b.TypeName
		if k, ok := kindForType[b.TypeName]; ok {
			e.Kind = k
		}
		detail, fields := decodeDetail(b.Detail)
		e.Message = joinMessage(b.Message, detail)
		e.Fields = fields
	}
	if e.Kind == crm.KindRateLimited {
		e.RetryAfter = retryAfter(header, now)
	}
	return e
}

// joinMessage keeps both the message and a string detail, verbatim.
func joinMessage(message, detail string) string {
	switch {
	case detail == "" || detail == message:
		return message
	case message == "":
		return detail
	}
	return message + ": " + detail
}

// decodeDetail returns a string detail, or the per-field messages of an
// object detail. Wire field paths are mapped to schema keys (see fieldKey).
func decodeDetail(raw json.RawMessage) (string, map[string]string) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return strings.TrimSpace(string(raw)), nil
	}
	fields := map[string]string{}
	add := func(field string, v json.RawMessage) {
		msg := text(v)
		key := fieldKey(field)
		if old, ok := fields[key]; ok && old != msg {
			msg = old + "; " + msg
		}
		fields[key] = msg
	}
	categories := make([]string, 0, len(obj))
	for k := range obj {
		categories = append(categories, k)
	}
	sort.Strings(categories)
	for _, category := range categories {
		v := obj[category]
		var list []map[string]json.RawMessage
		var inner map[string]json.RawMessage
		switch {
		case json.Unmarshal(v, &list) == nil && list != nil:
			for _, item := range list {
				for f, m := range item {
					add(f, m)
				}
			}
		case json.Unmarshal(v, &inner) == nil && inner != nil:
			for f, m := range inner {
				add(f, m)
			}
		default:
			add(category, v)
		}
	}
	if len(fields) == 0 {
		return strings.TrimSpace(string(raw)), nil
	}
	return "", fields
}

// fieldKey maps a wire field path to the schema key a user edits: any path
// into the emails list belongs to the synthetic primary "email" field.
func fieldKey(path string) string {
	if path == "emails" || strings.HasPrefix(path, "emails[") || strings.HasPrefix(path, "emails.") {
		return emailKey
	}
	return path
}

// text is a JSON value as words: strings unquoted, anything else as JSON.
func text(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
}

// retryAfter prefers Retry-After, else the downstream reset time (unix seconds).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if d := httpx.RetryAfter(h, now); d > 0 {
		return d
	}
	reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("x-downstream-ratelimit-reset")), 10, 64)
	if err != nil {
		return 0
	}
	if d := time.Unix(reset, 0).Sub(now); d > 0 {
		return d.Round(time.Second)
	}
	return 0
}
