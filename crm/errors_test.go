package crm

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestErrorIsMatchesKindThroughWrapping(t *testing.T) {
	err := fmt.Errorf("list: %w", &Error{Kind: KindNotFound, Provider: "apideck", Status: 404, Message: "User not found"})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("errors.Is(%v, ErrNotFound) = false", err)
	}
	if errors.Is(err, ErrForbidden) {
		t.Fatalf("a not-found error matched ErrForbidden")
	}
	want := "apideck: not found (HTTP 404): User not found"
	if got := AsError(err).Error(); got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
}

func TestUserJSONHasCommonNamesAndFields(t *testing.T) {
	u := User{ID: "1", Name: "Ada", Email: "ada@example.com", Active: BoolPtr(true), Raw: []byte(`{"id":"1","x":2}`)}
	b, err := u.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"1","name":"Ada","first_name":"","last_name":"","email":"ada@example.com","title":"","department":"","status":"","active":true,"created_at":"","updated_at":"","fields":{"id":"1","x":2}}`
	if string(b) != want {
		t.Fatalf("json = %s\nwant %s", b, want)
	}
}

// An admin reading a failure sees which provider and what Roster was doing,
// and the provider's words stay as they were.
func TestWithOpSaysProviderAndOperation(t *testing.T) {
	fromClient := &Error{Kind: KindTransient, Message: "could not reach the provider"}
	err := WithOp(fromClient, "sales", "get user 7")
	if want := "sales: get user 7: temporarily unavailable: could not reach the provider"; err.Error() != want {
		t.Fatalf("WithOp(*Error) = %q, want %q", err, want)
	}
	if fromClient.Op != "" || fromClient.Provider != "" {
		t.Fatalf("WithOp changed the error it was given: %+v", fromClient)
	}
	named := &Error{Kind: KindNotFound, Provider: "sales", Op: "get user 7"}
	if got := WithOp(named, "sales", "update user 7").Error(); got != "sales: get user 7: not found" {
		t.Fatalf("an error that names its operation was renamed: %q", got)
	}
	plain := WithOp(context.Canceled, "sales", "list users")
	if plain.Error() != "sales: list users: context canceled" || !errors.Is(plain, context.Canceled) {
		t.Fatalf("WithOp(plain) = %v, want it prefixed and still context.Canceled", plain)
	}
	if WithOp(nil, "sales", "list users") != nil {
		t.Fatal("WithOp(nil) is not nil")
	}
}
