package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestLogFormatShapesDebugTrace: --log-format picks the formatter of
// --debug's HTTP trace; text keeps the readable block, json gives one
// object per request, logfmt key=value records, anything else is a usage
// error (exit 2).
func TestLogFormatShapesDebugTrace(t *testing.T) {
	ctx := context.Background()
	_, _, stderr := execRoster(ctx, "--demo", "--debug", "users", "list", "--limit", "1")
	if !strings.HasPrefix(stderr, "→ GET ") {
		t.Errorf("text: want the trace block, got %.200q", stderr)
	}
	_, _, stderr = execRoster(ctx, "--demo", "--debug", "--log-format", "json", "users", "list", "--limit", "1")
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("json: not one object per line: %v: %q", err, line)
		}
		if rec["level"] != "debug" || !strings.HasPrefix(rec["trace"].(string), "→ GET ") {
			t.Errorf("json: want a debug record with the trace, got %v", rec)
		}
	}
	_, _, stderr = execRoster(ctx, "--demo", "--debug", "--log-format", "logfmt", "users", "list", "--limit", "1")
	if !strings.Contains(stderr, "level=debug") || !strings.Contains(stderr, `trace="→ GET `) {
		t.Errorf("logfmt: want key=value records, got %.200q", stderr)
	}
	code, _, stderr := execRoster(ctx, "--demo", "--log-format", "xml", "users", "list")
	if code != 2 || !strings.Contains(stderr, "--log-format must be text, json or logfmt") {
		t.Errorf("xml: want exit 2 naming the formats, got %d %q", code, stderr)
	}
}

// screenWatch is the console's output: it cancels the run once the list
// shows a loaded user, so the test ends when the first page has been read
// (and traced) without waiting on time.
type screenWatch struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (s *screenWatch) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	if strings.Contains(s.buf.String(), "Lovelace") {
		s.cancel()
	}
	return len(p), nil
}

// TestConsoleDebugLogGoesToFile: in the console, --debug writes to the log
// file (the state directory's roster.log by default, mode 0600), never to
// the screen or stderr.
func TestConsoleDebugLogGoesToFile(t *testing.T) {
	for _, explicit := range []bool{false, true} {
		state := t.TempDir()
		t.Setenv("XDG_STATE_HOME", state)
		want := filepath.Join(state, "roster", "roster.log")
		args := []string{"--demo", "--debug", "-p", "sales"}
		if explicit {
			want = filepath.Join(t.TempDir(), "debug.log")
			args = append(args, "--log-file", want)
		}
		ctx, cancel := context.WithCancel(context.Background())
		screen := &screenWatch{cancel: cancel}
		var errOut bytes.Buffer
		root := newRootCmd()
		root.SetArgs(args)
		root.SetOut(screen)
		root.SetErr(&errOut)
		root.SetIn(strings.NewReader(""))
		err := root.ExecuteContext(ctx)
		cancel()
		if err != nil {
			t.Fatalf("console: %v", err)
		}
		screen.mu.Lock()
		shown := screen.buf.String() + errOut.String()
		screen.mu.Unlock()
		if strings.Contains(shown, "→ GET") {
			t.Errorf("the debug trace reached the screen or stderr")
		}
		data, err := os.ReadFile(want)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "→ GET ") {
			t.Errorf("%s holds no trace: %.200q", want, data)
		}
		if fi, _ := os.Stat(want); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", want, fi.Mode().Perm())
		}
	}
}

// TestServeLoggerFollowsLogFormat: roster serve's logger (newLogger) writes
// JSON objects with RFC 3339 times for json, key=value for logfmt.
func TestServeLoggerFollowsLogFormat(t *testing.T) {
	var buf bytes.Buffer
	logger, err := (&globalFlags{logFormat: "json"}).newLogger(&buf, "roster serve")
	if err != nil {
		t.Fatal(err)
	}
	logger.Info("listening", "addr", "127.0.0.1:1")
	var rec map[string]string
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil || rec["msg"] != "listening" || rec["addr"] != "127.0.0.1:1" || !strings.Contains(rec["time"], "T") {
		t.Errorf("json: %v %q", err, buf.String())
	}
	buf.Reset()
	logger, _ = (&globalFlags{logFormat: "logfmt"}).newLogger(&buf, "roster serve")
	logger.Info("listening", "addr", "127.0.0.1:1")
	if !strings.Contains(buf.String(), "msg=listening addr=127.0.0.1:1") {
		t.Errorf("logfmt: %q", buf.String())
	}
}
