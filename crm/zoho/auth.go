package zoho

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/roster-tui/roster/crm"
)

// token is an access token and the API domain the accounts server sent with it.
type token struct {
	access    string
	apiDomain string
	oauth     *oauth2.Token // nil for a static access token
}

// valid reports whether the token may still be used (golang.org/x/oauth2's
// rule: not within ten seconds of its expiry).
func (t *token) valid() bool { return t.oauth == nil || t.oauth.Valid() }

// tokenCache holds the provider's one access token, shared by every request.
// It refreshes only when the token is missing, about to expire or refused
// as INVALID_TOKEN, and then once for all concurrent callers: Zoho grants at
// most ten tokens per refresh token in ten minutes.
//
// It is not an oauth2.ReuseTokenSource because that cannot honour a
// request's context: a stuck accounts server would hold every caller on its
// mutex, past any cancelled view. Here waiting for the refresh is a select
// on the caller's context, and the refresh itself runs with that context.
type tokenCache struct {
	provider  string
	cfg       oauth2.Config
	refresh   string
	static    string
	http      *http.Client
	refresher chan struct{} // holds one slot while a refresh runs

	mu     sync.Mutex
	cur    *token
	failed error // a refusal no retry will cure: the admin must re-authorise
}

// newTokenCache caches tokens for one org. With a refresh grant, a given
// access token is used first and replaced once Zoho refuses it; without
// one, the access token is all there is (static).
func newTokenCache(provider, tokenURL, clientID, clientSecret, refresh, access string, hc *http.Client) *tokenCache {
	c := &tokenCache{
		provider: provider,
		cfg: oauth2.Config{ClientID: clientID, ClientSecret: clientSecret,
			// Zoho takes the client credentials as form parameters.
			Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}},
		refresh:   refresh,
		http:      hc,
		refresher: make(chan struct{}, 1),
	}
	switch {
	case clientID == "" || clientSecret == "" || refresh == "":
		c.static = access
	case access != "":
		c.cur = &token{access: access, oauth: &oauth2.Token{AccessToken: access}} // no expiry known
	}
	return c
}

// current returns the cached token if it is still usable.
func (c *tokenCache) current() (*token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed != nil {
		return nil, c.failed
	}
	if c.cur != nil && c.cur.valid() {
		return c.cur, nil
	}
	return nil, nil
}

// get returns a usable token, refreshing it if needed.
func (c *tokenCache) get(ctx context.Context) (*token, error) {
	if c.static != "" {
		return &token{access: c.static}, nil
	}
	if t, err := c.current(); t != nil || err != nil {
		return t, err
	}
	select {
	case c.refresher <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.refresher }()
	// Whoever held the slot before us may have refreshed already.
	if t, err := c.current(); t != nil || err != nil {
		return t, err
	}
	t, err := c.fetch(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if crm.KindOf(err) == crm.KindUnauthorized {
			c.failed = err
		}
		return nil, err
	}
	c.cur = t
	return t, nil
}

// invalidate forgets t after the API refused it, unless a newer token has
// replaced it already. It reports whether asking again may help: not for a
// static access token, which cannot be refreshed.
func (c *tokenCache) invalidate(t *token) bool {
	if c.static != "" {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == t {
		c.cur = nil
	}
	return true
}

// fetch runs the refresh_token grant against the accounts server.
func (c *tokenCache) fetch(ctx context.Context) (*token, error) {
	octx := context.WithValue(ctx, oauth2.HTTPClient, c.http)
	ot, err := c.cfg.TokenSource(octx, &oauth2.Token{RefreshToken: c.refresh}).Token()
	if err != nil {
		return nil, c.refreshError(ctx, err)
	}
	t := &token{access: ot.AccessToken, oauth: ot}
	if d, ok := ot.Extra("api_domain").(string); ok && (strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "http://")) {
		t.apiDomain = strings.TrimRight(d, "/")
	}
	return t, nil
}

// refreshError explains a failed refresh. Zoho answers bad credentials with
// HTTP 200 and {"error":"invalid_code"}; too many refreshes with 400
// {"error":"Access Denied"}, which waiting cures and re-authorising does not.
func (c *tokenCache) refreshError(ctx context.Context, err error) error {
	const op = "refresh the access token"
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if e := crm.AsError(err); e != nil { // from the transport: unreachable, …
		named := *e
		named.Provider, named.Op = c.provider, op
		return &named
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return &crm.Error{Kind: crm.KindBadResponse, Provider: c.provider, Op: op,
			Message: "the accounts server sent no access token", Err: err}
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	said := re.ErrorCode
	if re.ErrorDescription != "" {
		said = strings.TrimSpace(said + ": " + re.ErrorDescription)
	}
	if said == "" {
		said = http.StatusText(status)
	}
	switch {
	case re.ErrorCode == "Access Denied" || status == http.StatusTooManyRequests:
		return &crm.Error{Kind: crm.KindRateLimited, Provider: c.provider, Op: op, Status: status,
			Code: re.ErrorCode, Message: said, Err: err}
	case status >= 500:
		return &crm.Error{Kind: crm.KindTransient, Provider: c.provider, Op: op, Status: status,
			Code: re.ErrorCode, Message: said, Err: err}
	}
	return &crm.Error{Kind: crm.KindUnauthorized, Provider: c.provider, Op: op, Status: status,
		Code: re.ErrorCode, Message: "re-authorise Roster with Zoho: " + said, Err: err}
}
