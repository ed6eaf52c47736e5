//go:build !unix

package audit

import "os"

// Without flock, the process-wide mutex is all the ordering there is.
func lockFile(*os.File) error { return nil }
func unlockFile(*os.File)     {}

// Without kill(0), only an old intent counts as abandoned.
func pidGone(int) bool { return false }
