// Package ui is Roster's terminal interface: a root model that owns a stack
// of views (picker → list → detail → edit / confirm) and routes messages.
package ui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/state"
)

// Options configure one program (one local terminal or one SSH session).
type Options struct {
	Providers []crm.Provider // already opened, in config order
	Default   string         // provider name to open directly ("" → picker if several)
	// Preferred is where the picker's cursor starts (the config's
	// default_provider); Default, when set, wins.
	Preferred string
	PageSize  int
	// Renderer builds styles for this program's terminal (per SSH session).
	Renderer *lipgloss.Renderer
	// Who and Role are shown in the status bar ("" when local).
	Who  string
	Role string
	// Width and Height are the initial size (SSH passes the pty's).
	Width, Height int
	// Demo: the providers are the embedded sandbox's, not a config's; the
	// status bar says "demo data" so nobody mistakes them for real users.
	Demo bool
	// Theme is the config's theme and colour overrides (zero: default).
	Theme Theme
	// Bindings are the config's [keys] remappings, action → keys; check
	// them with CheckBindings first (New ignores what it refuses).
	Bindings map[string][]string
	// Mouse turns on clicks and the wheel (the program must also be run
	// with tea.WithMouseCellMotion).
	Mouse bool
	// AuditStatus, when set, is shown in the status bar when not empty
	// ("audit: spooling (PostgreSQL unreachable)"); it must be cheap.
	AuditStatus func() string
	// State remembers each provider's columns and the views saved from the
	// console (nil: they last as long as the program); Views are the
	// config's views by provider name.
	State *state.Store
	Views map[string][]state.View
}

// DefaultPageSize is used when Options.PageSize is not set.
const DefaultPageSize = 50

// Model is the root model: the view stack, the bars around it, help and the
// quit question.
type Model struct {
	c        *Common
	cancel   context.CancelFunc
	stack    []Component
	help     help.Model
	spinner  spinner.Model
	spinning bool
	showHelp bool
	helpPane viewport.Model // the help, scrollable at any size
	askQuit  quitQuestion   // why q needs a yes first, askNothing when it does not
	// quitWhenDone: the admin chose to quit once the writes in flight end
	quitWhenDone bool
	message      statusMsg
	cmdline      commandLine // the : prompt (palette.go)
	width        int
	height       int

	// auditStatus says when the audit trail is not reaching its store.
	auditStatus func() string
}

// New returns the root model for one program.
func New(o Options) tea.Model {
	r := o.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Common{
		ctx:         ctx,
		now:         time.Now,
		r:           r,
		Styles:      NewStyles(r, o.Theme),
		Keys:        newGlobalKeys(keyBindings(o.Bindings)),
		bindings:    keyBindings(o.Bindings),
		mouse:       o.Mouse,
		Providers:   o.Providers,
		Role:        o.Role,
		Who:         o.Who,
		Demo:        o.Demo,
		PageSize:    o.PageSize,
		undo:        &undoHistory{},
		state:       o.State,
		configViews: o.Views,
		log:         &messageLog{},
	}
	c.requests = newRequestTracker(func() time.Time { return c.now() })
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	m := &Model{c: c, cancel: cancel, help: help.New(), cmdline: newCommandLine(c)}
	m.auditStatus = o.AuditStatus
	m.help.Styles = c.Styles.Help
	m.spinner = spinner.New(spinner.WithSpinner(dotSpinner()), spinner.WithStyle(c.Styles.StatusKey))
	m.resize(o.Width, o.Height)

	var first crm.Provider
	for _, p := range o.Providers {
		if o.Default != "" && p.Info().Name == o.Default {
			first = p
		}
	}
	if first == nil && len(o.Providers) == 1 {
		first = o.Providers[0]
	}
	preferred := o.Preferred
	if o.Default != "" {
		preferred = o.Default
	}
	switch {
	case first != nil && len(o.Providers) > 1:
		// opened directly, with the picker underneath for esc
		c.useProvider(first)
		m.stack = []Component{newPickerView(c, preferred), newListView(c)}
	case first != nil:
		c.useProvider(first)
		m.stack = []Component{newListView(c)}
	default:
		m.stack = []Component{newPickerView(c, preferred)}
	}
	m.top().SetSize(c.Width, c.Height)
	return m
}

