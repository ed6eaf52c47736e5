package person

import (
	"slices"

	"github.com/roster-tui/roster/crm"
)

// CanCreate reports whether an onboarding may create in p: it is a
// crm.Creator and its live capabilities (which the guard, the one
// permission gate, narrows to the role) allow creating.
func CanCreate(p crm.Provider) bool {
	_, ok := p.(crm.Creator)
	return ok && crm.LiveInfo(p).Caps.Create
}

// ExtraFields are the fields p requires at creation that the common fields
// (CommonFields) do not fill, in schema order: what an onboarding must ask
// for this provider alone (Zoho's role and profile, chosen from its own).
// A field mapped to a common name but offering loaded choices is one of
// them: its value is one of the provider's, not the typed common text.
func ExtraFields(p crm.Provider) []crm.Field {
	var out []crm.Field
	for _, f := range p.Schema().CreateFields() {
		if f.Create == crm.CreateRequired && !fillsCommon(f) {
			out = append(out, f)
		}
	}
	return out
}

// fillsCommon reports whether an onboarding's common field of f's common
// name is sent as f (the rule createStep applies).
func fillsCommon(f crm.Field) bool {
	return f.Common != "" && f.Choices == nil && slices.Contains(CommonFields(), f.Common)
}
