package server

import (
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkSessions opens 50 consoles at once over real SSH and measures,
// per keystroke, the time from sending the key to the first bytes of the
// frame it causes, with all 50 typing at the same time; and the heap each
// open session costs (client and server share this process, so the figure
// is an upper bound for the server).
func BenchmarkSessions(b *testing.B) {
	const sessions = 50
	ana := newPerson(b, "ana", "admin")
	f := start(b, ana)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	consoles := make([]*console, sessions)
	for i := range consoles {
		consoles[i] = openConsole(b, f.addr, 100, 30, gossh.PublicKeys(ana.signer))
		consoles[i].waitFor(0, "Ada Lovelace")
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	perSession := float64(after.HeapAlloc-before.HeapAlloc) / sessions

	var (
		mu        sync.Mutex
		latencies []time.Duration
		failed    int
	)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key := "down"
		if i%2 == 1 {
			key = "up" // back again, so every key moves the cursor
		}
		var wg sync.WaitGroup
		for _, c := range consoles {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m := c.mark()
				sent := time.Now()
				if _, err := c.stdin.Write([]byte(keyBytes[key])); err != nil || !c.grows(m) {
					mu.Lock()
					failed++
					mu.Unlock()
					return
				}
				d := time.Since(sent)
				mu.Lock()
				latencies = append(latencies, d)
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	if failed > 0 {
		b.Fatalf("%d keystrokes got no frame", failed)
	}
	slices.Sort(latencies)
	ms := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.5), "p50-ms/key")
	b.ReportMetric(ms(0.99), "p99-ms/key")
	b.ReportMetric(perSession/1024, "heap-KiB/session")
}

// grows waits until output arrives after since; false if the session ends
// or nothing comes within waitLimit. It does not fail the test, so that
// goroutines may call it.
func (c *console) grows(since int) bool {
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		n, closed := len(c.out), c.closed
		c.mu.Unlock()
		if n > since {
			return true
		}
		if closed {
			return false
		}
		select {
		case <-c.more:
		case <-deadline.C:
			return false
		}
	}
}
