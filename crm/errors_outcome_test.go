package crm

import (
	"errors"
	"strings"
	"testing"
)

func TestUnknownOutcomeSaysTheChangeMayHaveHappened(t *testing.T) {
	err := UnknownOutcome("apideck", "update user 42", errors.New("unexpected EOF"))
	if !IsUnknownOutcome(err) || !errors.Is(err, ErrUnknownOutcome) {
		t.Fatalf("IsUnknownOutcome(%v) = false", err)
	}
	if !strings.Contains(err.Error(), "the provider may have applied this change") {
		t.Fatalf("message %q does not warn that the change may have happened", err)
	}
	if !strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("message %q hides the cause", err)
	}
	if IsUnknownOutcome(&Error{Kind: KindTransient}) || IsUnknownOutcome(nil) {
		t.Fatal("other errors are not unknown outcomes")
	}
}
