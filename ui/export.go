package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// exportView asks where and how to export the list's current view: the
// users the filter shows, or only the marked ones when there are marks; the
// visible columns or every common field; CSV, JSON or JSON Lines. The file
// is written in the background, row by row.
type exportView struct {
	viewBase
	backTo  int
	users   []crm.User // a snapshot: the list may change while the file is written
	marked  bool
	visible []exportColumn
	file    string
	format  string
	columns string
	form    *huh.Form
	keys    editKeys
	writing bool
}

type exportDoneMsg struct {
	path string
	rows int
	err  error
}

// openExport snapshots what the list shows (or the marked users) and opens
// the export form.
func (l *listView) openExport() tea.Cmd {
	var users []crm.User
	marked := l.marks().Marked() > 0
	if marked {
		users = l.marks().MarkedUsers()
	} else {
		users = make([]crm.User, 0, l.table.Len())
		l.marks().ShownUsers(func(u *crm.User) bool { users = append(users, *u); return true })
	}
	if len(users) == 0 {
		return info("nothing to export: no users shown")
	}
	var visible []exportColumn
	visible = append(visible, exportColumn{key: "id", value: func(u *crm.User) string { return u.ID }})
	_, shown, _ := resolveColumns(l.c.Provider.Schema(), l.columnKeys()) // the columns on screen
	for _, c := range shown {
		visible = append(visible, exportColumn{key: strings.ToLower(strings.ReplaceAll(c.Title, " ", "_")), value: c.Value})
	}
	return push(newExportView(l.c, l.id, users, marked, visible))
}

func newExportView(c *Common, backTo int, users []crm.User, marked bool, visible []exportColumn) *exportView {
	v := &exportView{viewBase: newViewBase(c), backTo: backTo, users: users, marked: marked, visible: visible,
		format: string(formatCSV), columns: "visible", keys: newEditKeys(c.bindings)}
	v.file = defaultExportName(c.Info.Name, c.now().Format("20060102-150405"))
	v.keys.Submit.SetHelp(v.keys.Submit.Help().Key, "export") // the key as remapped
	v.buildForm()
	return v
}

// defaultExportName is a file in the working directory named after the
// provider and the time, without characters a shell or a file system dislikes.
func defaultExportName(provider, stamp string) string {
	safe := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '-'
	}, provider)
	return fmt.Sprintf("roster-%s-%s.csv", safe, stamp)
}

func (v *exportView) buildForm() {
	v.form = huh.NewForm(huh.NewGroup(
		huh.NewInput().Key("file").Title("File").Description("in the working directory unless you give a path").
			Value(&v.file).Validate(func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errRequired
			}
			return nil
		}),
		huh.NewSelect[string]().Key("format").Title("Format").Options(
			huh.NewOption("CSV", string(formatCSV)), huh.NewOption("JSON", string(formatJSON)),
			huh.NewOption("JSON Lines", string(formatJSONL))).Value(&v.format),
		huh.NewSelect[string]().Key("columns").Title("Columns").Options(
			huh.NewOption("the visible columns", "visible"), huh.NewOption("every common field", "common")).Value(&v.columns),
	)).WithTheme(v.c.Styles.Form).WithShowHelp(false).WithShowErrors(true)
	if v.w > 0 {
		v.form = v.form.WithWidth(v.w).WithHeight(max(v.h-3, 3))
	}
}

func (v *exportView) Title() string       { return "export" }
func (v *exportView) Init() tea.Cmd       { return v.form.Init() }
func (v *exportView) CapturesInput() bool { return true }
func (v *exportView) Busy() string {
	if v.writing {
		return "writing " + clean(v.file)
	}
	return ""
}
func (v *exportView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Next, v.keys.Submit, v.keys.Cancel}
}
func (v *exportView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }
func (v *exportView) SetSize(w, h int) {
	v.viewBase.SetSize(w, h)
	v.form = v.form.WithWidth(w).WithHeight(max(h-3, 3))
}

func (v *exportView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case exportDoneMsg:
		v.writing = false
		if msg.err != nil {
			v.buildForm()
			return v, tea.Batch(v.form.Init(), failure(msg.err))
		}
		return v, inOrder(pop, info(fmt.Sprintf("exported %s to %s", howMany(msg.rows, "row"), clean(msg.path))))
	case tea.KeyMsg:
		if v.writing {
			return v, nil
		}
		switch {
		case key.Matches(msg, v.keys.Cancel):
			return v, pop
		case key.Matches(msg, v.keys.Submit):
			return v, v.export()
		}
	}
	var cmd tea.Cmd
	var done bool
	if v.form, cmd, done = stepForm(v.form, msg); done {
		return v, tea.Batch(cmd, v.export())
	}
	return v, cmd
}

// export writes the file in the background; the extension follows the
// format when the admin left the default one.
func (v *exportView) export() tea.Cmd {
	name := strings.TrimSpace(v.file)
	if name == "" {
		return info("name the file first")
	}
	if ext := filepath.Ext(name); ext == ".csv" && v.format != string(formatCSV) {
		name = strings.TrimSuffix(name, ext) + "." + v.format
	}
	cols := v.visible
	if v.columns == "common" {
		cols = commonColumns()
	}
	v.writing = true
	users, format := v.users, exportFormat(v.format)
	return address(v.id, v.c.requests.request(v.ctx, func(ctx context.Context) tea.Msg {
		path, n, err := writeExport(ctx, name, format, cols, users)
		return exportDoneMsg{path: path, rows: n, err: err}
	}))
}

// writeExport creates name (refusing to overwrite a file: the admin names a
// new one) and streams the users into it.
func writeExport(ctx context.Context, name string, f exportFormat, cols []exportColumn, users []crm.User) (string, int, error) {
	path, err := filepath.Abs(name)
	if err != nil {
		return name, 0, err
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return path, 0, fmt.Errorf("export: %w", err)
	}
	w, err := newRowWriter(file, f, cols)
	if err != nil {
		file.Close()
		os.Remove(path)
		return path, 0, err
	}
	// a half-written file is removed: what is there is whole or absent
	fail := func(err error) (string, int, error) {
		file.Close()
		os.Remove(path)
		return path, 0, err
	}
	for i := range users {
		if ctx.Err() != nil {
			return fail(ctx.Err())
		}
		if err := w.write(&users[i]); err != nil {
			return fail(fmt.Errorf("export: %w", err))
		}
	}
	if err := w.close(); err != nil {
		return fail(fmt.Errorf("export: %w", err))
	}
	if err := file.Close(); err != nil {
		os.Remove(path)
		return path, 0, fmt.Errorf("export: %w", err)
	}
	return path, len(users), nil
}

func (v *exportView) View() string {
	s := v.c.Styles
	what := fmt.Sprintf("Export the %s shown", howMany(len(v.users), "user"))
	if v.marked {
		what = fmt.Sprintf("Export the %s marked", howMany(len(v.users), "user"))
	}
	head := s.Section.Render(termtext.Truncate(what, v.w)) + "\n" +
		s.Muted.Render(termtext.Truncate("ctrl+s writes the file; CSV cells that start like a formula get a leading '", v.w))
	return head + "\n\n" + v.form.View()
}
