package main

import (
	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm/sandbox"
)

// The demo's wiring lives here, in the command layer, so the config
// package does not depend on the sandbox.

// demoConfig is the configuration the demo uses (and `roster sandbox`
// prints): one provider of every kind, all pointing at a sandbox at
// sandboxURL.
func demoConfig(sandboxURL string) *config.Config {
	c := &config.Config{PageSize: config.DefaultPageSize, Providers: map[string]config.Provider{}}
	for _, p := range []config.Provider{
		demoApideck(sandboxURL),
		demoZoho(sandboxURL),
		demoTruto(sandboxURL),
		demoLaurel(sandboxURL),
	} {
		c.Providers[p.Name] = p
		c.Order = append(c.Order, p.Name)
	}
	c.DefaultProvider = c.Order[0]
	return c
}

// demoApideck is the demo entry for Apideck against the sandbox.
func demoApideck(sandboxURL string) config.Provider {
	return config.Provider{
		Name:       "sales",
		Kind:       "apideck",
		BaseURL:    sandboxURL,
		APIKey:     config.Secret{Ref: sandbox.ApideckAPIKey, Value: sandbox.ApideckAPIKey},
		AppID:      sandbox.ApideckAppID,
		ConsumerID: sandbox.ApideckConsumerID,
		ServiceID:  "salesforce",
	}
}

// demoZoho is the demo entry for Zoho against the sandbox, which serves both
// the accounts server (token refresh) and the API.
func demoZoho(sandboxURL string) config.Provider {
	return config.Provider{
		Name:         "zoho-demo",
		Kind:         "zoho",
		DataCenter:   "us",
		BaseURL:      sandboxURL,
		AccountsURL:  sandboxURL,
		ClientID:     sandbox.ZohoClientID,
		ClientSecret: config.Secret{Ref: sandbox.ZohoClientSecret, Value: sandbox.ZohoClientSecret},
		RefreshToken: config.Secret{Ref: sandbox.ZohoRefreshToken, Value: sandbox.ZohoRefreshToken},
		UserType:     "AllUsers",
	}
}

// demoTruto is the demo entry for Truto: the sandbox's Salesforce account,
// whose required first name, last name and email show the field rules.
func demoTruto(sandboxURL string) config.Provider {
	return config.Provider{
		Name:                "truto-demo",
		Kind:                "truto",
		BaseURL:             sandboxURL,
		Token:               config.Secret{Ref: sandbox.TrutoToken, Value: sandbox.TrutoToken},
		IntegratedAccountID: sandbox.TrutoAccountSalesforce,
		Integration:         sandbox.TrutoIntegration(sandbox.TrutoAccountSalesforce),
	}
}

// demoLaurel is the demo entry for Laurel: the sandbox's client and customer,
// with both the API and the token endpoint at the sandbox.
func demoLaurel(sandboxURL string) config.Provider {
	return config.Provider{
		Name:         "laurel-demo",
		Kind:         "laurel",
		BaseURL:      sandboxURL,
		TokenURL:     sandboxURL + "/api/v1/oauth/token",
		ClientID:     sandbox.LaurelClientID,
		ClientSecret: config.Secret{Ref: sandbox.LaurelClientSecret, Value: sandbox.LaurelClientSecret},
		CustomerID:   sandbox.LaurelCustomerID,
	}
}
