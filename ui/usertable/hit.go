package usertable

// Hit testing for the mouse: which row and which column a screen cell of
// the table's View shows. Read-only; the layout stays View's.

// RowAt is the shown row drawn on line y of View (line 0 is the header);
// ok is false for the header and for lines below the last row.
func (m Model) RowAt(y int) (row int, ok bool) {
	if y < 1 || y > m.bodyHeight() {
		return 0, false
	}
	row = m.top + y - 1
	return row, row < len(m.shown())
}

// ColumnAt is the column whose cells span x on a line of View; ok is false
// over the cursor's gutter, a separator or the space after the last column.
func (m Model) ColumnAt(x int) (col int, ok bool) {
	at := gutter
	first := true
	colW := m.widths() // as View lays them out (columns that fit their content)
	for c := range m.cols {
		if colW[c] == 0 {
			continue
		}
		if !first {
			at++ // the separator
		}
		first = false
		if x >= at && x < at+colW[c] {
			return c, true
		}
		at += colW[c]
	}
	return 0, false
}
