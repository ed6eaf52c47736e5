package usertable

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/bubbles/table"
	"github.com/muesli/termenv"
)

// BenchmarkBuildRows builds the rows of n users page by page as a load-all
// does (Rows.Add per page of 200, off the UI goroutine, then SetRows for
// the first batch and AppendRows for each next one on the UI goroutine),
// beside bubbles/table's row build for the same users:
// the same cells formatted and cleaned, then table.New(WithRows). cpu-ms is
// process CPU (a build may use several goroutines).
func BenchmarkBuildRows(b *testing.B) {
	const page = 200
	for _, n := range []int{100_000, 1_000_000} {
		users := people(n)
		m := New(listColumns(), testStyles(termenv.Ascii))
		b.Run(fmt.Sprintf("users=%d/roster", n), func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				r := m.NewRows()
				r.SetTotal(n)
				for p := 0; p < n; p += page {
					r.Add(users[p:min(p+page, n)])
					if p == 0 {
						m.SetRows(r)
					} else {
						m.AppendRows(r)
					}
					r = r.Next()
				}
				m.FinishRows()
			}
			reportCPU(b, cpu)
		})
		b.Run(fmt.Sprintf("users=%d/bubbles-table", n), func(b *testing.B) {
			cols := listColumns()
			var tcols []table.Column
			for c, w := range layout(cols, benchW) {
				tcols = append(tcols, table.Column{Title: cols[c].Title, Width: w})
			}
			cpu := cpuTime()
			for b.Loop() {
				rows := make([]table.Row, n)
				for i := range users {
					row := make(table.Row, len(cols))
					prepare(cols, &users[i], row, nil)
					rows[i] = row
				}
				_ = table.New(table.WithColumns(tcols), table.WithRows(rows), table.WithHeight(benchH-1))
			}
			reportCPU(b, cpu)
		})
	}
}
