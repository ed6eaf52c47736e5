package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// BenchmarkConsoleIdleAndRSS runs the real console (this test binary
// re-executed as roster, see TestMain) in a 120x40 pseudo-terminal with
// `--demo --users N -p zoho-demo --latency 0s`, as an admin would leave it
// open, and measures from outside, in /proc/PID:
//
//   - idle-before-%: the console's CPU (utime+stime, all threads) over 60 s
//     once the first frame is drawn and 10 s have passed, as a % of a core
//     (idle-before-ticks: the same in ticks of 10 ms);
//   - load-s: the wall time from L to "loaded all" on screen (load-cpu-s: the
//     console's CPU meanwhile; the embedded sandbox runs in the same process);
//   - rss-MB, rss-B/user and hwm-MB: VmRSS and VmHWM 15 s after the load-all;
//   - idle-after-% (and -ticks): 60 s of CPU after that;
//   - idle-settled-% (and -ticks), rss-settled-B/user: 60 s of CPU from
//     135 s after the load, past the runtime's forced collection, and the
//     RSS then;
//   - idle-before-out-B, idle-after-out-B: what the console wrote to its
//     terminal in each idle window (0 when nothing was redrawn).
//
// zoho-demo, not the demo's default provider: Apideck is paced by its
// published 100 requests per 10 s, which makes a 1M load-all take ~9 min;
// Zoho pages are read four at once. N is 50 and 1,000,000, or the
// comma-separated list in ROSTER_PERF_USERS (e.g. 50 for a short try).
// One run takes ~4.5 min at 50 and ~4.5 min plus the load at 1M:
//
//	go test -run '^$' -bench ConsoleIdleAndRSS -benchtime 1x -timeout 60m .
func BenchmarkConsoleIdleAndRSS(b *testing.B) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("no /proc on this system: the console's CPU and RSS are read from /proc/PID")
	}
	sizes := []int{50, 1_000_000}
	if s := os.Getenv("ROSTER_PERF_USERS"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("ROSTER_PERF_USERS=%q: want user counts separated by commas", s)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			for range b.N {
				benchConsoleIdle(b, n)
			}
		})
	}
}

const (
	idleSettle   = 10 * time.Second
	idleWindow   = 60 * time.Second
	afterLoad    = 15 * time.Second
	settledAfter = 135 * time.Second
	firstFrameBy = 2 * time.Minute
	loadAllBy    = 15 * time.Minute
	clockTicks   = 100 // USER_HZ: /proc/PID/stat counts CPU in 1/100 s on Linux
)

func benchConsoleIdle(b *testing.B, n int) {
	home := b.TempDir() // no config or state of the admin's is read
	args, _ := json.Marshal([]string{"--demo", "--users", strconv.Itoa(n), "-p", "zoho-demo", "--latency", "0s"})
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "ROSTER_TEST_ARGS="+string(args), "TERM=xterm-256color",
		"HOME="+home, "XDG_CONFIG_HOME="+home)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		b.Fatal(err)
	}
	scr := drainScreen(tty)
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = tty.Close()
	}()
	pid := cmd.Process.Pid

	if err := scr.waitFor(firstFrameName, firstFrameBy); err != nil {
		b.Fatalf("first frame: %v", err)
	}
	time.Sleep(idleSettle) // the measurement's settling time, not synchronisation
	out0 := scr.written()
	before, pct := idleCPU(b, pid)
	b.ReportMetric(float64(before), "idle-before-ticks")
	b.ReportMetric(pct, "idle-before-%")
	b.ReportMetric(float64(scr.written()-out0), "idle-before-out-B")

	scr.reset()
	cpu0 := procTicks(b, pid)
	start := time.Now()
	if _, err := tty.Write([]byte("L")); err != nil {
		b.Fatal(err)
	}
	if err := scr.waitFor("loaded all", loadAllBy); err != nil {
		b.Fatalf("load-all: %v", err)
	}
	loaded := time.Now()
	load := loaded.Sub(start)
	loadCPU := procTicks(b, pid) - cpu0
	b.ReportMetric(load.Seconds(), "load-s")
	b.ReportMetric(float64(loadCPU)/clockTicks, "load-cpu-s")

	time.Sleep(afterLoad)
	rss, hwm := procMemory(b, pid)
	b.ReportMetric(float64(rss)/(1<<20), "rss-MB")
	b.ReportMetric(float64(rss)/float64(n), "rss-B/user")
	b.ReportMetric(float64(hwm)/(1<<20), "hwm-MB")
	out0 = scr.written()
	after, pct := idleCPU(b, pid)
	b.ReportMetric(float64(after), "idle-after-ticks")
	b.ReportMetric(pct, "idle-after-%")
	b.ReportMetric(float64(scr.written()-out0), "idle-after-out-B")

	// Settled: past the runtime's forced collection, two minutes after the
	// one FreeOSMemory ran at the end of the load: until then the renderer's
	// per-frame garbage lands on fresh pages.
	time.Sleep(time.Until(loaded.Add(settledAfter))) // the measurement's settling time
	out0 = scr.written()
	settled, pct := idleCPU(b, pid)
	b.ReportMetric(float64(settled), "idle-settled-ticks")
	b.ReportMetric(pct, "idle-settled-%")
	b.ReportMetric(float64(scr.written()-out0), "idle-settled-out-B")
	rssSettled, _ := procMemory(b, pid)
	b.ReportMetric(float64(rssSettled)/float64(n), "rss-settled-B/user")
	b.Logf("users=%d: idle %d ticks in %s before, %d after, %d settled; load-all %s wall, %d ticks CPU; VmRSS %d kB (settled %d kB), VmHWM %d kB",
		n, before, idleWindow, after, settled, load.Round(time.Millisecond), loadCPU, rss>>10, rssSettled>>10, hwm>>10)
}

