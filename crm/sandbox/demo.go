package sandbox

// DemoEntry is one provider of the demo: its config name, its kind and the
// keys of its [providers.NAME] table (as a config file would write them),
// pointing at a sandbox. The sandbox declares them because it holds the
// credentials they carry; the command layer turns them into config entries
// (config.NewProvider), so the config package never imports the sandbox.
type DemoEntry struct {
	Name string
	Kind string
	Keys map[string]string
}

// DemoEntries are the demo's providers, one of every kind, against the
// sandbox at url (the demo and `roster sandbox`'s printed config).
func DemoEntries(url string) []DemoEntry {
	return []DemoEntry{
		{Name: "sales", Kind: "apideck", Keys: map[string]string{
			"base_url": url, "api_key": ApideckAPIKey, "app_id": ApideckAppID,
			"consumer_id": ApideckConsumerID, "service_id": "salesforce"}},
		// The sandbox serves both Zoho's accounts server and its API.
		{Name: "zoho-demo", Kind: "zoho", Keys: map[string]string{
			"base_url": url, "accounts_url": url, "data_center": "us", "client_id": ZohoClientID,
			"client_secret": ZohoClientSecret, "refresh_token": ZohoRefreshToken, "user_type": "AllUsers"}},
		// Salesforce's required first name, last name and email show the
		// field rules.
		{Name: "truto-demo", Kind: "truto", Keys: map[string]string{
			"base_url": url, "token": TrutoToken, "integrated_account_id": TrutoAccountSalesforce,
			"integration": TrutoIntegration(TrutoAccountSalesforce)}},
		{Name: "laurel-demo", Kind: "laurel", Keys: map[string]string{
			"base_url": url, "token_url": url + "/api/v1/oauth/token", "client_id": LaurelClientID,
			"client_secret": LaurelClientSecret, "customer_id": LaurelCustomerID}},
	}
}
