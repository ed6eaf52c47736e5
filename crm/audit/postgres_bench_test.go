package audit_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/pgtest"
)

// BenchmarkPostgresAppend is one audit entry to PostgreSQL: a
// transaction with the advisory lock, the insert and the NOTIFY (the
// README's "audit append latency"). p50 and p99 are reported per entry.
func BenchmarkPostgresAppend(b *testing.B) {
	sink, err := audit.OpenPostgres(pgtest.DSN(b), audit.PostgresOptions{Spool: filepath.Join(b.TempDir(), "spool.jsonl")})
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		e := audit.Entry{Who: ana, Provider: "zoho", UserID: "1", Action: "update", Result: audit.ResultOK,
			After: map[string]any{"title": "Head of Sales"}}
		start := time.Now()
		if err := sink.Append(&e); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	if sink.Status().Spooling {
		b.Fatal("spooled during the benchmark")
	}
	reportPercentiles(b, took)
}

// BenchmarkFileAppend is the same entry to the file sink (synced).
func BenchmarkFileAppend(b *testing.B) {
	log, err := audit.Open(filepath.Join(b.TempDir(), "audit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		e := audit.Entry{Who: ana, Provider: "zoho", UserID: "1", Action: "update", Result: audit.ResultOK,
			After: map[string]any{"title": "Head of Sales"}}
		start := time.Now()
		if err := log.Append(&e); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, took)
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	at := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}
