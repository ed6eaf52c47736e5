package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/roster-tui/roster/crm"
)

// The provider-kind registry: each kind (apideck.go, truto.go, zoho.go,
// laurel.go) declares once the keys its [providers.NAME] table takes, which
// are required or secret, how to open it, and its own checks. Validation, its
// messages, secret resolution and redaction, `roster sandbox`'s printed
// config and `roster doctor`'s hosts derive from it; a test holds README's
// provider tables to it. (The demo's entries are the sandbox's, which knows
// its own credentials: crm/sandbox.DemoEntry.)
//
// A key's value lives in the Provider field whose toml tag is the key's
// name (a test checks that every key has one and every field a key).

// KeyType is what a provider key holds.
type KeyType string

const (
	KeyText   KeyType = "text"
	KeyURL    KeyType = "url"    // an http(s) URL; roster doctor checks its host
	KeySecret KeyType = "secret" // literal, env:NAME or file:PATH; redacted everywhere
	KeyInt    KeyType = "int"
	KeyBool   KeyType = "bool"
)

// Key is one key of a [providers.NAME] table.
type Key struct {
	Name     string
	Type     KeyType
	Required bool // must be set (see also Kind.Credentials)
}

// Kind is one provider kind.
type Kind struct {
	Name  string // the value of kind = "…"
	Label string // the product, for messages
	// Keys are the kind's own keys (besides CommonKeys), in the order a
	// sample config prints them.
	Keys []Key
	// Credentials, when set, are alternative key sets of which one must be
	// complete (e.g. client credentials, or an access token).
	Credentials [][]string
	// Open builds the adapter from an entry whose keys were checked.
	Open func(p Provider, d Deps) (crm.Provider, error)
	// check validates what is particular to the kind (values, defaults).
	check func(l *loader, p *Provider)
}

// CommonKeys are the keys every kind takes.
var CommonKeys = []Key{
	{Name: "kind", Type: KeyText, Required: true},
	{Name: "base_url", Type: KeyURL},
	{Name: "read_only", Type: KeyBool},
	// rate_limit and max_concurrency tune the client-side rate limiter
	// (crm/limit) of any kind; Zoho's max_concurrency also bounds "load all".
	{Name: "rate_limit", Type: KeyText},
	{Name: "max_concurrency", Type: KeyInt},
}

// registry lists the kinds in the order messages name them.
var registry = []Kind{apideckKind, trutoKind, zohoKind, laurelKind}

// Kinds are the provider kinds Roster knows, in the order messages list them.
var Kinds = kindNames()

func kindNames() []string {
	out := make([]string, len(registry))
	for i, k := range registry {
		out[i] = k.Name
	}
	return out
}

// KindNamed returns the registry entry of a kind.
func KindNamed(name string) (Kind, bool) {
	for _, k := range registry {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// AllKinds returns the registry, in order.
func AllKinds() []Kind { return slices.Clone(registry) }

// AllKeys are CommonKeys then the kind's own.
func (k Kind) AllKeys() []Key { return append(slices.Clone(CommonKeys), k.Keys...) }

// keyNames lists the names of keys, optionally only the required ones.
func keyNames(keys []Key, requiredOnly bool) []string {
	var out []string
	for _, k := range keys {
		if !requiredOnly || k.Required {
			out = append(out, k.Name)
		}
	}
	return out
}

// takes reports whether the kind's table may hold key.
func (k Kind) takes(key string) bool {
	return slices.ContainsFunc(k.AllKeys(), func(c Key) bool { return c.Name == key })
}

// fieldIndex maps a key to the index of the Provider field holding it.
var fieldIndex = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeOf(Provider{})
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); tag != "" && tag != "-" {
			m[tag] = i
		}
	}
	return m
}()

// field returns the Provider field holding key (invalid when none).
func (p *Provider) field(key string) reflect.Value {
	i, ok := fieldIndex[key]
	if !ok {
		return reflect.Value{}
	}
	return reflect.ValueOf(p).Elem().Field(i)
}

