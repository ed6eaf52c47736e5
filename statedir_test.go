package main

import (
	"fmt"
	"os"
	"testing"
)

// runTests runs the package's tests (TestMain) with the state directory
// (token cache, default audit log and host key) pointed at a temporary one,
// so no test reads or leaves state in the home of whoever runs them.
func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "roster-test-state-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	os.Setenv("XDG_STATE_HOME", dir)
	return m.Run()
}
