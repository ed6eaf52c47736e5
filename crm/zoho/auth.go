package zoho

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/tokencache"
)

// token is an access token and the API domain the accounts server sent with it.
type token struct {
	access    string
	apiDomain string
	expiry    time.Time // zero: unknown (a configured access_token), used until refused
}

// earlyExpiry: a token this close to its expiry is renewed rather than sent
// (golang.org/x/oauth2's own margin).
const earlyExpiry = 10 * time.Second

// tokenCache holds the org's access token. It refreshes only when the token
// is missing, about to expire or refused as INVALID_TOKEN — and then through
// a tokencache.Store shared by every Roster process on this machine (or
// every instance, with a shared store), under the store's lock, so that one
// request refreshes for all: Zoho grants at most ten tokens per refresh
// token in ten minutes, and a script running one CLI per user would spend
// them in a minute.
//
// It is not an oauth2.ReuseTokenSource because that cannot honour a
// request's context: a stuck accounts server would hold every caller on its
// mutex, past any cancelled view. The store's lock is waited for with the
// caller's context, and the refresh runs with it.
type tokenCache struct {
	provider string
	key      string // the account in the store
	cfg      oauth2.Config
	refresh  string
	static   string
	http     *http.Client
	store    tokencache.Store
	now      func() time.Time

	mu      sync.Mutex
	cur     *token
	refused string // the access token Zoho refused last: never taken from the store again
	failed  error  // a refusal no retry will cure: the admin must re-authorise
}

// newTokenCache caches tokens for one org in store (a process-local one when
// nil). With a refresh grant, a given access token is used first and
// replaced once Zoho refuses it; without one, the access token is all there
// is (static).
func newTokenCache(provider, tokenURL, clientID, clientSecret, refresh, access string, hc *http.Client, store tokencache.Store) *tokenCache {
	if store == nil {
		store = tokencache.NewMemory()
	}
	c := &tokenCache{
		provider: provider,
		key:      tokencache.Key("zoho", tokenURL, clientID, clientSecret, refresh),
		cfg: oauth2.Config{ClientID: clientID, ClientSecret: clientSecret,
			// Zoho takes the client credentials as form parameters.
			Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}},
		refresh: refresh,
		http:    hc,
		store:   store,
		now:     time.Now,
	}
	switch {
	case clientID == "" || clientSecret == "" || refresh == "":
		c.static = access
	case access != "":
		c.cur = &token{access: access} // no expiry known
	}
	return c
}

// usable reports whether a stored token may be sent: not refused, not
// about to expire.
func (c *tokenCache) usable(t tokencache.Token) bool {
	c.mu.Lock()
	refused := c.refused
	c.mu.Unlock()
	return t.Access != refused && t.Usable(c.now(), earlyExpiry)
}

// current returns the token this process holds if it is still usable.
func (c *tokenCache) current() (*token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed != nil {
		return nil, c.failed
	}
	if c.cur != nil && (c.cur.expiry.IsZero() || c.now().Add(earlyExpiry).Before(c.cur.expiry)) {
		return c.cur, nil
	}
	return nil, nil
}

// get returns a usable token: this process's, else the store's, else a new
// one fetched under the store's lock (unless another process fetched one
// while this one waited for the lock).
func (c *tokenCache) get(ctx context.Context) (*token, error) {
	if c.static != "" {
		return &token{access: c.static}, nil
	}
	if t, err := c.current(); t != nil || err != nil {
		return t, err
	}
	if st, err := c.store.Get(ctx, c.key); err == nil && c.usable(st) {
		return c.keep(st), nil
	}
	st, err := c.store.Refresh(ctx, c.key, c.usable, c.fetch)
	if err != nil {
		if crm.KindOf(err) == crm.KindUnauthorized {
			c.mu.Lock()
			c.failed = err
			c.mu.Unlock()
		}
		return nil, err
	}
	return c.keep(st), nil
}

// keep makes a stored token this process's current one.
func (c *tokenCache) keep(st tokencache.Token) *token {
	t := &token{access: st.Access, apiDomain: st.Extra["api_domain"], expiry: st.Expiry}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur = t
	return t
}

// invalidate forgets t after the API refused it, unless a newer token has
// replaced it already, and makes sure the store's copy of it is not taken
// again. It reports whether asking again may help: not for a static access
// token, which cannot be refreshed.
func (c *tokenCache) invalidate(t *token) bool {
	if c.static != "" {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == t {
		c.cur = nil
	}
	c.refused = t.access
	return true
}

// fetch runs the refresh_token grant against the accounts server. The grant
// may be repeated (it changes nothing at Zoho but the count of tokens), so
// the transport retries it like a read.
func (c *tokenCache) fetch(ctx context.Context) (tokencache.Token, error) {
	octx := context.WithValue(httpx.WithRepeatable(ctx), oauth2.HTTPClient, c.http)
	ot, err := c.cfg.TokenSource(octx, &oauth2.Token{RefreshToken: c.refresh}).Token()
	if err != nil {
		return tokencache.Token{}, c.refreshError(ctx, err)
	}
	t := tokencache.Token{Access: ot.AccessToken, Expiry: ot.Expiry}
	if d, ok := ot.Extra("api_domain").(string); ok && (strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "http://")) {
		t.Extra = map[string]string{"api_domain": strings.TrimRight(d, "/")}
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
		// A garbled answer (an HTML page from a proxy, a body cut short):
		// the next try may well be fine, and the credentials are not at fault.
		return &crm.Error{Kind: crm.KindTransient, Provider: c.provider, Op: op,
			Message: "the accounts server's answer held no access token (garbled or cut short)", Err: err}
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
	// A 5xx is the accounts server (or a gateway before it) failing, whatever
	// words its body holds: never "rate limited", never "re-authorise".
	switch {
	case status >= 500:
		return &crm.Error{Kind: crm.KindTransient, Provider: c.provider, Op: op, Status: status,
			Code: re.ErrorCode, Message: said, Err: err}
	case re.ErrorCode == "Access Denied" || status == http.StatusTooManyRequests:
		return &crm.Error{Kind: crm.KindRateLimited, Provider: c.provider, Op: op, Status: status,
			Code: re.ErrorCode, Message: said, Err: err}
	}
	return &crm.Error{Kind: crm.KindUnauthorized, Provider: c.provider, Op: op, Status: status,
		Code: re.ErrorCode, Message: "re-authorise Roster with Zoho: " + said, Err: err}
}