// written is what the file set for key, as text (a secret's reference as
// written, never its value; "" when unset).
func (p *Provider) written(key string) string {
	v := p.field(key)
	if !v.IsValid() {
		return ""
	}
	switch x := v.Interface().(type) {
	case string:
		return x
	case Secret:
		return x.Ref
	case int:
		if x == 0 {
			return ""
		}
		return strconv.Itoa(x)
	case bool:
		if !x {
			return ""
		}
		return "true"
	}
	return ""
}

// secret returns the Secret field of key, nil for keys that hold none.
func (p *Provider) secret(key string) *Secret {
	v := p.field(key)
	if !v.IsValid() {
		return nil
	}
	s, _ := v.Addr().Interface().(*Secret)
	return s
}

// Setting is one key an entry sets, for printing a config.
type Setting struct {
	Key    string
	Value  string // a secret's resolved value: print it only for test credentials
	Type   KeyType
	Secret bool
}

// Settings lists the keys p sets, in its kind's order (common keys first).
func (p Provider) Settings() []Setting {
	k, ok := KindNamed(p.Kind)
	if !ok {
		return nil
	}
	var out []Setting
	for _, key := range k.AllKeys() {
		v := p.written(key.Name)
		if s := p.secret(key.Name); s != nil {
			v = s.Value
			if v == "" {
				v = s.Ref
			}
		}
		if v != "" {
			out = append(out, Setting{Key: key.Name, Value: v, Type: key.Type, Secret: key.Type == KeySecret})
		}
	}
	return out
}

// URLs are the URL-valued keys p sets (base_url, accounts_url, token_url…),
// in its kind's order: the hosts `roster doctor` checks.
func (p Provider) URLs() []string {
	var out []string
	for _, s := range p.Settings() {
		if s.Type == KeyURL {
			out = append(out, s.Value)
		}
	}
	return out
}

// secretKeys are the names of every key, of any kind, that holds a Secret.
func secretKeys() []string {
	var out []string
	for _, k := range registry {
		for _, key := range k.Keys {
			if key.Type == KeySecret && !slices.Contains(out, key.Name) {
				out = append(out, key.Name)
			}
		}
	}
	return out
}

// openKind checks the keys an entry built in code (not loaded) may lack,
// then opens it with its kind's Open.
func openKind(p Provider, d Deps) (crm.Provider, error) {
	k, ok := KindNamed(p.Kind)
	if !ok {
		return nil, fmt.Errorf("unknown kind %q (want %s)", p.Kind, orList(Kinds))
	}
	var missing []string
	for _, key := range k.Keys {
		if key.Required && p.written(key.Name) == "" {
			missing = append(missing, key.Name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s needs %s", k.Name, strings.Join(missing, ", "))
	}
	return k.Open(p, d)
}

// NewProvider builds an entry from its keys as a config file writes them
// (secrets given literally are resolved to themselves). It checks only that
// the kind takes each key; Open checks what is required.
func NewProvider(name, kind string, keys map[string]string) (Provider, error) {
	k, ok := KindNamed(kind)
	if !ok {
		return Provider{}, fmt.Errorf("provider %q: unknown kind %q (want %s)", name, kind, orList(Kinds))
	}
	p := Provider{Name: name, Kind: kind}
	names := make([]string, 0, len(keys))
	for key := range keys {
		names = append(names, key)
	}
	slices.Sort(names)
	for _, key := range names {
		v := keys[key]
		if !k.takes(key) || key == "kind" {
			return Provider{}, fmt.Errorf("provider %q: key %s is not used by kind %s", name, key, kind)
		}
		f := p.field(key)
		switch f.Interface().(type) {
		case string:
			f.SetString(v)
		case Secret:
			f.Set(reflect.ValueOf(Secret{Ref: v, Value: v}))
		case int:
			n, err := strconv.Atoi(v)
			if err != nil {
				return Provider{}, fmt.Errorf("provider %q: %s: want a whole number", name, key)
			}
			f.SetInt(int64(n))
		case bool:
			f.SetBool(v == "true")
		}
	}
	return p, nil
}
