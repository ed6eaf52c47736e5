package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// Copying goes to the terminal's clipboard through OSC 52, written to this
// program's own output (over SSH the session's, so it reaches the admin's
// terminal, not the server's). The terminal decides whether to honour it
// (most do; tmux needs set-clipboard on). What is copied is inert: a cell as
// the screen shows it (termtext.Clean), a user as JSON with every control
// and bidi character escaped, so pasting it runs nothing.

// copyCell is y: the selected user's value in the sorted column, or the
// email when the list is in load order (the value an admin most often
// needs elsewhere).
func (l *listView) copyCell() tea.Cmd {
	u, ok := l.table.Selected()
	if !ok {
		return nil
	}
	cols := l.table.Columns()
	col := 1 // Email
	if o := l.table.Sort(); o.Col >= 0 && o.Col < len(cols) {
		col = o.Col
	}
	text, _ := l.table.SelectedCell(col) // as the row shows it, already cleaned
	if text == "" {
		return info(fmt.Sprintf("%s of %s is empty: nothing copied", strings.ToLower(cols[col]), clean(u.DisplayName())))
	}
	l.c.r.Output().Copy(text)
	return info(fmt.Sprintf("copied %s of %s (%s)", strings.ToLower(cols[col]), clean(u.DisplayName()), clipboardWords))
}

// copyUser is Y: the whole user as JSON, as `roster users get --json`
// prints it. The list does not keep the provider's own fields (issue 14),
// so the user is read first and copied when the answer comes
// (userCopyReadMsg).
func (l *listView) copyUser() tea.Cmd {
	u, ok := l.table.Selected()
	if !ok {
		return nil
	}
	p := l.c.Provider
	return address(l.id, l.c.requests.request(l.ctx, func(ctx context.Context) tea.Msg {
		fresh, err := p.Get(ctx, u.ID)
		return userCopyReadMsg{user: fresh, err: err}
	}))
}

// userCopyReadMsg is the user Y read, to copy.
type userCopyReadMsg struct {
	user crm.User
	err  error
}

// onUserCopyRead copies the user Y read, and updates its row.
func (l *listView) onUserCopyRead(msg userCopyReadMsg) tea.Cmd {
	if msg.err != nil {
		return failure(msg.err)
	}
	l.table.Upsert(msg.user)
	text, err := userJSON(msg.user)
	if err != nil {
		return failure(err)
	}
	l.c.r.Output().Copy(text)
	return info(fmt.Sprintf("copied %s as JSON, %d bytes (%s)", clean(msg.user.DisplayName()), len(text), clipboardWords))
}

const clipboardWords = "to the terminal's clipboard, OSC 52"

// userJSON is u as indented JSON with nothing a terminal would act on.
func userJSON(u crm.User) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(u); err != nil {
		return "", err
	}
	return inertJSON(b.Bytes()), nil
}

// inertJSON escapes the characters encoding/json leaves raw that a terminal
// or an editor would act on: DEL, C1 controls (U+0080–U+009F, CSI among
// them) and bidi controls. They only occur inside strings, where \uXXXX is
// the same value, so the JSON means what it meant.
func inertJSON(b []byte) string {
	var out strings.Builder
	out.Grow(len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0x200e, r == 0x200f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x061c:
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			out.Write(b[:n])
		}
		b = b[n:]
	}
	return out.String()
}
