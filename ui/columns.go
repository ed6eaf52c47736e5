package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
	"github.com/roster-tui/roster/ui/usertable"
)

// The list's columns are named like `users list --columns` names them
// (crm.Schema.HasColumn): a common name (name, email, updated_at, …) or one
// of the provider's field keys. The admin picks and orders them with C (the
// chooser, columns_chooser.go) or :columns a,b,c; the choice is kept per
// provider in the state file (package state) and used on the next start.

// defaultColumns are the list's columns until the admin chooses others.
var defaultColumns = []string{"name", "email", "title", "status", "updated_at"}

// columnChoice is one column the list can show.
type columnChoice struct {
	key   string // the column's name
	field string // the schema field it shows ("" for a common name without one)
	about string // what it is, for the chooser: the field's label and type
	col   usertable.Column
}

// columnCatalogue is every column of the schema in the chooser's order: the
// default five, then the schema's other fields (a field with a common name
// under that name), then the common names no field maps to.
func columnCatalogue(schema crm.Schema) []columnChoice {
	var out []columnChoice
	seen := map[string]bool{}
	add := func(c columnChoice) {
		if !seen[c.key] {
			seen[c.key] = true
			out = append(out, c)
		}
	}
	base := listColumns(schema)
	for i, key := range defaultColumns {
		c := columnChoice{key: key, col: base[i], about: "common field"}
		if f, ok := schema.Resolve(key); ok {
			c.field, c.about = f.Key, fieldAbout(key, f)
		}
		add(c)
	}
	for _, f := range schema.Fields {
		key := f.Key
		if f.Common != "" && slices.Contains(crm.CommonNames, f.Common) {
			key = f.Common
		}
		add(columnChoice{key: key, field: f.Key, about: fieldAbout(key, f), col: fieldColumn(key, f)})
	}
	for _, name := range crm.CommonNames {
		add(columnChoice{key: name, about: "common field", col: commonColumn(name)})
	}
	return out
}

// fieldAbout says what a field is, after the column's name: its type, and
// the provider's key when the column goes by a common name (Zoho's role is
// the title).
func fieldAbout(key string, f crm.Field) string {
	if f.Key != key {
		return clean(f.Key) + " · " + string(f.Type)
	}
	return string(f.Type)
}

// commonTitles are the headers of the common names.
var commonTitles = map[string]string{
	"id": "ID", "name": "Name", "first_name": "First name", "last_name": "Last name", "email": "Email",
	"title": "Title", "department": "Department", "status": "Status", "active": "Active",
	"created_at": "Created", "updated_at": "Updated",
}

// commonColumn shows a common field; times as dates that sort by the time.
func commonColumn(name string) usertable.Column {
	value := func(u *crm.User) string { v, _ := u.Common(name); return crm.Format(v) }
	c := fitColumn(commonTitles[name], crm.TypeText)
	c.Value = value
	switch name {
	case "created_at", "updated_at":
		c = fitColumn(commonTitles[name], crm.TypeTime)
		c.Value = func(u *crm.User) string { return shortDate(value(u)) }
		c.SortValue = value
	case "active":
		c = fitColumn(commonTitles[name], crm.TypeBool)
		c.Value = value
	}
	return c
}

// fieldColumn shows a schema field: through its common name when it has
// one (the value the adapter mapped), else the provider's own value on one
// line (crm.Format: a Zoho role as its name, a phone as its number).
func fieldColumn(key string, f crm.Field) usertable.Column {
	if key != f.Key {
		c := commonColumn(key)
		c.Title = clean(f.Label)
		c.Width = max(c.Width, termtext.Width(c.Title)+2)
		return c
	}
	c := fitColumn(clean(f.Label), f.Type)
	fk := f.Key
	c.Value = func(u *crm.User) string { return crm.Format(u.Value(fk)) }
	switch f.Type {
	case crm.TypeTime:
		// no SortValue: the table keeps no provider JSON to read the full
		// time from when it sorts, and the date sorts as dates do
		c.Value = func(u *crm.User) string { return shortDate(crm.Format(u.Value(fk))) }
	case crm.TypeEnum:
		for _, v := range f.Values {
			c.Width = max(c.Width, min(termtext.Width(v), 16))
		}
	}
	return c
}

