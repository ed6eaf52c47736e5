package server

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildRoster builds the roster command into a temporary directory, with
// the race detector when this test binary has it.
func buildRoster(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "roster")
	args := []string{"build", "-o", bin}
	if raceDetector {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "github.com/roster-tui/roster")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// rosterProc is a roster process the test started: its stderr lines (the
// JSON log of `roster serve`) and stdout lines are kept, and waits on them
// wake on every new line.
type rosterProc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd

	mu     sync.Mutex
	stderr []string
	stdout []string
	ended  int // streams read to their end
	more   chan struct{}
}

// startRoster runs bin with args and env added to this process's
// environment; it is stopped (SIGTERM, then SIGKILL past waitLimit) when
// the test ends unless stop was called.
func startRoster(t *testing.T, name, bin string, env []string, args ...string) *rosterProc {
	t.Helper()
	p := &rosterProc{t: t, name: name, cmd: exec.Command(bin, args...), more: make(chan struct{}, 1)}
	p.cmd.Env = append(os.Environ(), env...)
	errPipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go p.collect(errPipe, &p.stderr)
	go p.collect(outPipe, &p.stdout)
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.stop()
		}
	})
	return p
}

func (p *rosterProc) collect(r io.Reader, into *[]string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		p.mu.Lock()
		*into = append(*into, sc.Text())
		p.mu.Unlock()
		p.wake()
	}
	p.mu.Lock()
	p.ended++
	p.mu.Unlock()
	p.wake()
}

func (p *rosterProc) wake() {
	select {
	case p.more <- struct{}{}:
	default:
	}
}

// waitLine waits until a line of stdout (or stderr) satisfies match and
// returns it; it fails the test after waitLimit or when the process has
// closed both streams first.
func (p *rosterProc) waitLine(stdout bool, what string, match func(string) bool) string {
	p.t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		lines, ended := p.stderr, p.ended == 2
		if stdout {
			lines = p.stdout
		}
		for _, l := range lines {
			if match(l) {
				p.mu.Unlock()
				return l
			}
		}
		p.mu.Unlock()
		if ended {
			p.t.Fatalf("%s ended before %s; it wrote:\n%s", p.name, what, p.output())
		}
		select {
		case <-p.more:
		case <-deadline.C:
			p.t.Fatalf("%s: %s did not come within %s; it wrote:\n%s", p.name, what, waitLimit, p.output())
		}
	}
}

// waitLog waits for the JSON log record whose msg is msg and returns it.
func (p *rosterProc) waitLog(msg string) map[string]any {
	p.t.Helper()
	var rec map[string]any
	p.waitLine(false, "the log record "+msg, func(l string) bool {
		rec = nil
		return json.Unmarshal([]byte(l), &rec) == nil && rec["msg"] == msg
	})
	return rec
}

// lines returns what the process wrote to stdout so far.
func (p *rosterProc) lines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.stdout...)
}

// waitLines waits until stdout holds lines that satisfy done.
func (p *rosterProc) waitLines(what string, done func([]string) bool) []string {
	p.t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		lines := p.lines()
		if done(lines) {
			return lines
		}
		select {
		case <-p.more:
		case <-deadline.C:
			p.t.Fatalf("%s: %s did not come within %s; it wrote:\n%s", p.name, what, waitLimit, p.output())
		}
	}
}

func (p *rosterProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.stdout, "\n") + "\n--- stderr ---\n" + strings.Join(p.stderr, "\n")
}

// stop sends SIGTERM (a graceful shutdown) and waits for the process; it
// is killed if it has not ended within waitLimit. It returns the exit error.
func (p *rosterProc) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(waitLimit):
		_ = p.cmd.Process.Kill()
		<-done
		p.t.Errorf("%s did not stop within %s of SIGTERM; killed", p.name, waitLimit)
		return nil
	}
}

// getText GETs url and returns the body.
func getText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