// idleCPU is the CPU pid uses over idleWindow, in ticks and as a % of one
// core.
func idleCPU(b *testing.B, pid int) (int64, float64) {
	t0, start := procTicks(b, pid), time.Now()
	time.Sleep(idleWindow) // the measurement window
	ticks, wall := procTicks(b, pid)-t0, time.Since(start)
	return ticks, float64(ticks) / clockTicks / wall.Seconds() * 100
}

// procTicks is pid's CPU time so far (utime + stime of every thread), in
// clock ticks, from /proc/PID/stat.
func procTicks(b *testing.B, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatalf("the console's CPU: %v", err)
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state is field 3, utime 14, stime 15.
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		b.Fatalf("/proc/%d/stat: %q", pid, s)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		b.Fatalf("/proc/%d/stat: %v", pid, err)
	}
	return utime + stime
}

// procMemory is pid's resident set and its peak, in bytes, from
// /proc/PID/status.
func procMemory(b *testing.B, pid int) (rss, hwm int64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatalf("the console's memory: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			b.Fatalf("/proc/%d/status: %s: %v", pid, line, err)
		}
		if k == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if rss == 0 || hwm == 0 {
		b.Fatalf("/proc/%d/status has no VmRSS or VmHWM", pid)
	}
	return rss, hwm
}

// screen drains a pseudo-terminal continuously (a program blocks when its
// terminal is not read), answers the terminal queries, and keeps the tail
// of what was written to search, escapes stripped.
type screen struct {
	mu      sync.Mutex
	tail    []byte
	total   int64         // bytes read so far
	err     error         // the read's end (EOF when the program exits)
	changed chan struct{} // a token after each read
}

// screenTail is enough for the end of a full 120x40 frame, where the
// status bar is, and small enough to search after every read.
const screenTail = 16 << 10

func drainScreen(tty *os.File) *screen {
	s := &screen{changed: make(chan struct{}, 1)}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := tty.Read(buf)
			s.mu.Lock()
			if n > 0 {
				answerQueries(tty, buf[:n])
				s.total += int64(n)
				s.tail = append(s.tail, buf[:n]...)
				if over := len(s.tail) - screenTail; over > 0 {
					s.tail = append(s.tail[:0], s.tail[over:]...)
				}
			}
			if err != nil {
				s.err = err
			}
			s.mu.Unlock()
			select {
			case s.changed <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

// written is how many bytes the program has written so far.
func (s *screen) written() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// reset forgets what was shown so far.
func (s *screen) reset() {
	s.mu.Lock()
	s.tail = s.tail[:0]
	s.mu.Unlock()
}

// waitFor waits until text is on screen, the program ends, or timeout.
func (s *screen) waitFor(text string, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		shown, err := ansi.Strip(string(s.tail)), s.err
		s.mu.Unlock()
		if strings.Contains(shown, text) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the console ended (%v) before showing %q; its last output:\n%s", err, text, lastLines(shown))
		}
		select {
		case <-s.changed:
		case <-deadline.C:
			return fmt.Errorf("%q not shown within %s; the last output:\n%s", text, timeout, lastLines(shown))
		}
	}
}

// lastLines is the end of a stripped output, for an error message.
func lastLines(s string) string {
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}
