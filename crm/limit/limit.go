// Package limit keeps each provider account's requests inside the
// provider's published limits: a rate (Truto: 50 requests per 10 s per
// integrated account), a cap on requests in flight (Zoho: 5–25 by edition)
// and, when a 429 still comes, a pause every request of the account honours
// until the reset the provider named.
//
// A process holds one Limiter per account (Registry) and every request of
// that account passes it — console views, load-all, bulk runs, every SSH
// session — so they share the budget instead of each discovering it through
// 429s. The provider stack (crm/stack) hands the account's limiter to the
// shared HTTP client (crm/httpx), which waits on it before every attempt
// and tells it about every 429. Local is the in-process implementation;
// another (for example one backed by PostgreSQL, for several processes on
// one account) only has to satisfy Limiter.
package limit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limiter paces the requests of one provider account.
type Limiter interface {
	// Wait blocks until one more request may be sent: within the rate,
	// after any pause a 429 asked for, and with a free slot under the
	// concurrency cap. It returns ctx's error if ctx ends first (no slot is
	// held then). Otherwise the caller must call release exactly once, when
	// the answer has been read (releasing twice is harmless).
	Wait(ctx context.Context) (release func(), err error)
	// Backoff says the provider answered 429 and asked for no request before
	// until: every request of the account waits for it, not only the one
	// that was refused. A time already past, or before an earlier pause's
	// end, changes nothing.
	Backoff(until time.Time)
	// Settings are the limits in force (the UI's ETA, `doctor`, the README).
	Settings() Settings
}

// Settings are one account's limits. The zero value limits nothing.
type Settings struct {
	// Requests per Per; Requests == 0 means no rate limit.
	Requests int
	Per      time.Duration
	// Concurrency caps the requests in flight; 0 means no cap.
	Concurrency int
}

// Rate is how many requests Local lets through per second in the long run:
// a little under Requests/Per, so that a provider counting in a sliding
// window of Per never sees more than Requests in one (see Burst). Zero when
// there is no rate limit.
func (s Settings) Rate() float64 {
	if s.Requests <= 0 || s.Per <= 0 {
		return 0
	}
	// A token bucket lets Burst requests through at once and then Rate per
	// second, so any window of Per holds at most Burst + Rate·Per requests.
	// Keeping that under Requests with room for one request that arrives
	// late (network jitter moves arrivals, never sends, into a window):
	// Rate·Per = Requests − Burst − 1, over a window 2 % longer.
	room := s.Requests - s.Burst() - 1
	if room < 1 {
		room = 1
	}
	return float64(room) / (s.Per.Seconds() * 1.02)
}

// Burst is how many requests may go at once after a quiet spell: a
// twenty-fifth of the window's budget (at least 1), so an interactive view
// opens without waiting while a long run still gets ~94 % of the published
// rate.
func (s Settings) Burst() int {
	return max(1, s.Requests/25)
}

// Interval is the time one request costs in the long run (0: unlimited).
// The UI multiplies it by the requests left for an ETA.
func (s Settings) Interval() time.Duration {
	r := s.Rate()
	if r == 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / r)
}

// String describes the settings: "50/10s, 8 at once", "unlimited".
func (s Settings) String() string {
	var parts []string
	if s.Requests > 0 && s.Per > 0 {
		parts = append(parts, FormatRate(s.Requests, s.Per))
	}
	if s.Concurrency > 0 {
		parts = append(parts, fmt.Sprintf("%d at once", s.Concurrency))
	}
	if len(parts) == 0 {
		return "unlimited"
	}
	return strings.Join(parts, ", ")
}

// FormatRate writes a rate as the config's rate_limit takes it: "50/10s".
func FormatRate(n int, per time.Duration) string {
	d := per.String() // "1m0s", "500ms", "1h0m0s"
	switch {
	case per%time.Hour == 0:
		d = fmt.Sprintf("%dh", per/time.Hour)
	case per%time.Minute == 0:
		d = fmt.Sprintf("%dm", per/time.Minute)
	}
	return strconv.Itoa(n) + "/" + d
}

// ParseRate reads a rate limit such as "50/10s", "5/1s" or "300/1m":
// requests, a slash, and a Go duration (a bare unit means one of it: "10/s").
func ParseRate(text string) (n int, per time.Duration, err error) {
	num, dur, ok := strings.Cut(strings.TrimSpace(text), "/")
	if !ok {
		return 0, 0, fmt.Errorf("rate %q: want REQUESTS/DURATION, e.g. 50/10s", text)
	}
	n, err = strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 1 {
		return 0, 0, fmt.Errorf("rate %q: %q is not a positive number of requests", text, num)
	}
	dur = strings.TrimSpace(dur)
	if dur != "" && (dur[0] < '0' || dur[0] > '9') {
		dur = "1" + dur
	}
	per, err = time.ParseDuration(dur)
	if err != nil || per <= 0 {
		return 0, 0, fmt.Errorf("rate %q: %q is not a positive duration (e.g. 10s, 1m)", text, dur)
	}
	return n, per, nil
}
