package httpx

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// WaitFromHeaders is how long a response asks the client to wait before
// trying again: Retry-After (seconds or an HTTP date) first, then the
// providers' reset headers — Apideck's x-downstream-ratelimit-reset (unix
// seconds) and the IETF ratelimit-reset Truto sends (seconds from now).
// Zero means the response does not say.
func WaitFromHeaders(h http.Header, now time.Time) time.Duration {
	if d := RetryAfter(h, now); d > 0 {
		return d
	}
	if v, ok := headerInt(h, "X-Downstream-Ratelimit-Reset"); ok {
		if d := time.Unix(v, 0).Sub(now); d > 0 {
			return d.Round(time.Second)
		}
	}
	if v, ok := headerInt(h, "Ratelimit-Reset"); ok && v > 0 {
		// Some gateways send a unix time here despite the draft; anything
		// past a year from now is taken as one.
		if v > 365*24*3600 {
			if d := time.Unix(v, 0).Sub(now); d > 0 {
				return d.Round(time.Second)
			}
			return 0
		}
		return time.Duration(v) * time.Second
	}
	return 0
}

// RetryAfter parses a Retry-After header (seconds or an HTTP date).
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, maxRetryAfter)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// maxRetryAfter caps absurd waits (in seconds) so durations cannot overflow.
const maxRetryAfter = 7 * 24 * 3600

func headerInt(h http.Header, name string) (int64, bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}
