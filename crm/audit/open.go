package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Open prepares the log at path, creating its directory (0700) and the file
// (0600) when missing. An existing log others could read is made 0600 with
// a warning (Warnings). A file that is not an audit log — the config file,
// a host key, anything whose first line is not an entry — is refused:
// appending to it would corrupt it.
func Open(path string) (*Log, error) {
	l := &Log{path: path, instance: instanceName()}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("audit log %s: not a regular file", path)
	}
	if err := checkFirstLine(f); err != nil {
		return nil, fmt.Errorf("audit log %s: %w; refusing to append to it (check audit_log)", path, err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("audit log %s: readable by others (%04o) and cannot fix: %w", path, perm, err)
		}
		l.warnings = append(l.warnings, fmt.Sprintf("audit log %s was readable by group or others (%04o); it is 0600 now", path, perm))
	}
	return l, nil
}

// checkFirstLine accepts an empty file or one whose first line is a JSON
// object with the keys every entry has.
func checkFirstLine(f *os.File) error {
	r := bufio.NewReaderSize(f, 64<<10)
	line, err := r.ReadSlice('\n')
	if len(line) == 0 && errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	var probe struct {
		Time   *json.RawMessage `json:"time"`
		Action *json.RawMessage `json:"action"`
		Result *json.RawMessage `json:"result"`
	}
	if errors.Is(err, bufio.ErrBufferFull) || json.Unmarshal(line, &probe) != nil ||
		probe.Time == nil || probe.Action == nil || probe.Result == nil {
		return errors.New("its first line is not an audit entry")
	}
	return nil
}
