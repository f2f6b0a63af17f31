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

// Roles lists the four roles.
func Roles() []Role { return []Role{RoleApplicant, RoleJudge, RoleInvestor, RoleOrganizer} }

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleApplicant, RoleJudge, RoleInvestor, RoleOrganizer:
		return true
	}
	return false
}

// Length limits. The password's upper bound keeps hashing cheap for
// hostile input.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
	MaxNameLen     = 100
	MaxEmailLen    = 254
	MaxOrgLen      = 200
)

// Languages in which the product writes to people (e-mail); the pages
// follow the browser's choice.
const (
	LangEnglish = "en"
	LangChinese = "zh"
)

// ValidLang reports whether l is a language e-mail is written in.
func ValidLang(l string) bool { return l == LangEnglish || l == LangChinese }

// User is an account. PasswordHash never leaves the server.
//
// TokenVersion decides which access, calendar and room tokens still work:
// tokens carry the version they were issued at, and disabling the account,
// changing its role or its password raises it, so every earlier token stops
// working at once. CalendarVersion does the same for calendar links alone
// (regenerating the link).
type User struct {
	ID              string     `json:"id"`
	Email           string     `json:"email"`
	Name            string     `json:"name"`
	Organization    string     `json:"organization"`
	Country         string     `json:"country,omitempty"`
	Timezone        string     `json:"timezone"`
	Language        string     `json:"language"`
	Role            Role       `json:"role"`
	Disabled        bool       `json:"disabled"`
	EmailConfirmed  *time.Time `json:"emailConfirmedAt"`
	PasswordSet     bool       `json:"activated"`  // a password was chosen (invited accounts: not yet)
	MailOptOut      bool       `json:"mailOptOut"` // no non-essential e-mail
	PasswordHash    string     `json:"-"`
	TokenVersion    int        `json:"-"`
	CalendarVersion int        `json:"-"`
	CreatedAt       time.Time  `json:"createdAt"`
}

// Lang is the language to write to u in.
func (u *User) Lang() string {
	if ValidLang(u.Language) {
		return u.Language
	}
	return LangEnglish
}

// NewUser is what registration and invitations carry. Invited accounts may
// come without a password: the invitation e-mail lets the person choose one.
type NewUser struct {
	Email    string
	Password string
	Name     string
	Country  string
	Role     Role
	Invited  bool
	Language string
}

// NormalizeEmail returns the canonical form used for uniqueness: e-mail
// addresses are unique case-insensitively.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// Validate checks a new account and names every bad field. Country is
// optional for invited users, required for self-registered applicants. The
// password must already be in the hasher's normal form (see CheckPassword).
func (u *NewUser) Validate() error {
	var v Validator
	u.Email = strings.TrimSpace(u.Email)
	u.Name = CleanLine(u.Name)
	u.Country = strings.ToUpper(strings.TrimSpace(u.Country))
	v.Check(ValidEmail(u.Email), "email", "user.email_invalid", nil)
	if u.Password != "" || !u.Invited {
		if m := CheckPassword(u.Password, u.Email, u.Name); m != nil {
			v.add("password", *m)
		}
	}
	v.Text("name", u.Name, false)
	v.Check(Visible(u.Name), "name", "user.name_required", nil)
	v.Check(utf8.RuneCountInString(u.Name) <= MaxNameLen, "name", "field.max_length", Args{"max": MaxNameLen})
	if u.Role == RoleApplicant || u.Country != "" {
		v.Check(IsCountry(u.Country), "country", "user.country_invalid", nil)
	}
	v.Check(u.Role.Valid(), "role", "user.role_invalid", nil)
	v.Check(u.Language == "" || ValidLang(u.Language), "language", "user.language_choose", nil)
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

// CanListUsers reports whether actor may list and search accounts:
// organizers only.
func CanListUsers(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "user.list_organizers_only", nil))
}

// CanManageUser reports whether actor may change the account u (its name,
// its role, disable it, send it a password-reset or invitation e-mail):
// organizers only (EFORBIDDEN).
func CanManageUser(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "user.manage_organizers_only", nil))
}

// CanChangeRole reports whether actor may give u another role: an
// organizer, never for their own account (EFORBIDDEN), so that the last
// organizer cannot lock everyone out.
func CanChangeRole(actor Actor, u *User) error {
	if err := CanManageUser(actor); err != nil {
		return err
	}
	return unless(u.ID != actor.UserID, NewError(EFORBIDDEN, "user.own_role", nil))
}

