package sandbox

import (
	"crypto/rand"
	"net/http"
	"strings"
	"time"
)

// Credentials the sandbox's Zoho accounts server accepts (PROVIDERS.md §3).
const (
	ZohoClientID     = "1000.ROSTERSANDBOXCLIENT"
	ZohoClientSecret = "roster-sandbox-zoho-client-secret"
	ZohoRefreshToken = "1000.roster-sandbox.refresh-token"
)

const (
	zohoTokenLimit  = 10 // access tokens per refresh token per window
	zohoTokenWindow = 10 * time.Minute
)

// SetZohoTokenLifetime sets how long access tokens issued from now on last
// (an hour by default, as Zoho's do). Tests shorten it and move Options.Now
// instead of sleeping; golang.org/x/oauth2 clients treat a token as expired
// ten seconds early, so lifetimes under that make them refresh every call.
func (s *Server) SetZohoTokenLifetime(d time.Duration) {
	s.zoho.mu.Lock()
	defer s.zoho.mu.Unlock()
	s.zoho.lifetime = d
}

// ZohoTokensIssued counts the access tokens the token endpoint has issued.
func (s *Server) ZohoTokensIssued() int {
	s.zoho.mu.Lock()
	defer s.zoho.mu.Unlock()
	return s.zoho.issued
}

// IssueZohoAccessToken mints an access token directly (for configurations
// with a static access_token). It is not counted by ZohoTokensIssued.
func (s *Server) IssueZohoAccessToken() string {
	s.zoho.mu.Lock()
	defer s.zoho.mu.Unlock()
	return s.zoho.mint(s.opts.Now())
}

// mint stores a new access token; the caller holds mu.
func (z *zohoState) mint(now time.Time) string {
	for t, exp := range z.tokens {
		if !now.Before(exp) {
			delete(z.tokens, t)
		}
	}
	tok := "1000." + strings.ToLower(rand.Text())
	z.tokens[tok] = now.Add(z.lifetime)
	return tok
}

// zohoToken is the accounts server's refresh_token grant. Zoho answers bad
// credentials with HTTP 200 and an "error" field, and too many refreshes with
// 400 "Access Denied".
func (s *Server) zohoToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request"})
		return
	}
	if err := r.ParseForm(); err != nil { // form body and query alike
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	switch {
	case r.Form.Get("grant_type") != "refresh_token":
		writeJSON(w, http.StatusOK, map[string]string{"error": "unsupported_grant_type"})
		return
	case r.Form.Get("client_id") != ZohoClientID || r.Form.Get("client_secret") != ZohoClientSecret:
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_client"})
		return
	case r.Form.Get("refresh_token") != ZohoRefreshToken:
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_code"})
		return
	}
	z := s.zoho
	now := s.opts.Now()
	z.mu.Lock()
	recent := z.issuedAt[:0]
	for _, t := range z.issuedAt {
		if now.Sub(t) < zohoTokenWindow {
			recent = append(recent, t)
		}
	}
	z.issuedAt = recent
	if len(recent) >= zohoTokenLimit {
		z.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Access Denied",
			"error_description": "You have made too many requests continuously. Please try again after some time.",
			"status":            "failure"})
		return
	}
	z.issuedAt = append(z.issuedAt, now)
	z.issued++
	tok := z.mint(now)
	lifetime := z.lifetime
	z.mu.Unlock()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "api_domain": scheme + "://" + r.Host,
		"token_type": "Bearer", "expires_in": int(lifetime.Seconds())})
}

// zohoAuth checks the Zoho-oauthtoken header against live tokens.
func (s *Server) zohoAuth(r *http.Request) (zohoErr, int) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Zoho-oauthtoken ")
	if !ok || tok == "" {
		return zohoError("AUTHENTICATION_FAILURE", "Authentication failed", nil), http.StatusUnauthorized
	}
	s.zoho.mu.Lock()
	exp, known := s.zoho.tokens[tok]
	s.zoho.mu.Unlock()
	if !known || !s.opts.Now().Before(exp) {
		return zohoError("INVALID_TOKEN", "invalid oauth token", nil), http.StatusUnauthorized
	}
	return zohoErr{}, 0
}
