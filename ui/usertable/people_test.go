package usertable

import (
	"encoding/json"
	"io"
	"runtime"
	"strconv"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// personUser turns sandbox person i into the user a provider adapter would
// produce, raw object included, so tests and benchmarks hold realistic rows.
func personUser(i int) crm.User {
	p := sandbox.PersonAt(i)
	status := "active"
	if !p.Active {
		status = "inactive"
	}
	u := crm.User{
		ID:         strconv.Itoa(100000 + i),
		Name:       p.Full(),
		FirstName:  p.First,
		LastName:   p.Last,
		Email:      p.Email,
		Title:      p.Title,
		Department: p.Department,
		Status:     status,
		Active:     crm.BoolPtr(p.Active),
		CreatedAt:  p.Created.Format("2006-01-02T15:04:05Z"),
		UpdatedAt:  p.Updated.Format("2006-01-02T15:04:05Z"),
	}
	u.Raw, _ = json.Marshal(rawUser{
		ID: u.ID, Name: u.Name, FirstName: p.First, LastName: p.Last,
		Title: p.Title, Division: p.Department, Status: status,
		Emails:    []rawValue{{Value: p.Email, Type: "primary"}},
		Phones:    []rawValue{{Value: p.Phone, Type: "work"}},
		Addresses: []rawAddress{{City: p.City, Country: p.Country}},
		CreatedAt: u.CreatedAt,
		UpdatedAt: u.UpdatedAt,
	})
	return u
}

// rawUser is shaped like an Apideck user object, so Raw costs what it would.
type rawUser struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	FirstName string       `json:"first_name"`
	LastName  string       `json:"last_name"`
	Title     string       `json:"title"`
	Division  string       `json:"division"`
	Status    string       `json:"status"`
	Emails    []rawValue   `json:"emails"`
	Phones    []rawValue   `json:"phone_numbers"`
	Addresses []rawAddress `json:"addresses"`
	CreatedAt string       `json:"created_at"`
	UpdatedAt string       `json:"updated_at"`
}

type rawValue struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

type rawAddress struct {
	City    string `json:"city"`
	Country string `json:"country"`
}

// people generates users 0…n-1, on every CPU.
func people(n int) []crm.User {
	us := make([]crm.User, n)
	p := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range p {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := n * w / p; i < n*(w+1)/p; i++ {
				us[i] = personUser(i)
			}
		}()
	}
	wg.Wait()
	return us
}

// listColumns are the list view's columns: name, email, title, status, updated.
func listColumns() []Column {
	return []Column{
		{Title: "Name", Width: 12, Flex: 3, Value: func(u *crm.User) string { return u.DisplayName() }},
		{Title: "Email", Width: 12, Flex: 3, Value: func(u *crm.User) string { return u.Email }},
		{Title: "Title", Width: 8, Flex: 2, Value: func(u *crm.User) string { return u.Title }},
		{Title: "Status", Width: 8, Value: func(u *crm.User) string { return u.Status }},
		{Title: "Updated", Width: 10, Value: func(u *crm.User) string {
			if len(u.UpdatedAt) >= 10 {
				return u.UpdatedAt[:10]
			}
			return u.UpdatedAt
		}},
	}
}

// testStyles builds the styles the way the UI does, from a renderer of the
// given profile.
func testStyles(profile termenv.Profile) Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	return Styles{
		Header:   r.NewStyle().Bold(true),
		Row:      r.NewStyle(),
		Selected: r.NewStyle().Reverse(true),
		Match:    r.NewStyle().Underline(true).Foreground(lipgloss.Color("212")),
		Dim:      r.NewStyle().Faint(true),
	}
}

func newTable(users []crm.User, w, h int) Model {
	m := New(listColumns(), testStyles(termenv.Ascii))
	m.SetSize(w, h)
	m.SetUsers(users)
	return m
}
