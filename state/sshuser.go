package state

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// SSHUserFile is the name, in the server's state directory, of the state
// file of one `roster serve` user: the [[ssh.users]] name the server
// authenticated from the key, never the name typed in ssh user@host.
//
// The name is made safe for a file name without ever giving two users the
// same file: lower-case letters, digits, '-' and '_' are kept, every other
// byte (capitals too, so that "Ann" and "ann" stay apart on a file system
// that ignores case) becomes %XX. A name whose encoding is longer than
// sshNameMax keeps its first part and adds '~' and a hash of the whole name
// ('~' never appears otherwise).
func SSHUserFile(user string) string {
	return "console-ssh-" + fileSafe(user) + ".json"
}

// sshNameMax keeps the file name, with ".lock" or a temporary suffix, well
// under the usual 255-byte limit.
const sshNameMax = 96

func fileSafe(name string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	out := b.String()
	if out == "" {
		return "%" // an empty name (the config refuses it) still has a file of its own
	}
	if len(out) <= sshNameMax {
		return out
	}
	cut := sshNameMax - 17
	for cut > 0 && (out[cut-1] == '%' || (cut > 1 && out[cut-2] == '%')) {
		cut-- // never split an escape
	}
	sum := sha256.Sum256([]byte(name))
	return out[:cut] + "~" + hex.EncodeToString(sum[:8])
}
