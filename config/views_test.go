package config

import (
	"strings"
	"testing"
)

const zohoViews = `
[providers.z]
kind = "zoho"
access_token = "t"

[[providers.z.views]]
name = "admins"
query = "ada"
view = "AdminUsers"
sort = "email desc"
columns = ["name", "email", "time_zone"]
`

func TestViewsLoadAndCheckAgainstTheSchema(t *testing.T) {
	cfg, err := parse("roster.toml", []byte(zohoViews), testEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Providers["z"]
	if len(p.Views) != 1 || p.Views[0].Sort != "email desc" || len(p.Views[0].Columns) != 3 {
		t.Fatalf("views %+v", p.Views)
	}
	if _, err := Open(p, Deps{}); err != nil {
		t.Fatalf("open: %v", err)
	}
}

// What the file alone shows is wrong is a load error at its line.
func TestViewsRejectedAtLoad(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"no name", strings.Replace(zohoViews, `name = "admins"`, `# no name`, 1),
			`roster.toml:6:3: provider "z": a view needs a name`},
		{"spaces in name", strings.Replace(zohoViews, `"admins"`, `"my admins"`, 1),
			`roster.toml:7:1: provider "z": view name "my admins": use one word without spaces (it is typed as :view NAME)`},
		{"sort form", strings.Replace(zohoViews, `"email desc"`, `"email downwards"`, 1),
			`roster.toml:10:1: provider "z": view "admins": sort "email downwards": want "COLUMN", "COLUMN asc" or "COLUMN desc"`},
		{"twice", zohoViews + "[[providers.z.views]]\nname = \"Admins\"\n",
			`roster.toml:13:1: provider "z": two views are named "Admins"`},
		{"column twice", strings.Replace(zohoViews, `"time_zone"]`, `"email"]`, 1),
			`roster.toml:11:1: provider "z": view "admins": column "email" is listed twice`},
		{"unknown view key", zohoViews + "colums = [\"x\"]\n", `roster.toml:12:1: unknown key providers.z.views.colums`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse("roster.toml", []byte(tc.doc), testEnv(nil))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// What only the provider's schema shows is wrong is a config error when it
// opens, naming the unknown column and where it is written.
func TestViewsWithUnknownColumnsFailToOpen(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"column", strings.Replace(zohoViews, `"time_zone"`, `"shoe_size"`, 1),
			`roster.toml:11:1: provider "z": view "admins": unknown column "shoe_size" (columns: id, name,`},
		{"sort", strings.Replace(zohoViews, `"email desc"`, `"shoe_size desc"`, 1),
			`roster.toml:10:1: provider "z": view "admins": unknown sort column "shoe_size"`},
		{"provider view", strings.Replace(zohoViews, `"AdminUsers"`, `"Robots"`, 1),
			`roster.toml:9:1: provider "z": view "admins": unknown view "Robots" (zoho has AllUsers,`},
		{"name of a provider view", strings.Replace(zohoViews, `name = "admins"`, `name = "activeusers"`, 1),
			`roster.toml:7:1: provider "z": view name "activeusers" is already one of the provider's own views`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parse("roster.toml", []byte(tc.doc), testEnv(nil))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Open(cfg.Providers["z"], Deps{})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %s", err, tc.want)
			}
		})
	}
}