// fitColumn sizes a column by what it holds: dates and yes/no at their
// width, text as wide as its widest loaded value (up to 40 cells) and
// sharing the spare width. The title and a sort arrow always fit.
func fitColumn(title string, t crm.FieldType) usertable.Column {
	w := termtext.Width(title) + 2
	c := usertable.Column{Title: title}
	switch t {
	case crm.TypeBool:
		c.Width = max(w, 3)
	case crm.TypeDate, crm.TypeTime:
		c.Width = max(w, 10)
	case crm.TypeEnum:
		c.Width = max(w, 6)
	case crm.TypeNumber:
		c.Width, c.Max = w, 12
	default:
		c.Width, c.Max, c.Flex = max(w, 6), 40, 1
	}
	return c
}

// resolveColumns turns column names into the table's columns; unknown is
// the first name that is no column of the schema.
func resolveColumns(schema crm.Schema, keys []string) (keysOut []string, cols []usertable.Column, unknown string) {
	cat := columnCatalogue(schema)
	for _, k := range keys {
		i := slices.IndexFunc(cat, func(c columnChoice) bool { return c.key == k })
		if i < 0 {
			i = slices.IndexFunc(cat, func(c columnChoice) bool { return c.field == k })
		}
		if i < 0 {
			return nil, nil, k
		}
		if slices.Contains(keysOut, cat[i].key) {
			continue
		}
		keysOut = append(keysOut, cat[i].key)
		cols = append(cols, cat[i].col)
	}
	return keysOut, cols, ""
}

// columnKeys are the names of the columns the list shows.
func (l *listView) columnKeys() []string {
	if l.prefs.columns == nil {
		return defaultColumns
	}
	return l.prefs.columns
}

// showColumns puts the named columns in the table (nil: the default).
func (l *listView) showColumns(keys []string) (tea.Cmd, error) {
	if len(keys) == 0 {
		keys = defaultColumns
	}
	resolved, cols, unknown := resolveColumns(l.c.Provider.Schema(), keys)
	if unknown != "" {
		return nil, fmt.Errorf("no column %q (columns: %s)", clean(unknown), strings.Join(l.allColumnKeys(), ", "))
	}
	if slices.Equal(resolved, l.columnKeys()) {
		return nil, nil
	}
	l.prefs.columns = resolved
	if slices.Equal(resolved, defaultColumns) {
		l.prefs.columns = nil
	}
	cmd := address(l.id, l.table.SetColumns(cols))
	switch {
	case l.loadAllCancel != nil:
		// its rows are being built with the old columns: start it again
		cmd = tea.Batch(cmd, l.stopLoadAll(), l.startLoadAll())
	case l.table.Total() == 0 || !readsProviderFields(resolved):
	case l.next == "" && l.pages > 1:
		// the table keeps the common fields only: read every user again
		// for the provider's own fields
		cmd = tea.Batch(cmd, l.startLoadAll())
	default:
		// the same for the first page (the page cache answers what it holds)
		cmd = tea.Batch(cmd, l.reload("loading columns"))
	}
	return cmd, nil
}

// readsProviderFields says whether a column shows more than the common
// fields a table row keeps.
func readsProviderFields(keys []string) bool {
	return slices.ContainsFunc(keys, func(k string) bool { return !slices.Contains(crm.CommonNames, k) })
}

// allColumnKeys are every column's name, in the chooser's order.
func (l *listView) allColumnKeys() []string {
	var out []string
	for _, c := range columnCatalogue(l.c.Provider.Schema()) {
		out = append(out, c.key)
	}
	return out
}

// chooseColumns is the admin's choice (the chooser or :columns): shown at
// once, and remembered for this provider in the state file.
func (l *listView) chooseColumns(keys []string) tea.Cmd {
	show, err := l.showColumns(keys)
	if err != nil {
		return failure(err)
	}
	l.prefs.own = l.prefs.columns
	return tea.Batch(show, l.rememberColumns())
}

// columnsSavedMsg is the state file's answer to a choice of columns.
type columnsSavedMsg struct {
	keys []string
	err  error
}