// CanDisable reports whether actor may disable u: an organizer, never
// their own account (EFORBIDDEN).
func CanDisable(actor Actor, u *User) error {
	if err := CanManageUser(actor); err != nil {
		return err
	}
	return unless(u.ID != actor.UserID, NewError(EFORBIDDEN, "user.own_disable", nil))
}

// CanLogIn reports whether u may sign in: not disabled (EUNAUTHORIZED with
// the same message as a wrong password, so that nobody learns that the
// account exists) and with a password chosen.
func (u *User) CanLogIn() error {
	return unless(!u.Disabled && u.PasswordHash != "", NewError(EUNAUTHORIZED, "auth.wrong_credentials", nil))
}

// AccountActions tell an organizer what they may do with an account now,
// so that the page shows the controls the rules allow.
type AccountActions struct {
	ChangeRole bool `json:"changeRole"` // give it another role
	Disable    bool `json:"disable"`    // disable or re-enable it
	SendAccess bool `json:"sendAccess"` // mail a password reset or the invitation again
}

// AccountView is an account as an organizer sees it in the accounts list.
type AccountView struct {
	*User
	Can AccountActions `json:"can"`
}

// AccountPage is one page of accounts as an organizer sees them.
type AccountPage struct {
	Items      []*AccountView `json:"items"`
	NextCursor string         `json:"nextCursor"`
}

// View returns u as actor sees it among the accounts.
func (u *User) View(actor Actor) *AccountView {
	return &AccountView{User: u, Can: AccountActions{
		ChangeRole: CanChangeRole(actor, u) == nil,
		Disable:    CanDisable(actor, u) == nil,
		SendAccess: CanManageUser(actor) == nil && !u.Disabled,
	}}
}

// TokenState is what decides whether a token issued to an account still
// works: the versions it must carry, and whether the account may act.
type TokenState struct {
	Role            Role
	TokenVersion    int
	CalendarVersion int
	Disabled        bool
}

// TokenState returns the state tokens are checked against.
func (u *User) TokenState() TokenState {
	return TokenState{Role: u.Role, TokenVersion: u.TokenVersion, CalendarVersion: u.CalendarVersion, Disabled: u.Disabled}
}

// Accepts reports whether a token of role issued at version (and, for a
// calendar token, calendar version cal; -1 for other tokens) still works.
func (st TokenState) Accepts(role Role, version, cal int) bool {
	return !st.Disabled && st.Role == role && st.TokenVersion == version && (cal < 0 || st.CalendarVersion == cal)
}

// UserFilter selects a page of accounts for organizers: by role, and by a
// text found in the name, the e-mail or the organization.
type UserFilter struct {
	Role   Role
	Query  string
	Limit  int
	Cursor string // the id of the last item of the previous page
}

// UserPage is one page of accounts, oldest first.
type UserPage struct {
	Items      []*User `json:"items"`
	NextCursor string  `json:"nextCursor"`
}

// UserChange is what an update of an account writes; nil fields stay.
// BumpTokens raises TokenVersion (every earlier token stops working),
// BumpCalendar raises CalendarVersion (earlier calendar links stop).
type UserChange struct {
	Name           *string
	Organization   *string
	Country        *string
	Timezone       *string
	Language       *string
	Role           *Role
	Disabled       *bool
	MailOptOut     *bool
	PasswordHash   *string
	EmailConfirmed *time.Time
	BumpTokens     bool
	BumpCalendar   bool
}

// UserStore holds accounts. It returns bare codes (CodeError).
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
	// ListUsers returns a page of accounts, oldest first.
	ListUsers(ctx context.Context, f UserFilter) (UserPage, error)
	// UpdateUser applies ch atomically and returns the account as it is
	// now. Returns ENOTFOUND when there is no such user.
	UpdateUser(ctx context.Context, id string, ch UserChange) (*User, error)
}

// PasswordHasher hashes and checks passwords; internal/auth implements it,
// so that the domain never picks an algorithm. Hashing is expensive on
// purpose: both calls wait for a free slot, a few at a time, and return
// ERATELIMITED when none frees up soon.
type PasswordHasher interface {
	// Normalize returns the form in which a password is checked against the
	// rules, hashed and compared (Unicode NFKC), so that the same password
	// typed on another keyboard is the same password.
	Normalize(password string) string
	HashPassword(ctx context.Context, password string) (string, error)
	// CheckPassword reports whether password matches hash. An empty hash is
	// checked against a dummy, so that the time taken does not tell whether
	// an account exists.
	CheckPassword(ctx context.Context, hash, password string) (bool, error)
}
