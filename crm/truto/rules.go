package truto

import (
	"strings"

	"github.com/roster-tui/roster/crm"
)

// rules say which writable fields the CRM behind an integrated account
// supports and requires on update, from the seed page's request table.
type rules struct {
	integration string // lower case, as configured
	label       string // as the docs spell it
	known       bool   // false: no integration or one the table lacks → all offered
	supported   map[string]bool
	required    map[string]bool
}

func fieldSet(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// rulesFor returns the field rules of an integration. The table is the
// seed's "Request Body" section of PATCH /unified/crm/users/{id}:
//
//	custom_fields  Planhat
//	email          Salesforce (required), OnePageCRM, Outreach, Pipedrive, Planhat, Wix
//	first_name     Salesforce (required), Outreach
//	is_active      Pipedrive, Planhat, Wix
//	last_name      Salesforce (required), Outreach
//	name           OnePageCRM, Outreach, Pipedrive, Planhat, Wix
func rulesFor(integration string) rules {
	integration = strings.ToLower(strings.TrimSpace(integration))
	r := rules{integration: integration, label: integration, known: true, required: fieldSet()}
	switch integration {
	case "salesforce":
		r.label = "Salesforce"
		r.supported = fieldSet("email", "first_name", "last_name")
		r.required = fieldSet("email", "first_name", "last_name")
	case "onepagecrm":
		r.label, r.supported = "OnePageCRM", fieldSet("email", "name")
	case "outreach":
		r.label, r.supported = "Outreach", fieldSet("email", "first_name", "last_name", "name")
	case "pipedrive":
		r.label, r.supported = "Pipedrive", fieldSet("email", "is_active", "name")
	case "planhat":
		r.label, r.supported = "Planhat", fieldSet("custom_fields", "email", "is_active", "name")
	case "wix":
		r.label, r.supported = "Wix", fieldSet("email", "is_active", "name")
	default:
		// Unknown CRM: every documented field is offered; the CRM has the last word.
		r.known = false
		// remote_data is writable too but goes to the CRM untransformed: never edited here.
		r.supported = fieldSet("name", "first_name", "last_name", "email", "is_active", "custom_fields")
	}
	return r
}

// supports reports whether the CRM takes a writable field.
func (r rules) supports(key string) bool { return r.supported[key] }

// editable reports whether Roster offers a field in the edit form.
// custom_fields is an object; Roster's forms and --set do not edit objects,
// so it is shown (read-only) where supported but never edited here.
func (r rules) editable(key string) bool { return key != "custom_fields" && r.supported[key] }

// schema builds the field list for this CRM. Fields the CRM neither answers
// nor accepts are left out, so the detail view has no always-empty rows.
func (r rules) schema() crm.Schema {
	by := ""
	if r.known {
		by = " by " + r.label
	}
	f := func(key, label string, t crm.FieldType, common string) crm.Field {
		fl := crm.Field{Key: key, Label: label, Type: t, Common: common, Editable: r.editable(key), Required: r.required[key]}
		if fl.Required {
			fl.Hint = "required on every save" + by
		}
		// Creating takes what updating takes, with the same required
		// fields (the seed's table; Truto's create maps the same way).
		switch {
		case fl.Editable && fl.Required:
			fl.Create = crm.CreateRequired
		case fl.Editable:
			fl.Create = crm.CreateOptional
		}
		return fl
	}
	var fields []crm.Field
	fields = append(fields, crm.Field{Key: "id", Label: "ID", Type: crm.TypeText, Common: "id"})
	fields = append(fields, f("name", "Name", crm.TypeText, "name"))
	if r.supports("first_name") {
		fields = append(fields, f("first_name", "First name", crm.TypeText, "first_name"))
	}
	if r.supports("last_name") {
		fields = append(fields, f("last_name", "Last name", crm.TypeText, "last_name"))
	}
	fields = append(fields, f("email", "Email", crm.TypeEmail, "email"))
	if !r.known || r.supports("is_active") {
		fields = append(fields, f("is_active", "Active", crm.TypeBool, "active"))
	}
	// The seed's response table: OnePageCRM answers no dates, and only
	// OnePageCRM and Pipedrive answer urls.
	if r.integration != "onepagecrm" {
		fields = append(fields,
			crm.Field{Key: "created_at", Label: "Created", Type: crm.TypeTime, Common: "created_at"},
			crm.Field{Key: "updated_at", Label: "Updated", Type: crm.TypeTime, Common: "updated_at"})
	}
	if !r.known || r.integration == "onepagecrm" || r.integration == "pipedrive" {
		fields = append(fields, crm.Field{Key: "urls", Label: "URLs", Type: crm.TypeObject})
	}
	if r.supports("custom_fields") {
		fields = append(fields, crm.Field{Key: "custom_fields", Label: "Custom fields", Type: crm.TypeObject,
			Hint: "edit custom fields in the CRM itself"})
	}
	fields = append(fields, crm.Field{Key: "remote_data", Label: "Remote data", Type: crm.TypeObject,
		Hint: "the CRM's own record, as Truto fetched it"})
	return crm.Schema{Fields: fields, Deactivate: r.deactivate()}
}

// salesforceDeactivate deactivates a Salesforce user: Salesforce does not
// take the unified is_active, but Truto passes remote_data to the CRM
// untransformed (the seed page), and a Salesforce User's own field is
// IsActive.
var salesforceDeactivate = crm.Changes{remoteDataKey: map[string]any{"IsActive": false}}

// remoteDataKey is the PATCH body's pass-through object.
const remoteDataKey = "remote_data"

// deactivate is what deactivating a user means for this CRM: is_active
// false where it takes is_active (and for an unknown CRM, which is offered
// every field), Salesforce's own IsActive through remote_data, and nothing
// for the CRMs that take neither (OnePageCRM, Outreach).
func (r rules) deactivate() crm.Changes {
	switch {
	case r.integration == "salesforce":
		return salesforceDeactivate
	case r.supports("is_active"):
		return crm.Changes{"is_active": false}
	}
	return nil
}
