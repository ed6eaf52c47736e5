package httpx

import (
	"net/http"
	"sync"
)

// MaxIdleConnsPerHost is how many idle connections to one provider are kept
// for reuse. http.DefaultTransport keeps 2, so loading numbered pages
// several at a time (crm.LoadAll, prefetch) closed the rest after every
// round and dialled them again: an extra TCP and TLS handshake per page.
const MaxIdleConnsPerHost = 16

// BaseTransport is the transport under every client NewHTTPClient builds
// (unless Options.Base names another): http.DefaultTransport's settings
// (proxy from the environment, dial and TLS timeouts, HTTP/2) with room for
// concurrent page loads to keep their connections. It is shared, as
// http.DefaultTransport is, so consoles in one process share connections.
func BaseTransport() http.RoundTripper { return baseTransport() }

var baseTransport = sync.OnceValue(func() http.RoundTripper {
	dt, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the embedding program: honour its choice
		return http.DefaultTransport
	}
	t := dt.Clone()
	t.MaxIdleConnsPerHost = MaxIdleConnsPerHost
	t.MaxIdleConns = max(t.MaxIdleConns, 4*MaxIdleConnsPerHost)
	return t
})
