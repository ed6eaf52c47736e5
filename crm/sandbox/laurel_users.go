package sandbox

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Generated users' seniorities and practice groups, in turn.
var (
	laurelSeniorities = []string{"Partner", "Senior Associate", "Associate", "Paralegal", "Of Counsel", ""}
	laurelPractices   = []string{"Litigation", "Corporate", "Tax", "Real Estate", "Employment", ""}
)

// laurelRole, laurelIdentity, laurelDelegate and laurelPermission are the
// nested objects of a laurelUser.
type laurelRole struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

// laurelProjection is the v1 list's answer per user when integration is
// given (Laurel's UserIntegrationProjection).
type laurelProjection struct {
	ID                 string           `json:"_id"`
	Email              string           `json:"email"`
	Name               string           `json:"name"`
	RelevantIdentities []laurelIdentity `json:"relevantIdentities"`
}

func (u laurelUser) projection() laurelProjection {
	ids := u.Identities
	if ids == nil {
		ids = []laurelIdentity{}
	}
	return laurelProjection{ID: u.ID, Email: u.Email, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), RelevantIdentities: ids}
}

type laurelIdentity struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type laurelDelegate struct {
	UserID      string             `json:"userId"`
	Permissions []laurelPermission `json:"permissions"`
}

type laurelPermission struct {
	Claim string `json:"claim"`
}

// laurelUser is a user as Laurel's identity service sends it.
type laurelUser struct {
	ID                       string           `json:"_id"`
	CreatedAt                string           `json:"createdAt"`
	UpdatedAt                string           `json:"updatedAt"`
	Email                    string           `json:"email"`
	FirstName                string           `json:"firstName"`
	LastName                 string           `json:"lastName"`
	JobTitle                 string           `json:"jobTitle"`
	Nickname                 string           `json:"nickname"`
	Status                   string           `json:"status"`
	Seniority                string           `json:"seniority"`
	Department               string           `json:"department"`
	Office                   string           `json:"office"`
	Subdepartment            string           `json:"subdepartment"`
	Pod                      string           `json:"pod"`
	GroupIDs                 []string         `json:"groupIds"`
	IsSuperDelegate          bool             `json:"isSuperDelegate"`
	SuperDelegatePermissions map[string]bool  `json:"superDelegatePermissions,omitempty"`
	Roles                    []laurelRole     `json:"roles"`
	Delegates                []laurelDelegate `json:"delegates"`
	Delegators               []laurelDelegate `json:"delegators"`
	Identities               []laurelIdentity `json:"identities"`
	// integrations are the cloud assistants connected for the user; only the
	// v1 list's integration filter sees them.
	integrations []string
}

// laurelObjectID makes user i's 24-hex objectid: creation time, a fixed
// "machine" part and i as the counter, so the id leads back to the index.
func laurelObjectID(i int, created time.Time) string {
	return fmt.Sprintf("%08xa1b2c3d4e5%06x", uint32(created.Unix()), i&0xffffff)
}

// laurelIndex recovers the store index from an objectid (-1 when malformed).
func laurelIndex(id string) int {
	if !laurelIsObjectID(id) {
		return -1
	}
	n, err := strconv.ParseInt(id[18:], 16, 64)
	if err != nil {
		return -1
	}
	return int(n)
}

func laurelIsObjectID(s string) bool {
	if len(s) != 24 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// laurelUserAt turns person i into a Laurel user.
func laurelUserAt(i int) laurelUser {
	p := PersonAt(i)
	u := laurelUser{
		ID:            laurelObjectID(i, p.Created),
		CreatedAt:     p.Created.Format(time.RFC3339),
		UpdatedAt:     p.Updated.Format(time.RFC3339),
		Email:         p.EmailIn("laurel"),
		FirstName:     p.First,
		LastName:      p.Last,
		JobTitle:      p.Title,
		Seniority:     laurelSeniorities[i%len(laurelSeniorities)],
		Department:    p.Department,
		Office:        p.City,
		Subdepartment: laurelPractices[(i/3)%len(laurelPractices)],
		Pod:           fmt.Sprintf("Pod %c", 'A'+rune(i%4)),
		Roles:         []laurelRole{laurelRoles[0]},
		Delegates:     []laurelDelegate{},
		Delegators:    []laurelDelegate{},
	}
	if u.Email == "" {
		u.Email = fmt.Sprintf("user.%d@example.com", i) // Laurel logs in by email
	}
	if i%6 == 0 {
		u.Nickname = strings.SplitN(p.First, "-", 2)[0]
	}
	switch {
	case p.Active:
		u.Status = "active"
	case i%2 == 0:
		u.Status = "adminDisabled"
	default:
		u.Status = "firmDisabled"
	}
	if p.Admin {
		u.Roles = append(u.Roles, laurelRoles[1])
	}
	if i%9 == 4 {
		u.Roles = append(u.Roles, laurelRoles[2])
	}
	if i%4 != 0 {
		u.GroupIDs = []string{fmt.Sprintf("6600000000000000000000%02x", i%3)}
	}
	if i%40 == 7 {
		u.IsSuperDelegate = true
		u.SuperDelegatePermissions = map[string]bool{"canSubmitTime": true, "canEditTime": i%80 == 7}
	}
	perm := []laurelPermission{{Claim: "time:read"}, {Claim: "time:write"}}
	if i%5 == 0 {
		u.Delegates = append(u.Delegates, laurelDelegate{UserID: laurelObjectID(i+1, PersonAt(i+1).Created), Permissions: perm})
	}
	if i%5 == 1 && i > 0 {
		u.Delegators = append(u.Delegators, laurelDelegate{UserID: laurelObjectID(i-1, PersonAt(i-1).Created), Permissions: perm})
	}
	u.Identities = []laurelIdentity{
		{Type: "email", Value: u.Email},
		{Type: "azure", Value: fmt.Sprintf("3f2a%04x-7c1d-4e8b-9a6f-%012x", i%0x10000, i)},
		{Type: "phone-extension", Value: strconv.Itoa(10000 + i)},
	}
	if i%3 == 0 {
		u.Identities = append(u.Identities, laurelIdentity{Type: "salesforce", Value: fmt.Sprintf("0055g%010dAAA", i)})
	}
	if i%4 == 1 {
		u.Identities = append(u.Identities, laurelIdentity{Type: "user-principal-name", Value: strings.Replace(u.Email, "@example.com", "@firm.example", 1)})
	}
	switch i % 3 {
	case 0:
		u.integrations = []string{laurelIntegrations[i%5]}
	case 1:
		u.integrations = []string{laurelIntegrations[i%5], laurelIntegrations[(i+1)%5]}
	}
	return u
}
