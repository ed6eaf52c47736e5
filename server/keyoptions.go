package server

import (
	"fmt"
	"net"
	"path"
	"strings"
	"time"
)

// keyLimits are the authorized_keys options of one key that Roster honours.
// Options that only forbid what Roster never offers (forwarding, X11, rc
// files) are accepted and change nothing; any other option makes the
// server refuse to start, since ignoring it could widen access.
type keyLimits struct {
	from    []string  // from= patterns; none: any address
	expires time.Time // expiry-time=; zero: never
	noPty   bool      // restrict or no-pty (and no later pty): no console
}

// parseKeyOptions reads the options ParseAuthorizedKey returned.
func parseKeyOptions(options []string) (keyLimits, error) {
	var l keyLimits
	for _, o := range options {
		name, value, hasValue := strings.Cut(o, "=")
		value = strings.Trim(value, `"`)
		switch strings.ToLower(name) {
		case "no-agent-forwarding", "no-port-forwarding", "no-x11-forwarding", "no-user-rc":
		case "restrict", "no-pty":
			l.noPty = true
		case "pty":
			l.noPty = false
		case "from":
			if !hasValue || value == "" {
				return l, fmt.Errorf("option from= needs a pattern list")
			}
			l.from = strings.Split(value, ",")
		case "expiry-time":
			t, err := parseExpiry(value)
			if err != nil {
				return l, fmt.Errorf("option expiry-time=%q: %w", value, err)
			}
			l.expires = t
		default:
			return l, fmt.Errorf("option %q is not supported by roster serve; remove it or the key", name)
		}
	}
	return l, nil
}

// parseExpiry reads OpenSSH's YYYYMMDD[HHMM[SS]][Z] (local time unless Z).
func parseExpiry(v string) (time.Time, error) {
	loc := time.Local
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		loc, v = time.UTC, v[:len(v)-1]
	}
	for _, layout := range []string{"20060102150405", "200601021504", "20060102"} {
		if len(v) == len(layout) {
			return time.ParseInLocation(layout, v, loc)
		}
	}
	return time.Time{}, fmt.Errorf("want YYYYMMDD[HHMM[SS]][Z]")
}

// allows says whether a key with these limits may sign in from addr at now.
func (l keyLimits) allows(addr net.Addr, now time.Time) bool {
	if !l.expires.IsZero() && !now.Before(l.expires) {
		return false
	}
	if len(l.from) == 0 {
		return true
	}
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	allowed := false
	for _, p := range l.from {
		negated := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		if matchAddress(p, host, ip) {
			if negated {
				return false
			}
			allowed = true
		}
	}
	return allowed
}

// matchAddress matches one from= pattern: a CIDR or an address with * and
// ? wildcards. Host names are never resolved, so a name pattern matches
// nothing: it narrows, never widens.
func matchAddress(pattern, host string, ip net.IP) bool {
	if strings.Contains(pattern, "/") {
		_, network, err := net.ParseCIDR(pattern)
		return err == nil && ip != nil && network.Contains(ip)
	}
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(host))
	return err == nil && ok
}
