package crm

import (
	"context"
	"time"
)

// Retry notices are how a caller (the console's status bar) hears that a
// request it made is waiting to retry, without knowing which HTTP client the
// adapter uses: the caller puts an observer in the request's context, the
// transport (crm/httpx) reports to it. Per-request, never package state: one
// process serves many SSH sessions.

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

type retryNotifyKey struct{}

// WithRetryNotify returns a context whose requests report each retry to fn
// (called on the request's goroutine, before waiting; fn must not block).
// Observers nest: an inner one does not silence an outer one.
func WithRetryNotify(ctx context.Context, fn func(RetryEvent)) context.Context {
	if fn == nil {
		return ctx
	}
	if outer, ok := ctx.Value(retryNotifyKey{}).(func(RetryEvent)); ok {
		inner := fn
		fn = func(e RetryEvent) { inner(e); outer(e) }
	}
	return context.WithValue(ctx, retryNotifyKey{}, fn)
}

// NotifyRetry reports e to the observers in ctx, if any; transports call it.
func NotifyRetry(ctx context.Context, e RetryEvent) {
	if fn, ok := ctx.Value(retryNotifyKey{}).(func(RetryEvent)); ok {
		fn(e)
	}
}