func (m *Model) top() Component { return m.stack[len(m.stack)-1] }

// Init starts the first view.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(listenRetries(m.c.ctx, m.c.requests.retries), m.withSpinner(m.top().Init()))
}

// resize splits the window into the title bar, the body and two status lines.
func (m *Model) resize(w, h int) {
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	m.width, m.height = w, h
	m.c.Width, m.c.Height = w, max(h-3, 1)
	m.help.Width = w
	for _, v := range m.stack {
		v.SetSize(m.c.Width, m.c.Height)
	}
	if m.showHelp {
		offset := m.helpPane.YOffset
		m.openHelp()
		m.helpPane.SetYOffset(offset)
	}
}

// Update routes: keys to the top view (after global keys), addressed
// results to their view, broadcasts to every view, the rest to the top.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.syncCaps()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case tea.KeyMsg:
		return m, m.withSpinner(m.handleKey(msg))
	case tea.MouseMsg:
		return m, m.withSpinner(m.onMouse(msg))
	case pushMsg:
		msg.c.SetSize(m.c.Width, m.c.Height)
		m.stack = append(m.stack, msg.c)
		return m, m.withSpinner(msg.c.Init())
	case inOrderMsg:
		return m.stepInOrder(msg)
	case popMsg:
		m.popTop()
		return m, nil
	case popToMsg:
		for len(m.stack) > 1 && m.top().ID() != msg.id {
			m.popTop()
		}
		return m, nil
	case statusMsg:
		m.message = msg
		m.c.log.add(m.c.now(), msg)
		return m, nil
	case userOpenedMsg:
		return m, m.withSpinner(m.onUserOpened(msg))
	case retryNoticeMsg:
		return m, m.onRetryNotice(msg)
	case retryTickMsg:
		if m.c.requests.notice == nil {
			return m, nil
		}
		return m, retryTick()
	case requestDoneMsg:
		m.c.requests.done(msg.req)
		if msg.msg == nil {
			return m, nil
		}
		return m.Update(msg.msg)
	case toView:
		if done, ok := msg.msg.(requestDoneMsg); ok {
			m.c.requests.done(done.req)
			msg.msg = done.msg
		}
		if saved, ok := msg.msg.(saveResultMsg); ok {
			m.c.recordSave(saved) // even when the view that saved has closed
		}
		var cmd tea.Cmd
		for i, v := range m.stack {
			if v.ID() == msg.id {
				m.stack[i], cmd = v.Update(msg.msg)
				break
			} // else the view closed; its result no longer matters
		}
		return m, tea.Batch(m.withSpinner(cmd), m.afterWrite(msg.msg))
	case spinner.TickMsg:
		if m.busy() == "" {
			m.spinning = false
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case userSavedMsg, userDeletedMsg, progress.FrameMsg:
		var cmds []tea.Cmd
		for i, v := range m.stack {
			var cmd tea.Cmd
			m.stack[i], cmd = v.Update(msg)
			cmds = append(cmds, cmd)
		}
		return m, m.withSpinner(tea.Batch(cmds...))
	}
	nv, cmd := m.top().Update(msg)
	m.stack[len(m.stack)-1] = nv
	return m, m.withSpinner(cmd)
}

// handleKey splits keys that arrived together before acting on them: Bubble
// Tea v1 delivers runes read at once (fast typing, type-ahead over SSH, a
// paste outside a field) as one KeyMsg, and "jjj" must move three rows, not
// match no binding. A text input takes the rest of the runes as they came
// (typing into it is the same either way); the check is made again after
// every key, since "/ada" opens the filter and then types into it.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return m.handleOneKey(msg)
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		if m.capturing() {
			rest := msg
			rest.Runes = msg.Runes[i:]
			return tea.Batch(append(cmds, m.handleOneKey(rest))...)
		}
		cmds = append(cmds, m.handleOneKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
	}
	return tea.Batch(cmds...)
}

