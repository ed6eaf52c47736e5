package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// FieldConflict is one edited field that someone else changed since the
// form was opened: the value then, theirs now, and the admin's edit.
type FieldConflict struct {
	Key      string // the provider's field key
	Original any    // when the form opened
	Theirs   any    // what the provider holds now
	Yours    any    // the admin's edit
}

// ConflictError says a save was not sent because the user changed
// underneath it. It matches errors.Is(err, ErrConflict).
type ConflictError struct {
	ID string
	// Fields are the edited fields the other side changed, in key order.
	// It may be empty when only other fields (Others) or the version moved.
	Fields []FieldConflict
	// Others are fields the admin did not edit that changed too, so the UI
	// can say what else moved.
	Others []string
	// OriginalVersion and CurrentVersion are User.UpdatedAt then and now.
	OriginalVersion, CurrentVersion string
	// Current is the user as the provider holds it now (for "keep theirs"
	// and for reopening the form).
	Current User
}

func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "user %s changed since it was opened; nothing was saved", e.ID)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s was %s, now %s, yours %s", f.Key, show(f.Original), show(f.Theirs), show(f.Yours))
	}
	if len(e.Fields) == 0 && len(e.Others) > 0 {
		fmt.Fprintf(&b, " (changed: %s)", strings.Join(e.Others, ", "))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// CheckedUpdate saves changes to the user the admin was editing (original,
// as read when the form opened) only if nobody changed it since: it re-reads
// the user and, when an edited field or the version (UpdatedAt) differs,
// writes nothing and returns the user as it is now with a *ConflictError
// (also in ConflictError.Current). Otherwise it sends only the
// fields whose value really differs from original; with none, it writes
// nothing and returns the user as read.
//
// A small window remains between the re-read and the write; providers offer
// no conditional update to close it.
func CheckedUpdate(ctx context.Context, p Provider, original User, changes Changes) (User, error) {
	current, err := p.Get(ctx, original.ID)
	if err != nil {
		return User{}, fmt.Errorf("re-read user %s before saving: %w", original.ID, err)
	}
	if c := conflicts(original, current, changes); c != nil {
		return current, c
	}
	send := Changes{}
	for _, k := range changes.Keys() {
		if !sameValue(original.Value(k), changes[k]) {
			send[k] = changes[k]
		}
	}
	if len(send) == 0 {
		return current, nil
	}
	return p.Update(WithBase(ctx, current), original.ID, send)
}

// conflicts compares the user as the form saw it with the user now.
func conflicts(original, current User, changes Changes) *ConflictError {
	e := &ConflictError{ID: original.ID, Current: current,
		OriginalVersion: original.UpdatedAt, CurrentVersion: current.UpdatedAt}
	for _, k := range changes.Keys() {
		o, t := original.Value(k), current.Value(k)
		if sameValue(o, t) || sameValue(t, changes[k]) {
			continue // untouched, or they made the very same edit
		}
		e.Fields = append(e.Fields, FieldConflict{Key: k, Original: o, Theirs: t, Yours: changes[k]})
	}
	versionMoved := original.UpdatedAt != "" && current.UpdatedAt != "" && original.UpdatedAt != current.UpdatedAt
	if len(e.Fields) == 0 && !versionMoved {
		return nil
	}
	e.Others = changedFields(original, current, changes)
	return e
}

// changedFields lists the fields outside changes that differ between a and
// b, by the provider's own keys, version and timestamps left out.
func changedFields(a, b User, changes Changes) []string {
	fa, fb := a.Fields(), b.Fields()
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]any{fa, fb} {
		for k := range m {
			if seen[k] {
				continue
			}
			seen[k] = true
			if _, edited := changes[k]; edited || isVersionKey(k) {
				continue
			}
			if !sameValue(fa[k], fb[k]) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isVersionKey(k string) bool {
	switch strings.ToLower(strings.ReplaceAll(k, "_", "")) {
	case "updatedat", "modifiedtime", "lastmodified", "modifiedat", "version", "etag":
		return true
	}
	return false
}

// sameValue compares values that may come from decoded JSON (json.Number,
// []any, map[string]any) or from an edit (string, bool, []string, nil) by
// their JSON form, so "[a b]" as []string equals the decoded []any.
func sameValue(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return false
	}
	if string(ja) == string(jb) {
		return true
	}
	// Absent and empty mean the same to an admin: nil, "" and [] all show blank.
	return isBlank(a) && isBlank(b)
}

func isBlank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	}
	return false
}

func show(v any) string {
	if isBlank(v) {
		return "(empty)"
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

type baseKey struct{}

// WithBase carries the user as read just before a write (by CheckedUpdate's
// conflict check) to the adapter and the decorators below it, so they reuse
// that read instead of making their own, and so an unknown outcome can be
// settled against the values before the write.
func WithBase(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, baseKey{}, u)
}

// BaseFrom returns the user carried by WithBase when it is user id.
func BaseFrom(ctx context.Context, id string) (User, bool) {
	u, ok := ctx.Value(baseKey{}).(User)
	if !ok || u.ID != id {
		return User{}, false
	}
	return u, true
}

// baseOf is BaseFrom as a pointer for SettleUpdate.
func baseOf(ctx context.Context, id string) *User {
	if u, ok := BaseFrom(ctx, id); ok {
		return &u
	}
	return nil
}
