package usertable

// Cursor movement, for the key map's Update and for callers that move the
// cursor for their own reasons (the list's next page, marks) without
// pretending a key was pressed. Every move keeps the cursor on a row.

// MoveUp moves the cursor n rows up.
func (m *Model) MoveUp(n int) { m.SetCursor(m.cursor - n) }

// MoveDown moves the cursor n rows down.
func (m *Model) MoveDown(n int) { m.SetCursor(m.cursor + n) }

// PageUp moves the cursor one screen of rows up.
func (m *Model) PageUp() { m.MoveUp(m.screenRows()) }

// PageDown moves the cursor one screen of rows down.
func (m *Model) PageDown() { m.MoveDown(m.screenRows()) }

// GotoTop puts the cursor on the first shown row.
func (m *Model) GotoTop() { m.SetCursor(0) }

// GotoBottom puts the cursor on the last shown row.
func (m *Model) GotoBottom() { m.SetCursor(len(m.shown()) - 1) }

// SetCursor puts the cursor on shown row i (clamped to the rows there are).
func (m *Model) SetCursor(i int) {
	m.cursor = i
	m.clamp()
}

// screenRows is how many rows one screen shows.
func (m Model) screenRows() int { return max(m.bodyHeight(), 1) }
