package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

func TestCommandNamesAndKeys(t *testing.T) {
	for desc, want := range map[string]string{
		"find by identity": "find-by-identity", "load all": "load-all", "↑/k up": "k-up", "search on server": "search-on-server",
	} {
		if got := commandName(desc); got != want {
			t.Errorf("commandName(%q) = %q, want %q", desc, got, want)
		}
	}
	for _, k := range []string{"ctrl+s", "enter", "esc", "L", "pgdown", "/", "alt+x", "shift+tab", "up"} {
		msg, ok := keyMsgFor(k)
		if !ok || msg.String() != k {
			t.Errorf("keyMsgFor(%q) = %q, %v", k, msg.String(), ok)
		}
	}
}

// Every action the list binds to a key is a command, named after its help.
func TestEveryListKeyIsACommand(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil))
	d.waitFor("of 120")
	m := d.m.(*Model)
	names := map[string]bool{}
	for _, c := range m.commands() {
		names[c.name] = true
	}
	for _, group := range m.top().FullHelp() {
		for _, b := range group {
			if b.Enabled() && !names[commandName(b.Help().Desc)] {
				t.Errorf("key %s (%s) has no command", b.Help().Key, b.Help().Desc)
			}
		}
	}
}

func typeCommand(d *driver, line string) {
	d.key(":")
	d.typeText(line)
	d.key("enter")
}

func TestCommandLineRuns(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil))
	d.waitFor("of 120")
	typeCommand(d, "sort email desc")
	d.waitFor("Email ↓")
	typeCommand(d, "sort none")
	d.waitFor("sorted: as loaded")
	typeCommand(d, "ref") // a unique prefix of refresh
	d.waitFor("refreshed")
	typeCommand(d, "user 10003")
	v := d.waitFor("10003")
	if !strings.Contains(v, "First name") {
		t.Fatalf(":user should open the user:\n%s", v)
	}
	typeCommand(d, "user nobody")
	d.waitFor(`no user with id "nobody"`)
	typeCommand(d, "sort shoe size")
	d.waitFor("usage: :sort COLUMN")
	typeCommand(d, "frobnicate")
	d.waitFor(`unknown command "frobnicate"`)
	file := filepath.Join(t.TempDir(), "users.jsonl")
	typeCommand(d, "export "+file)
	d.waitFor("exported 25 rows") // what the list shows: the loaded page
	data, err := os.ReadFile(file)
	if err != nil || strings.Count(string(data), "\n") != 25 || !strings.HasPrefix(string(data), "{") {
		t.Fatalf(":export FILE.jsonl should write 25 JSON lines: %v %.200q", err, data)
	}
	typeCommand(d, "q")
	d.waitQuit()
}

func TestCommandLineCompletion(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {40, 10}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			_, url := startSandbox(t)
			d := newDriver(t, apideckAt(url, nil))
			d.apply(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			d.waitFor("of 120")
			d.key(":")
			d.typeText("so")
			d.key("tab")
			d.typeText("e")
			d.key("tab")
			v := d.waitFor(":sort email")
			if !strings.Contains(v, "asc desc") {
				t.Errorf("after the column, tab offers the direction:\n%s", v)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}
