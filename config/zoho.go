package config

import (
	"slices"

	"github.com/roster-tui/roster/crm"
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
	Open:        openZoho,
	check:       checkZoho,
}

func checkZoho(l *loader, p *Provider) {
	at := func(key string) []string { return []string{"providers", p.Name, key} }
	if p.DataCenter == "" {
		p.DataCenter = DefaultZohoDataCenter
	} else if !slices.Contains(ZohoDataCenters, p.DataCenter) {
		l.errAt(at("data_center"), "provider %q: data_center %q is not one of %s", p.Name, p.DataCenter, orList(ZohoDataCenters))
	}
	if p.UserType == "" {
		p.UserType = DefaultZohoUserType
	} else if !slices.Contains(ZohoUserTypes, p.UserType) {
		l.errAt(at("user_type"), "provider %q: user_type %q is not one of %s", p.Name, p.UserType, orList(ZohoUserTypes))
	}
	if !l.has("providers", p.Name, "max_concurrency") {
		p.MaxConcurrency = DefaultZohoConcurrent
	} else if p.MaxConcurrency < 1 || p.MaxConcurrency > maxZohoConcurrent {
		l.errAt(at("max_concurrency"), "provider %q: max_concurrency must be between 1 and %d, not %d", p.Name, maxZohoConcurrent, p.MaxConcurrency)
	}
}

// openZoho builds a Zoho CRM provider from its config entry (the loader has
// checked the credentials, data_center, user_type and max_concurrency).
func openZoho(p Provider, d Deps) (crm.Provider, error) {
	return zoho.New(zoho.Options{
		Name:           p.Name,
		DataCenter:     p.DataCenter,
		BaseURL:        p.BaseURL,
		AccountsURL:    p.AccountsURL,
		ClientID:       p.ClientID,
		ClientSecret:   p.ClientSecret.Value,
		RefreshToken:   p.RefreshToken.Value,
		AccessToken:    p.AccessToken.Value,
		UserType:       p.UserType,
		MaxConcurrency: p.MaxConcurrency,
		HTTP:           d.HTTP,
		Tokens:         d.Tokens,
	})
}
