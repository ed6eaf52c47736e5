package config

import (
	"regexp"
	"slices"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/limit"
)

// LaurelIntegrations are the documented values of Laurel's integration filter.
var LaurelIntegrations = []string{"cloud-assistant-cdr", "cloud-assistant-google", "cloud-assistant-microsoft-exchange", "cloud-assistant-microsoft-teams", "cloud-assistant-zoom"}

var objectIDRE = regexp.MustCompile(`^[0-9a-fA-F]{24}$`)

// laurelKind is Laurel's identity service, one customer.
var laurelKind = Kind{
	Name:  "laurel",
	Label: "Laurel",
	Keys: []Key{
		{Name: "client_id", Type: KeyText},
		{Name: "client_secret", Type: KeySecret},
		{Name: "access_token", Type: KeySecret},
		{Name: "customer_id", Type: KeyText, Required: true},
		{Name: "integration", Type: KeyText},
		{Name: "token_url", Type: KeyURL},
	},
	Credentials: [][]string{{"client_id", "client_secret"}, {"access_token"}},
	Account:     []string{"customer_id"},
	// Laurel publishes no limits: a conservative default.
	Limits: limit.Settings{Requests: 100, Per: 10 * time.Second, Concurrency: 4},
	Open:   openLaurel,
	check:  checkLaurel,
}

func checkLaurel(l *loader, p *Provider) {
	at := func(key string) []string { return []string{"providers", p.Name, key} }
	if id := p.Value("customer_id"); id != "" && !objectIDRE.MatchString(id) {
		l.errAt(at("customer_id"), "provider %q: customer_id %q is not a 24-character hex object id", p.Name, id)
	}
	if v := p.Value("integration"); v != "" && !slices.Contains(LaurelIntegrations, v) {
		l.errAt(at("integration"), "provider %q: integration %q is not one of %s", p.Name, v, orList(LaurelIntegrations))
	}
}

// openLaurel builds a Laurel provider from its config entry. laurel.New
// checks customer_id, integration and the credentials once more, so an entry
// built in code (not loaded) cannot slip past.
func openLaurel(p Provider, d Deps) (crm.Provider, error) {
	return laurel.New(laurel.Options{
		Name:         p.Name,
		BaseURL:      p.BaseURL,
		TokenURL:     p.Value("token_url"),
		ClientID:     p.Value("client_id"),
		ClientSecret: p.Value("client_secret"),
		AccessToken:  p.Value("access_token"),
		CustomerID:   p.Value("customer_id"),
		Integration:  p.Value("integration"),
		HTTP:         d.HTTP,
		Tokens:       d.Tokens,
	})
}
