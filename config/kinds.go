package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/limit"
)

// The provider-kind registry: each kind (apideck.go, truto.go, zoho.go,
// laurel.go) declares once the keys its [providers.NAME] table takes, which
// are required or secret, how to open it, and its own checks. Validation, its
// messages, secret resolution and redaction, `roster sandbox`'s printed
// config and `roster doctor`'s hosts derive from it; a test holds README's
// provider tables to it. (The demo's entries are the sandbox's, which knows
// its own credentials: crm/sandbox.DemoEntry.)
//
// The common keys live in the Provider fields of their toml names; a kind's
// own keys live in Provider.Keys, so adding a kind (or a key) is an entry
// here and no edit to Provider.

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
	// Account lists the keys that name the account at the provider, so two
	// entries for one account share a rate limiter (see Provider.Account);
	// when one is unset the entry's name stands in.
	Account []string
	// MaxConcurrency is the highest max_concurrency the kind allows (0: the
	// general bound).
	MaxConcurrency int
	// Limits are the kind's published rate limits, which rate_limit and
	// max_concurrency override (see Provider.Limits).
	Limits limit.Settings
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
	_, ok := k.key(key)
	return ok
}

// key returns the declaration of a key the kind's table may hold.
func (k Kind) key(name string) (Key, bool) {
	i := slices.IndexFunc(k.AllKeys(), func(c Key) bool { return c.Name == name })
	if i < 0 {
		return Key{}, false
	}
	return k.AllKeys()[i], true
}

// commonField maps a common key to the index of the Provider field
// holding it.
var commonField = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeOf(Provider{})
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); tag != "" && tag != "-" {
			m[tag] = i
		}
	}
	return m
}()

// field returns the Provider field holding a common key (invalid for any
// other key).
func (p *Provider) field(key string) reflect.Value {
	i, ok := commonField[key]
	if !ok {
		return reflect.Value{}
	}
	return reflect.ValueOf(p).Elem().Field(i)
}

// written is what the file set for key, as text (a secret's reference as
// written, never its value; "" when unset).
func (p *Provider) written(key string) string {
	if v, ok := p.Keys.m[key]; ok {
		return v.written
	}
	v := p.field(key)
	if !v.IsValid() {
		return ""
	}
	switch x := v.Interface().(type) {
	case string:
		return x
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

// setText sets key from its text as a config file writes it: a common key
// into its field, any other into Keys, with value as what it means (a
// secret's resolved value). It reports text that is not of the key's type.
func (p *Provider) setText(key Key, text, value string) error {
	f := p.field(key.Name)
	if !f.IsValid() {
		p.Keys.set(key.Name, text, value, key.Type == KeySecret)
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(text)
	case reflect.Int:
		n, err := strconv.Atoi(text)
		if err != nil {
			return fmt.Errorf("want a whole number")
		}
		f.SetInt(int64(n))
	case reflect.Bool:
		f.SetBool(text == "true")
	}
	return nil
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
		v := p.Value(key.Name)
		if v == "" {
			v = p.written(key.Name) // a secret not resolved
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

// openKind checks the keys an entry built in code (not loaded) may lack,
// then opens it with its kind's Open.
func openKind(p Provider, d Deps) (crm.Provider, error) {
	k, ok := KindNamed(p.Kind)
	if !ok {
		return nil, fmt.Errorf("unknown kind %q (want %s)", p.Kind, orList(Kinds))
	}
	var missing []string
	for _, key := range k.Keys {
		if key.Required && p.Value(key.Name) == "" {
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
	for _, keyName := range names {
		key, ok := k.key(keyName)
		if !ok || keyName == "kind" {
			return Provider{}, fmt.Errorf("provider %q: key %s is not used by kind %s", name, keyName, kind)
		}
		if err := p.setText(key, keys[keyName], keys[keyName]); err != nil {
			return Provider{}, fmt.Errorf("provider %q: %s: %v", name, keyName, err)
		}
	}
	return p, nil
}
