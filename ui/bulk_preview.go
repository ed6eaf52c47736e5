package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/ui/termtext"
)

// bulkPreviewView reads every marked user (crm/run's plan) and shows, per
// user, each field that really changes old → new, the users already at the
// value (skipped, counted) and those that could not be read. A delete must
// be confirmed by typing the number of users. The focus starts on Cancel.
type bulkPreviewView struct {
	viewBase
	backTo int // the list
	kind   bulkKind
	users  []crm.User
	items  []run.Item // what to write per user (no Set for a delete)
	names  map[string]string
	labels map[string]string

	planning bool
	plan     run.Plan
	failed   string // the plan could not be made
	lines    []string
	offset   int // first line shown

	keys  previewKeys
	btn   buttons
	typed textinput.Model // a delete's typed count
}

type previewKeys struct {
	confirmKeys
	Up, Down key.Binding
}

func newBulkPreviewView(c *Common, backTo int, kind bulkKind, users []crm.User, items []run.Item) *bulkPreviewView {
	v := &bulkPreviewView{viewBase: newViewBase(c), backTo: backTo, kind: kind, users: users, items: items,
		names: userNames(users), labels: map[string]string{}, planning: true,
		keys: previewKeys{confirmKeys: newConfirmKeys(c.bindings),
			Up:   key.NewBinding(key.WithKeys("up", "pgup"), key.WithHelp("↑", "scroll")),
			Down: key.NewBinding(key.WithKeys("down", "pgdown"), key.WithHelp("↓", "scroll"))}}
	for _, f := range c.Provider.Schema().Fields {
		v.labels[f.Key] = clean(f.Label)
	}
	v.typed = c.newTextInput("> ", typeHint(strconv.Itoa(len(users))))
	v.typed.CharLimit = 12
	v.btn = buttons{labels: []string{"Cancel", "…"}, enabled: func(i int) bool {
		return i == 0 || (!v.planning && v.failed == "" && len(v.plan.Steps) > 0 && v.typedOK())
	}}
	return v
}

func (v *bulkPreviewView) Title() string { return v.kind.verb() + "?" }
func (v *bulkPreviewView) Busy() string {
	if v.planning {
		return fmt.Sprintf("reading %s", howMany(len(v.users), "user"))
	}
	return ""
}

// CapturesInput: a delete's count is typed here (q is no digit, but ? and
// q must not quit half-way through a confirmation either).
func (v *bulkPreviewView) CapturesInput() bool { return v.kind == bulkDelete }
func (v *bulkPreviewView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Switch, v.keys.Activate, v.keys.Cancel, v.keys.Down}
}
func (v *bulkPreviewView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *bulkPreviewView) Init() tea.Cmd {
	op := run.OpUpdate
	if v.kind == bulkDelete {
		op = run.OpDelete
	}
	return address(v.id, planCmd(v.c, v.ctx, op, v.items))
}

// typedOK: a delete needs the number of users typed; the rest need nothing.
func (v *bulkPreviewView) typedOK() bool {
	return v.kind != bulkDelete || strings.TrimSpace(v.typed.Value()) == strconv.Itoa(len(v.plan.Steps))
}

func (v *bulkPreviewView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case bulkPlanMsg:
		v.planning = false
		if msg.err != nil {
			v.failed = errText(msg.err)
			return v, failure(msg.err)
		}
		v.plan = msg.plan
		v.btn.labels[1] = fmt.Sprintf("%s %s", v.kind.title(), howMany(len(v.plan.Steps), "user"))
		if v.width() < 44 {
			v.btn.labels[1] = fmt.Sprintf("%s %d", v.kind.title(), len(v.plan.Steps))
		}
		v.lines = v.previewLines()
		if v.kind == bulkDelete {
			return v, v.typed.Focus()
		}
		return v, nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, v.keys.Up):
			v.offset = max(v.offset-v.step(msg), 0)
			return v, nil
		case key.Matches(msg, v.keys.Down):
			v.offset = min(v.offset+v.step(msg), max(len(v.lines)-v.listHeight(), 0))
			return v, nil
		}
		switch v.btn.press(msg, v.keys.confirmKeys) {
		case pressedCancel, 0:
			return v, pop
		case 1:
			if !v.btn.enabled(1) {
				return v, nil
			}
			return v, inOrder(popTo(v.backTo), push(newBulkRunView(v.c, v.backTo, v.kind, v.plan, v.users)))
		case pressedNothing:
			if v.kind == bulkDelete && !key.Matches(msg, v.keys.Switch) {
				var cmd tea.Cmd
				v.typed, cmd = v.typed.Update(msg)
				return v, cmd
			}
		}
	}
	return v, nil
}

