package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/sandbox"
)

// Secret values configured for the echo tests: long and unlike any pattern
// (no "Bearer", no key=), so only value redaction can hide them.
const (
	echoAPIKey       = "apideck-KEY-7f3a9c2e11"
	echoTrutoToken   = "truto-TOKEN-55d0b8e4aa"
	echoZohoSecret   = "zoho-CLIENTSECRET-91ab"
	echoZohoRefresh  = "zoho-REFRESH-1000.c0ffee"
	echoLaurelSecret = "laurel-CLIENTSECRET-e2e"
)

var echoSecrets = []string{echoAPIKey, echoTrutoToken, echoZohoSecret, echoZohoRefresh, echoLaurelSecret}

// echoText is what a careless provider answers: every configured secret
// the request carried (in a header, the query or the body), bare and after
// a scheme.
func echoText(r *http.Request) string {
	body, _ := io.ReadAll(r.Body)
	sent := fmt.Sprint(r.Header, r.URL.RawQuery, string(body))
	var b strings.Builder
	for _, s := range echoSecrets {
		if strings.Contains(sent, s) {
			fmt.Fprintf(&b, "Invalid API key %s; Authorization: Bearer %s. ", s, s)
		}
	}
	return b.String()
}

func writeEcho(w http.ResponseWriter, r *http.Request) {
	text := echoText(r)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", "Bearer realm="+text)
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprintf(w, `{"error":"invalid_client","error_description":%q,"message":%q,"detail":%q,"status_code":401}`, text, text, text)
}

// echoConfig writes a config with all four kinds pointing at url.
func echoConfig(t *testing.T, url string) (config, auditLog string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	config, auditLog = filepath.Join(dir, "config.toml"), filepath.Join(dir, "audit.jsonl")
	doc := `
[providers.deck]
kind = "apideck"
base_url = "` + url + `"
api_key = "` + echoAPIKey + `"
app_id = "app"
consumer_id = "consumer"

[providers.truto]
kind = "truto"
base_url = "` + url + `"
token = "` + echoTrutoToken + `"
integrated_account_id = "acct"

[providers.zoho]
kind = "zoho"
base_url = "` + url + `"
accounts_url = "` + url + `"
client_id = "zoho-client"
client_secret = "` + echoZohoSecret + `"
refresh_token = "` + echoZohoRefresh + `"

[providers.laurel]
kind = "laurel"
base_url = "` + url + `"
token_url = "` + url + `/api/v1/oauth/token"
client_id = "laurel-client"
client_secret = "` + echoLaurelSecret + `"
customer_id = "0123456789abcdef01234567"

[ssh]
audit_log = "` + auditLog + `"
`
	if err := os.WriteFile(config, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return config, auditLog
}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range echoSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the secret %q:\n%s", where, s, text)
		}
	}
}

// A provider that echoes the credentials it was sent (API key, Zoho's
// refresh token and client secret at the token endpoint, Laurel's client
// secret) never gets them printed: not on stdout, not in the error, not in
// --debug traces.
func TestEchoedSecretsAreRedactedEverywhere(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(writeEcho))
	defer srv.Close()
	config, _ := echoConfig(t, srv.URL)
	for _, provider := range []string{"deck", "truto", "zoho", "laurel"} {
		for _, args := range [][]string{
			{"users", "get", "0123456789abcdef01234567"},
			{"users", "list", "--json"},
			{"--debug", "users", "list"},
		} {
			argv := append([]string{"--config", config, "--provider", provider}, args...)
			out, errOut, err := runRoster(t.Context(), argv...)
			if err == nil {
				t.Errorf("%s %v: no error from a provider answering 401", provider, args)
				continue
			}
			where := fmt.Sprintf("%s %v", provider, args)
			assertNoSecret(t, where+" stdout", out)
			assertNoSecret(t, where+" stderr", errOut)
			assertNoSecret(t, where+" error", err.Error())
			t.Logf("%s: %v", where, err)
			if !strings.Contains(err.Error(), "REDACTED") && !strings.Contains(err.Error(), "401") {
				t.Errorf("%s: the provider's own words are lost: %v", where, err)
			}
		}
	}
}

// A provider that echoes the key when refusing a change: the audit entry
// of the failed update holds no secret either.
func TestEchoedSecretsNeverReachTheAuditLog(t *testing.T) {
	run, err := sandbox.New(sandbox.Options{}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	target, _ := url.Parse(run.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			r.Header.Set("Authorization", "Bearer "+sandbox.ApideckAPIKey)
			r.Header.Set("x-apideck-app-id", sandbox.ApideckAppID)
			r.Header.Set("x-apideck-consumer-id", sandbox.ApideckConsumerID)
			proxy.ServeHTTP(w, r)
			return
		}
		writeEcho(w, r)
	}))
	defer srv.Close()
	config, auditLog := echoConfig(t, srv.URL)

	out, _, err := runRoster(t.Context(), "--config", config, "--provider", "deck", "users", "list", "--json", "--limit", "1")
	if err != nil {
		t.Fatalf("list through the proxy: %v", err)
	}
	id := jsonUsers(t, out)[0]["id"].(string)
	out, errOut, err := runRoster(t.Context(), "--config", config, "--provider", "deck", "users", "update", id, "--set", "title=Echo")
	if err == nil {
		t.Fatal("update answered 401 reported no error")
	}
	assertNoSecret(t, "update stdout", out)
	assertNoSecret(t, "update stderr", errOut)
	assertNoSecret(t, "update error", err.Error())
	trail, rerr := os.ReadFile(auditLog)
	if rerr != nil {
		t.Fatalf("no audit log after a refused update: %v", rerr)
	}
	if !strings.Contains(string(trail), `"action":"update"`) {
		t.Errorf("the refused update is not audited:\n%s", trail)
	}
	assertNoSecret(t, "audit log", string(trail))
}
