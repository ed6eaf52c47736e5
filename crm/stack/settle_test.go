package stack_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
)

// countingLimiter admits everything and counts what it admitted.
type countingLimiter struct{ n int }

func (c *countingLimiter) Wait(context.Context) (func(), error) { c.n++; return func() {}, nil }
func (c *countingLimiter) Backoff(time.Time)                    {}
func (c *countingLimiter) Settings() limit.Settings             { return limit.Settings{} }

// Settling an ended process's intents reads the users through the account's
// limiter, like every other request (the CLI used to settle around it).
func TestSettleReadsThroughTheLimiter(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 5})
	adapter := providertest.Apideck(url, httpx.NewHTTPClient(httpx.Options{})) // the client that asks the limiter
	log, err := audit.Open(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = log.Close() })
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	host, _ := os.Hostname()
	log.Append(&audit.Entry{Instance: host + ":" + strconv.Itoa(dead.ProcessState.Pid()), Provider: "sales",
		UserID: "10000", Action: "update", Result: audit.ResultIntent, After: map[string]any{"title": "Account Executive"}})
	lim := &countingLimiter{}
	n, err := stack.Settle(context.Background(), adapter, stack.Options{Audit: log, Limiter: lim,
		Who: audit.Who{Name: "ana", Via: "cli"}})
	if err != nil || n != 1 {
		t.Fatalf("Settle = %d, %v", n, err)
	}
	if lim.n == 0 {
		t.Error("the re-read went around the limiter")
	}
}
