// Package filelock is the cross-process lock of files Roster replaces
// whole — the console's state files (package state) and the shared token
// cache (crm/tokencache): an exclusive flock on a ".lock" file beside them,
// whose wait ends with the caller's context.
package filelock
