package usertable

// Side-by-side benchmarks for issue 8, all on the same generated users:
//
//	go test -run '^$' -bench . -benchmem ./ui/usertable/
//
// Results and the machine they ran on are in README.md (Performance).

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
)

var (
	benchSizesNarrow = []int{10_000, 100_000, 1_000_000}
	benchSizesView   = []int{1_000, 100_000, 1_000_000}
)

// benchQuery is typed one key at a time. It is a broad query (a department
// and title word): its first letters match most rows, the costly case for
// a matcher that keeps every match.
const benchQuery = "sale"

const benchW, benchH = 120, 40

// benchData holds what is expensive to build once per size: the users, a
// Roster table holding them, and the same rows as bubbles targets. Test-only
// cache so the sub-benchmarks, which the testing package calls repeatedly,
// don't rebuild a million users each time.
type benchData struct {
	users   []crm.User
	table   Model
	targets []string   // each row's cells joined: the DefaultFilter targets
	rows    [][]string // each row's cells: bubbles/table rows and list items
}

var (
	benchMu    sync.Mutex
	benchCache = map[int]*benchData{}
)

func benchSet(b *testing.B, n int) *benchData {
	benchMu.Lock()
	defer benchMu.Unlock()
	if d, ok := benchCache[n]; ok {
		return d
	}
	for k := range benchCache { // keep one size in memory at a time
		delete(benchCache, k)
	}
	runtime.GC()
	d := &benchData{users: people(n)}
	d.table = New(listColumns(), testStyles(termenv.Ascii))
	d.table.SetSize(benchW, benchH)
	d.table.SetUsers(d.users)
	d.rows = make([][]string, n)
	d.targets = make([]string, n)
	for i := range d.users {
		d.rows[i] = d.table.store.rowCells(int32(i))
		d.targets[i] = strings.Join(d.rows[i], " ")
	}
	benchCache[n] = d
	return d
}

// BenchmarkNarrow types benchQuery one key at a time; ns/key is the cost of
// one keystroke (Roster includes delivering its background result).
func BenchmarkNarrow(b *testing.B) {
	for _, n := range benchSizesNarrow {
		b.Run(fmt.Sprintf("users=%d/roster", n), func(b *testing.B) {
			m := benchSet(b, n).table
			// the slowest single key over every run, in wall time and in
			// process CPU time (all threads: on a shared machine the wall
			// time also counts waiting for a core)
			var worst, worstCPU time.Duration
			runtime.GC() // the setup's garbage is not the keys'
			cpu := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				for k := 1; k <= len(benchQuery); k++ {
					start, c0 := time.Now(), cpuTime()
					cmd := m.SetQuery(benchQuery[:k])
					for cmd != nil {
						msg := cmd()
						if msg == nil {
							break
						}
						m, cmd = m.Update(msg)
					}
					worst = max(worst, time.Since(start))
					worstCPU = max(worstCPU, cpuTime()-c0)
				}
				m.SetQuery("")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchQuery)), "ns/key")
			b.ReportMetric(float64(worst.Nanoseconds()), "worst-ns/key")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N*len(benchQuery)), "cpu-ms/key")
			b.ReportMetric(float64(worstCPU)/float64(time.Millisecond), "worst-cpu-ms/key")
		})
		b.Run(fmt.Sprintf("users=%d/bubbles-DefaultFilter", n), func(b *testing.B) {
			targets := benchSet(b, n).targets
			runtime.GC()
			cpu := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				for k := 1; k <= len(benchQuery); k++ {
					_ = list.DefaultFilter(benchQuery[:k], targets)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchQuery)), "ns/key")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N*len(benchQuery)), "cpu-ms/key")
		})
	}
}

// listItem is a bubbles/list item holding the same cells.
type listItem []string

func (i listItem) FilterValue() string { return strings.Join(i, " ") }
func (i listItem) Title() string       { return i[0] }
func (i listItem) Description() string { return strings.Join(i[1:], "  ") }

// BenchmarkView renders one frame with the cursor in the middle of the
// rows; the scroll variants move the cursor down one row first (the work a
// keypress costs, wherever each component does it).
func BenchmarkView(b *testing.B) {
	for _, n := range benchSizesView {
		b.Run(fmt.Sprintf("users=%d/roster", n), func(b *testing.B) {
			m := benchSet(b, n).table
			m.SetQuery("")
			m.cursor = n / 2
			m.clamp()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
		b.Run(fmt.Sprintf("users=%d/bubbles-list", n), func(b *testing.B) {
			l := benchList(benchSet(b, n).rows)
			b.ResetTimer()
			for b.Loop() {
				_ = l.View()
			}
		})
		b.Run(fmt.Sprintf("users=%d/bubbles-table", n), func(b *testing.B) {
			t := benchTable(benchSet(b, n).rows)
			b.ResetTimer()
			for b.Loop() {
				_ = t.View()
			}
		})
	}
}

func BenchmarkScrollFrame(b *testing.B) {
	down := tea.KeyMsg{Type: tea.KeyDown}
	up := tea.KeyMsg{Type: tea.KeyUp}
	for _, n := range benchSizesView {
		b.Run(fmt.Sprintf("users=%d/roster", n), func(b *testing.B) {
			m := benchSet(b, n).table
			m.SetQuery("")
			m.cursor = n / 2
			m.clamp()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				m, _ = m.Update(pick(i, down, up))
				_ = m.View()
			}
		})
		b.Run(fmt.Sprintf("users=%d/bubbles-list", n), func(b *testing.B) {
			l := benchList(benchSet(b, n).rows)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				l, _ = l.Update(pick(i, down, up))
				_ = l.View()
			}
		})
		b.Run(fmt.Sprintf("users=%d/bubbles-table", n), func(b *testing.B) {
			t := benchTable(benchSet(b, n).rows)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				t, _ = t.Update(pick(i, down, up))
				_ = t.View()
			}
		})
	}
}

