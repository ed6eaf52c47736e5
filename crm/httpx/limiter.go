package httpx

import (
	"context"

	"github.com/roster-tui/roster/crm/limit"
)

// The client-side rate limiter of a provider account travels in the
// request's context (never in package state: one process serves many
// accounts and sessions). crm/stack puts it there for every call of the
// account; the transport waits on it before every attempt, holds its
// concurrency slot until the answer's body is closed, and tells it about
// every 429 so all requests of the account pause, not only the refused one.

type limiterKey struct{}

// WithLimiter returns a context whose requests pass l.
func WithLimiter(ctx context.Context, l limit.Limiter) context.Context {
	if l == nil {
		return ctx
	}
	return context.WithValue(ctx, limiterKey{}, l)
}

// LimiterFrom returns the limiter WithLimiter put in ctx, or nil.
func LimiterFrom(ctx context.Context) limit.Limiter {
	l, _ := ctx.Value(limiterKey{}).(limit.Limiter)
	return l
}
