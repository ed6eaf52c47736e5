package laurel

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/tokencache"
)

// earlyExpiry renews a token this long before Laurel says it expires, so a
// request never leaves with a token that dies on the way.
const earlyExpiry = 2 * time.Minute

// jsonTokenSource runs Laurel's client-credentials grant.
//
// Why not golang.org/x/oauth2/clientcredentials: that package always posts an
// application/x-www-form-urlencoded body, while Laurel documents its token
// endpoint with a JSON body ({"audience", "grant_type", "client_id",
// "client_secret"}; PROVIDERS.md §4), and the sandbox follows the docs. So the
// grant itself is this small JSON request; caching and early renewal are
// tokenCache's.
type jsonTokenSource struct {
	provider     string
	url          string
	http         *http.Client
	clientID     string
	clientSecret string
}

// tokenAnswer is the token endpoint's success body.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
}

// fetch asks for a new token. The grant may be repeated (it changes
// nothing), so the transport retries it like a read; an answer that is not
// a token (garbled, cut short, an HTML page) is a passing failure, not a
// refusal of the credentials.
func (s jsonTokenSource) fetch(ctx context.Context) (tokencache.Token, error) {
	const op = "get access token"
	c := &httpx.Client{Provider: s.provider, BaseURL: s.url, HTTP: s.http}
	resp, err := c.Do(httpx.WithRepeatable(ctx), httpx.Request{Method: http.MethodPost, Body: map[string]string{
		"audience":      Audience,
		"grant_type":    "client_credentials",
		"client_id":     s.clientID,
		"client_secret": s.clientSecret,
	}})
	if err != nil {
		return tokencache.Token{}, crm.WithOp(err, s.provider, op)
	}
	if !resp.OK() {
		return tokencache.Token{}, decodeError(s.provider, op, resp)
	}
	var a tokenAnswer
	if err := resp.Decode(s.provider, &a); err != nil || a.AccessToken == "" {
		e := &crm.Error{Kind: crm.KindTransient, Provider: s.provider, Op: op, Status: resp.Status,
			Message: "the token endpoint's answer held no access token (garbled or cut short)", Err: err}
		if ce := crm.AsError(err); ce != nil && ce.Message != "" {
			e.Message += ": " + ce.Message
		}
		return tokencache.Token{}, e
	}
	tok := tokencache.Token{Access: a.AccessToken}
	if a.ExpiresIn > 0 {
		tok.Expiry = time.Now().Add(time.Duration(a.ExpiresIn) * time.Second)
	}
	return tok, nil
}

// tokenCache holds the customer's access token: this process's copy, and a
// tokencache.Store shared with every Roster process (or instance) that uses
// the same client, refreshed under the store's lock so that of several
// processes finding it stale one asks Laurel.
type tokenCache struct {
	src   jsonTokenSource
	key   string
	store tokencache.Store
	now   func() time.Time

	mu      sync.Mutex
	cur     tokencache.Token
	refused string // the token Laurel refused last: never taken from the store again
}

func newTokenCache(src jsonTokenSource, store tokencache.Store) *tokenCache {
	if store == nil {
		store = tokencache.NewMemory()
	}
	return &tokenCache{src: src, store: store, now: time.Now,
		key: tokencache.Key("laurel", src.url, src.clientID, src.clientSecret)}
}

// usable reports whether t may be sent: not refused, not within earlyExpiry
// of its expiry.
func (c *tokenCache) usable(t tokencache.Token) bool {
	c.mu.Lock()
	refused := c.refused
	c.mu.Unlock()
	return t.Access != refused && t.Usable(c.now(), earlyExpiry)
}

// Token returns a usable access token: this process's, else the store's,
// else a new one fetched with ctx under the store's lock. Waiting for the
// lock ends with ctx.
func (c *tokenCache) Token(ctx context.Context) (tokencache.Token, error) {
	c.mu.Lock()
	cur := c.cur
	c.mu.Unlock()
	if c.usable(cur) {
		return cur, nil
	}
	if t, err := c.store.Get(ctx, c.key); err == nil && c.usable(t) {
		return c.keep(t), nil
	}
	t, err := c.store.Refresh(ctx, c.key, c.usable, c.src.fetch)
	if err != nil {
		return tokencache.Token{}, err
	}
	return c.keep(t), nil
}

func (c *tokenCache) keep(t tokencache.Token) tokencache.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur = t
	return t
}

// Drop forgets the token (Laurel refused it: revoked, or expired by a clock
// that disagrees with ours), here and as a candidate from the store.
func (c *tokenCache) Drop(accessToken string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur.Access == accessToken {
		c.cur = tokencache.Token{}
	}
	c.refused = accessToken
}
