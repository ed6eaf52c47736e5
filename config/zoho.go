package config

import (
	"slices"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/zoho"
)

// Zoho defaults and accepted values (PROVIDERS.md §3).
const (
	DefaultZohoDataCenter = "us"
	DefaultZohoUserType   = "AllUsers"
	DefaultZohoConcurrent = 4
	maxZohoConcurrent     = 25 // Zoho's highest edition cap
)

// ZohoDataCenters are the accepted data_center values.
var ZohoDataCenters = []string{"us", "eu", "in", "au", "jp", "cn", "ca", "sa"}

// ZohoUserTypes are Zoho's list types.
var ZohoUserTypes = []string{"AllUsers", "ActiveUsers", "DeactiveUsers", "ConfirmedUsers", "NotConfirmedUsers", "DeletedUsers", "ActiveConfirmedUsers", "AdminUsers", "ActiveConfirmedAdmins", "CurrentUser"}

// zohoKind is Zoho CRM's v2 users API.
var zohoKind = Kind{
	Name:  "zoho",
	Label: "Zoho CRM",
	Keys: []Key{
		{Name: "client_id", Type: KeyText},
		{Name: "client_secret", Type: KeySecret},
		{Name: "refresh_token", Type: KeySecret},
		{Name: "access_token", Type: KeySecret},
		{Name: "data_center", Type: KeyText},
		{Name: "accounts_url", Type: KeyURL},
		{Name: "user_type", Type: KeyText},
	},
	Credentials: [][]string{{"client_id", "client_secret", "refresh_token"}, {"access_token"}},
	// The OAuth client names the account; an access token alone does not.
	Account:        []string{"data_center", "client_id"},
	MaxConcurrency: maxZohoConcurrent,
	// Zoho caps concurrency (max_concurrency, 4 by default, below the
	// smallest edition's 5); its daily credits are not a rate.
	Limits: limit.Settings{Concurrency: DefaultZohoConcurrent},
	Open:   openZoho,
	check:  checkZoho,
}

func checkZoho(l *loader, p *Provider) {
	at := func(key string) []string { return []string{"providers", p.Name, key} }
	if dc := p.Value("data_center"); dc == "" {
		p.Keys.set("data_center", DefaultZohoDataCenter, DefaultZohoDataCenter, false)
	} else if !slices.Contains(ZohoDataCenters, dc) {
		l.errAt(at("data_center"), "provider %q: data_center %q is not one of %s", p.Name, dc, orList(ZohoDataCenters))
	}
	if ut := p.Value("user_type"); ut == "" {
		p.Keys.set("user_type", DefaultZohoUserType, DefaultZohoUserType, false)
	} else if !slices.Contains(ZohoUserTypes, ut) {
		l.errAt(at("user_type"), "provider %q: user_type %q is not one of %s", p.Name, ut, orList(ZohoUserTypes))
	}
	// validateLimits checks a max_concurrency the file sets.
	if !l.has("providers", p.Name, "max_concurrency") {
		p.MaxConcurrency = DefaultZohoConcurrent
	}
}

// openZoho builds a Zoho CRM provider from its config entry (the loader has
// checked the credentials, data_center, user_type and max_concurrency).
func openZoho(p Provider, d Deps) (crm.Provider, error) {
	return zoho.New(zoho.Options{
		Name:           p.Name,
		DataCenter:     p.Value("data_center"),
		BaseURL:        p.BaseURL,
		AccountsURL:    p.Value("accounts_url"),
		ClientID:       p.Value("client_id"),
		ClientSecret:   p.Value("client_secret"),
		RefreshToken:   p.Value("refresh_token"),
		AccessToken:    p.Value("access_token"),
		UserType:       p.Value("user_type"),
		MaxConcurrency: p.MaxConcurrency,
		HTTP:           d.HTTP,
		Tokens:         d.Tokens,
	})
}
