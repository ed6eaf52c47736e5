package server

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm/guard"
)

// Identity is the person behind a session, resolved from the key the
// session authenticated with.
type Identity struct {
	Name        string
	Role        guard.Role
	Fingerprint string // SHA256:… of the authenticating key
	NoConsole   bool   // the key's options (restrict, no-pty) forbid a pty
}

// keyring maps every listed public key to its user. It is built once at
// start and only read afterwards, so sessions share it without locking.
type keyring struct {
	byKey map[string]listedUser // key: the key's wire form
}

type listedUser struct {
	name   string
	role   guard.Role
	limits keyLimits
}

// newKeyring reads the users' keys and authorized_keys files. A key listed
// for two users is an error: the server could not tell who is signing in.
func newKeyring(users []config.SSHUser) (*keyring, error) {
	kr := &keyring{byKey: map[string]listedUser{}}
	for _, u := range users {
		role, err := guard.ParseRole(u.Role)
		if err != nil {
			return nil, fmt.Errorf("ssh user %q: %w", u.Name, err)
		}
		lines := make([][]byte, 0, len(u.Keys))
		for _, k := range u.Keys {
			lines = append(lines, []byte(k))
		}
		if u.AuthorizedKeys != "" {
			data, err := os.ReadFile(u.AuthorizedKeys)
			if err != nil {
				return nil, fmt.Errorf("ssh user %q: authorized_keys: %w", u.Name, err)
			}
			lines = append(lines, authorizedLines(data)...)
		}
		for i, line := range lines {
			if bytes.HasPrefix(line, []byte("@")) {
				marker, _, _ := bytes.Cut(line, []byte(" "))
				return nil, fmt.Errorf("ssh user %q: key #%d: %s is not supported by roster serve; list the keys themselves", u.Name, i+1, marker)
			}
			pub, _, options, _, err := gossh.ParseAuthorizedKey(line)
			if err != nil {
				return nil, fmt.Errorf("ssh user %q: key #%d: %w", u.Name, i+1, err)
			}
			limits, err := parseKeyOptions(options)
			if err != nil {
				return nil, fmt.Errorf("ssh user %q: key #%d: %w", u.Name, i+1, err)
			}
			id := string(pub.Marshal())
			if other, dup := kr.byKey[id]; dup && other.name != u.Name {
				return nil, fmt.Errorf("ssh users %q and %q share the key %s", other.name, u.Name, gossh.FingerprintSHA256(pub))
			}
			kr.byKey[id] = listedUser{name: u.Name, role: role, limits: limits}
		}
	}
	return kr, nil
}

// authorizedLines are the key lines of an authorized_keys file (blank lines
// and comments skipped).
func authorizedLines(data []byte) [][]byte {
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		out = append(out, bytes.Clone(line))
	}
	return out
}

// listed is the public-key callback: it accepts a key only when some user
// lists it. It decides nothing about identity — during authentication a
// client may offer keys it cannot sign with — so who the user is comes from
// lookup(s.PublicKey()) once the session exists.
// A key's from= and expiry-time= options are checked here too.
func (kr *keyring) listed(ctx ssh.Context, key ssh.PublicKey) bool {
	u, ok := kr.byKey[string(key.Marshal())]
	return ok && u.limits.allows(ctx.RemoteAddr(), time.Now())
}

// lookup resolves the key a session authenticated with.
func (kr *keyring) lookup(key ssh.PublicKey) (Identity, bool) {
	if key == nil {
		return Identity{}, false
	}
	u, ok := kr.byKey[string(key.Marshal())]
	if !ok {
		return Identity{}, false
	}
	return Identity{Name: u.name, Role: u.role, Fingerprint: gossh.FingerprintSHA256(key), NoConsole: u.limits.noPty}, true
}
