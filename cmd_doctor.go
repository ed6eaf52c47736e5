package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// check is one line of `roster doctor`: what was checked, whether it
// passed, and how to fix it when not.
type check struct {
	Provider string `json:"provider,omitempty"` // "" for config-wide and [ssh] checks
	Name     string `json:"check"`
	OK       bool   `json:"ok"`
	Detail   string `json:"detail,omitempty"`
	Fix      string `json:"fix,omitempty"`
}

// doctorTimeout bounds each network step, so a silent host cannot hang it.
const doctorTimeout = 5 * time.Second

// newDoctorCmd is `roster doctor`: is this config ready to use?
func newDoctorCmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the config: every provider reachable and its credentials accepted, [ssh] ready",
		Long: "Check, per provider: the config is valid, secrets resolve, the host answers (DNS, TCP, TLS),\n" +
			"the credentials are accepted (one cheap authorised request: the first user), and which capabilities it has.\n" +
			"For [ssh]: the host key's permissions and that the audit log is writable. Exits 1 when a check fails.",
		Example: "  roster doctor\n  roster --config sandbox.toml doctor --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			checks, err := runDoctor(cmd, g)
			if err != nil {
				return err
			}
			return reportDoctor(cmd.OutOrStdout(), checks, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the checks as a JSON array")
	return cmd
}

func runDoctor(cmd *cobra.Command, g *globalFlags) ([]check, error) {
	l, err := g.readConfig(cmd) // secrets resolve as part of loading
	if err != nil {
		return nil, err // exit 2, the loader's positioned messages
	}
	defer l.Close()
	checks := []check{{Name: "config", OK: true, Detail: configName(l.cfg) + ": valid, secrets resolved"}}
	ctx := cmd.Context()
	d := g.deps(cmd, l)
	for _, name := range l.cfg.Order {
		checks = append(checks, checkProvider(ctx, l.cfg.Providers[name], d)...)
	}
	if l.demo == nil && l.cfg.Path != "" {
		checks = append(checks, checkSSH(l.cfg.SSH)...)
	}
	return checks, nil
}

// checkProvider: host reachable, credentials accepted, capabilities.
func checkProvider(ctx context.Context, pc config.Provider, d config.Deps) []check {
	var out []check
	// Every URL the entry sets (base_url, and Zoho's accounts_url or
	// Laurel's token_url), as the provider-kind registry lists them; each
	// host once.
	seen := map[string]bool{}
	for _, u := range pc.URLs() {
		if h, err := url.Parse(u); err == nil {
			if seen[h.Scheme+"://"+h.Host] {
				continue
			}
			seen[h.Scheme+"://"+h.Host] = true
		}
		c := checkHost(ctx, u)
		c.Provider = pc.Name
		out = append(out, c)
		if !c.OK {
			return out // the credentials cannot be tried
		}
	}
	p, err := config.Open(pc, d)
	if err != nil {
		return append(out, check{Provider: pc.Name, Name: "open", Detail: err.Error(), Fix: "fix the provider's keys in the config"})
	}
	rctx, cancel := context.WithTimeout(ctx, 4*doctorTimeout)
	defer cancel()
	if _, err := p.List(rctx, crm.PageRequest{Limit: 1}); err != nil {
		return append(out, check{Provider: pc.Name, Name: "credentials", Detail: err.Error(), Fix: credentialFix(err)})
	}
	out = append(out, check{Provider: pc.Name, Name: "credentials", OK: true, Detail: "accepted (listed the first user)"})
	caps := p.Info().Caps
	var can []string
	for _, c := range []struct {
		ok   bool
		name string
	}{{true, "list"}, {caps.Update, "update"}, {caps.Delete, "delete"}, {caps.Create, "create"}, {caps.ServerSearch, "search"}, {len(caps.IdentityTypes) > 0, "lookup"}} {
		if c.ok {
			can = append(can, c.name)
		}
	}
	return append(out, check{Provider: pc.Name, Name: "capabilities", OK: true, Detail: strings.Join(can, ", ")})
}

