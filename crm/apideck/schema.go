package apideck

import "github.com/roster-tui/roster/crm"

// emailKey is the synthetic field for the primary email. Apideck keeps
// emails as a list of {email,type}; editing one address is what people mean,
// so the adapter turns a change of "email" into the full list with the
// primary entry replaced and every other entry kept.
const emailKey = "email"

// statusValues are the statuses Roster offers. The docs give no enum (their
// examples say "active"); connectors report active/inactive.
var statusValues = []string{"active", "inactive"}

// deactivate is Apideck's deactivation: the user's status set to inactive
// (the seed's user body has status; connectors report active/inactive).
var deactivate = crm.Changes{"status": "inactive"}

var schema = crm.Schema{Fields: []crm.Field{
	{Key: "id", Label: "ID", Type: crm.TypeText, Common: "id"},
	{Key: "first_name", Label: "First name", Type: crm.TypeText, Editable: true, Common: "first_name", Create: crm.CreateOptional},
	{Key: "last_name", Label: "Last name", Type: crm.TypeText, Editable: true, Common: "last_name", Create: crm.CreateOptional},
	// Not Required: Apideck requires emails on create, but some users have
	// none, and marking it required would block editing their other fields.
	// Required when creating: Roster sends it as the primary entry of emails.
	{Key: emailKey, Label: "Email (primary)", Type: crm.TypeEmail, Editable: true, Common: "email",
		Hint: "replaces the primary address; other addresses are kept", Create: crm.CreateRequired},
	{Key: "emails", Label: "All emails", Type: crm.TypeObject},
	{Key: "username", Label: "Username", Type: crm.TypeText, Editable: true, Create: crm.CreateOptional},
	{Key: "title", Label: "Title", Type: crm.TypeText, Editable: true, Common: "title", Create: crm.CreateOptional},
	{Key: "department", Label: "Department", Type: crm.TypeText, Editable: true, Common: "department",
		Hint: "deprecated by Apideck in favour of department_id/department_name", Create: crm.CreateOptional},
	{Key: "division", Label: "Division", Type: crm.TypeText, Editable: true, Hint: "a group of departments, teams or regions", Create: crm.CreateOptional},
	{Key: "company_name", Label: "Company", Type: crm.TypeText, Editable: true, Create: crm.CreateOptional},
	{Key: "employee_number", Label: "Employee number", Type: crm.TypeText, Editable: true, Create: crm.CreateOptional},
	{Key: "description", Label: "Description", Type: crm.TypeText, Editable: true, Create: crm.CreateOptional},
	{Key: "language", Label: "Language", Type: crm.TypeText, Editable: true, Hint: "ISO 639-1 code, e.g. EN", Create: crm.CreateOptional},
	{Key: "status", Label: "Status", Type: crm.TypeEnum, Values: statusValues, Editable: true, Common: "status", Create: crm.CreateOptional},
	{Key: "phone_numbers", Label: "Phone numbers", Type: crm.TypeObject},
	{Key: "addresses", Label: "Addresses", Type: crm.TypeObject},
	{Key: "parent_id", Label: "Parent user", Type: crm.TypeText},
	{Key: "image", Label: "Avatar URL", Type: crm.TypeText},
	{Key: "custom_mappings", Label: "Custom mappings", Type: crm.TypeObject},
	{Key: "created_at", Label: "Created", Type: crm.TypeTime, Common: "created_at"},
	{Key: "updated_at", Label: "Updated", Type: crm.TypeTime, Common: "updated_at"},
}}

// Schema lists the user fields in display order.
func (p *Provider) Schema() crm.Schema {
	out := crm.Schema{Fields: make([]crm.Field, len(schema.Fields)), Deactivate: deactivate}
	copy(out.Fields, schema.Fields)
	return out
}