func (v *bulkPreviewView) step(k tea.KeyMsg) int {
	if s := k.String(); s == "pgup" || s == "pgdown" {
		return max(v.listHeight(), 1)
	}
	return 1
}

// previewLines are the plan as lines: per user, each change old → new.
func (v *bulkPreviewView) previewLines() []string {
	var out []string
	for _, s := range v.plan.Steps {
		name := v.names[s.ID]
		if v.kind == bulkDelete {
			out = append(out, name+"\x00"+clean(s.ID))
			continue
		}
		for i, ch := range s.Changes {
			who := ""
			if i == 0 {
				who = name
			}
			label := v.labels[ch.Key]
			if label == "" {
				label = clean(ch.Key)
			}
			out = append(out, who+"\x00"+label+": "+clean(crm.DescribeValue(ch.Old))+" → "+clean(crm.DescribeValue(ch.New)))
		}
	}
	ids := make([]string, 0, len(v.plan.Failed))
	for id := range v.plan.Failed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		out = append(out, "✗ "+v.names[id]+"\x00could not be read: "+clean(v.plan.Failed[id]))
	}
	return out
}

// width of the dialog's content.
func (v *bulkPreviewView) width() int { return min(max(v.w-6, 20), 100) }

// listHeight is how many preview lines fit: the view's height less the
// box, the heading, the summary, the typed count and the buttons.
func (v *bulkPreviewView) listHeight() int {
	fixed := 2 + 1 + 1 + 1 // border, heading, summary, buttons
	if v.kind == bulkDelete {
		fixed += 2
	}
	if !v.compact() {
		fixed += 3 // a blank line after the heading, the summary and the list
	}
	return max(v.h-fixed, 1)
}

// compact: a short terminal drops the blank lines, so the changes and the
// buttons still show.
func (v *bulkPreviewView) compact() bool { return v.h < 16 }

func (v *bulkPreviewView) summary() string {
	if v.planning {
		return fmt.Sprintf("Reading %s to see what changes…", howMany(len(v.users), "marked user"))
	}
	if v.failed != "" {
		return "Could not plan: " + v.failed
	}
	parts := []string{fmt.Sprintf("%s to %s", howMany(len(v.plan.Steps), "user"), v.kind.verb())}
	if n := len(v.plan.Unchanged); n > 0 {
		what := "already at the value"
		if v.kind == bulkDeactivate {
			what = "already inactive"
		}
		parts = append(parts, fmt.Sprintf("%s %s (skipped)", groupDigits(n), what))
	}
	if n := len(v.plan.Failed); n > 0 {
		parts = append(parts, fmt.Sprintf("%s could not be read", groupDigits(n)))
	}
	return strings.Join(parts, " · ") + fmt.Sprintf(" — of %s marked", groupDigits(len(v.users)))
}

func (v *bulkPreviewView) View() string {
	s := v.c.Styles
	width := v.width()
	var b strings.Builder
	head := fmt.Sprintf("%s %s?", v.kind.title(), howMany(len(v.users), "marked user"))
	gap := "\n\n"
	if v.compact() {
		gap = "\n"
	}
	b.WriteString(s.Section.Render(termtext.Truncate(head, width)) + gap)
	b.WriteString(termtext.Truncate(v.summary(), width) + gap)
	nameW := 0
	for _, n := range v.names {
		nameW = max(nameW, termtext.Width(n))
	}
	nameW = min(nameW, width/3)
	room := v.listHeight()
	if len(v.lines)-v.offset > room {
		room = max(room-1, 1) // one line says how many more
	}
	shown := v.lines[min(v.offset, len(v.lines)):min(v.offset+room, len(v.lines))]
	for _, l := range shown {
		who, what, _ := strings.Cut(l, "\x00")
		line := s.Label.Render(termtext.Fit(who, nameW)) + "  " + termtext.Truncate(what, max(width-nameW-2, 1))
		if strings.HasPrefix(who, "✗") {
			line = s.Error.Render(termtext.Truncate(who+" "+what, width))
		}
		b.WriteString(line + "\n")
	}
	if more := len(v.lines) - v.offset - len(shown); more > 0 {
		b.WriteString(s.Muted.Render(termtext.Truncate(fmt.Sprintf("… %d more lines (↓)", more), width)) + "\n")
	}
	if v.kind == bulkDelete && !v.planning {
		b.WriteString(termtext.Truncate(fmt.Sprintf("This cannot be undone. Type %d to confirm:", len(v.plan.Steps)), width) + "\n")
		b.WriteString(v.typed.View() + "\n")
	}
	if !v.compact() {
		b.WriteString("\n")
	}
	b.WriteString(v.btn.view(s, v.kind != bulkEdit))
	return fixedDialog(v.c, v.w, v.h, width, b.String())
}