// credentialFix says what to do about a failed first request.
func credentialFix(err error) string {
	switch exitCode(err) {
	case exitNotAllowed:
		return "the provider refused the credentials: check the key/token (and its env: or file: source) and the account's permissions"
	case exitUnreachable:
		return "the provider did not answer in time or is rate limiting: try again, or check base_url"
	}
	return "see the provider's message above"
}

// checkHost resolves, connects to and (for https) shakes hands with the
// host of rawURL, each step bounded.
func checkHost(ctx context.Context, rawURL string) check {
	c := check{Name: "reachable"}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		c.Detail, c.Fix = fmt.Sprintf("base_url %q is not a URL", rawURL), "set base_url to an http:// or https:// URL"
		return c
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	dctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	if _, err := net.DefaultResolver.LookupHost(dctx, host); err != nil {
		c.Detail, c.Fix = "DNS: "+err.Error(), "check the host name in base_url"
		return c
	}
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		c.Detail, c.Fix = "TCP: "+err.Error(), "is the service up, and the port in base_url right?"
		return c
	}
	defer conn.Close()
	if u.Scheme == "https" {
		tc := tls.Client(conn, &tls.Config{ServerName: host})
		if err := tc.HandshakeContext(dctx); err != nil {
			c.Detail, c.Fix = "TLS: "+err.Error(), "the host's certificate is not trusted here"
			return c
		}
	}
	c.OK, c.Detail = true, u.Scheme+"://"+net.JoinHostPort(host, port)+" answers"
	return c
}

// checkSSH: the host key is private to its owner, the audit log writable.
func checkSSH(s config.SSH) []check {
	var out []check
	key := check{Name: "ssh host key"}
	switch fi, err := os.Stat(s.HostKey); {
	case errors.Is(err, fs.ErrNotExist):
		key.OK, key.Detail = true, s.HostKey+" does not exist yet (serve creates it, mode 0600)"
	case err != nil:
		key.Detail, key.Fix = err.Error(), "make "+s.HostKey+" readable by this user"
	case fi.Mode().Perm()&0o077 != 0:
		key.Detail = fmt.Sprintf("%s is readable by others (mode %04o)", s.HostKey, fi.Mode().Perm())
		key.Fix = "chmod 600 " + s.HostKey
	default:
		key.OK, key.Detail = true, fmt.Sprintf("%s (mode %04o)", s.HostKey, fi.Mode().Perm())
	}
	out = append(out, key)
	log := check{Name: "audit log", OK: true, Detail: s.AuditLog + " is writable"}
	if err := writable(s.AuditLog); err != nil {
		log.OK, log.Detail, log.Fix = false, err.Error(), "make the audit log (or its directory) writable by this user, or set [ssh] audit_log"
	}
	return append(out, log)
}

// writable checks a file can be appended to without changing it: opened for
// append when it exists, else its directory is checked.
func writable(path string) error {
	if path == "" {
		return errors.New("no audit_log set")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		dir = filepath.Dir(dir) // roster creates missing directories
	}
	probe, err := os.CreateTemp(dir, ".roster-doctor-*")
	if err != nil {
		return fmt.Errorf("cannot create files in %s: %w", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// reportDoctor prints ✓/✗ lines (or JSON) and fails when a check failed.
func reportDoctor(w io.Writer, checks []check, asJSON bool) error {
	failed := 0
	for _, c := range checks {
		if !c.OK {
			failed++
		}
	}
	if asJSON {
		data, err := json.MarshalIndent(checks, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\n", escapeInvisible(data))
	} else {
		for _, c := range checks {
			mark, who := "✓", c.Name
			if !c.OK {
				mark = "✗"
			}
			if c.Provider != "" {
				who = c.Provider + ": " + c.Name
			}
			fmt.Fprintf(w, "%s %s: %s\n", mark, who, termtext.Clean(c.Detail))
			if c.Fix != "" {
				fmt.Fprintf(w, "    fix: %s\n", c.Fix)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("doctor: %d of %d checks failed", failed, len(checks))
	}
	return nil
}
