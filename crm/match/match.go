package match

import (
	"bytes"
	"strings"
)

// Matcher is a folded query: a text matches when it contains every word of
// the query, each folded (case, accents and normal form ignored).
type Matcher struct {
	terms [][]byte
}

// New folds q and splits it into words. An empty query matches everything.
func New(q string) Matcher {
	words := Terms(q)
	terms := make([][]byte, len(words))
	for i, w := range words {
		terms[i] = []byte(w)
	}
	return Matcher{terms: terms}
}

// Terms are the folded words of q.
func Terms(q string) []string { return strings.Fields(Fold(q)) }

// Empty reports whether the query has no words.
func (m Matcher) Empty() bool { return len(m.terms) == 0 }

// Match reports whether every word of the query occurs in one of texts
// (each word may be found in a different text, never across two).
func (m Matcher) Match(texts ...string) bool {
	if len(m.terms) == 0 {
		return true
	}
	key := make([]byte, 0, 64)
	for _, t := range texts {
		key = AppendFold(key, t)
		key = append(key, 0) // a word never spans two texts
	}
	return ContainsAll(key, m.terms)
}

// ContainsAll reports whether the folded key holds every folded term.
func ContainsAll(key []byte, terms [][]byte) bool {
	for _, t := range terms {
		if !bytes.Contains(key, t) {
			return false
		}
	}
	return true
}

// Contains reports whether folded text holds the folded needle.
func Contains(foldedHaystack, foldedNeedle string) bool {
	return strings.Contains(foldedHaystack, foldedNeedle)
}
