package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Secrets a provider exchange carries; none may reach a trace.
var testSecrets = []string{
	"cs-very-secret-1",  // client_secret
	"rt-refresh-abcdef", // refresh_token
	"at-access-123456",  // access_token
	"auth-code-98765",   // OAuth code
	"sk_live_apideck42", // API key (bearer)
	"sess-cookie-zzz",   // cookie
	"hunter2-password",  // password
}

func tokenAndAPIServer(t *testing.T) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/oauth/token":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "sess-cookie-zzz"})
			io.WriteString(w, `{"access_token":"at-access-123456","refresh_token":"rt-refresh-abcdef","expires_in":3600,"token_type":"Bearer"}`)
		default:
			io.WriteString(w, `{"data":[{"id":"1","name":"Ada"}]}`)
		}
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestTraceNeverShowsSecrets(t *testing.T) {
	ts := tokenAndAPIServer(t)
	var trace bytes.Buffer
	hc := NewHTTPClient(Options{Trace: &trace})

	// A token request, as Zoho and Laurel send it: a form with secrets.
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {"roster-app"},
		"client_secret": {"cs-very-secret-1"}, "refresh_token": {"rt-refresh-abcdef"}, "code": {"auth-code-98765"}}
	req, _ := http.NewRequest("POST", ts.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "session=sess-cookie-zzz")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	tokenBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(tokenBody), "at-access-123456") {
		t.Fatalf("the trace changed what the caller reads: %s", tokenBody)
	}

	// An authorised API call with credentials in headers, query and body.
	c := &Client{Provider: "apideck", BaseURL: ts.URL, HTTP: hc,
		Header: http.Header{"X-Apideck-App-Id": {"app-1"}, "X-Apideck-Consumer-Key": {"sk_live_apideck42"}},
		Authorize: func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer sk_live_apideck42")
			return nil
		}}
	_, err = c.Do(context.Background(), Request{Method: "PATCH", Path: "/crm/users/1",
		Query: url.Values{"access_token": {"at-access-123456"}, "limit": {"20"}},
		Body:  map[string]string{"name": "Ada", "password": "hunter2-password"}})
	if err != nil {
		t.Fatal(err)
	}

	out := trace.String()
	for _, s := range testSecrets {
		if strings.Contains(out, s) {
			t.Errorf("trace shows secret %q:\n%s", s, out)
		}
	}
	// …and still shows what an admin debugging needs.
	for _, want := range []string{"→ POST " + ts.URL + "/oauth/token", "client_id=roster-app", "← 200 OK",
		"→ PATCH " + ts.URL + "/crm/users/1?access_token=REDACTED&limit=20", "X-Apideck-App-Id: app-1", `\"name\":\"Ada\"`} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
}

func TestErrorsNeverQuoteSecretURLs(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	u := ts.URL
	ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &Client{Provider: "zoho", BaseURL: u}
	_, err := c.Do(ctx, Request{Method: "GET", Path: "/users", Query: url.Values{"access_token": {"at-access-123456"}}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if strings.Contains(err.Error(), "at-access-123456") {
		t.Fatalf("error shows the token: %v", err)
	}
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		`refresh failed: {"error":"invalid_client","client_secret":"cs-very-secret-1"}`: `refresh failed: {"error":"invalid_client","client_secret":"REDACTED"}`,
		`POST /token?code=auth-code-98765&state=x`:                                      `POST /token?code=REDACTED&state=x`,
		`grant_type=refresh_token&refresh_token=rt-refresh-abcdef`:                      `grant_type=refresh_token&refresh_token=REDACTED`,
		`Authorization: Bearer sk_live_apideck42`:                                       `Authorization: REDACTED`,
		`sent Zoho-oauthtoken at-access-123456 to zoho`:                                 `sent Zoho-oauthtoken REDACTED to zoho`,
		`{"code":"INVALID_DATA","message":"invalid email"}`:                             `{"code":"INVALID_DATA","message":"invalid email"}`,
		`missing Bearer token`:                                                          `missing Bearer token`,
	}
	for in, want := range cases {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}
