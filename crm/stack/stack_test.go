package stack_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
)

type gate struct{ open bool }

func (g *gate) Begin() bool { return g.open }
func (g *gate) End()        {}

func TestLayersAreInTheOneOrder(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	log, err := audit.Open(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	p := stack.Build(providertest.Apideck(url, nil), stack.Options{Role: guard.Admin, Audit: log, Writes: &gate{open: true}})
	want := []string{"*apideck.Provider", "guard", "audit", "writes", "pagecache"}
	if got := stack.Layers(p); !slices.Equal(got, want) {
		t.Fatalf("layers %v, want %v", got, want)
	}
	if _, ok := p.(crm.Invalidator); !ok {
		t.Error("the stack does not offer Invalidate")
	}
	if _, ok := p.(crm.IdentityLookup); ok {
		t.Error("the stack offers Lookup, but Apideck has none")
	}
	if _, ok := p.(crm.Creator); !ok {
		t.Error("the stack hides Create, but Apideck has it")
	}
}

func TestLookupIsOfferedWhenTheAdapterHasIt(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	l, err := laurel.New(laurel.Options{Name: "l", BaseURL: url, ClientID: sandbox.LaurelClientID,
		ClientSecret: sandbox.LaurelClientSecret, CustomerID: sandbox.LaurelCustomerID,
		HTTP: &http.Client{Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	p := stack.Build(l, stack.Options{Role: guard.Viewer})
	if _, ok := p.(crm.IdentityLookup); !ok || len(p.Info().Caps.IdentityTypes) == 0 {
		t.Fatal("Laurel looks users up by identity; the stack hides it")
	}
	if got := stack.Layers(p); !slices.Equal(got, []string{"*laurel.Provider", "guard", "pagecache"}) {
		t.Fatalf("layers %v", got)
	}
	if _, ok := p.(crm.Creator); ok || p.Info().Caps.Create {
		t.Error("the stack offers Create, but Laurel has none")
	}
}

// A write the writes gate refuses never reaches the provider, and the cache
// (outermost) still forgets its pages.
func TestShuttingDownRefusesWritesWithoutSending(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	inner := providertest.Apideck(url, nil)
	p := stack.Build(inner, stack.Options{Role: guard.Admin, Writes: &gate{open: false}})
	ctx := context.Background()
	_, err := p.Update(ctx, "10000", crm.Changes{"title": "Changed"})
	if !errors.Is(err, crm.ErrTransient) {
		t.Fatalf("update while shutting down: %v, want transient", err)
	}
	if u, err := inner.Get(ctx, "10000"); err != nil || u.Title == "Changed" {
		t.Fatalf("the refused update reached the provider: %v %q", err, u.Title)
	}
}
