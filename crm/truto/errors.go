package truto

import (
	"net/http"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// noticeReadOnly is what Info says once the account has refused a write.
const noticeReadOnly = "read-only: the account refuses writes"

// defaultRetryAfter is Truto's documented wait after a 429 when the header is missing.
const defaultRetryAfter = 10 * time.Second

// fail turns a non-2xx answer into a crm.Error carrying Truto's own message.
func (p *Provider) fail(op string, resp *httpx.Response) error {
	body := decodeError(resp.Body)
	e := &crm.Error{Kind: crm.KindForStatus(resp.Status), Provider: p.name, Op: op, Status: resp.Status,
		Code: body.Error, Message: body.Message}
	switch resp.Status {
	case http.StatusUnauthorized:
		if body.RemoteError {
			// Truto's token is fine; the CRM refused the connected account's
			// credentials. Only re-connecting the account in Truto fixes it.
			e.Message = "the connected account needs re-authorising: " + body.Message
		}
	case http.StatusMethodNotAllowed:
		// Truto's sandbox accounts refuse every write. Remember it and say
		// so in Info: the guard then refuses further writes without sending
		// them, and the UI stops offering edits.
		p.setRefusesWrites()
		e.Kind = crm.KindForbidden
		e.Message = noticeReadOnly + ": " + body.Message
	case http.StatusServiceUnavailable:
		// A blocked integrated account. It is Forbidden, not Transient: it
		// does not clear by waiting (Truto says not to retry), and a
		// transient error would invite the retry layer and the user to retry.
		e.Kind = crm.KindForbidden
		e.Message = "the integrated account is blocked: " + body.Message
	case http.StatusTooManyRequests:
		e.RetryAfter = httpx.RetryAfter(resp.Header, time.Now())
		if e.RetryAfter == 0 {
			e.RetryAfter = defaultRetryAfter
		}
	}
	if e.Kind == crm.KindValidation {
		e.Fields = body.detailFields()
	}
	return e
}

func (p *Provider) setRefusesWrites() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refusesWrites = true
}
