package zoho

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// kindForCode refines the HTTP status with Zoho's documented codes.
var kindForCode = map[string]crm.ErrorKind{
	"INVALID_TOKEN":          crm.KindUnauthorized,
	"OAUTH_SCOPE_MISMATCH":   crm.KindUnauthorized,
	"AUTHENTICATION_FAILURE": crm.KindUnauthorized,
	"NO_PERMISSION":          crm.KindForbidden,
	"AUTHORIZATION_FAILED":   crm.KindForbidden,
	"INVALID_URL_PATTERN":    crm.KindNotFound,
	"ID_ALREADY_DELETED":     crm.KindNotFound,
	"INVALID_DATA":           crm.KindValidation,
	"PATTERN_NOT_MATCHED":    crm.KindValidation,
	"MANDATORY_NOT_FOUND":    crm.KindValidation,
	"LIMIT_EXCEEDED":         crm.KindValidation,
	"INVALID_REQUEST_METHOD": crm.KindUnsupported,
	"TOO_MANY_REQUESTS":      crm.KindRateLimited,
	"INTERNAL_ERROR":         crm.KindTransient,
}

// errorDetails are the parts of Zoho's "details" object Roster uses.
type errorDetails struct {
	APIName          string `json:"api_name"`
	ExpectedDataType string `json:"expected_data_type"`
}

// zohoError builds the typed error for one of Zoho's error objects (a top
// level answer or an item of a write's answer).
func (p *Provider) zohoError(op string, status int, header http.Header, it itemResult) *crm.Error {
	e := &crm.Error{Provider: p.name, Op: op, Status: status, Code: it.Code, Message: it.Message,
		Kind: crm.KindForStatus(status)}
	if k, ok := kindForCode[it.Code]; ok {
		e.Kind = k
	}
	var d errorDetails
	_ = json.Unmarshal(it.Details, &d) // details are optional and free-form
	switch {
	case d.APIName == "id" && it.Code == "INVALID_DATA":
		// "the id given seems to be invalid": Zoho's way of saying no such user.
		e.Kind = crm.KindNotFound
	case d.APIName != "" && e.Kind == crm.KindValidation:
		msg := it.Message
		if d.ExpectedDataType != "" {
			msg = fmt.Sprintf("%s (expected %s)", msg, d.ExpectedDataType)
		}
		e.Fields = map[string]string{d.APIName: msg}
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(it.Code)
	}
	if e.Kind == crm.KindRateLimited {
		// Zoho documents no Retry-After; use it when a proxy adds one.
		e.RetryAfter = httpx.RetryAfter(header, p.now())
	}
	return e
}

// decodeError turns a non-2xx answer into a *crm.Error with Zoho's words.
func (p *Provider) decodeError(op string, resp *httpx.Response) *crm.Error {
	var it itemResult
	if err := json.Unmarshal(resp.Body, &it); err != nil || (it.Code == "" && it.Message == "") {
		e := &crm.Error{Provider: p.name, Op: op, Status: resp.Status, Kind: crm.KindForStatus(resp.Status),
			Message: httpx.Snippet(resp.Body)}
		if e.Kind == crm.KindUnknown {
			e.Kind = crm.KindBadResponse
		}
		if e.Kind == crm.KindRateLimited {
			e.RetryAfter = httpx.RetryAfter(resp.Header, p.now())
		}
		return e
	}
	return p.zohoError(op, resp.Status, resp.Header, it)
}

// notModified is the answer to a conditional list when nothing changed.
func (p *Provider) notModified(op, since string) *crm.Error {
	return &crm.Error{Kind: crm.KindNotModified, Provider: p.name, Op: op, Status: http.StatusNotModified,
		Message: "nothing changed since " + since}
}
