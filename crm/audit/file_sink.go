package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// The file is a Sink too: the embedded default.
var _ Sink = (*Log)(nil)

// ReadRaw reads the log's file (see the package function ReadRaw).
func (l *Log) ReadRaw(_ context.Context, f Filter) ([]Entry, error) { return ReadRaw(l.path, f) }

// Status of a file is always fine: an append that fails says so itself.
func (l *Log) Status() Status { return Status{Sink: "file"} }

// Close has nothing to stop.
func (l *Log) Close() error { return nil }

// followPoll is how often Follow looks for new lines: a tail, not a
// notification, so it also sees lines other processes append.
const followPoll = 200 * time.Millisecond

// Follow emits every entry in the file, then each complete line appended
// after, like tail -f. A line still being written waits for its newline.
func (l *Log) Follow(ctx context.Context, f Filter, emit func([]Entry, error) error) error {
	return followFile(ctx, l.path, f, emit, followPoll)
}

func followFile(ctx context.Context, path string, f Filter, emit func([]Entry, error) error, poll time.Duration) error {
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var offset int64
	for first := true; ; first = false {
		entries, next, err := readComplete(path, offset, f)
		var bad *BadLinesError
		if err != nil && !errors.As(err, &bad) {
			return err
		}
		offset = next
		if first || len(entries) > 0 || bad != nil {
			if bad == nil {
				err = nil
			}
			if eerr := emit(entries, err); eerr != nil {
				return eerr
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// readComplete decodes the complete lines of path from offset on and
// returns the offset after the last complete line.
func readComplete(path string, offset int64, f Filter) ([]Entry, int64, error) {
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, offset, nil
	}
	if err != nil {
		return nil, offset, fmt.Errorf("audit log %s: %w", path, err)
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, offset, err
	}
	if fi.Size() < offset { // replaced or truncated: start again
		offset = 0
	}
	data, err := io.ReadAll(io.NewSectionReader(file, offset, fi.Size()-offset))
	if err != nil {
		return nil, offset, err
	}
	end := bytes.LastIndexByte(data, '\n')
	if end < 0 {
		return nil, offset, nil
	}
	entries, derr := decode(bytes.NewReader(data[:end+1]), path, f)
	return entries, offset + int64(end) + 1, derr
}
