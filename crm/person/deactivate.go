package person

import "github.com/roster-tui/roster/crm"

// deactivateChanges are the changes that deactivate a user of p: the rule
// lives in crm (crm.DeactivateChanges, declared per provider in its
// schema); a provider that documents none is Unsupported (delete only).
func deactivateChanges(p crm.Provider) (crm.Changes, error) {
	if c, ok := crm.DeactivateChanges(p); ok {
		return c, nil
	}
	return nil, &crm.Error{Kind: crm.KindUnsupported, Provider: p.Info().Name, Op: "deactivate user",
		Message: "the provider documents no way to deactivate a user: delete only"}
}
