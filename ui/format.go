package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/roster-tui/roster/crm"
)

// truncateStyled cuts already styled text to w columns.
func truncateStyled(s string, w int) string { return ansi.Truncate(s, w, "…") }

// valueText shows any field value on one line with crm.Format, the one
// value renderer (nested values as readable text, not JSON), sanitised.
func valueText(v any) string { return clean(crm.Format(v)) }

// stringList returns a list of plain strings as []string.
func stringList(v []any) ([]string, bool) {
	out := make([]string, 0, len(v))
	for _, e := range v {
		s, ok := e.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// shortDate shows a timestamp as YYYY-MM-DD, or the raw text when it is
// not a time Roster knows.
func shortDate(s string) string {
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return clean(s)
}

// statusText is crm.StatusWord, sanitised for the screen.
func statusText(u crm.User) string { return clean(crm.StatusWord(u)) }

// groupDigits writes n with thousands separators (1,000,000), so counts in
// the millions read at a glance.
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// counted is "1 match", "2 matches", "1,000 matches".
func counted(n int, one, many string) string {
	return groupDigits(n) + " " + plural(n, one, many)
}
