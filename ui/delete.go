package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// deleteView asks to type the user's email (or id when there is none)
// before the Delete button works; the focus starts on Cancel. It confirms
// against the user as the provider holds it now: it opens on the caller's
// copy (the list's may be old, issue 12 item 13), marked "refreshing…",
// re-reads the user and offers Delete only once the fresh values show.
type deleteView struct {
	viewBase
	backTo  int // the list's view id
	keys    confirmKeys
	user    crm.User
	want    string // what must be typed
	input   textinput.Model
	btn     buttons
	focusIn bool // the input has focus (else the buttons)
	busy    bool
	failed  string
	// refreshing: the re-read has not answered, the values are the caller's.
	refreshing bool
	staleErr   string // why the re-read failed ("" when it did not)
	gone       bool   // the re-read found no such user: nothing to delete
}

type deleteResultMsg struct{ err error }

// deleteRereadMsg is the answer of the dialog's re-read of the user.
type deleteRereadMsg struct {
	user crm.User
	err  error
}

func newDeleteView(c *Common, u crm.User, backTo int) *deleteView {
	d := &deleteView{viewBase: newViewBase(c), backTo: backTo, keys: newConfirmKeys(c.bindings), refreshing: true}
	d.input = c.newTextInput("> ", "")
	d.setUser(u)
	d.btn = buttons{labels: []string{"Cancel", "Delete"}, enabled: func(i int) bool {
		return i == 0 || d.confirmable()
	}}
	return d
}

// setUser shows u and asks for its email (or id) to be typed.
func (d *deleteView) setUser(u crm.User) {
	d.user = u
	d.want = clean(u.Email)
	if d.want == "" {
		d.want = clean(u.ID)
	}
	d.input.Placeholder = typeHint(d.want)
}

// confirmable: Delete may be pressed — the values shown are the re-read
// ones (or the re-read failed and says so), the user exists, and what was
// typed is what they ask for.
func (d *deleteView) confirmable() bool {
	return !d.refreshing && !d.gone && d.input.Value() == d.want
}

// Init re-reads the user the dialog will delete.
func (d *deleteView) Init() tea.Cmd {
	p, id := d.c.Provider, d.user.ID
	return address(d.id, d.c.requests.request(d.ctx, func(ctx context.Context) tea.Msg {
		u, err := p.Get(ctx, id)
		return deleteRereadMsg{u, err}
	}))
}

// onReread shows the re-read user; a 404 means someone deleted them
// already, which the list learns too.
func (d *deleteView) onReread(msg deleteRereadMsg) tea.Cmd {
	d.refreshing = false
	switch {
	case errors.Is(msg.err, crm.ErrNotFound):
		d.gone = true
		d.input.Blur()
		d.focusIn, d.btn.focus = false, 0
		return inOrder(broadcast(userDeletedMsg{d.user.ID}),
			notice(clean(d.user.DisplayName())+" is gone already: "+clean(d.c.Info.Name)+" has no user with id "+clean(d.user.ID)))
	case msg.err != nil:
		d.c.refreshInfo()
		d.staleErr = errText(msg.err)
		return failure(msg.err)
	}
	d.setUser(msg.user)
	return broadcast(userSavedMsg{msg.user}) // the list shows the fresh values too
}

func (d *deleteView) Title() string { return "delete?" }
func (d *deleteView) SetSize(w, h int) {
	d.w, d.h = w, h
	d.input.Width = min(max(w-10, 30), 80) - 4
}

// CapturesInput is always true: any letter may be part of the email.
func (d *deleteView) CapturesInput() bool { return true }

// TakesRune: the input only ever needs the runes of what must be typed, so
// ? opens help unless the email has one.
func (d *deleteView) TakesRune(r rune) bool     { return strings.ContainsRune(d.want, r) }
func (d *deleteView) ShortHelp() []key.Binding  { return d.keys.ShortHelp() }
func (d *deleteView) FullHelp() [][]key.Binding { return d.keys.FullHelp() }
func (d *deleteView) Busy() string {
	switch {
	case d.busy:
		return "deleting"
	case d.refreshing:
		return "refreshing"
	}
	return ""
}

