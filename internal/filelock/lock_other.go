//go:build !unix

package filelock

import "context"

// Lock does not lock where flock is missing: callers still replace their
// files atomically, but two processes changing one at the same instant may
// keep only one change (or, for tokens, each refresh once).
func Lock(ctx context.Context, _ string) (unlock func(), err error) {
	return func() {}, ctx.Err()
}
