package usertable

import "github.com/roster-tui/roster/crm/match"

// Folding is crm/match's, the one matcher Roster has: the table's search
// keys, the query and the highlighting all fold with it, so `/` finds what
// the CLI's --query and the narrowing of server searches find, whatever the
// case, accents or Unicode normal form of the text.

// fold returns the folded form of s.
func fold(s string) string { return match.Fold(s) }

// appendFoldString appends the folded form of s to dst.
func appendFoldString(dst []byte, s string) []byte { return match.AppendFold(dst, s) }

// appendFold appends the folded form of one rune, for highlighting.
func appendFold(dst []byte, r rune) []byte { return match.AppendFoldRune(dst, r) }

// isMark reports combining marks, which fold to nothing.
func isMark(r rune) bool { return match.IsMark(r) }
