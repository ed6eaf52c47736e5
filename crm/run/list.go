package run

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Summary is what `roster runs list` shows of one journal.
type Summary struct {
	Run      string `json:"run"`
	Provider string `json:"provider"`
	Op       Op     `json:"op"`
	Path     string `json:"path"`
	Demo     bool   `json:"demo,omitempty"` // a run on the demo's sandbox (Plan.Demo)
	// Started is when the run began (its id starts with the UTC time);
	// zero for an id that does not.
	Started time.Time `json:"started,omitzero"`
	// Users counts every user of the run: those planned for a write, those
	// already at their values, and those that could not be read.
	Users int `json:"users"`
	// Applied, Unchanged, Failed, Unknown count settled users; Pending are
	// users with no outcome yet (never reached, or interrupted mid-write).
	Applied   int `json:"applied"`
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
	Retryable int `json:"retryable"`
	Unknown   int `json:"unknown"`
	Pending   int `json:"pending"`
	// Interrupted are the pending users whose write was announced but
	// never settled (a kill mid-write): a resume reads them first.
	Interrupted int `json:"interrupted"`
	// State: finished (every user settled), needs-resume (pending users,
	// unknown outcomes or passing failures a resume retries), running (not
	// settled, but a run holds its journal now: in this process or
	// another), or damaged (the journal cannot be read; Error says why).
	State string `json:"state"`
	Error string `json:"error,omitempty"`
}

// Summarize reads the journal at path.
func Summarize(path string) Summary {
	s := Summary{Path: path, Run: strings.TrimSuffix(filepath.Base(path), ".jsonl")}
	st, err := ReadJournal(path)
	if err != nil {
		s.State, s.Error = "damaged", err.Error()
		return s
	}
	s.Run, s.Provider, s.Op, s.Demo = st.Plan.Run, st.Plan.Provider, st.Plan.Op, st.Plan.Demo
	s.Started = startedAt(s.Run)
	s.Users = len(st.Plan.Steps) + len(st.Plan.Unchanged) + len(st.Plan.Failed)
	s.Unchanged, s.Failed = len(st.Plan.Unchanged), len(st.Plan.Failed)
	for _, step := range st.Plan.Steps {
		out, ok := st.Done[step.ID]
		switch {
		case !ok:
			s.Pending++
			if st.Started[step.ID] {
				s.Interrupted++
			}
		case out == Applied:
			s.Applied++
		case out == Unchanged:
			s.Unchanged++
		case out == Unknown:
			s.Unknown++
		default:
			s.Failed++
			if st.Retry[step.ID] {
				s.Retryable++
			}
		}
	}
	s.State = "finished"
	if s.Pending+s.Unknown+s.Retryable > 0 {
		s.State = "needs-resume"
		if busy(path) {
			s.State = "running"
		}
	}
	return s
}

// Left is how many users a resume would still step through: never
// reached, interrupted, unknown, or refused for a passing reason.
func (s Summary) Left() int { return s.Pending + s.Unknown + s.Retryable }

// startedAt reads the time NewID put at the start of a run id.
func startedAt(run string) time.Time {
	stamp, _, _ := strings.Cut(run, "-")
	t, err := time.Parse("20060102T150405Z", stamp)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Unfinished are the runs on provider (its config name, which names the
// account; demo says whether that is the demo's sandbox) that a resume
// would continue, newest first; runs going on elsewhere and damaged
// journals are left out.
func Unfinished(dir, provider string, demo bool) ([]Summary, error) {
	all, err := List(dir)
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, s := range all {
		if s.Provider == provider && s.Demo == demo && s.State == "needs-resume" {
			out = append(out, s)
		}
	}
	return out, nil
}

// List summarises every journal in dir, newest first (run ids start with
// their UTC start time).
func List(dir string) ([]Summary, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".jsonl") {
			continue
		}
		out = append(out, Summarize(filepath.Join(dir, e.Name())))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Run > out[j].Run })
	return out, nil
}

// Find returns the journal of run in dir: its exact id, or the one run
// whose id starts with it (the time part is enough to name a run).
func Find(dir, run string) (string, error) {
	exact := filepath.Join(dir, run+".jsonl")
	if _, err := os.Stat(exact); err == nil {
		return exact, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), run) && strings.HasSuffix(e.Name(), ".jsonl") {
			found = append(found, filepath.Join(dir, e.Name()))
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", &NotFoundError{Run: run, Dir: dir}
	}
	return "", &NotFoundError{Run: run, Dir: dir, Ambiguous: len(found)}
}

// NotFoundError: no journal (or several) answer to a run id.
type NotFoundError struct {
	Run, Dir  string
	Ambiguous int
}

func (e *NotFoundError) Error() string {
	if e.Ambiguous > 0 {
		return "run " + e.Run + " is ambiguous: " + strconv.Itoa(e.Ambiguous) + " runs in " + e.Dir + " start with it"
	}
	return "no run " + e.Run + " in " + e.Dir + " (see: roster runs list)"
}
