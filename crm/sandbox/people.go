package sandbox

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Person is the provider-neutral seed of one generated user. Every protocol
// turns the same person i into its own wire object, so the four sandboxes
// hold recognisably the same varied people.
type Person struct {
	Index      int
	First      string
	Last       string
	Email      string
	Title      string
	Department string
	Phone      string
	City       string
	Country    string
	Active     bool
	Admin      bool
	Created    time.Time
	Updated    time.Time
}

// Full is "First Last", trimmed when one is empty.
func (p Person) Full() string { return strings.TrimSpace(p.First + " " + p.Last) }

var firstNames = []string{
	"Ada", "Grace", "Alan", "Margaret", "Linus", "Katherine", "Dennis", "Barbara",
	"José", "Zoë", "Björn", "Øyvind", "Chloé", "Łukasz", "Dvořák", "Siân",
	"王", "美咲", "지훈", "Аня", "Νίκος", "Ahmed", "Priya", "Olúwaseun",
	"Mary-Jane", "O'Brien", "Jean-Luc", "Ngozi", "Mateus", "Saoirse", "Ife", "Kai",
}

var lastNames = []string{
	"Lovelace", "Hopper", "Turing", "Hamilton", "Torvalds", "Johnson", "Ritchie", "Liskov",
	"García", "Müller", "Ångström", "Søren", "Lefèvre", "Wałęsa", "Nováková", "Jones",
	"芳", "佐藤", "김", "Петрова", "Παπαδόπουλος", "Hassan", "Raman", "Adébáyọ̀",
	"Smith", "Nakamura", "Picard", "Okafor", "Silva", "Ní Bhriain", "Eze", "Leilani",
}

var titles = []string{
	"Account Executive", "Sales Manager", "VP of Sales", "Customer Success Manager",
	"Sales Development Representative", "Solutions Engineer", "CRM Administrator",
	"Head of Revenue Operations", "Regional Director, Europe, Middle East and Africa", "",
}

var departments = []string{"Sales", "Marketing", "Customer Success", "Operations", "Engineering", "Finance", ""}

var cities = []string{"Lisbon", "Zürich", "東京", "São Paulo", "Reykjavík", "Nairobi", "Toronto", "Wellington"}
var countries = []string{"PT", "CH", "JP", "BR", "IS", "KE", "CA", "NZ"}

// epoch anchors generated dates so every run produces the same people.
var epoch = time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)

// PersonAt generates person i deterministically. Some people are deliberately
// awkward: no last name, very long values, wide characters, inactive.
func PersonAt(i int) Person {
	f := firstNames[i%len(firstNames)]
	l := lastNames[(i/len(firstNames)+i*7)%len(lastNames)]
	p := Person{
		Index:      i,
		First:      f,
		Last:       l,
		Title:      titles[(i*3)%len(titles)],
		Department: departments[(i*5)%len(departments)],
		Phone:      fmt.Sprintf("+1 555 %03d %04d", i%1000, (i*37)%10000),
		City:       cities[i%len(cities)],
		Country:    countries[i%len(countries)],
		Active:     i%7 != 3,
		Admin:      i%50 == 0,
		Created:    epoch.Add(time.Duration(i) * 97 * time.Minute),
	}
	p.Updated = p.Created.Add(time.Duration(i%400) * 24 * time.Hour)
	switch {
	case i%97 == 13:
		p.Last = "" // a user with only one name
	case i%101 == 17:
		p.Title = strings.Repeat("Senior Principal Strategic Enterprise Account ", 4) + "Lead"
	case i%103 == 19:
		p.First = "Maximiliana-Ottilie-Friederike"
		p.Last = "von Hohenzollern-Sigmaringen-Wittelsbach"
	}
	p.Email = fmt.Sprintf("%s.%d@example.com", asciiSlug(p.First), i)
	if i%211 == 5 {
		p.Email = "" // some providers keep users without an email
	}
	return p
}

// The demo's people are shared: person i is the same person, with the same
// email, in every provider's store, so one person can be found, offboarded
// and onboarded across providers. Not everyone works in every system, so a
// few were never added to some: person i with i%10 == 7 is only in Apideck
// and Zoho, with i%10 == 8 in all but Laurel. Where a person is absent the
// store still holds user i (ids follow the index) under a mailbox of that
// system's own domain, so finding the shared email there finds nobody.

// EmailIn is person i's email in the store of the given protocol
// ("apideck", "zoho", "truto", "laurel"): the shared Email where the person
// is present, another address where not, empty when the person has none.
func (p Person) EmailIn(protocol string) string {
	if p.Email == "" || presentIn(p.Index, protocol) {
		return p.Email
	}
	return fmt.Sprintf("%s.%d@%s.example.net", asciiSlug(p.First), p.Index, protocol)
}

// presentIn says whether person i is in protocol's store under the shared
// email (see EmailIn).
func presentIn(i int, protocol string) bool {
	switch i % 10 {
	case 7:
		return protocol == "apideck" || protocol == "zoho"
	case 8:
		return protocol != "laurel"
	}
	return true
}

// asciiSlug lowercases and keeps ASCII letters, so emails stay plain.
func asciiSlug(s string) string {
	var b strings.Builder
	// Decompose so accents fall off their letters (José → jose), as mail
	// systems usually spell such names; letters with no decomposition get
	// their usual ASCII spelling.
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r == 'ø':
			b.WriteByte('o')
		case r == 'ł':
			b.WriteByte('l')
		case r == 'ß':
			b.WriteString("ss")
		}
	}
	if b.Len() == 0 {
		return "user"
	}
	return b.String()
}
