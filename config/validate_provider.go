package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/roster-tui/roster/crm/limit"
)

// Validating one [providers.NAME] table through its kind's registry entry:
// which keys it takes, of what type, which are required, and the kind's
// own checks.

// maxConcurrency bounds max_concurrency for kinds without a published cap.
const maxConcurrency = 64

var providerNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (l *loader) validateProvider(p *Provider) {
	at := func(key string) []string { return []string{"providers", p.Name, key} }
	if !providerNameRE.MatchString(p.Name) {
		l.errAt(at(""), "provider name %q: use letters, digits, '-', '_' and '.'", p.Name)
		return
	}
	table := l.tables[p.Name]
	kindNames := l.kindNames()
	if _, set := table["kind"]; !set {
		l.errAt(at(""), "provider %q: missing kind (want %s)", p.Name, orList(kindNames))
		return
	}
	p.Kind, _ = table["kind"].(string)
	kind, ok := l.kindNamed(p.Kind)
	if !ok {
		if !l.wrongType(p, Key{Name: "kind", Type: KeyText}, table["kind"]) {
			l.errAt(at("kind"), "provider %q: unknown kind %q (want %s)", p.Name, p.Kind, orList(kindNames))
		}
		return
	}
	unreadable := false
	for _, name := range l.idx.under("providers", p.Name) {
		if name == "views" {
			l.decodeViews(p, table[name]) // not a key of the kind: views.go
			continue
		}
		key, takes := kind.key(name)
		switch {
		case !l.anyKindTakes(name):
			l.errAt(at(name), "unknown key %s", quoteKey(at(name)))
			unreadable = true
		case !takes:
			l.errAt(at(name), "provider %q: key %s is not used by kind %s (it takes %s)", p.Name, name, p.Kind, strings.Join(keyNames(kind.AllKeys(), false), ", "))
		case l.wrongType(p, key, table[name]):
			unreadable = true
		default:
			text := keyText(table[name])
			value := text
			if key.Type == KeySecret {
				value = "" // resolveSecrets reads the reference
			}
			if err := p.setText(key, text, value); err != nil {
				l.errAt(at(name), "provider %q: %s: %v", p.Name, name, err)
			}
		}
	}
	if unreadable {
		return // as the decoder stops at what it cannot read
	}
	var missing []string
	required := keyNames(kind.Keys, true)
	for _, key := range required {
		if p.written(key) == "" {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		l.errAt(at(""), "provider %q: missing %s (kind %s needs %s)", p.Name, strings.Join(missing, ", "), p.Kind, andList(required))
	}
	if len(kind.Credentials) > 0 {
		l.checkCredentials(p, kind.Credentials)
	}
	for _, key := range kind.AllKeys() {
		if v := p.written(key.Name); key.Type == KeyURL && v != "" {
			if err := checkURL(v); err != nil {
				l.errAt(at(key.Name), "provider %q: %s %q: %v", p.Name, key.Name, v, err)
			}
		}
	}
	l.validateLimits(p, kind)
	l.validateViews(p)
	if kind.check != nil {
		kind.check(l, p)
	}
	l.resolveSecrets(p, kind)
}

// kindNamed returns the kind of that name among those the loader knows.
func (l *loader) kindNamed(name string) (Kind, bool) {
	i := slices.IndexFunc(l.kinds, func(k Kind) bool { return k.Name == name })
	if i < 0 {
		return Kind{}, false
	}
	return l.kinds[i], true
}

// kindNames lists the kinds the loader knows, in order.
func (l *loader) kindNames() []string {
	out := make([]string, len(l.kinds))
	for i, k := range l.kinds {
		out[i] = k.Name
	}
	return out
}

// anyKindTakes reports a key some kind's table may hold.
func (l *loader) anyKindTakes(name string) bool {
	return slices.ContainsFunc(l.kinds, func(k Kind) bool { return k.takes(name) })
}

// wantType is what a key of each type must be written as, in messages.
var wantType = map[KeyType]string{KeyText: "a quoted string", KeyURL: "a quoted string",
	KeySecret: "a quoted string", KeyInt: "a whole number", KeyBool: "true or false"}

// wrongType reports (and records) a value that is not of its key's type,
// where the value is written.
func (l *loader) wrongType(p *Provider, key Key, v any) bool {
	var ok bool
	switch key.Type {
	case KeyInt:
		_, ok = v.(int64)
	case KeyBool:
		_, ok = v.(bool)
	default:
		_, ok = v.(string)
	}
	if ok {
		return false
	}
	path := []string{"providers", p.Name, key.Name}
	tv, written := l.idx.values[pathKey(path...)]
	if !written { // a [providers.NAME.key] table
		tv.pos, _ = l.idx.at(path...)
		tv.kind = "a table"
	}
	l.errs = append(l.errs, &Error{File: l.cfg.Path, Line: tv.pos.line, Col: tv.pos.col,
		Msg: fmt.Sprintf("%s: want %s, not %s", quoteKey(path), wantType[key.Type], tv.kind)})
	return true
}

// keyText writes a decoded value of the right type as a config file's text.
func keyText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// validateLimits checks rate_limit ("50/10s") and max_concurrency, up to
// the kind's own cap (Zoho's editions cap it lower).
func (l *loader) validateLimits(p *Provider, kind Kind) {
	at := func(key string) []string { return []string{"providers", p.Name, key} }
	if p.RateLimit != "" {
		if _, _, err := limit.ParseRate(p.RateLimit); err != nil {
			l.errAt(at("rate_limit"), "provider %q: rate_limit: %v", p.Name, err)
		}
	}
	highest := maxConcurrency
	if kind.MaxConcurrency > 0 {
		highest = kind.MaxConcurrency
	}
	if l.has("providers", p.Name, "max_concurrency") && (p.MaxConcurrency < 1 || p.MaxConcurrency > highest) {
		l.errAt(at("max_concurrency"), "provider %q: max_concurrency must be between 1 and %d, not %d", p.Name, highest, p.MaxConcurrency)
	}
}

// checkCredentials wants one complete set; it names what is missing from the
// set the file came closest to.
func (l *loader) checkCredentials(p *Provider, sets [][]string) {
	best, bestHave := 0, -1
	for i, set := range sets {
		have := 0
		for _, key := range set {
			if p.written(key) != "" {
				have++
			}
		}
		if have == len(set) {
			return
		}
		if have > bestHave {
			best, bestHave = i, have
		}
	}
	var alts []string
	for _, set := range sets {
		alts = append(alts, andList(set))
	}
	want := strings.Join(alts, ", or ")
	if bestHave == 0 {
		l.errAt([]string{"providers", p.Name}, "provider %q: missing credentials (kind %s needs %s)", p.Name, p.Kind, want)
		return
	}
	var missing []string
	for _, key := range sets[best] {
		if p.written(key) == "" {
			missing = append(missing, key)
		}
	}
	l.errAt([]string{"providers", p.Name}, "provider %q: missing %s (kind %s needs %s)", p.Name, strings.Join(missing, ", "), p.Kind, want)
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("want an http:// or https:// URL")
	}
	if u.Host == "" {
		return fmt.Errorf("the URL has no host")
	}
	return nil
}
