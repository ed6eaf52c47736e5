//go:build race

package server

// raceDetector: this test binary runs under the race detector, so binaries
// the tests build are built with it too (the build cache then holds every
// package already).
const raceDetector = true
