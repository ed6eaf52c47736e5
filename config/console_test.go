package config

import (
	"strings"
	"testing"
)

func TestConsoleKeysLoad(t *testing.T) {
	doc := `theme = "light"
mouse = true
` + apideckOK + `
[theme_colors]
accent = "#0055AA"
error = { light = "160", dark = "#FF5555" }

[keys]
load-all = ["ctrl+l", "L"]
`
	cfg, err := parse("roster.toml", []byte(doc), testEnv(map[string]string{"APIDECK_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Theme != "light" || !cfg.Mouse {
		t.Errorf("theme %q mouse %v, want light and true", cfg.Theme, cfg.Mouse)
	}
	if got := cfg.Colors["accent"]; got != (ThemeColor{"#0055AA", "#0055AA"}) {
		t.Errorf("accent = %+v", got)
	}
	if got := cfg.Colors["error"]; got != (ThemeColor{"160", "#FF5555"}) {
		t.Errorf("error = %+v", got)
	}
	if got := strings.Join(cfg.Keys["load-all"], ","); got != "ctrl+l,L" {
		t.Errorf("keys.load-all = %s", got)
	}
	if got := cfg.KeyError("load-all", "boom").Error(); got != "roster.toml:15:1: boom" {
		t.Errorf("KeyError = %s, want it at the load-all line", got)
	}
}

func TestConsoleDefaults(t *testing.T) {
	cfg, err := parse("roster.toml", []byte(apideckOK), testEnv(map[string]string{"APIDECK_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Theme != "default" || cfg.Mouse {
		t.Errorf("theme %q mouse %v, want default and off", cfg.Theme, cfg.Mouse)
	}
}

func TestConsoleKeysRejected(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown theme", "theme = \"solarized\"\n" + apideckOK,
			`roster.toml:1:1: theme "solarized" is not one of default, light, high-contrast or mono`},
		{"theme as a table", "[theme]\naccent = \"#fff\"\n" + apideckOK,
			`roster.toml:1:2: theme: want a theme name (theme = "light"); colours go in [theme_colors]`},
		{"unknown colour", apideckOK + "[theme_colors]\nbackground = \"#000\"\n",
			`roster.toml:8:1: theme_colors: unknown colour "background" (have accent, muted, error, success, warning or title)`},
		{"bad colour", apideckOK + "[theme_colors]\naccent = \"purple\"\n",
			`roster.toml:8:1: theme_colors.accent: want "#RRGGBB", an ANSI colour number "0".."255", or { light = …, dark = … }, not "purple"`},
		{"half a table", apideckOK + "[theme_colors]\naccent = { light = \"#000\" }\n",
			`roster.toml:8:1: theme_colors.accent: want "#RRGGBB", an ANSI colour number "0".."255", or { light = …, dark = … }, not that table`},
		{"no keys", apideckOK + "[keys]\nload-all = []\n",
			`roster.toml:8:1: keys.load-all: give at least one key, e.g. ["ctrl+l"]`},
		{"key not a list", apideckOK + "[keys]\nload-all = \"L\"\n",
			`roster.toml:8:12: keys.load-all: want a list of quoted strings, not a string`},
		{"mouse not a bool", "mouse = \"yes\"\n" + apideckOK,
			`roster.toml:1:9: mouse: want true or false, not a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse("roster.toml", []byte(tt.doc), testEnv(map[string]string{"APIDECK_KEY": "k"}))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}
