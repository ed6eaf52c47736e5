package laurel

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
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
// grant itself is this small JSON request, and caching and early renewal are
// left to oauth2.ReuseTokenSourceWithExpiry (see tokenCache).
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

// fetch asks for a new token.
func (s jsonTokenSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	c := &httpx.Client{Provider: s.provider, BaseURL: s.url, HTTP: s.http}
	resp, err := c.Do(ctx, httpx.Request{Method: http.MethodPost, Body: map[string]string{
		"audience":      Audience,
		"grant_type":    "client_credentials",
		"client_id":     s.clientID,
		"client_secret": s.clientSecret,
	}})
	if err != nil {
		return nil, crm.WithOp(err, s.provider, "get access token")
	}
	if !resp.OK() {
		return nil, decodeError(s.provider, "get access token", resp)
	}
	var a tokenAnswer
	if err := resp.Decode(s.provider, &a); err != nil {
		return nil, crm.WithOp(err, s.provider, "get access token")
	}
	if a.AccessToken == "" {
		return nil, &crm.Error{Kind: crm.KindBadResponse, Provider: s.provider, Op: "get access token",
			Status: resp.Status, Message: "the token answer has no access_token"}
	}
	tok := &oauth2.Token{AccessToken: a.AccessToken, TokenType: a.TokenType}
	if a.ExpiresIn > 0 {
		tok.Expiry = time.Now().Add(time.Duration(a.ExpiresIn) * time.Second)
	}
	return tok, nil
}

// boundSource is jsonTokenSource as an oauth2.TokenSource for one request's
// context (oauth2.TokenSource has no context of its own).
type boundSource struct {
	ctx context.Context
	src jsonTokenSource
}

func (b boundSource) Token() (*oauth2.Token, error) { return b.src.fetch(b.ctx) }

// tokenCache holds the one token all requests share. Its lock is a channel
// so a request waiting for another's token fetch can still be cancelled.
type tokenCache struct {
	src  jsonTokenSource
	lock chan struct{}
	tok  *oauth2.Token
}

func newTokenCache(src jsonTokenSource) *tokenCache {
	return &tokenCache{src: src, lock: make(chan struct{}, 1)}
}

// Token returns the cached token while it is valid (less earlyExpiry), else
// fetches a new one with ctx. Concurrent callers wait for one fetch.
func (c *tokenCache) Token(ctx context.Context) (*oauth2.Token, error) {
	select {
	case c.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.lock }()
	tok, err := oauth2.ReuseTokenSourceWithExpiry(c.tok, boundSource{ctx: ctx, src: c.src}, earlyExpiry).Token()
	if err != nil {
		return nil, err
	}
	c.tok = tok
	return tok, nil
}

// Drop forgets the token if it is still the one given (Laurel refused it:
// revoked, or expired by a clock that disagrees with ours).
func (c *tokenCache) Drop(ctx context.Context, accessToken string) {
	select {
	case c.lock <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-c.lock }()
	if c.tok != nil && c.tok.AccessToken == accessToken {
		c.tok = nil
	}
}
