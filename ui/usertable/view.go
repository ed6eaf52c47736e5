package usertable

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"

	"github.com/roster-tui/roster/ui/termtext"
)

// styleCodes are the escape sequences that open and close each style,
// worked out once so that a frame is string building, not a lipgloss render
// per cell.
type styleCodes struct {
	header, row, selected, match, selMatch, dim codes
	marked, markMatch                           codes
}

type codes struct{ open, close string }

// marker is a private-use rune no style adds; what a style puts around it is
// what it puts around any text.
const marker = "\uE000"

func codesOf(s lipgloss.Style) codes {
	out := s.Render(marker)
	i := strings.Index(out, marker)
	if i < 0 {
		return codes{}
	}
	return codes{open: out[:i], close: out[i+len(marker):]}
}

func newStyleCodes(st Styles) styleCodes {
	return styleCodes{
		header:    codesOf(st.Header),
		row:       codesOf(st.Row),
		selected:  codesOf(st.Selected),
		match:     codesOf(st.Match.Inherit(st.Row)),
		selMatch:  codesOf(st.Match.Inherit(st.Selected)),
		dim:       codesOf(st.Dim),
		marked:    codesOf(st.Marked.Inherit(st.Row)),
		markMatch: codesOf(st.Match.Inherit(st.Marked.Inherit(st.Row))),
	}
}

// gutter is the cursor column before the cells; the cursor is visible even
// without colours.
const gutter = 2

// layout gives each column its minimum width, shares the spare width by
// Flex, and when the terminal is too narrow shrinks columns from the right
// (a width of 0 hides a column).
func layout(cols []Column, width int) []int {
	w := make([]int, len(cols))
	avail := width - gutter - max(len(cols)-1, 0)
	sum, flex := 0, 0
	for i, c := range cols {
		w[i] = max(c.Width, 1)
		sum += w[i]
		flex += max(c.Flex, 0)
	}
	spare := avail - sum
	if spare >= 0 {
		if flex == 0 {
			return w
		}
		given, last := 0, -1
		for i, c := range cols {
			if c.Flex > 0 {
				add := spare * c.Flex / flex
				w[i] += add
				given += add
				last = i
			}
		}
		w[last] += spare - given
		return w
	}
	for i := len(w) - 1; i >= 0 && spare < 0; i-- {
		cut := min(w[i], -spare)
		w[i] -= cut
		spare += cut
		if w[i] == 0 && i > 0 {
			spare++ // its separator goes too
		}
	}
	return w
}

// View renders the header and the visible rows only: exactly the height set
// by SetSize, each line exactly its width.
func (m Model) View() string {
	m.colW = m.widths()
	var b strings.Builder
	b.Grow((m.width + 32) * m.height)
	m.writeHeader(&b)
	rows := m.shown()
	body := m.bodyHeight()
	for line := 0; line < body; line++ {
		b.WriteByte('\n')
		i := m.top + line
		switch {
		case i < len(rows):
			m.writeRow(&b, rows[i], i == m.cursor)
		case i == 0:
			m.writeEmpty(&b)
		}
	}
	return b.String()
}

func (m Model) writeHeader(b *strings.Builder) {
	b.WriteString(m.codes.header.open)
	used := gutter
	b.WriteString(strings.Repeat(" ", gutter))
	first := true
	for c, col := range m.cols {
		if m.colW[c] == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
			used++
		}
		first = false
		b.WriteString(termtext.Fit(termtext.Clean(col.Title)+m.sortMark(c), m.colW[c]))
		used += m.colW[c]
	}
	pad(b, m.width-used)
	b.WriteString(m.codes.header.close)
}

// sortMark is the arrow after the sorted column's title.
func (m Model) sortMark(c int) string {
	switch {
	case m.sort == nil || m.sort.by.Col != c:
		return ""
	case m.sort.by.Desc:
		return " ↓"
	default:
		return " ↑"
	}
}

func (m Model) writeEmpty(b *strings.Builder) {
	msg := "No users"
	if m.qp.canon != "" {
		msg = "No users match " + termtext.Clean(m.query)
	}
	b.WriteString(m.codes.dim.open)
	b.WriteString(termtext.Fit(strings.Repeat(" ", gutter)+msg, m.width))
	b.WriteString(m.codes.dim.close)
}

func (m Model) writeRow(b *strings.Builder, i int32, selected bool) {
	base, hl := m.codes.row, m.codes.match
	lead := "  "
	marked := m.marks.has(i)
	if marked {
		base, hl, lead = m.codes.marked, m.codes.markMatch, " *"
	}
	if selected {
		base, hl, lead = m.codes.selected, m.codes.selMatch, "> "
		if marked {
			lead = ">*"
		}
	}
	b.WriteString(base.open)
	b.WriteString(lead)
	used := gutter
	first := true
	var buf [16]string
	var cells []string
	if m.store.ncols <= len(buf) {
		cells = buf[:m.store.ncols]
		m.store.recs.cells(i, cells)
	} else {
		cells = m.store.rowCells(i)
	}
	for c, cell := range cells {
		w := m.colW[c]
		if w == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
			used++
		}
		first = false
		text := termtext.Truncate(cell, w)
		writeHighlighted(b, text, m.qp.terms, base, hl)
		n := termtext.Width(text)
		pad(b, w-n)
		used += w
	}
	pad(b, m.width-used)
	b.WriteString(base.close)
}

func pad(b *strings.Builder, n int) {
	for ; n > 0; n-- {
		b.WriteByte(' ')
	}
}

// writeHighlighted writes text with the runes that match a term wrapped in
// the match style. It folds the visible text rune by rune, so positions in
// the folded form map back to runes on screen.
func writeHighlighted(b *strings.Builder, text string, terms [][]byte, base, hl codes) {
	if len(terms) == 0 || text == "" {
		b.WriteString(text)
		return
	}
	folded := make([]byte, 0, len(text)+8)
	owner := make([]int, 0, len(text)+8) // folded byte → byte offset of its rune in text
	for i, r := range text {
		n := len(folded)
		folded = appendFold(folded, r)
		for ; n < len(folded); n++ {
			owner = append(owner, i)
		}
	}
	lit := make([]bool, len(text))
	found := false
	for _, t := range terms {
		for from := 0; from <= len(folded)-len(t); {
			k := bytes.Index(folded[from:], t)
			if k < 0 {
				break
			}
			s, e := from+k, from+k+len(t)
			for x := owner[s]; x <= owner[e-1]; x++ {
				lit[x] = true
			}
			found = true
			from = s + 1
		}
	}
	if !found {
		b.WriteString(text)
		return
	}
	// a rune is lit when its first byte is; extend over its other bytes, and
	// over combining marks that follow a lit rune (they fold to nothing)
	prev := false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isMark(r) && prev {
			lit[i] = true
		}
		for j := 1; j < n; j++ {
			lit[i+j] = lit[i]
		}
		prev = lit[i]
		i += n
	}
	on := false
	for i := 0; i < len(text); i++ {
		if lit[i] != on {
			on = lit[i]
			if on {
				b.WriteString(base.close)
				b.WriteString(hl.open)
			} else {
				b.WriteString(hl.close)
				b.WriteString(base.open)
			}
		}
		b.WriteByte(text[i])
	}
	if on {
		b.WriteString(hl.close)
		b.WriteString(base.open)
	}
}
