package person

import "github.com/roster-tui/roster/crm"

// deactivateChanges are the changes that deactivate a user of p. The rule
// lives in crm (crm.DeactivateChanges, per provider kind); until it lands
// every provider answers that it has none.
func deactivateChanges(p crm.Provider) (crm.Changes, error) {
	return nil, crm.Unsupported(p.Info().Name, "deactivate user")
}
