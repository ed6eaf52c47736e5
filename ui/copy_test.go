package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
)

// syncBuffer is the program's output: the clipboard sequences land here.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// copied decodes the OSC 52 sequences written so far.
func (s *syncBuffer) copied(t *testing.T) []string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range regexp.MustCompile("\x1b\\]52;c;([A-Za-z0-9+/=]*)\x07").FindAllSubmatch(s.b.Bytes(), -1) {
		text, err := base64.StdEncoding.DecodeString(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(text))
	}
	return out
}

func TestCopyCellAndUserThroughOSC52(t *testing.T) {
	_, url := startSandbox(t)
	p := apideckAt(url, nil)
	if _, err := p.Update(context.Background(), "10000", crm.Changes{"title": "Boss\u009b31m\u202e"}); err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	r := lipgloss.NewRenderer(out)
	r.SetColorProfile(termenv.Ascii)
	d := &driver{t: t, msgs: make(chan tea.Msg, 256)}
	d.m = New(Options{Providers: []crm.Provider{p}, PageSize: 25, Renderer: r})
	d.run(d.m.Init())
	d.apply(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.waitFor("of 120")

	d.key("y")
	d.waitFor("copied email of Ada Lovelace")
	d.key(":")
	d.typeText("sort title")
	d.key("enter")
	d.waitFor("Title ↑")
	for range 200 { // to Ada, wherever her title sorts
		if u, _ := d.m.(*Model).list().table.Selected(); u.ID == "10000" {
			break
		}
		d.key("j")
	}
	d.key("y")
	d.waitFor("copied title of Ada Lovelace")
	d.key("Y")
	d.waitFor("as JSON")

	got := out.copied(t)
	if len(got) != 3 {
		t.Fatalf("want 3 clipboard writes, got %q", got)
	}
	if got[0] != "ada.0@example.com" {
		t.Errorf("y copies the email when unsorted, got %q", got[0])
	}
	if got[1] != "Boss" { // the CSI sequence and the bidi override are dropped, as on screen
		t.Errorf("y copies the sorted column's text, sanitised: got %q", got[1])
	}
	if strings.ContainsAny(got[2], "\u009b\u202e\x1b") {
		t.Errorf("Y must escape controls: %q", got[2])
	}
	var u crm.User
	if err := json.Unmarshal([]byte(got[2]), &u); err != nil || u.ID != "10000" || u.Title != "Boss\u009b31m\u202e" {
		t.Errorf("Y is the user as JSON with its values intact: %v %+v", err, u)
	}
	var obj struct{ Fields map[string]any }
	if err := json.Unmarshal([]byte(got[2]), &obj); err != nil || len(obj.Fields) == 0 {
		t.Errorf("Y reads the user, whose provider fields the list does not keep; got none: %v", err)
	}
}
