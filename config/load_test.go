package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testEnv is a process environment that does not depend on the machine.
func testEnv(vars map[string]string) environment {
	return environment{
		lookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		home:      "/home/ana",
		stateDir:  "/home/ana/.local/state",
		fileMode:  0o600,
	}
}

const apideckOK = `
[providers.sales]
kind = "apideck"
api_key = "env:APIDECK_KEY"
app_id = "app"
consumer_id = "me"
`

func TestLoadRejectsBadConfigsWithPositionAndKey(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"unknown top-level key", "pagesize = 5\n" + apideckOK,
			`roster.toml:1:1: unknown key pagesize`},
		{"unknown provider key", apideckOK + "api_kye = \"x\"\n",
			`roster.toml:7:1: unknown key providers.sales.api_kye`},
		{"unknown key in an inline table", "[providers]\nsales = { kind = \"truto\", token = \"t\", integrated_account_id = \"i\", bogus = 1 }\n",
			`roster.toml:2:69: unknown key providers.sales.bogus`},
		{"key of another kind", apideckOK + "refresh_token = \"env:ZOHO_REFRESH\"\n",
			`roster.toml:7:1: provider "sales": key refresh_token is not used by kind apideck (it takes kind, base_url, read_only, rate_limit, max_concurrency, api_key, app_id, consumer_id, service_id)`},
		{"unknown kind", "[providers.crm]\nkind = \"salesforce\"\n",
			`roster.toml:2:1: provider "crm": unknown kind "salesforce" (want apideck, truto, zoho or laurel)`},
		{"missing kind", "[providers.crm]\nbase_url = \"http://x\"\n",
			`roster.toml:1:2: provider "crm": missing kind (want apideck, truto, zoho or laurel)`},
		{"apideck without its ids", "[providers.sales]\nkind = \"apideck\"\napi_key = \"k\"\n",
			`roster.toml:1:2: provider "sales": missing app_id, consumer_id (kind apideck needs api_key, app_id and consumer_id)`},
		{"truto without token", "[providers.t]\nkind = \"truto\"\nintegrated_account_id = \"i\"\n",
			`roster.toml:1:2: provider "t": missing token (kind truto needs token and integrated_account_id)`},
		{"missing env variable", strings.Replace(apideckOK, "APIDECK_KEY", "NOT_SET_ANYWHERE", 1),
			`roster.toml:4:1: provider "sales": api_key: environment variable NOT_SET_ANYWHERE is not set`},
		{"zoho with half an oauth client", "[providers.z]\nkind = \"zoho\"\nclient_id = \"c\"\n",
			`roster.toml:1:2: provider "z": missing client_secret, refresh_token (kind zoho needs client_id, client_secret and refresh_token, or access_token)`},
		{"zoho without credentials", "[providers.z]\nkind = \"zoho\"\n",
			`roster.toml:1:2: provider "z": missing credentials (kind zoho needs client_id, client_secret and refresh_token, or access_token)`},
		{"zoho data centre", "[providers.z]\nkind = \"zoho\"\naccess_token = \"t\"\ndata_center = \"mars\"\n",
			`roster.toml:4:1: provider "z": data_center "mars" is not one of us, eu, in, au, jp, cn, ca or sa`},
		{"zoho concurrency", "[providers.z]\nkind = \"zoho\"\naccess_token = \"t\"\nmax_concurrency = 0\n",
			`roster.toml:4:1: provider "z": max_concurrency must be between 1 and 25, not 0`},
		{"laurel object id", "[providers.l]\nkind = \"laurel\"\naccess_token = \"t\"\ncustomer_id = \"abc\"\n",
			`roster.toml:4:1: provider "l": customer_id "abc" is not a 24-character hex object id`},
		{"laurel integration", "[providers.l]\nkind = \"laurel\"\naccess_token = \"t\"\ncustomer_id = \"65a1b2c3d4e5f60718293a4b\"\nintegration = \"zoom\"\n",
			`roster.toml:5:1: provider "l": integration "zoom" is not one of cloud-assistant-cdr, cloud-assistant-google, cloud-assistant-microsoft-exchange, cloud-assistant-microsoft-teams or cloud-assistant-zoom`},
		{"base_url not a URL", apideckOK + "base_url = \"localhost:8080\"\n",
			`roster.toml:7:1: provider "sales": base_url "localhost:8080": want an http:// or https:// URL`},
		{"page size too big", "page_size = 500\n" + apideckOK,
			`roster.toml:1:1: page_size must be between 1 and 200, not 500`},
		{"page size zero", "page_size = 0\n" + apideckOK,
			`roster.toml:1:1: page_size must be between 1 and 200, not 0`},
		{"default provider not configured", "default_provider = \"crm\"\n" + apideckOK,
			`roster.toml:1:1: default_provider "crm" is not a configured provider (have sales)`},
		{"no providers", "page_size = 20\n",
			`roster.toml: no providers: add a [providers.NAME] table`},
		{"syntax error", "[providers.sales\nkind = \"apideck\"\n",
			`roster.toml:1:17: expected ']' to close table name`},
		{"wrong type", "page_size = \"fifty\"\n" + apideckOK,
			`roster.toml:1:13: page_size: want a whole number, not a string`},
		{"wrong type in a provider", strings.Replace(apideckOK, `app_id = "app"`, "app_id = 5", 1),
			`roster.toml:5:10: providers.sales.app_id: want a quoted string, not an integer`},
		{"integer secret", strings.Replace(apideckOK, `api_key = "env:APIDECK_KEY"`, "api_key = 123456789", 1),
			`roster.toml:4:11: providers.sales.api_key: want a quoted string, not an integer`},
		{"ssh idle timeout", apideckOK + "[ssh]\nidle_timeout = \"soon\"\n",
			`roster.toml:8:1: ssh idle_timeout "soon": want a positive duration such as 15m or 1h30m`},
		{"ssh listen", apideckOK + "[ssh]\nlisten = \"23234\"\n",
			`roster.toml:8:1: ssh listen "23234": want HOST:PORT`},
		{"ssh role", apideckOK + "[[ssh.users]]\nname = \"ana\"\nrole = \"root\"\nauthorized_keys = \"~/.ssh/authorized_keys\"\n",
			`roster.toml:9:1: ssh user "ana": role "root" is not one of viewer, editor or admin`},
		{"ssh user without keys", apideckOK + "[[ssh.users]]\nname = \"ana\"\nrole = \"admin\"\n",
			`roster.toml:8:1: ssh user "ana": needs keys or authorized_keys`},
		{"ssh key not a key", apideckOK + "[[ssh.users]]\nname = \"ana\"\nrole = \"admin\"\nkeys = [\"ssh-ed25519 nonsense\"]\n",
			`roster.toml:10:1: ssh user "ana": keys[0] is not an SSH public key (want a line such as "ssh-ed25519 AAAA… name")`},
		{"ssh unknown user key", apideckOK + "[[ssh.users]]\nname = \"ana\"\npassword = \"x\"\n",
			`roster.toml:9:1: unknown key ssh.users.password`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse("roster.toml", []byte(tt.doc), testEnv(map[string]string{"APIDECK_KEY": "k"}))
			if err == nil {
				t.Fatalf("loaded; want error %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblemInFileOrder(t *testing.T) {
	doc := "page_size = 0\n[providers.a]\nkind = \"nope\"\n[providers.b]\nkind = \"truto\"\n"
	_, err := parse("roster.toml", []byte(doc), testEnv(nil))
	want := `roster.toml:1:1: page_size must be between 1 and 200, not 0
roster.toml:3:1: provider "a": unknown kind "nope" (want apideck, truto, zoho or laurel)
roster.toml:4:2: provider "b": missing token, integrated_account_id (kind truto needs token and integrated_account_id)`
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n%v\nwant:\n%s", err, want)
	}
}

func TestLoadNeverPrintsSecretValues(t *testing.T) {
	doc := `
[providers.sales]
kind = "apideck"
api_key = "literal-SECRET-123"
app_id = "a"
consumer_id = "c"
bogus = 1
[providers.z]
kind = "zoho"
access_token = "env:ZOHO_TOKEN"
refresh_token = "another-SECRET-456"
data_center = "xx"
`
	env := testEnv(map[string]string{"ZOHO_TOKEN": "env-SECRET-789"})
	_, err := parse("roster.toml", []byte(doc), env)
	if err == nil {
		t.Fatal("loaded a config with an unknown key")
	}
	doc = strings.Replace(doc, "bogus = 1\n", "", 1)
	_, err2 := parse("roster.toml", []byte(doc), env)
	if err2 == nil {
		t.Fatal("loaded a config with a bad data_center")
	}
	for _, e := range []error{err, err2} {
		if strings.Contains(e.Error(), "SECRET") {
			t.Errorf("error shows a secret: %v", e)
		}
	}
}

func TestLoadAppliesDefaultsAndKeepsFileOrder(t *testing.T) {
	doc := `
[providers.zeta]
kind = "zoho"
access_token = "t"

[providers]
alpha = { kind = "truto", token = "t", integrated_account_id = "i" }

[providers.mid]
kind = "laurel"
client_id = "id"
client_secret = "s"
customer_id = "65a1b2c3d4e5f60718293a4b"
`
	c, err := parse("/etc/roster/roster.toml", []byte(doc), testEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Order, ","); got != "zeta,alpha,mid" {
		t.Errorf("order = %s, want zeta,alpha,mid", got)
	}
	if c.DefaultProvider != "zeta" || c.PageSize != 50 {
		t.Errorf("default provider %q, page size %d; want zeta, 50", c.DefaultProvider, c.PageSize)
	}
	z := c.Providers["zeta"]
	if z.Name != "zeta" || z.Value("data_center") != "us" || z.Value("user_type") != "AllUsers" || z.MaxConcurrency != 4 {
		t.Errorf("zoho defaults: %+v", z)
	}
	if z.Value("access_token") != "t" {
		t.Error("literal access_token not resolved")
	}
	s := c.SSH
	if s.Listen != "127.0.0.1:23234" || s.Idle != 15*time.Minute || s.MaxSessions != 50 ||
		s.HostKey != "/home/ana/.local/state/roster/ssh_host_ed25519" || s.AuditLog != "/home/ana/.local/state/roster/audit.jsonl" {
		t.Errorf("ssh defaults: %+v", s)
	}
}

func TestLoadParsesSSHUsers(t *testing.T) {
	doc := apideckOK + `
[ssh]
listen = "0.0.0.0:2222"
idle_timeout = "1h30m"
audit_log = "audit.jsonl"

[[ssh.users]]
name = "ana"
role = "admin"
keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmjf9ZKFF3sfCZ9jbhYYbKvXuoBcKhnfAoYVeR5xCYv ana@laptop"]

[[ssh.users]]
name = "bo"
role = "viewer"
authorized_keys = "~/.ssh/bo.pub"
`
	c, err := parse("/etc/roster/roster.toml", []byte(doc), testEnv(map[string]string{"APIDECK_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.SSH
	if s.Listen != "0.0.0.0:2222" || s.Idle != 90*time.Minute || s.AuditLog != "/etc/roster/audit.jsonl" {
		t.Errorf("ssh: %+v", s)
	}
	if len(s.Users) != 2 || s.Users[0].Role != "admin" || s.Users[1].AuthorizedKeys != "/home/ana/.ssh/bo.pub" {
		t.Errorf("users: %+v", s.Users)
	}
	_, err = parse("roster.toml", []byte(doc+"[[ssh.users]]\nname = \"ana\"\nrole = \"editor\"\nkeys = []\nauthorized_keys = \"k\"\n"), testEnv(map[string]string{"APIDECK_KEY": "k"}))
	if want := `roster.toml:23:1: ssh user "ana" is listed twice`; err == nil || err.Error() != want {
		t.Errorf("duplicate user: %v, want %s", err, want)
	}
}

func TestLoadResolvesSecretsFromEnvAndFiles(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "zoho.secret")
	if err := os.WriteFile(secret, []byte("  from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.toml")
	doc := `
[providers.z]
kind = "zoho"
client_id = "id"
client_secret = "file:zoho.secret"
refresh_token = "env:ZOHO_REFRESH"
`
	if err := os.WriteFile(cfgPath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ZOHO_REFRESH", "from-env")
	c, err := Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	z := c.Providers["z"]
	if z.Value("client_secret") != "from-a-file" || z.Value("refresh_token") != "from-env" {
		t.Errorf("secrets not resolved (file %q, env %q)", z.Value("client_secret"), z.Value("refresh_token"))
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings for a private config: %v", c.Warnings)
	}

	if err := os.Remove(secret); err != nil {
		t.Fatal(err)
	}
	_, err = Load(cfgPath)
	if err == nil || !strings.Contains(err.Error(), `config.toml:5:1: provider "z": client_secret: secret file `+secret+`: no such file or directory`) {
		t.Errorf("missing secret file: %v", err)
	}
}

func TestLoadWarnsAboutLiteralSecretsOthersCanRead(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	doc := "[providers.t]\nkind = \"truto\"\ntoken = \"literal\"\nintegrated_account_id = \"i\"\n"
	if err := os.WriteFile(cfgPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	want := cfgPath + `:3:1: provider "t": token is a literal secret in a file others can read (mode 0644); use env:NAME or file:PATH, or chmod 600 the config`
	if len(c.Warnings) != 1 || c.Warnings[0] != want {
		t.Errorf("warnings %q, want [%q]", c.Warnings, want)
	}
	if err := os.Chmod(cfgPath, 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err = Load(cfgPath); err != nil || len(c.Warnings) != 0 {
		t.Errorf("private config: warnings %q, err %v", c.Warnings, err)
	}
}

func TestLoadWarnsAboutTrutoIntegrationsWithoutFieldRules(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	doc := "[providers.crm]\nkind = \"truto\"\ntoken = \"env:TRUTO_TOKEN\"\nintegrated_account_id = \"i\"\nintegration = \"hubspot\"\n" +
		"\n[providers.sf]\nkind = \"truto\"\ntoken = \"env:TRUTO_TOKEN\"\nintegrated_account_id = \"j\"\nintegration = \" Salesforce \"\n"
	if err := os.WriteFile(cfgPath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TRUTO_TOKEN", "tok")
	c, err := Load(cfgPath)
	if err != nil {
		t.Fatalf("an unknown integration must still load: %v", err)
	}
	want := cfgPath + `:5:1: provider "crm": integration "hubspot" is not one whose field rules Roster knows ` +
		`(salesforce, pipedrive, outreach, onepagecrm, planhat, wix); every field will be offered and the CRM decides what it accepts`
	if len(c.Warnings) != 1 || c.Warnings[0] != want {
		t.Errorf("warnings %q, want just [%q] (Salesforce in any case is known)", c.Warnings, want)
	}
	if got := c.Providers["crm"].Value("integration"); got != "hubspot" {
		t.Errorf("integration = %q, want it kept for the adapter", got)
	}
}

func TestDefaultPathFollowsXDG(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	if got := DefaultPath(); got != "/xdg/roster/config.toml" {
		t.Errorf("DefaultPath = %s", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/bo")
	if got := DefaultPath(); got != "/home/bo/.config/roster/config.toml" {
		t.Errorf("DefaultPath = %s", got)
	}
}
