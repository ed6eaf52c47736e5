package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
)

// maxSecretFile caps what a file: secret may hold: a token is small, and a
// reference to /dev/zero or a log file must not hang or flood Roster.
const maxSecretFile = 64 << 10

// secretValues are the resolved values of the secrets an entry sets.
func (p Provider) secretValues() []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(p.Keys.m)) {
		if v := p.Keys.m[name]; v.secret && v.value != "" {
			out = append(out, v.value)
		}
	}
	return out
}

// resolveSecrets fills in the value of every secret key of the kind the
// provider sets. Errors name the provider, the key and the reference
// (env:NAME or file:PATH), never the value; a literal secret in a file others
// can read earns a warning.
func (l *loader) resolveSecrets(p *Provider, kind Kind) {
	for _, key := range kind.Keys {
		ref := p.written(key.Name)
		if key.Type != KeySecret || ref == "" {
			continue
		}
		s := Secret{Ref: ref}
		l.resolveSecret([]string{"providers", p.Name, key.Name}, fmt.Sprintf("provider %q: %s", p.Name, key.Name), &s)
		p.Keys.set(key.Name, ref, s.Value, true)
	}
}

// resolveSecret fills s.Value from its reference; what names the key in
// messages (provider "x": api_key, or audit dsn).
func (l *loader) resolveSecret(path []string, what string, s *Secret) {
	switch {
	case strings.HasPrefix(s.Ref, "env:"):
		name := strings.TrimPrefix(s.Ref, "env:")
		v, ok := l.env.lookupEnv(name)
		switch {
		case name == "":
			l.errAt(path, "%s: env: needs a variable name (env:NAME)", what)
		case !ok:
			l.errAt(path, "%s: environment variable %s is not set", what, name)
		case strings.TrimSpace(v) == "":
			l.errAt(path, "%s: environment variable %s is empty", what, name)
		default:
			s.Value = strings.TrimSpace(v)
		}
	case strings.HasPrefix(s.Ref, "file:"):
		file := l.filePath(strings.TrimPrefix(s.Ref, "file:"))
		v, mode, err := readSecretFile(file)
		if err != nil {
			l.errAt(path, "%s: %v", what, err)
			return
		}
		s.Value = v
		if mode&0o077 != 0 {
			l.warnAt(path, "%s: secret file %s is readable by others (mode %04o); chmod 600 it", what, file, mode)
		}
	default:
		s.Value = s.Ref
		if l.env.fileMode&0o044 != 0 {
			l.warnAt(path, "%s is a literal secret in a file others can read (mode %04o); use env:NAME or file:PATH, or chmod 600 the config", what, l.env.fileMode)
		}
	}
}

// readSecretFile reads a regular file of at most maxSecretFile bytes and
// returns its content trimmed of surrounding whitespace.
func readSecretFile(path string) (string, os.FileMode, error) {
	// Stat before opening: opening a FIFO would block.
	fi, err := os.Stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is in our message already
		}
		return "", 0, fmt.Errorf("secret file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return "", 0, fmt.Errorf("secret file %s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("secret file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return "", 0, fmt.Errorf("secret file: %w", err)
	}
	if len(b) > maxSecretFile {
		return "", 0, fmt.Errorf("secret file %s is larger than %d KiB", path, maxSecretFile>>10)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", 0, errors.New("secret file " + path + " is empty")
	}
	return v, fi.Mode().Perm(), nil
}
