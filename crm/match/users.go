package match

import "github.com/roster-tui/roster/crm"

// UserTexts are the texts of a user a query is matched against outside the
// console's table (which matches its visible columns): names, email, title,
// department and status.
func UserTexts(u crm.User) []string {
	return []string{u.DisplayName(), u.FirstName, u.LastName, u.Email, u.Title, u.Department, crm.StatusWord(u)}
}

// MatchUser reports whether u matches the query.
func (m Matcher) MatchUser(u crm.User) bool { return m.Match(UserTexts(u)...) }

// Narrow returns the users that match the query, in order, in a new slice:
// the one step every server search's results pass before anyone sees them,
// because a provider may ignore a search (Laurel under 2 characters), not
// document one (Apideck), or match differently (accents).
func (m Matcher) Narrow(users []crm.User) []crm.User {
	out := make([]crm.User, 0, len(users))
	for _, u := range users {
		if m.MatchUser(u) {
			out = append(out, u)
		}
	}
	return out
}
