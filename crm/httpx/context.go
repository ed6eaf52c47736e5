package httpx

import (
	"context"
	"slices"
	"time"
)

// Per-request instructions to the transport travel in the request's context,
// never in package state: one process serves many SSH sessions.

// RetryEvent tells an observer that the transport is about to wait and try
// again, so the UI can say "rate limited, retrying in 3s" instead of freezing.
type RetryEvent struct {
	Attempt int           // the attempt that just failed, from 1
	Wait    time.Duration // how long the transport now waits
	Status  int           // HTTP status of the failed attempt; 0 for network errors
	Reason  string        // e.g. "rate limited", "provider unavailable (HTTP 503)"
	Method  string
	URL     string // redacted
}

type notifyKey struct{}

// WithRetryNotify returns a context whose requests report each retry to fn
// (called on the request's goroutine, before waiting; fn must not block).
// Observers nest: an inner one does not silence an outer one.
func WithRetryNotify(ctx context.Context, fn func(RetryEvent)) context.Context {
	if fn == nil {
		return ctx
	}
	if outer, ok := ctx.Value(notifyKey{}).(func(RetryEvent)); ok {
		inner := fn
		fn = func(e RetryEvent) { inner(e); outer(e) }
	}
	return context.WithValue(ctx, notifyKey{}, fn)
}

func notify(ctx context.Context, e RetryEvent) {
	if fn, ok := ctx.Value(notifyKey{}).(func(RetryEvent)); ok {
		fn(e)
	}
}

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
