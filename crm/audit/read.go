package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// MaxLineBytes is the longest line readers parse. Roster never writes one
// this long (values are cut at MaxValueBytes); a longer line is skipped
// and reported, not allowed to hide the rest of the trail.
const MaxLineBytes = 16 << 20

// Filter selects entries when reading; zero fields select everything.
type Filter struct {
	UserID   string
	Who      string
	Provider string
	Action   string    // update | delete | create
	Run      string    // one run's changes (a bulk run, an offboarding)
	Since    time.Time // entries at or after
	Until    time.Time // entries before
}

func (f Filter) match(e Entry) bool {
	return (f.UserID == "" || e.UserID == f.UserID) && (f.Who == "" || e.Who.Name == f.Who) &&
		(f.Provider == "" || e.Provider == f.Provider) && (f.Action == "" || e.Action == f.Action) &&
		(f.Run == "" || e.Run == f.Run) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since)) && (f.Until.IsZero() || e.Time.Before(f.Until))
}

// BadLine is a line readers skipped.
type BadLine struct {
	Line   int
	Reason string
}

// BadLinesError reports the lines a read skipped; the entries returned
// with it are every other line, complete.
type BadLinesError struct {
	Path  string
	Lines []BadLine
}

func (e *BadLinesError) Error() string {
	parts := make([]string, 0, len(e.Lines))
	for _, b := range e.Lines {
		parts = append(parts, fmt.Sprintf("%s:%d: %s", e.Path, b.Line, b.Reason))
	}
	return fmt.Sprintf("audit log: skipped %d unreadable line(s): %s", len(e.Lines), strings.Join(parts, "; "))
}

// Read returns the changes recorded in the log at path that match f,
// oldest first: one entry per change — its outcome, or, for an intent no
// outcome followed, the intent with result unknown and ProcessEnded as its
// error. A missing file is an empty log. Unparsable lines are skipped and
// reported in a *BadLinesError returned with the entries.
func Read(path string, f Filter) ([]Entry, error) {
	raw, err := ReadRaw(path, f)
	return Settle(raw), err
}

// ReadRaw returns every line that matches f as written, intents included.
func ReadRaw(path string, f Filter) ([]Entry, error) {
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	defer file.Close()
	return decode(file, path, f)
}

func decode(r io.Reader, path string, f Filter) ([]Entry, error) {
	var (
		out []Entry
		bad []BadLine
	)
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return out, fmt.Errorf("audit log %s:%d: %w", path, n, err)
		}
		if errors.Is(err, io.EOF) && len(line) == 0 && !tooLong {
			break
		}
		switch line = bytes.TrimSpace(line); {
		case tooLong:
			bad = append(bad, BadLine{n, fmt.Sprintf("longer than %d MiB", MaxLineBytes>>20)})
		case len(line) == 0:
		default:
			var e Entry
			if uerr := json.Unmarshal(line, &e); uerr != nil {
				bad = append(bad, BadLine{n, "not an entry: " + uerr.Error()})
			} else if f.match(e) {
				out = append(out, e)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if len(bad) > 0 {
		return out, &BadLinesError{Path: path, Lines: bad}
	}
	return out, nil
}

// readLine reads one line without its newline. A line longer than
// MaxLineBytes is consumed, not kept.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > MaxLineBytes+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, err
	}
}

// Settle folds intents into their outcomes: an intent with an outcome is
// dropped (the outcome says it all); one without stays, as unknown.
func Settle(raw []Entry) []Entry {
	settled := make(map[string]bool)
	for _, e := range raw {
		if e.Intent != "" {
			settled[e.Intent] = true
		}
	}
	out := make([]Entry, 0, len(raw))
	for _, e := range raw {
		if e.Result == ResultIntent {
			if settled[e.ID] {
				continue
			}
			e.Result, e.Error = ResultUnknown, ProcessEnded
		}
		out = append(out, e)
	}
	return out
}
