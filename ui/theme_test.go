package ui

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
)

// newThemedDriver drives a model with o's theme on a renderer of the given
// colour profile and background, so goldens show the theme's escapes.
func newThemedDriver(t *testing.T, o Options, profile termenv.Profile, dark bool) *driver {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	r.SetHasDarkBackground(dark)
	o.PageSize, o.Renderer = 25, r
	m := New(o)
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 256)}
	d.run(m.Init())
	d.apply(sizeMsg(100, 30))
	return d
}

func TestEveryConfigThemeHasAPalette(t *testing.T) {
	all := themePalettes()
	for _, name := range config.Themes {
		if _, ok := all[name]; !ok {
			t.Errorf("config.Themes has %q, the console has no palette for it", name)
		}
	}
	if len(all) != len(config.Themes) {
		t.Errorf("%d palettes for %d config themes: one list must name them all", len(all), len(config.Themes))
	}
}

// sgrColour finds an SGR sequence that sets a colour (30–38, 40–48,
// 90–97, 100–107), as opposed to attributes such as bold or reverse.
var sgrRE = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

func colourCodes(s string) []string {
	var out []string
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			n, err := strconv.Atoi(p)
			if err != nil {
				continue
			}
			if n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 97 || n >= 100 && n <= 107 {
				out = append(out, m[0])
				break
			}
		}
	}
	return out
}

// The list in each theme, at 256 colours where colour matters; mono on the
// same 256-colour terminal must send no colour at all, only attributes.
func TestThemesGolden(t *testing.T) {
	for _, tt := range []struct {
		theme string
		dark  bool
	}{{"light", false}, {"high-contrast", true}, {"mono", true}} {
		t.Run(tt.theme, func(t *testing.T) {
			p, _ := newApideck(t)
			d := newThemedDriver(t, Options{Providers: []crm.Provider{p}, Theme: Theme{Name: tt.theme}}, termenv.ANSI256, tt.dark)
			v := d.waitFor("of 120")
			codes := colourCodes(v)
			switch {
			case tt.theme == "mono" && len(codes) > 0:
				t.Errorf("mono sent colours %q:\n%s", codes, v)
			case tt.theme != "mono" && len(codes) == 0:
				t.Errorf("%s sent no colour:\n%s", tt.theme, v)
			}
			if tt.theme == "mono" && !strings.Contains(v, "\x1b[7") && !strings.Contains(v, ";7") {
				t.Errorf("mono should mark the title and cursor by reverse video:\n%q", v)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// The light theme's colours do not depend on what the terminal reports:
// over SSH the server cannot ask, and assumes a dark background.
func TestLightThemeIgnoresTheReportedBackground(t *testing.T) {
	light := func(dark bool) string {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.TrueColor)
		r.SetHasDarkBackground(dark)
		return NewStyles(r, Theme{Name: "light"}).Section.Render("x")
	}
	if a, b := light(true), light(false); a != b {
		t.Errorf("light theme differs by background: %q vs %q", a, b)
	}
}

func TestThemeColorsOverrideThePalette(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	s := NewStyles(r, Theme{Name: "mono", Colors: map[string]config.ThemeColor{"accent": {Light: "#000000", Dark: "#0055AA"}}})
	if got := s.Title.Render("Roster"); !strings.Contains(got, "48;2;0;85;170") {
		t.Errorf("the title bar should take the accent override as its background: %q", got)
	}
	if got := s.Error.Render("x"); len(colourCodes(got)) > 0 {
		t.Errorf("mono's error has no colour unless overridden: %q", got)
	}
}

// Without colour or attributes (the ASCII profile: a pipe, TERM=dumb) the
// delete confirmation's placeholder must not read as text already typed.
func TestDeletePlaceholderReadsAsAHintWithoutColour(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	openFirstUser(t, d)
	d.key("d")
	v := d.waitFor("Delete this user?")
	if !strings.Contains(v, "> [type ada.0@example.com]") {
		t.Errorf("the placeholder should be bracketed:\n%s", v)
	}
	d.typeText("a")
	if v := d.m.View(); strings.Contains(v, "[type") {
		t.Errorf("the hint should go once typing starts:\n%s", v)
	}
}
