package zoho

import "github.com/roster-tui/roster/crm"

// schema is the seed's user object as Roster shows and edits it: the
// fields Zoho lets an admin change, then the ones it only reports.
//
// It declares no Deactivate: the Zoho CRM docs Roster follows (the seed's
// users page, the Update/Add/Delete User pages) describe status only as a
// value Zoho reports, and document no request that changes it; deleting is
// the only documented offboarding. Deactivate a Zoho user in Zoho itself.
func schema() crm.Schema {
	text := func(key, label string) crm.Field {
		return crm.Field{Key: key, Label: label, Type: crm.TypeText, Editable: true}
	}
	ro := func(key, label string, typ crm.FieldType, common string) crm.Field {
		return crm.Field{Key: key, Label: label, Type: typ, Common: common}
	}
	first := text("first_name", "First name")
	first.Common, first.Create = "first_name", crm.CreateOptional
	last := text("last_name", "Last name")
	last.Common, last.Required, last.Create = "last_name", true, crm.CreateRequired
	return crm.Schema{Fields: []crm.Field{
		ro("id", "ID", crm.TypeText, "id"),
		ro("full_name", "Full name", crm.TypeText, "name"),
		first,
		last,
		{Key: "email", Label: "Email", Type: crm.TypeEmail, Editable: true, Required: true, Common: "email",
			Create: crm.CreateRequired},
		{Key: "status", Label: "Status", Type: crm.TypeEnum, Values: []string{"active", "disabled"}, Common: "status",
			Hint: "Zoho changes a user's status with its own activate and deactivate actions"},
		// Role and profile are set only when adding a user, by the id of one
		// of the org's roles and profiles (Provider.Schema loads them).
		{Key: "role", Label: "Role", Type: crm.TypeObject, Common: "title",
			Hint: "the role's name is the user's title", Create: crm.CreateRequired},
		{Key: "profile", Label: "Profile", Type: crm.TypeObject, Create: crm.CreateRequired},
		text("phone", "Phone"),
		text("mobile", "Mobile"),
		text("fax", "Fax"),
		text("website", "Website"),
		text("alias", "Alias"),
		text("street", "Street"),
		text("city", "City"),
		text("state", "State"),
		text("zip", "ZIP"),
		text("country", "Country"),
		{Key: "dob", Label: "Date of birth", Type: crm.TypeDate, Editable: true, Hint: "YYYY-MM-DD"},
		{Key: "language", Label: "Language", Type: crm.TypeText, Editable: true, Hint: "e.g. en_US"},
		{Key: "locale", Label: "Locale", Type: crm.TypeText, Editable: true, Hint: "e.g. en_US"},
		{Key: "time_zone", Label: "Time zone", Type: crm.TypeText, Editable: true, Hint: "e.g. Europe/Lisbon"},
		{Key: "date_format", Label: "Date format", Type: crm.TypeText, Editable: true, Hint: "e.g. MM/dd/yyyy"},
		{Key: "time_format", Label: "Time format", Type: crm.TypeText, Editable: true, Hint: "e.g. hh:mm a"},
		{Key: "Currency", Label: "Currency", Type: crm.TypeText, Editable: true, Hint: "ISO code, e.g. EUR"},
		ro("confirm", "Confirmed", crm.TypeBool, ""),
		ro("zuid", "ZUID", crm.TypeText, ""),
		ro("created_by", "Created by", crm.TypeObject, ""),
		ro("created_time", "Created", crm.TypeTime, "created_at"),
		ro("Modified_By", "Modified by", crm.TypeObject, ""),
		ro("Modified_Time", "Modified", crm.TypeTime, "updated_at"),
	}}
}

// Schema lists the user fields in display order; role and profile load
// their choices (the org's roles and profiles) from Zoho.
func (p *Provider) Schema() crm.Schema {
	s := schema()
	for i := range s.Fields {
		switch s.Fields[i].Key {
		case "role":
			s.Fields[i].Choices = p.Roles
		case "profile":
			s.Fields[i].Choices = p.Profiles
		}
	}
	return s
}
