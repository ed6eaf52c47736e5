package config

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The common keys are held by the Provider fields of their toml names and
// types, and every such field is a common key; a kind's own keys are no
// field (Provider.Keys holds them), and a key name means one type in every
// kind that takes it.
func TestCommonKeysAreProviderFieldsAndKindKeysAreNot(t *testing.T) {
	typ := reflect.TypeOf(Provider{})
	goType := map[KeyType]reflect.Type{KeyText: reflect.TypeOf(""), KeyURL: reflect.TypeOf(""),
		KeyInt: reflect.TypeOf(0), KeyBool: reflect.TypeOf(false)}
	common := map[string]bool{}
	for _, k := range CommonKeys {
		common[k.Name] = true
		i, ok := commonField[k.Name]
		if !ok {
			t.Errorf("common key %s has no Provider field with toml:%q", k.Name, k.Name)
			continue
		}
		if got := typ.Field(i).Type; got != goType[k.Type] {
			t.Errorf("common key %s is declared %s but its field is %s", k.Name, k.Type, got)
		}
	}
	for name := range commonField {
		if !common[name] {
			t.Errorf("Provider field toml:%q is no common key", name)
		}
	}
	declared := map[string]KeyType{}
	for _, kind := range AllKinds() {
		if kind.Open == nil {
			t.Errorf("kind %s has no Open", kind.Name)
		}
		for _, k := range kind.Keys {
			if common[k.Name] {
				t.Errorf("kind %s declares the common key %s again", kind.Name, k.Name)
			}
			if t0, seen := declared[k.Name]; seen && t0 != k.Type {
				t.Errorf("key %s is %s in one kind and %s in another", k.Name, t0, k.Type)
			}
			declared[k.Name] = k.Type
		}
		for _, k := range kind.Account {
			if !kind.takes(k) {
				t.Errorf("kind %s names its account by %s, which it does not take", kind.Name, k)
			}
		}
	}
}

// README's table for each kind lists exactly the keys the kind declares
// (besides the common rate_limit and max_concurrency, documented once), and
// marks "yes" exactly the required ones.
func TestREADMETablesFollowTheRegistry(t *testing.T) {
	src, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{"apideck": "### Apideck Unify CRM", "zoho": "### Zoho CRM", "truto": "### Truto", "laurel": "### Laurel"}
	keyRE := regexp.MustCompile("`([a-z_]+)`")
	for _, kind := range AllKinds() {
		head, ok := sections[kind.Name]
		if !ok {
			t.Errorf("kind %s has no README section", kind.Name)
			continue
		}
		_, rest, found := strings.Cut(string(src), "\n"+head+"\n")
		if !found {
			t.Errorf("README has no %q", head)
			continue
		}
		if next := strings.Index(rest, "\n### "); next >= 0 {
			rest = rest[:next]
		}
		listed := map[string]string{}
		_, table, _ := strings.Cut(rest, "| key | required | meaning |")
		for _, line := range strings.Split(table, "\n")[1:] {
			if !strings.HasPrefix(line, "|") {
				break // the end of the keys table
			}
			cells := strings.Split(line, "|")
			if len(cells) < 4 || !strings.Contains(cells[1], "`") {
				continue
			}
			for _, m := range keyRE.FindAllStringSubmatch(cells[1], -1) {
				listed[m[1]] = strings.TrimSpace(cells[2])
			}
		}
		for _, k := range kind.AllKeys() {
			req, ok := listed[k.Name]
			switch {
			case !ok && (k.Name == "rate_limit" || k.Name == "max_concurrency"):
			case !ok:
				t.Errorf("README's %s table lacks %s", kind.Name, k.Name)
			case k.Required && req != "yes":
				t.Errorf("README's %s table: %s is required, the table says %q", kind.Name, k.Name, req)
			case !k.Required && req == "yes":
				t.Errorf("README's %s table: %s is optional, the table says yes", kind.Name, k.Name)
			}
		}
		for key := range listed {
			if !kind.takes(key) {
				t.Errorf("README's %s table lists %s, which the kind does not take", kind.Name, key)
			}
		}
	}
}

func TestNewProviderTakesOnlyTheKindsKeys(t *testing.T) {
	p, err := NewProvider("a", "apideck", map[string]string{"api_key": "k", "app_id": "x", "consumer_id": "c", "max_concurrency": "3"})
	if err != nil || p.Value("api_key") != "k" || p.Value("app_id") != "x" || p.MaxConcurrency != 3 {
		t.Fatalf("NewProvider: %+v, %v", p, err)
	}
	if _, err := NewProvider("a", "apideck", map[string]string{"token": "t"}); err == nil {
		t.Error("apideck took truto's token")
	}
	got := p.Settings()
	keys := make([]string, len(got))
	for i, s := range got {
		keys[i] = s.Key
	}
	if !slices.Equal(keys, []string{"kind", "max_concurrency", "api_key", "app_id", "consumer_id"}) {
		t.Errorf("settings in order: %v", keys)
	}
}
