package apideck

import (
	"net/http"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
)

// Bodies here are shaped as Apideck documents them; the sandbox cannot send
// every connector's variant, so the decoder is also checked on its own.
func TestDecodeError(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name    string
		status  int
		header  http.Header
		body    string
		kind    crm.ErrorKind
		message string
		fields  map[string]string
		retry   time.Duration
	}{
		{
			name: "object detail names fields", status: 400,
			body:    `{"status_code":400,"error":"Bad Request","type_name":"RequestValidationError","message":"Invalid Params","detail":{"missing":[{"emails":"required"}],"invalid":[{"first_name":"too long"}]},"ref":"x"}`,
			kind:    crm.KindValidation,
			message: "Invalid Params",
			fields:  map[string]string{"email": "required", "first_name": "too long"},
		},
		{
			name: "string detail joins the message", status: 401,
			body:    `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Missing authentication","ref":"x"}`,
			kind:    crm.KindUnauthorized,
			message: "Unauthorized Request: Missing authentication",
		},
		{
			name: "connector cannot do it", status: 501,
			body:    `{"status_code":501,"error":"Not Implemented","type_name":"ConnectorOperationUnsupportedError","message":"Operation not supported","detail":"pipedrive does not support users update","ref":"x"}`,
			kind:    crm.KindUnsupported,
			message: "Operation not supported: pipedrive does not support users update",
		},
		{
			name: "rate limit without Retry-After uses the downstream reset", status: 429,
			header:  http.Header{"X-Downstream-Ratelimit-Reset": {"1700000042"}},
			body:    `{"status_code":429,"error":"Too Many Requests","type_name":"ConnectorRateLimitError","message":"Connector Rate Limit Error","ref":"x"}`,
			kind:    crm.KindRateLimited,
			message: "Connector Rate Limit Error",
			retry:   42 * time.Second,
		},
		{
			name: "Retry-After wins over the reset", status: 429,
			header: http.Header{"Retry-After": {"3"}, "X-Downstream-Ratelimit-Reset": {"1700000042"}},
			body:   `{"status_code":429,"type_name":"ConnectorRateLimitError","message":"slow down"}`,
			kind:   crm.KindRateLimited, message: "slow down", retry: 3 * time.Second,
		},
		{
			name: "a proxy's HTML page keeps the status kind", status: 502,
			body: `<html><body>Bad Gateway</body></html>`,
			kind: crm.KindTransient, message: `<html><body>Bad Gateway</body></html>`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			e := decodeError("apideck", "list users", tc.status, h, []byte(tc.body), now)
			if e.Kind != tc.kind || e.Message != tc.message || e.RetryAfter != tc.retry {
				t.Errorf("got kind %v message %q retry %s; want %v %q %s", e.Kind, e.Message, e.RetryAfter, tc.kind, tc.message, tc.retry)
			}
			if len(e.Fields) != len(tc.fields) {
				t.Fatalf("fields = %v, want %v", e.Fields, tc.fields)
			}
			for k, v := range tc.fields {
				if e.Fields[k] != v {
					t.Errorf("field %s = %q, want %q", k, e.Fields[k], v)
				}
			}
		})
	}
}

func TestReplacePrimaryKeepsOtherAddresses(t *testing.T) {
	in := []wireEmail{{Email: "w@x.io", Type: "work"}, {ID: "1", Email: "p@x.io", Type: "primary"}}
	out := replacePrimary(in, "new@x.io")
	if len(out) != 2 || out[0] != in[0] || out[1] != (wireEmail{ID: "1", Email: "new@x.io", Type: "primary"}) {
		t.Errorf("replace: %+v", out)
	}
	if out := replacePrimary(nil, "a@b.io"); len(out) != 1 || out[0].Type != "primary" {
		t.Errorf("add to empty: %+v", out)
	}
	if out := replacePrimary(in, ""); len(out) != 1 || out[0] != in[0] {
		t.Errorf("clear: %+v", out)
	}
}
