//go:build !unix

package tokencache

import "context"

// Without flock, the in-process lock is all there is: processes may each
// refresh once.
func lockPath(context.Context, string) (func(), error) { return func() {}, nil }
