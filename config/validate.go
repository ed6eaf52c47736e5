package config

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/limit"
)

// Defaults applied by the loader.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// maxConcurrency bounds max_concurrency for kinds without a published cap.
const maxConcurrency = 64

var providerNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// loader validates one decoded config, collecting every problem.
type loader struct {
	cfg   *Config
	idx   *keyIndex
	env   environment
	kinds []Kind
	// tables are the provider tables as decoded, by provider name.
	tables map[string]map[string]any
	errs   []error // every one an *Error
}

// errAt records a problem at the key path, or at its nearest written parent.
func (l *loader) errAt(path []string, format string, args ...any) {
	e := &Error{File: l.cfg.Path, Msg: fmt.Sprintf(format, args...)}
	for i := len(path); i > 0; i-- {
		if pos, ok := l.idx.at(path[:i]...); ok {
			e.Line, e.Col = pos.line, pos.col
			break
		}
	}
	l.errs = append(l.errs, e)
}

// warnAt records a warning the same way; warnings do not stop loading.
func (l *loader) warnAt(path []string, format string, args ...any) {
	e := &Error{File: l.cfg.Path, Msg: fmt.Sprintf(format, args...)}
	if pos, ok := l.idx.at(path...); ok {
		e.Line, e.Col = pos.line, pos.col
	}
	l.cfg.Warnings = append(l.cfg.Warnings, e.Error())
}

func (l *loader) has(path ...string) bool {
	_, ok := l.idx.at(path...)
	return ok
}

func (l *loader) validate() {
	c := l.cfg
	if len(c.Order) == 0 {
		l.errAt(nil, "no providers: add a [providers.NAME] table")
	}
	for _, name := range c.Order {
		if l.env.ctx != nil && l.env.ctx.Err() != nil {
			return // parse reports the interruption
		}
		p := c.Providers[name]
		l.validateProvider(&p)
		c.Providers[name] = p
	}
	if !l.has("page_size") {
		c.PageSize = DefaultPageSize
	} else if c.PageSize < 1 || c.PageSize > MaxPageSize {
		l.errAt([]string{"page_size"}, "page_size must be between 1 and %d, not %d", MaxPageSize, c.PageSize)
	}
	switch {
	case c.DefaultProvider == "" && len(c.Order) > 0:
		c.DefaultProvider = c.Order[0]
	case c.DefaultProvider != "":
		if _, ok := c.Providers[c.DefaultProvider]; !ok {
			l.errAt([]string{"default_provider"}, "default_provider %q is not a configured provider (have %s)", c.DefaultProvider, strings.Join(c.Order, ", "))
		}
	}
	l.validateSSH()
	l.validateSSHOperations()
	l.validateAudit()
	l.validateCluster()
	l.validateConsole()
}

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

// andList writes "a, b and c".
func andList(items []string) string { return joinLast(items, " and ") }

// orList writes "a, b or c".
func orList(items []string) string { return joinLast(items, " or ") }

func joinLast(items []string, last string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// Defaults of the [ssh] table.
const (
	DefaultSSHListen             = "127.0.0.1:23234"
	DefaultSSHIdleTimeout        = "15m"
	DefaultSSHMaxSessions        = 50
	DefaultSSHWriteTimeout       = "30s"
	DefaultSSHAuthTimeout        = "20s"
	DefaultSSHMaxUnauthenticated = 20
)

// sshDuration parses the [ssh] duration key, filling in def when unset.
func (l *loader) sshDuration(key string, text *string, def string) time.Duration {
	if *text == "" {
		*text = def
	}
	d, err := time.ParseDuration(*text)
	if err != nil || d <= 0 {
		l.errAt([]string{"ssh", key}, "ssh %s %q: want a positive duration such as 20s or 1m", key, *text)
		return 0
	}
	return d
}

func (l *loader) validateSSH() {
	s := &l.cfg.SSH
	at := func(key string) []string { return []string{"ssh", key} }
	if s.Listen == "" {
		s.Listen = DefaultSSHListen
	} else if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		l.errAt(at("listen"), "ssh listen %q: want HOST:PORT", s.Listen)
	}
	if s.HostKey == "" {
		s.HostKey = filepath.Join(l.env.stateDir, "roster", "ssh_host_ed25519")
	} else {
		s.HostKey = l.filePath(s.HostKey)
	}
	if s.AuditLog == "" {
		s.AuditLog = filepath.Join(l.env.stateDir, "roster", "audit.jsonl")
	} else {
		s.AuditLog = l.filePath(s.AuditLog)
	}
	if s.IdleTimeout == "" {
		s.IdleTimeout = DefaultSSHIdleTimeout
	}
	if d, err := time.ParseDuration(s.IdleTimeout); err != nil || d <= 0 {
		l.errAt(at("idle_timeout"), "ssh idle_timeout %q: want a positive duration such as 15m or 1h30m", s.IdleTimeout)
	} else {
		s.Idle = d
	}
	s.Write = l.sshDuration("write_timeout", &s.WriteTimeout, DefaultSSHWriteTimeout)
	s.Auth = l.sshDuration("auth_timeout", &s.AuthTimeout, DefaultSSHAuthTimeout)
	if !l.has("ssh", "max_unauthenticated") {
		s.MaxUnauthenticated = DefaultSSHMaxUnauthenticated
	} else if s.MaxUnauthenticated < 1 {
		l.errAt(at("max_unauthenticated"), "ssh max_unauthenticated must be at least 1, not %d", s.MaxUnauthenticated)
	}
	if !l.has("ssh", "max_sessions") {
		s.MaxSessions = DefaultSSHMaxSessions
	} else if s.MaxSessions < 1 {
		l.errAt(at("max_sessions"), "ssh max_sessions must be at least 1, not %d", s.MaxSessions)
	}
	seen := map[string]bool{}
	for i := range s.Users {
		u := &s.Users[i]
		uat := func(key string) []string { return []string{"ssh", "users", elem(i), key} }
		who := fmt.Sprintf("ssh user #%d", i+1)
		if u.Name == "" {
			l.errAt(uat("name"), "%s: missing name", who)
		} else {
			who = fmt.Sprintf("ssh user %q", u.Name)
			if seen[u.Name] {
				l.errAt(uat("name"), "%s is listed twice", who)
			}
			seen[u.Name] = true
		}
		if _, err := guard.ParseRole(u.Role); err != nil { // the guard's roles, the only list
			l.errAt(uat("role"), "%s: role %q is not one of %s", who, u.Role, orList(roleNames()))
		}
		if len(u.Keys) == 0 && u.AuthorizedKeys == "" {
			l.errAt(uat("name"), "%s: needs keys or authorized_keys", who)
		}
		for k, key := range u.Keys {
			if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(key)); err != nil {
				l.errAt(uat("keys"), "%s: keys[%d] is not an SSH public key (want a line such as \"ssh-ed25519 AAAA… name\")", who, k)
			}
		}
		if u.AuthorizedKeys != "" {
			u.AuthorizedKeys = l.filePath(u.AuthorizedKeys)
		}
	}
}

// roleNames are the guard's roles as the config writes them.
func roleNames() []string {
	out := make([]string, len(guard.Roles))
	for i, r := range guard.Roles {
		out[i] = string(r)
	}
	return out
}

// filePath expands ~ and makes a relative path relative to the config
// file's directory, so a config means the same from any working directory.
func (l *loader) filePath(p string) string {
	p = expandHome(p, l.env.home)
	if !filepath.IsAbs(p) && l.cfg.Path != "" {
		p = filepath.Join(filepath.Dir(l.cfg.Path), p)
	}
	return p
}
