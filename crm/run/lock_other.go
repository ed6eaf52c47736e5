//go:build !unix

package run

import "os"

// tryLock: no advisory locks here; a journal is never reported busy.
func tryLock(*os.File) (bool, error) { return true, nil }