// capturing says whether the top view's text input has the keys.
func (m *Model) capturing() bool {
	ic, ok := m.top().(inputCapturer)
	return ok && ic.CapturesInput()
}

func (m *Model) handleOneKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	m.message = statusMsg{} // a message stays until the next key
	if m.quitWhenDone {
		return m.whileFinishing(msg)
	}
	if m.askQuit != askNothing {
		return m.answerQuit(msg)
	}
	if m.cmdline.open {
		return m.updateCommandLine(msg)
	}
	if m.showHelp {
		return m.helpKey(msg)
	}
	capturing := m.capturing()
	switch {
	case msg.String() == "ctrl+c" || (!capturing && key.Matches(msg, k.Quit)):
		return m.requestQuit()
	case key.Matches(msg, k.Help) && (!capturing || m.helpWhileTyping(msg)):
		m.openHelp()
		return nil
	case !capturing && key.Matches(msg, k.Command):
		return m.openCommandLine()
	case !capturing && m.startsCommand(msg) != "":
		// at once, not through a message: keys typed right after it
		// (type-ahead) belong to the command line
		text := m.startsCommand(msg)
		cmd := m.openCommandLine()
		m.cmdline.input.SetValue(text)
		m.cmdline.input.CursorEnd()
		return cmd
	case !capturing && key.Matches(msg, k.Messages):
		if _, open := m.top().(*messagesView); !open {
			return push(newMessagesView(m.c))
		}
	}
	nv, cmd := m.top().Update(msg)
	m.stack[len(m.stack)-1] = nv
	return cmd
}

// Views pop themselves on esc (they know when esc means "clear the
// filter" instead); this is how they do it.
func (m *Model) popTop() {
	if len(m.stack) <= 1 {
		return
	}
	m.top().Close()
	m.stack = m.stack[:len(m.stack)-1]
	m.top().SetSize(m.c.Width, m.c.Height)
}

// quit ends the program now, cancelling whatever is in flight; only
// requestQuit and the quit questions call it.
func (m *Model) quit() tea.Cmd {
	for _, v := range m.stack {
		v.Close()
	}
	m.cancel()
	return tea.Quit
}

func (m *Model) dirty() bool {
	for _, v := range m.stack {
		if d, ok := v.(dirtyReporter); ok && d.Dirty() {
			return true
		}
	}
	return false
}

// busy is what the topmost busy view is doing, "" when nothing loads.
func (m *Model) busy() string {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if b, ok := m.stack[i].(busyReporter); ok {
			if s := b.Busy(); s != "" {
				return s
			}
		}
	}
	return ""
}

// withSpinner starts the spinner when something began loading.
func (m *Model) withSpinner(cmd tea.Cmd) tea.Cmd {
	if m.spinning || m.busy() == "" {
		return cmd
	}
	m.spinning = true
	return tea.Batch(cmd, m.spinner.Tick)
}

// View draws the title bar, the top view (or help) and the status lines.
func (m *Model) View() string {
	body := m.top().View()
	if m.showHelp {
		body = m.helpPane.View()
	}
	body = m.c.r.NewStyle().Width(m.c.Width).Height(m.c.Height).MaxHeight(m.c.Height).MaxWidth(m.c.Width).Render(body)
	last := m.messageLine()
	if m.cmdline.open {
		last = m.commandLineView()
	}
	return lipgloss.JoinVertical(lipgloss.Left, m.titleBar(), body, m.statusBar(), last)
}

// dotSpinner is spinner.Dot without the space after each frame: the status
// bar puts its own between the spinner and what it says.
func dotSpinner() spinner.Spinner {
	sp := spinner.Dot
	sp.Frames = make([]string, len(spinner.Dot.Frames))
	for i, f := range spinner.Dot.Frames {
		sp.Frames[i] = strings.TrimSpace(f)
	}
	return sp
}
