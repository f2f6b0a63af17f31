package roadshow

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user may do. Registration always makes an applicant; the
// other roles are given by organizers.
type Role string

const (
	RoleApplicant Role = "applicant"
	RoleJudge     Role = "judge"
	RoleInvestor  Role = "investor"
	RoleOrganizer Role = "organizer"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleApplicant, RoleJudge, RoleInvestor, RoleOrganizer:
		return true
	}
	return false
}

// Password length limits. The upper bound keeps hashing cheap for hostile input.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
	MaxNameLen     = 100
	MaxEmailLen    = 254
)

// User is an account. PasswordHash never leaves the server.
type User struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Country      string    `json:"country,omitempty"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"createdAt"`
}

// NewUser is what registration and invitations carry.
type NewUser struct {
	Email    string
	Password string
	Name     string
	Country  string
	Role     Role
}

// NormalizeEmail returns the canonical form used for uniqueness: e-mail
// addresses are unique case-insensitively.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// Validate checks a new account and names every bad field. Country is
// optional for invited users, required for self-registered applicants.
func (u *NewUser) Validate() error {
	var v Validator
	u.Email = strings.TrimSpace(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	u.Country = strings.ToUpper(strings.TrimSpace(u.Country))
	if !ValidEmail(u.Email) {
		v.Add("email", "Enter a valid e-mail address.")
	}
	n := utf8.RuneCountInString(u.Password)
	v.Check(n >= MinPasswordLen, "password", "Use at least 10 characters.")
	v.Check(n <= MaxPasswordLen, "password", "Use at most 256 characters.")
	v.Check(u.Name != "", "name", "Enter your name.")
	v.Check(utf8.RuneCountInString(u.Name) <= MaxNameLen, "name", "Use at most 100 characters.")
	if u.Role == RoleApplicant || u.Country != "" {
		v.Check(IsCountry(u.Country), "country", "Choose a country (ISO 3166-1 code such as DE).")
	}
	v.Check(u.Role.Valid(), "role", "Choose applicant, judge, investor or organizer.")
	return v.Err(EUNPROCESSABLE, "Some fields need attention.")
}

// ValidEmail reports whether s is a single plain address such as a@b.example.
func ValidEmail(s string) bool {
	if s == "" || len(s) > MaxEmailLen {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// UserService is the part of storage that holds accounts.
type UserService interface {
	// CreateUser stores u and sets its ID. Returns ECONFLICT when the e-mail
	// is taken (case-insensitively).
	CreateUser(ctx context.Context, u *User) error
	// UserByID returns ENOTFOUND when there is no such user.
	UserByID(ctx context.Context, id string) (*User, error)
	// UserByEmail returns ENOTFOUND when no account has that e-mail.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// HasRole reports whether any account has role r.
	HasRole(ctx context.Context, r Role) (bool, error)
}