// rememberColumns writes the provider's columns to the state file in the
// background; the message line says what was kept, or why not.
func (l *listView) rememberColumns() tea.Cmd {
	keys := slices.Clone(l.prefs.columns)
	words := "columns: " + strings.Join(l.columnKeys(), ", ")
	st := l.c.state
	if st == nil {
		return notice(words + " (for this session: this console keeps no state file)")
	}
	name := l.c.Info.Name
	ctx := l.ctx
	return address(l.id, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, stateTimeout)
		defer cancel()
		return columnsSavedMsg{keys: keys, err: st.SetColumns(ctx, name, keys)}
	})
}

func (l *listView) onColumnsSaved(msg columnsSavedMsg) tea.Cmd {
	shown := msg.keys
	if shown == nil {
		shown = defaultColumns
	}
	if msg.err != nil {
		return failure(fmt.Errorf("columns not remembered: %w", msg.err))
	}
	return info("columns: " + strings.Join(shown, ", ") + " (remembered for " + clean(l.c.Info.Name) + ")")
}

// sortColumnNames are what :sort takes for each column: the default
// columns by their header (as before columns could be chosen), the others
// by their name, which has no spaces.
func (l *listView) sortColumnNames() []string {
	keys := l.columnKeys()
	titles := l.table.Columns()
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k
		if slices.Contains(defaultColumns, k) && i < len(titles) && !strings.Contains(titles[i], " ") {
			out[i] = strings.ToLower(titles[i])
		}
	}
	return out
}

// columnIndex finds a column by its name or its header, any case.
func (l *listView) columnIndex(name string) int {
	for i, k := range l.columnKeys() {
		if strings.EqualFold(k, name) {
			return i
		}
	}
	for i, t := range l.table.Columns() {
		if strings.EqualFold(t, name) {
			return i
		}
	}
	return -1
}

// sortKey is the current sort as a view saves it: "COLUMN" or "COLUMN
// desc", "" for load order.
func (l *listView) sortKey() string {
	o := l.table.Sort()
	keys := l.columnKeys()
	if o.Col < 0 || o.Col >= len(keys) {
		return ""
	}
	if o.Desc {
		return keys[o.Col] + " desc"
	}
	return keys[o.Col]
}

// useOwnColumns shows the columns the admin chose for this provider on an
// earlier run (the table is still empty: no row is built twice). Names the
// schema no longer has are dropped.
func (l *listView) useOwnColumns() {
	if l.c.state == nil {
		return
	}
	var keys []string
	for _, k := range l.c.state.Provider(l.c.Info.Name).Columns {
		if _, _, unknown := resolveColumns(l.c.Provider.Schema(), []string{k}); unknown == "" {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		_, _ = l.showColumns(keys)
		l.prefs.own = l.prefs.columns
	}
}

// completeColumns completes :columns one comma-separated name at a time:
// what is typed so far, then each column not chosen yet.
func completeColumns(m *Model, _ int) []string {
	l := m.list()
	if l == nil {
		return nil
	}
	line := m.cmdline.input.Value()
	word := line[strings.LastIndexAny(line, " ")+1:]
	done := word[:strings.LastIndex(word, ",")+1]
	// the names typed so far, in this word and in any before it
	// (":columns name, email, ti")
	args := strings.TrimSpace(line[:len(line)-len(word)+len(done)])
	_, args, _ = strings.Cut(args, " ")
	chosen := strings.FieldsFunc(args, func(r rune) bool { return r == ',' || r == ' ' })
	var out []string
	if len(chosen) == 0 {
		out = append(out, "default")
	}
	for _, k := range l.allColumnKeys() {
		if !slices.Contains(chosen, k) {
			out = append(out, done+k)
		}
	}
	return out
}

// runColumns is :columns a,b,c (spaces after commas allowed; "default"
// puts back the usual five).
func runColumns(m *Model, args []string) tea.Cmd {
	l := m.list()
	if l == nil {
		return failText(errNoList.Error())
	}
	var keys []string
	for _, k := range strings.Split(strings.Join(args, ","), ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return failText("usage: :columns NAME,NAME,… (columns: " + strings.Join(l.allColumnKeys(), ", ") + ")")
	}
	if len(keys) == 1 && keys[0] == "default" {
		keys = defaultColumns
	}
	if _, _, unknown := resolveColumns(l.c.Provider.Schema(), keys); unknown != "" {
		return failText(fmt.Sprintf("no column %q (columns: %s)", clean(unknown), strings.Join(l.allColumnKeys(), ", ")))
	}
	return tea.Batch(popTo(l.ID()), l.chooseColumns(keys))
}