func pick(i int, even, odd tea.KeyMsg) tea.KeyMsg {
	if i%2 == 0 {
		return even
	}
	return odd
}

func benchList(rows [][]string) list.Model {
	items := make([]list.Item, len(rows))
	for i, r := range rows {
		items[i] = listItem(r)
	}
	l := list.New(items, list.NewDefaultDelegate(), benchW, benchH)
	l.Select(len(rows) / 2)
	return l
}

func benchTable(rows [][]string) table.Model {
	trs := make([]table.Row, len(rows))
	for i, r := range rows {
		trs[i] = table.Row(r)
	}
	var cols []table.Column
	for c, w := range layout(listColumns(), benchW) {
		cols = append(cols, table.Column{Title: listColumns()[c].Title, Width: w})
	}
	t := table.New(table.WithColumns(cols), table.WithRows(trs),
		table.WithHeight(benchH-1), table.WithWidth(benchW), table.WithFocused(true))
	t.SetCursor(len(rows) / 2)
	return t
}

// BenchmarkHeapPerUser loads n users and reports the live heap per user:
// the crm.User values as an adapter returns them (raw JSON included), and
// what the table keeps once they are dropped (its records, search keys, id
// index and row lists: no raw JSON). heap-B/user is the table's figure, the
// one a loaded list costs.
func BenchmarkHeapPerUser(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			benchMu.Lock()
			clear(benchCache)
			benchMu.Unlock()
			var users, table float64
			for b.Loop() {
				base := liveHeap()
				us := people(n)
				withUsers := liveHeap()
				m := New(listColumns(), testStyles(termenv.Ascii))
				m.SetSize(benchW, benchH)
				r := m.NewRows()
				for p := 0; p < n; p += 200 { // as a load-all builds them
					r.Add(us[p:min(p+200, n)])
				}
				m.SetRows(r)
				us, r = nil, nil
				withTable := liveHeap()
				runtime.KeepAlive(m)
				users = float64(withUsers-base) / float64(n)
				table = float64(withTable-base) / float64(n)
			}
			b.ReportMetric(users, "user-B/user")
			b.ReportMetric(table, "heap-B/user")
		})
	}
}

func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// BenchmarkSort re-sorts every loaded user by a column (collation keys
// included: the cost of pressing s), and reverses a sort (S). From
// asyncSortMin rows the sort, and the reverse (linear, from the ties the
// sort marked), run in the background: the figure is the time from the
// key to the sorted rows installed (the command run and its message taken
// by Update), as the admin waits for it. cpu-ms/op is the process's CPU
// time, all threads: on a shared machine the figure to compare.
//
//	go test -run '^$' -bench Sort -benchtime 3x -count 3 ./ui/usertable/
func BenchmarkSort(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		d := benchSet(b, n)
		b.Run(fmt.Sprintf("users=%d/by_name", n), func(b *testing.B) {
			m := d.table
			runtime.GC() // the setup's garbage is not the sort's
			cpu := cpuTime()
			for b.Loop() {
				m = runCmds(m, m.SortBy(Unsorted))
				m = runCmds(m, m.SortBy(SortOrder{Col: 0}))
			}
			reportCPU(b, cpu)
		})
		b.Run(fmt.Sprintf("users=%d/by_updated", n), func(b *testing.B) {
			m := d.table
			runtime.GC()
			cpu := cpuTime()
			for b.Loop() {
				m = runCmds(m, m.SortBy(Unsorted))
				m = runCmds(m, m.SortBy(SortOrder{Col: 4}))
			}
			reportCPU(b, cpu)
		})
		b.Run(fmt.Sprintf("users=%d/by_updated_time", n), func(b *testing.B) {
			// the console's Updated column sorts by the full timestamp, a
			// SortValue: each row's record decoded and its value folded
			m := d.table
			cols := listColumns()
			cols[4].SortValue = func(u *crm.User) string { return u.UpdatedAt }
			m = runCmds(m, m.SetColumns(cols))
			runtime.GC()
			cpu := cpuTime()
			for b.Loop() {
				m = runCmds(m, m.SortBy(Unsorted))
				m = runCmds(m, m.SortBy(SortOrder{Col: 4}))
			}
			reportCPU(b, cpu)
		})
		b.Run(fmt.Sprintf("users=%d/reverse", n), func(b *testing.B) {
			m := d.table
			m = runCmds(m, m.SortBy(SortOrder{Col: 0}))
			desc := false
			runtime.GC() // the setup's garbage is not the sort's
			cpu := cpuTime()
			for b.Loop() {
				desc = !desc
				m = runCmds(m, m.SortBy(SortOrder{Col: 0, Desc: desc}))
			}
			reportCPU(b, cpu)
		})
		b.Run(fmt.Sprintf("users=%d/view_sorted", n), func(b *testing.B) {
			m := d.table
			m = runCmds(m, m.SortBy(SortOrder{Col: 0}))
			for b.Loop() {
				_ = m.View()
			}
		})
		d.table.SortBy(Unsorted)
	}
}

// runCmds runs a command and hands its messages to Update until none is
// left, as the program would.
func runCmds(m Model, cmd tea.Cmd) Model {
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			break
		}
		m, cmd = m.Update(msg)
	}
	return m
}

// cpuTime is the process's CPU time so far. On a shared machine wall time
// measures the neighbours; CPU time per operation (cpu-ms/op, all threads)
// is what the sort itself costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(cpuTime()-since)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
