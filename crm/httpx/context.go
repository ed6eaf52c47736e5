package httpx

import (
	"context"
	"slices"
)

// Per-request instructions to the transport travel in the request's context,
// never in package state: one process serves many SSH sessions.

// Retry reports go to the observers crm.WithRetryNotify put in the
// request's context (crm.NotifyRetry): callers need not import this package.

type noRetryKey struct{}

// noRetry is what WithNoRetry recorded: all requests, or some statuses.
type noRetry struct {
	all      bool
	statuses []int
}

// WithNoRetry returns a context whose requests are not retried on the given
// statuses (e.g. Truto's 503, which means a blocked account, not a passing
// outage), or not retried at all when no status is given.
func WithNoRetry(ctx context.Context, statuses ...int) context.Context {
	nr, _ := ctx.Value(noRetryKey{}).(noRetry)
	nr.statuses = append(slices.Clone(nr.statuses), statuses...)
	nr.all = nr.all || len(statuses) == 0
	return context.WithValue(ctx, noRetryKey{}, nr)
}

func noRetryAll(ctx context.Context) bool {
	nr, _ := ctx.Value(noRetryKey{}).(noRetry)
	return nr.all
}

func noRetryStatus(ctx context.Context, status int) bool {
	nr, _ := ctx.Value(noRetryKey{}).(noRetry)
	return slices.Contains(nr.statuses, status)
}

type repeatableKey struct{}

// WithRepeatable returns a context whose requests may be sent again whatever
// their method: for a POST that changes nothing a repeat could double (an
// OAuth token grant), so the transport rides out a lost answer, a 429 or a
// 502/503/504 for it as it does for a read.
func WithRepeatable(ctx context.Context) context.Context {
	return context.WithValue(ctx, repeatableKey{}, true)
}

func repeatable(ctx context.Context) bool {
	r, _ := ctx.Value(repeatableKey{}).(bool)
	return r
}
