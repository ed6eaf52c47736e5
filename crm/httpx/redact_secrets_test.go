package httpx

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

type fixedAnswer struct {
	body   string
	header http.Header
	err    error
}

func (f fixedAnswer) RoundTrip(*http.Request) (*http.Response, error) {
	if f.err != nil {
		return nil, f.err
	}
	// One byte per read: every secret straddles reads.
	return &http.Response{StatusCode: 401, Header: f.header.Clone(),
		Body: io.NopCloser(iotest.OneByteReader(strings.NewReader(f.body)))}, nil
}

func TestSecretsAreRemovedFromAnswersReadInPieces(t *testing.T) {
	s := NewSecrets()
	s.Add("key-0123456789", "abc", "", "refresh-token-xyz", "key-0123456789")
	body := strings.Repeat("Invalid API key key-0123456789; refresh=refresh-token-xyz; abc ", 3000)
	rt := secretTransport{secrets: s, next: fixedAnswer{body: body,
		header: http.Header{"Www-Authenticate": {`Bearer realm="key-0123456789"`}}}}
	req, _ := http.NewRequest(http.MethodGet, "http://example.invalid/", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("Invalid API key REDACTED; refresh=REDACTED; abc ", 3000)
	if string(got) != want {
		t.Errorf("body not redacted whole: %.200q", got)
	}
	if h := resp.Header.Get("Www-Authenticate"); strings.Contains(h, "key-0123456789") {
		t.Errorf("header keeps the secret: %s", h)
	}
}

func TestSecretsAreRemovedFromTransportErrors(t *testing.T) {
	s := NewSecrets()
	s.Add("key-0123456789")
	cause := errors.New("dial tcp: proxy said key-0123456789 is wrong")
	_, err := secretTransport{secrets: s, next: fixedAnswer{err: cause}}.RoundTrip(&http.Request{})
	if strings.Contains(err.Error(), "key-0123456789") || !errors.Is(err, cause) {
		t.Errorf("error %q (is cause: %v)", err, errors.Is(err, cause))
	}
}

func TestNilSecretsRedactOnlyPatterns(t *testing.T) {
	var s *Secrets
	s.Add("key-0123456789")
	if got := s.Redact("key-0123456789 Bearer abcdefghijkl"); got != "key-0123456789 Bearer REDACTED" {
		t.Errorf("got %q", got)
	}
}