func (d *deleteView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case deleteRereadMsg:
		return d, d.onReread(msg)
	case deleteResultMsg:
		d.busy = false
		if msg.err != nil {
			d.c.refreshInfo()
			d.failed = errText(msg.err)
			return d, failure(msg.err)
		}
		name := clean(d.user.DisplayName())
		return d, inOrder(popTo(d.backTo), broadcast(userDeletedMsg{d.user.ID}), info("deleted "+name))
	case tea.KeyMsg:
		if d.busy {
			return d, nil
		}
		switch {
		case key.Matches(msg, d.keys.Cancel):
			return d, pop
		case msg.String() == "tab", msg.String() == "shift+tab":
			d.cycleFocus(msg.String() == "tab")
			return d, nil
		case !d.focusIn && key.Matches(msg, d.keys.Switch):
			d.btn.move(switchStep(msg))
			return d, nil
		case !d.focusIn && key.Matches(msg, d.keys.Activate):
			if d.btn.focus == 0 {
				return d, pop
			}
			return d, d.delete()
		case d.focusIn && msg.Type == tea.KeyEnter:
			d.cycleFocus(true)
			return d, nil
		case d.gone:
			return d, nil // nothing to type: the user is gone
		case !d.focusIn && msg.Type == tea.KeyRunes:
			// typing goes to the input wherever the focus is
			d.focusIn = true
			d.input.Focus()
		}
		if d.focusIn {
			var cmd tea.Cmd
			d.input, cmd = d.input.Update(msg)
			return d, cmd
		}
	}
	return d, nil
}

// cycleFocus moves input → Cancel → Delete (when typed right) → input.
func (d *deleteView) cycleFocus(forward bool) {
	stops := []int{-1, 0}
	if d.gone {
		stops = []int{0}
	}
	if d.confirmable() {
		stops = append(stops, 1)
	}
	cur := 0
	for i, s := range stops {
		if (d.focusIn && s == -1) || (!d.focusIn && s == d.btn.focus) {
			cur = i
		}
	}
	step := 1
	if !forward {
		step = -1
	}
	next := stops[(cur+step+len(stops))%len(stops)]
	d.focusIn = next == -1
	if d.focusIn {
		d.input.Focus()
	} else {
		d.input.Blur()
		d.btn.focus = next
	}
}

func (d *deleteView) delete() tea.Cmd {
	switch {
	case d.refreshing:
		return notice("wait: the user is being read again")
	case d.gone:
		return notice("the user is gone already")
	case d.input.Value() != d.want:
		return notice("type " + d.want + " first")
	}
	d.busy = true
	p, id := d.c.Provider, d.user.ID
	return address(d.id, d.c.requests.write(d.ctx, "delete", func(ctx context.Context) tea.Msg { return deleteResultMsg{p.Delete(ctx, id)} }))
}

func (d *deleteView) View() string {
	s := d.c.Styles
	width := min(max(d.w-10, 30), 80)
	var b strings.Builder
	title := "Delete this user?"
	var note string
	switch {
	case d.gone:
		title = "This user is gone"
	case d.refreshing:
		note = " refreshing…"
	case d.staleErr != "":
		note = " not refreshed: " + d.staleErr
	}
	b.WriteString(s.Error.Bold(true).Render(title) + s.Notice.Render(termtext.Truncate(note, max(width-termtext.Width(title), 0))) + "\n\n")
	for _, row := range [][2]string{
		{"Name", clean(d.user.DisplayName())},
		{"Email", clean(d.user.Email)},
		{"Title", clean(d.user.Title)},
		{"ID", clean(d.user.ID)},
	} {
		b.WriteString(s.Label.Render(termtext.Fit(row[0], 6)) + " " + termtext.Truncate(row[1], width-8) + "\n")
	}
	switch {
	case d.gone:
		b.WriteString("\n" + termtext.Truncate("Not found at the provider:", width) + "\n" + termtext.Truncate("nothing to delete.", width) + "\n")
	case d.refreshing:
		b.WriteString("\n" + termtext.Truncate("Re-reading before you confirm…", width) + "\n")
		b.WriteString(d.input.View() + "\n")
	default:
		b.WriteString("\n" + termtext.Truncate(fmt.Sprintf("This cannot be undone. Type %s to confirm:", d.want), width) + "\n")
		b.WriteString(d.input.View() + "\n")
	}
	if d.failed != "" {
		b.WriteString(s.Error.Render(termtext.Truncate("Delete failed: "+d.failed, width)) + "\n")
	}
	btn := d.btn
	if d.focusIn {
		btn.focus = -1 // the input has it
	}
	b.WriteString("\n" + btn.view(s, true))
	return fixedDialog(d.c, d.w, d.h, width, b.String())
}
