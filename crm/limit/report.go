package limit

import "time"

// Reporter is a provider that knows its account's limits: crm/stack's
// providers, which hand every request to the account's Limiter. The UI
// asks through Of, so it needs no provider kinds to know the pace.
type Reporter interface {
	Limits() Settings
}

// Of is the limits p's requests keep, or the zero Settings (unlimited, as
// far as anyone can say) when p does not report them.
func Of(p any) Settings {
	if r, ok := p.(Reporter); ok {
		return r.Limits()
	}
	return Settings{}
}

// Least is the shortest time n more requests can take under the rate
// alone, at its long-run pace (Interval each); 0 when there is no rate.
// The concurrency cap is left out: what it costs depends on how fast the
// provider answers, which only the requests themselves show.
func (s Settings) Least(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return time.Duration(n) * s.Interval()
}
