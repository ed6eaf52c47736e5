package crm

import (
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
