package state

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestColumnsAndViewsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster", "console.json")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.SetColumns(ctx, "zoho", []string{"name", "email"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveView(ctx, "zoho", View{Name: "Admins", Query: "ada", Sort: "email desc", Columns: []string{"email"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveView(ctx, "zoho", View{Name: "admins", Query: "grace"}); err != nil { // same name, any case: replaced
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p := again.Provider("zoho")
	if !slices.Equal(p.Columns, []string{"name", "email"}) {
		t.Errorf("columns %v", p.Columns)
	}
	if len(p.Views) != 1 || p.Views[0].Name != "admins" || p.Views[0].Query != "grace" {
		t.Errorf("views %+v", p.Views)
	}
	if err := again.DeleteView(ctx, "zoho", "ADMINS"); err != nil {
		t.Fatal(err)
	}
	if got := again.Provider("zoho").Views; len(got) != 0 {
		t.Errorf("views after delete %+v", got)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// Two consoles with the file open save at once: each change is made to the
// file as it is on disk, under the lock, so neither is lost.
func TestConcurrentStoresKeepEveryChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "console.json")
	a, _ := Open(path)
	b, _ := Open(path)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			if err := s.SaveView(context.Background(), "p", View{Name: "v" + string(rune('a'+i))}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Provider("p").Views); n != 20 {
		t.Errorf("%d views kept, want 20", n)
	}
}

// A file that does not parse is reported, never written over.
func TestGarbledFileIsAnErrorAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "console.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "fix or remove") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "{not json" {
		t.Errorf("file changed: %q", data)
	}
}

// Every SSH user gets a file of their own: names that differ only in case,
// in characters a file name cannot hold, or far along a long name never
// share one, and the file name stays short and plain.
func TestSSHUserFilesNeverCollide(t *testing.T) {
	long := strings.Repeat("é", 200)
	names := []string{"ana", "Ana", "ANA", "an/a", "an%2Fa", "an_a", "../ana", ".", "", "%", long, long + "x", strings.Repeat("a", 300), strings.Repeat("a", 301)}
	seen := map[string]string{}
	for _, n := range names {
		f := SSHUserFile(n)
		if other, ok := seen[strings.ToLower(f)]; ok {
			t.Errorf("%q and %q share %s", n, other, f)
		}
		seen[strings.ToLower(f)] = n
		if strings.ContainsAny(f, "/\\\x00") || strings.HasPrefix(f, ".") || len(f) > 130 {
			t.Errorf("%q: file name %q", n, f)
		}
	}
	if got := SSHUserFile("ana"); got != "console-ssh-ana.json" {
		t.Errorf("SSHUserFile(ana) = %q", got)
	}
}
