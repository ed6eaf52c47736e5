package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// DefaultPath is where Roster looks for its config without --config:
// $XDG_CONFIG_HOME/roster/config.toml, else ~/.config/roster/config.toml.
func DefaultPath() string {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "roster", "config.toml")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".config", "roster", "config.toml")
	}
	return filepath.Join(home, ".config", "roster", "config.toml")
}

// Load reads, validates and resolves the config file at path. Errors name the
// file, line and column of the offending key; several problems are joined.
// Secret values never appear in an error.
func Load(path string) (*Config, error) {
	return LoadContext(context.Background(), path)
}

// LoadContext is Load that stops when ctx ends (ctrl+c, SIGTERM): a config
// of thousands of providers need not be waited for.
func LoadContext(ctx context.Context, path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	env := osEnv()
	if fi, err := os.Stat(path); err == nil {
		env.fileMode = fi.Mode().Perm()
	}
	env.ctx = ctx
	return parse(path, data, env)
}

// Error is one problem in a config file. Line and Col are 1-based; 0 when the
// problem has no place in the file (a missing table, say).
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// environment is what loading needs from the process, so tests and the
// fuzzer can load without touching the real environment.
type environment struct {
	lookupEnv func(string) (string, bool)
	home      string // for ~ in paths; "" when unknown
	stateDir  string // $XDG_STATE_HOME or ~/.local/state
	// fileMode is the config file's permission bits (0 when unknown), for
	// the warning about literal secrets others can read.
	fileMode os.FileMode
	ctx      context.Context // nil means never cancelled
	// kinds is the registry to check providers against; nil means the
	// kinds Roster ships (tests add one of their own).
	kinds []Kind
}

func osEnv() environment {
	home, _ := os.UserHomeDir()
	state := os.Getenv("XDG_STATE_HOME")
	if state == "" && home != "" {
		state = filepath.Join(home, ".local", "state")
	}
	return environment{lookupEnv: os.LookupEnv, home: home, stateDir: state}
}

// parse is Load without the file system read of the config itself.
func parse(path string, data []byte, env environment) (*Config, error) {
	idx, err := indexKeys(data)
	if err != nil {
		return nil, decodeError(path, err, nil)
	}
	cfg := &Config{Path: path}
	if env.stateDir != "" {
		cfg.StateDir = filepath.Join(env.stateDir, "roster")
	}
	doc := document{Config: cfg}
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, decodeError(path, err, idx)
	}
	cfg.Order = idx.providerOrder()
	cfg.Providers = make(map[string]Provider, len(doc.Providers))
	for name := range doc.Providers {
		cfg.Providers[name] = Provider{Name: name} // validateProvider reads its keys
	}
	kinds := env.kinds
	if kinds == nil {
		kinds = registry
	}
	l := &loader{cfg: cfg, idx: idx, env: env, kinds: kinds, tables: doc.Providers}
	l.validate()
	if env.ctx != nil && env.ctx.Err() != nil {
		return nil, fmt.Errorf("config: loading %s: %w", path, env.ctx.Err())
	}
	if len(l.errs) > 0 {
		// Report in file order, as a reader fixes them.
		slices.SortStableFunc(l.errs, func(a, b error) int {
			ea, eb := a.(*Error), b.(*Error)
			if ea.Line != eb.Line {
				return ea.Line - eb.Line
			}
			return ea.Col - eb.Col
		})
		return nil, errors.Join(l.errs...)
	}
	return cfg, nil
}

// document is the file as the decoder reads it: the Config's own keys, and
// each provider table as its raw keys, which validateProvider reads through
// the kind registry (the kind, not a struct, says which keys a table takes
// and what they hold).
type document struct {
	*Config
	Providers map[string]map[string]any `toml:"providers"`
}

// decodeError turns go-toml's errors into positioned config errors.
func decodeError(path string, err error, idx *keyIndex) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		errs := make([]error, 0, len(strict.Errors))
		for i := range strict.Errors {
			e := &strict.Errors[i]
			line, col := e.Position()
			key := idx.keyAt(position{line, col}, e.Key())
			errs = append(errs, &Error{File: path, Line: line, Col: col,
				Msg: fmt.Sprintf("unknown key %s", quoteKey(key))})
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		msg := plainTypeError(strings.TrimPrefix(de.Error(), "toml: "))
		if k := de.Key(); len(k) > 0 {
			if len(k) == 1 && k[0] == "theme" {
				// theme names a theme; its colours have their own table,
				// since TOML cannot hold both under one key.
				msg = "want a theme name (theme = \"light\"); colours go in [theme_colors]"
			}
			msg = fmt.Sprintf("%s: %s", quoteKey(k), msg)
		}
		return &Error{File: path, Line: line, Col: col, Msg: msg}
	}
	return &Error{File: path, Msg: err.Error()}
}

// typeError is go-toml's wording for a value of the wrong type, which names
// Go types ("cannot decode TOML string into struct field config.Config.PageSize
// of type int").
var typeError = regexp.MustCompile(`^cannot decode TOML (\w+) into (?:struct field \S+ of type |a Go value of type )?(\S+|map\[string\]interface \{\})$`)

// plainTypeError says a type mismatch in the config's own words ("want a
// whole number, not a string"); other messages pass through.
func plainTypeError(msg string) string {
	m := typeError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want := map[string]string{
		"int": "a whole number", "int64": "a whole number", "bool": "true or false",
		"string": "a quoted string", "config.Secret": "a quoted string",
		"[]string": "a list of quoted strings",
		// a provider, whose keys the kind registry reads (document)
		"map[string]interface {}": "a table",
	}[m[2]]
	if want == "" {
		return msg
	}
	got := "a " + m[1]
	if strings.ContainsRune("aeiou", rune(m[1][0])) {
		got = "an " + m[1]
	}
	return fmt.Sprintf("want %s, not %s", want, got)
}

// quoteKey prints a key path the way it would be written in the file.
func quoteKey(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if p == "" || strings.IndexFunc(p, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		}) >= 0 {
			out[i] = fmt.Sprintf("%q", p)
		} else {
			out[i] = p
		}
	}
	return strings.Join(out, ".")
}

// expandHome replaces a leading ~/ with the home directory.
func expandHome(path, home string) string {
	if home == "" {
		return path
	}
	if path == "~" {
		return home
	}
	if strings.HasPrefix(path, "~/") {
		return filepath.Join(home, path[2:])
	}
	return path
}
