package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// pickerView chooses one of the configured providers.
type pickerView struct {
	viewBase
	keys pickerKeys
	list list.Model
}

type providerItem struct{ p crm.Provider }

func (i providerItem) Title() string {
	in := i.p.Info()
	return clean(in.Name)
}
func (i providerItem) Description() string {
	in := i.p.Info()
	d := clean(in.Label) + " (" + clean(in.Kind) + ")"
	if in.Notice != "" {
		d += " · " + clean(in.Notice)
	}
	return d
}
func (i providerItem) FilterValue() string { return i.p.Info().Name }

// newPickerView lists the providers with the cursor on preferred (a
// provider name; the first when "" or unknown).
func newPickerView(c *Common, preferred string) *pickerView {
	items := make([]list.Item, 0, len(c.Providers))
	for _, p := range c.Providers {
		items = append(items, providerItem{p})
	}
	d := list.NewDefaultDelegate()
	d.Styles.NormalTitle = d.Styles.NormalTitle.Renderer(c.r)
	d.Styles.NormalDesc = d.Styles.NormalDesc.Renderer(c.r)
	d.Styles.SelectedTitle = d.Styles.SelectedTitle.Renderer(c.r)
	d.Styles.SelectedDesc = d.Styles.SelectedDesc.Renderer(c.r)
	l := list.New(items, d, c.Width, c.Height)
	l.Title = "Choose a provider"
	l.Styles.Title = c.Styles.Section
	l.SetShowHelp(false)
	l.SetShowStatusBar(false)
	l.SetFilteringEnabled(false)
	l.DisableQuitKeybindings()
	for i, p := range c.Providers {
		if p.Info().Name == preferred {
			l.Select(i)
		}
	}
	return &pickerView{viewBase: newViewBase(c), keys: newPickerKeys(c.bindings), list: l}
}

func (v *pickerView) Init() tea.Cmd    { return nil }
func (v *pickerView) Title() string    { return "providers" }
func (v *pickerView) SetSize(w, h int) { v.list.SetSize(w, h) }
func (v *pickerView) ShortHelp() []key.Binding {
	return append(v.keys.ShortHelp(), personFindKey(), personOnboardKey())
}
func (v *pickerView) FullHelp() [][]key.Binding {
	return append(v.keys.FullHelp(), []key.Binding{personFindKey(), personOnboardKey()})
}
func (v *pickerView) View() string { return v.list.View() }

func (v *pickerView) Update(msg tea.Msg) (Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, personFindKey()) {
		return v, push(newPersonView(v.c))
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, personOnboardKey()) {
		return v, openOnboard(v.c, v.id, "")
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, v.keys.Choose) {
		if it, ok := v.list.SelectedItem().(providerItem); ok {
			v.c.useProvider(it.p)
			return v, push(newListView(v.c))
		}
		return v, nil
	}
	var cmd tea.Cmd
	v.list, cmd = v.list.Update(msg)
	return v, cmd
}
