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
	v.Check(ValidEmail(u.Email), "email", "user.email_invalid", nil)
	n := utf8.RuneCountInString(u.Password)
	v.Check(n >= MinPasswordLen, "password", "user.password_too_short", Args{"min": MinPasswordLen})
	v.Check(n <= MaxPasswordLen, "password", "field.max_length", Args{"max": MaxPasswordLen})
	v.Check(u.Name != "", "name", "user.name_required", nil)
	v.Check(utf8.RuneCountInString(u.Name) <= MaxNameLen, "name", "field.max_length", Args{"max": MaxNameLen})
	if u.Role == RoleApplicant || u.Country != "" {
		v.Check(IsCountry(u.Country), "country", "user.country_invalid", nil)
	}
	v.Check(u.Role.Valid(), "role", "user.role_invalid", nil)
	return v.Err(EUNPROCESSABLE, "field.invalid")
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

// Staff reports whether r is given by organizers (judge, investor,
// organizer) rather than taken by registering.
func (r Role) Staff() bool {
	return r == RoleJudge || r == RoleInvestor || r == RoleOrganizer
}

// CanInvite reports whether actor may create an account of role: organizers
// invite judges, investors and other organizers; applicants register
// themselves. Returns EFORBIDDEN for anyone but an organizer, EUNPROCESSABLE
// (on the field "role") for a role nobody is invited to.
func CanInvite(actor Actor, role Role) error {
	if !actor.Is(RoleOrganizer) {
		return NewError(EFORBIDDEN, "user.invite_organizers_only", nil)
	}
	if !role.Staff() {
		return FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"role": Msg("user.role_staff", nil)})
	}
	return nil
}

// CanListUsers reports whether actor may list the accounts of a role, to
// assign them to sessions: organizers only.
func CanListUsers(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "user.list_organizers_only", nil))
}

// UserStore holds accounts.
type UserStore interface {
	// CreateUser stores u and sets its ID. Returns ECONFLICT when the e-mail
	// is taken (case-insensitively).
	CreateUser(ctx context.Context, u *User) error
	// UserByID returns ENOTFOUND when there is no such user.
	UserByID(ctx context.Context, id string) (*User, error)
	// UserByEmail returns ENOTFOUND when no account has that e-mail.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// HasRole reports whether any account has role r.
	HasRole(ctx context.Context, r Role) (bool, error)
	// UsersByRole lists the accounts of a role, by name.
	UsersByRole(ctx context.Context, r Role) ([]*User, error)
}

// PasswordHasher hashes and checks passwords; internal/auth implements it,
// so that the domain never picks an algorithm.
type PasswordHasher interface {
	HashPassword(password string) (string, error)
	// CheckPassword reports whether password matches hash. An empty hash is
	// checked against a dummy, so that the time taken does not tell whether
	// an account exists.
	CheckPassword(hash, password string) bool
}
