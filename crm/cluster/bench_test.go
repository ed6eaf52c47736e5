package cluster

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/pgtest"
)

// BenchmarkLimiterCheck is one request's question to the shared limiter
// when the budget has room: the GCRA UPSERT (the README's "limiter check
// latency"), and with a concurrency cap also taking and freeing a slot.
func BenchmarkLimiterCheck(b *testing.B) {
	for _, c := range []struct {
		name string
		s    limit.Settings
	}{
		{"rate", limit.Settings{Requests: 1_000_000, Per: time.Second}},
		{"rate+slot", limit.Settings{Requests: 1_000_000, Per: time.Second, Concurrency: 5}},
	} {
		b.Run(c.name, func(b *testing.B) {
			store, err := Open(pgtest.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			l := store.NewLimiter("bench", c.s)
			ctx := context.Background()
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				release, err := l.Wait(ctx)
				if err != nil {
					b.Fatal(err)
				}
				release()
				took = append(took, time.Since(start))
			}
			b.StopTimer()
			if l.(*Limiter).Degraded() {
				b.Fatal("fell back to the local limiter")
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(took[(len(took)-1)*99/100].Microseconds()), "p99-µs")
		})
	}
}
