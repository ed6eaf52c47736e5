package guard

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The role names are the guard's alone (DESIGN.md: permission lives in one
// place): no other code of Roster's spells them, to list, compare or check
// them — config's validation and the server take guard.Roles and ParseRole.
func TestRoleNamesLiveOnlyInTheGuard(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || path == filepath.Join(root, "crm", "guard")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, r := range Roles {
			if strings.Contains(string(src), `"`+string(r)+`"`) {
				t.Errorf("%s spells the role %q; use guard.%s or guard.Roles", path, r, strings.ToUpper(string(r[:1]))+string(r[1:]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
