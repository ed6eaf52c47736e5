package config

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
)

// Console is how the console looks and which keys and mouse it takes: the
// top-level keys theme, mouse and the [theme_colors] and [keys] tables.
//
// The colour table is [theme_colors], not [theme]: TOML cannot hold both
// `theme = "light"` and a [theme] table at the top level, and the common
// case — picking a theme — stays one line that way.
type Console struct {
	// Theme is one of Themes ("" means "default").
	Theme string `toml:"theme"`
	// ThemeColors is [theme_colors] as written: role = "#RRGGBB" (or an
	// ANSI number "0".."255"), or role = { light = "…", dark = "…" }.
	// Colors is it validated.
	ThemeColors map[string]any        `toml:"theme_colors"`
	Colors      map[string]ThemeColor `toml:"-"`
	// Keys is [keys]: action = ["key", …]. The action names are the
	// console's (its : command names); the console checks them and the
	// conflicts between them (ui.CheckBindings), this package their shape.
	Keys map[string][]string `toml:"keys"`
	// Mouse turns on mouse reporting in the console (--mouse does too).
	Mouse bool `toml:"mouse"`

	// keysAt is where each [keys] action is written, for KeyError.
	keysAt map[string]position
}

// Themes are the console's colour themes; the first is the default.
var Themes = []string{"default", "light", "high-contrast", "mono"}

// ThemeColorRoles are the colours [theme_colors] may override.
var ThemeColorRoles = []string{"accent", "muted", "error", "success", "warning", "title"}

// ThemeColor is one colour for light and dark terminal backgrounds (equal
// when the file gave one).
type ThemeColor struct{ Light, Dark string }

var hexColorRE = regexp.MustCompile(`^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`)

// checkColor accepts #RGB, #RRGGBB or an ANSI colour number 0..255, what
// lipgloss.Color takes.
func checkColor(s string) bool {
	if hexColorRE.MatchString(s) {
		return true
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == s
}

func (l *loader) validateConsole() {
	c := &l.cfg.Console
	if c.Theme == "" {
		c.Theme = Themes[0]
	} else if !slices.Contains(Themes, c.Theme) {
		l.errAt([]string{"theme"}, "theme %q is not one of %s", c.Theme, orList(Themes))
	}
	l.validateThemeColors()
	c.keysAt = map[string]position{}
	actions := make([]string, 0, len(c.Keys))
	for a := range c.Keys {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, a := range actions {
		if pos, ok := l.idx.at("keys", a); ok {
			c.keysAt[a] = pos
		}
		keys := c.Keys[a]
		if len(keys) == 0 {
			l.errAt([]string{"keys", a}, "keys.%s: give at least one key, e.g. [\"ctrl+l\"]", a)
		}
		for _, k := range keys {
			if k == "" {
				l.errAt([]string{"keys", a}, "keys.%s: a key cannot be empty", a)
			}
		}
	}
}

func (l *loader) validateThemeColors() {
	c := &l.cfg.Console
	c.Colors = map[string]ThemeColor{}
	roles := make([]string, 0, len(c.ThemeColors))
	for r := range c.ThemeColors {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	for _, role := range roles {
		at := []string{"theme_colors", role}
		if !slices.Contains(ThemeColorRoles, role) {
			l.errAt(at, "theme_colors: unknown colour %q (have %s)", role, orList(ThemeColorRoles))
			continue
		}
		bad := func(v any) {
			l.errAt(at, "theme_colors.%s: want \"#RRGGBB\", an ANSI colour number \"0\"..\"255\", or { light = …, dark = … }, not %v", role, v)
		}
		switch v := c.ThemeColors[role].(type) {
		case string:
			if !checkColor(v) {
				bad(fmt.Sprintf("%q", v))
				continue
			}
			c.Colors[role] = ThemeColor{Light: v, Dark: v}
		case map[string]any:
			light, lok := v["light"].(string)
			dark, dok := v["dark"].(string)
			if !lok || !dok || len(v) != 2 || !checkColor(light) || !checkColor(dark) {
				bad("that table")
				continue
			}
			c.Colors[role] = ThemeColor{Light: light, Dark: dark}
		default:
			bad(fmt.Sprintf("%v", v))
		}
	}
}

// KeyError is a problem with the [keys] entry of action, found by the
// console (an unknown action, a key it cannot read, a conflict), as a
// config error at that entry's line.
func (c *Config) KeyError(action, msg string) error {
	e := &Error{File: c.Path, Msg: msg}
	if pos, ok := c.keysAt[action]; ok {
		e.Line, e.Col = pos.line, pos.col
	}
	return e
}
