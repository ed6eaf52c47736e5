package sandbox

import (
	"strconv"
	"time"
)

const zohoIDBase = 4150868000000300000 // ids look like the seed's

// zohoRef names another record: a role, a profile or a user.
type zohoRef struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

// zohoUser is the seed's user object. Pointer fields are the ones the real
// API sends as null when empty.
type zohoUser struct {
	ID           string   `json:"id"`
	FirstName    *string  `json:"first_name"`
	LastName     string   `json:"last_name"`
	FullName     string   `json:"full_name"`
	Email        string   `json:"email"`
	Status       string   `json:"status"`
	Confirm      bool     `json:"confirm"`
	Role         zohoRef  `json:"role"`
	Profile      zohoRef  `json:"profile"`
	Phone        *string  `json:"phone"`
	Mobile       *string  `json:"mobile"`
	Fax          *string  `json:"fax"`
	Website      *string  `json:"website"`
	Alias        *string  `json:"alias"`
	Street       *string  `json:"street"`
	City         *string  `json:"city"`
	State        *string  `json:"state"`
	Zip          *string  `json:"zip"`
	Country      *string  `json:"country"`
	Language     string   `json:"language"`
	Locale       string   `json:"locale"`
	TimeZone     string   `json:"time_zone"`
	DateFormat   string   `json:"date_format"`
	TimeFormat   string   `json:"time_format"`
	Dob          *string  `json:"dob"`
	Currency     string   `json:"Currency"`
	Territories  []any    `json:"territories"`
	ReportingTo  *zohoRef `json:"Reporting_To"`
	CreatedBy    zohoRef  `json:"created_by"`
	ModifiedBy   zohoRef  `json:"Modified_By"`
	CreatedTime  string   `json:"created_time"`
	ModifiedTime string   `json:"Modified_Time"`
	Zuid         *string  `json:"zuid"`
}

func zohoID(i int) string { return strconv.FormatInt(zohoIDBase+int64(i), 10) }

func zohoIndex(id string) (int, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < zohoIDBase || n-zohoIDBase > 1<<31 {
		return 0, false
	}
	return int(n - zohoIDBase), true
}

func zohoNullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// zohoUserAt turns person i into a Zoho user.
func zohoUserAt(i int) zohoUser {
	p := PersonAt(i)
	owner := PersonAt(0)
	role := p.Title
	if role == "" {
		role = "Standard user"
	}
	profile := zohoRef{Name: "Standard", ID: "4150868000000026014"}
	if p.Admin {
		profile = zohoRef{Name: "Administrator", ID: "4150868000000026011"}
	}
	status := "active"
	if !p.Active {
		status = "disabled"
	}
	confirm := i%11 != 4
	u := zohoUser{
		ID: zohoID(i), FirstName: zohoNullable(p.First), LastName: p.Last, FullName: p.Full(),
		Email: p.EmailIn("zoho"), Status: status, Confirm: confirm,
		Role:    zohoRef{Name: role, ID: strconv.Itoa(4150868000000026000 + len(role))},
		Profile: profile, Phone: zohoNullable(p.Phone), City: zohoNullable(p.City), Country: zohoNullable(p.Country),
		Language: "en_US", Locale: "en_US", TimeZone: "Europe/Lisbon", DateFormat: "MM/dd/yyyy",
		TimeFormat: "hh:mm a", Currency: "EUR", Territories: []any{},
		CreatedBy:    zohoRef{Name: owner.Full(), ID: zohoID(0)},
		ModifiedBy:   zohoRef{Name: owner.Full(), ID: zohoID(0)},
		CreatedTime:  p.Created.Format(time.RFC3339),
		ModifiedTime: p.Updated.Format(time.RFC3339),
	}
	if confirm {
		u.Zuid = zohoNullable(strconv.Itoa(694579958 + i))
	}
	return u
}
