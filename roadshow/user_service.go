package roadshow

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// TokenRevoker is told when an account's earlier tokens stop working
// (disabled, role or password changed, calendar link regenerated), so that
// a cache of token versions forgets the account at once.
type TokenRevoker interface {
	Revoke(userID string)
}

// TokenRevokers tells each of its revokers, in order: a cache that must
// forget the account goes before one that asks it again.
type TokenRevokers []TokenRevoker

// Revoke implements TokenRevoker.
func (rs TokenRevokers) Revoke(userID string) {
	for _, r := range rs {
		if r != nil {
			r.Revoke(userID)
		}
	}
}

// UserService is the one home of a person's own account: registering,
// logging in, the profile, the password (changed, or reset by e-mail),
// confirming the address, the calendar link and the mail preference. The
// organizers' side of accounts is UserAdminService.
type UserService struct {
	Accounts
}

// Accounts are what the services of accounts (UserService,
// UserAdminService) work with.
type Accounts struct {
	Store     UserStore
	Links     AccountLinkStore
	Passwords PasswordHasher
	Clock     Clock
	Post      Postbox      // may be nil: no mail
	Revoker   TokenRevoker // may be nil
}

// RegisterResult is the one answer to a registration, whether the address
// was new or taken: nobody learns from it which accounts exist. A new
// account works at once; the e-mail says which case it was.
type RegisterResult struct {
	Email   string  `json:"email"`
	Message Message `json:"message"`
}

// Register makes an applicant account, whatever else the request says:
// nobody gives themself a role. Returns EUNPROCESSABLE for bad fields. A
// taken address gets the same answer as a new one (and costs as long: the
// password is hashed either way); its owner gets an e-mail saying that
// they already have an account.
func (s *UserService) Register(ctx context.Context, in NewUser) (RegisterResult, error) {
	in.Role, in.Invited = RoleApplicant, false
	in.Password = s.Passwords.Normalize(in.Password)
	if err := in.Validate(); err != nil {
		return RegisterResult{}, err
	}
	hash, err := s.Passwords.HashPassword(ctx, in.Password)
	if err != nil {
		return RegisterResult{}, err
	}
	now := s.Clock.Now()
	u := &User{Email: in.Email, Name: in.Name, Country: in.Country, Role: RoleApplicant, Language: in.Language,
		PasswordHash: hash, PasswordSet: true, CreatedAt: now}
	done := RegisterResult{Email: NormalizeEmail(in.Email), Message: Msg("user.registered", nil)}
	err = s.Store.CreateUser(ctx, u)
	if ErrorCode(err) == ECONFLICT {
		if old, err := s.Store.UserByEmail(ctx, in.Email); err == nil {
			s.post(ctx, old, MailAlreadyRegistered, "/#/forgot?email="+url.QueryEscape(old.Email), nil)
		}
		return done, nil
	} else if err != nil {
		return RegisterResult{}, fmt.Errorf("create user: %w", err)
	}
	if link, err := s.link(ctx, u, LinkConfirm); err == nil {
		s.post(ctx, u, MailWelcome, "/#/confirm?token="+link, nil)
	}
	return done, nil
}

// post sends u a mail of kind, when there is a postbox.
func (s *UserService) post(ctx context.Context, u *User, kind MailKind, link string, args map[string]string) {
	post(ctx, s.Post, s.Clock, u, kind, link, args)
}

// post sends u a mail of kind through p (nil: none).
func post(ctx context.Context, p Postbox, clock Clock, u *User, kind MailKind, link string, args map[string]string) {
	if p == nil || (u.MailOptOut && !kind.Essential()) {
		return
	}
	m := Mail{Kind: kind, UserID: u.ID, To: u.Email, Name: u.Name, Lang: u.Lang(), Link: link, Args: args}
	if kind == MailPasswordReset {
		m.NotAfter = clock.Now().Add(ResetLinkTTL)
	}
	p.Post(ctx, m)
}

// link makes an account link for u and returns its secret.
func (s *UserService) link(ctx context.Context, u *User, purpose LinkPurpose) (string, error) {
	return makeLink(ctx, s.Links, s.Clock, u, purpose)
}

func makeLink(ctx context.Context, links AccountLinkStore, clock Clock, u *User, purpose LinkPurpose) (string, error) {
	if links == nil {
		return "", fmt.Errorf("no account link store")
	}
	secret, id, err := NewLinkSecret()
	if err != nil {
		return "", fmt.Errorf("link secret: %w", err)
	}
	ttl := ResetLinkTTL
	switch purpose {
	case LinkInvite:
		ttl = InviteLinkTTL
	case LinkConfirm:
		ttl = ConfirmLinkTTL
	}
	now := clock.Now()
	l := &AccountLink{ID: id, Purpose: purpose, UserID: u.ID, TokenVersion: u.TokenVersion, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := links.CreateLink(ctx, l); err != nil {
		return "", fmt.Errorf("store link: %w", err)
	}
	return secret, nil
}

// AddStaff makes a judge, investor or organizer account for the operator of
// the installation, who has the store in hand (the first organizer at
// start, `roadshow user add`, the demo). Errors as for UserAdminService.Invite;
// the password is required.
func (s *UserService) AddStaff(ctx context.Context, in NewUser) (*User, error) {
	if err := CanInvite(Actor{Role: RoleOrganizer}, in.Role); err != nil {
		return nil, err
	}
	in.Invited = false
	return createUser(ctx, s.Store, s.Passwords, s.Clock, in)
}

// createUser validates in and stores the account. Returns EUNPROCESSABLE
// for bad fields and ECONFLICT (on the field "email") when the address is
// taken: only organizers and the operator create accounts this way, and
// they need to know.
func createUser(ctx context.Context, store UserStore, pw PasswordHasher, clock Clock, in NewUser) (*User, error) {
	in.Password = pw.Normalize(in.Password)
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u := &User{Email: in.Email, Name: in.Name, Country: in.Country, Role: in.Role, Language: in.Language, CreatedAt: clock.Now()}
	if in.Password != "" {
		hash, err := pw.HashPassword(ctx, in.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash, u.PasswordSet = hash, true
	}
	if err := store.CreateUser(ctx, u); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, FieldErrors(ECONFLICT, "user.email_taken", map[string]Message{"email": Msg("user.email_registered", nil)})
		}
		return nil, err
	}
	return u, nil
}

// HasOrganizer reports whether any organizer account exists.
func (s *UserService) HasOrganizer(ctx context.Context) (bool, error) {
	return s.Store.HasRole(ctx, RoleOrganizer)
}

// Authenticate returns the account with email and password. A wrong
// password, an unknown e-mail and a disabled account get the same
// EUNAUTHORIZED in about the same time (one hash each). Returns
// ERATELIMITED when the server is too busy hashing to check now.
func (s *UserService) Authenticate(ctx context.Context, email, password string) (*User, error) {
	bad := NewError(EUNAUTHORIZED, "auth.wrong_credentials", nil)
	email = NormalizeEmail(email)
	password = s.Passwords.Normalize(password)
	// The password limit counts characters, as at registration.
	if email == "" || len(email) > MaxEmailLen || utf8.RuneCountInString(password) > MaxPasswordLen {
		if _, err := s.Passwords.CheckPassword(ctx, "", password); err != nil {
			return nil, err
		}
		return nil, bad
	}
	u, err := s.Store.UserByEmail(ctx, email)
	hash := ""
	if err == nil {
		hash = u.PasswordHash
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	ok, err := s.Passwords.CheckPassword(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil {
		return nil, bad
	}
	if err := u.CanLogIn(); err != nil {
		return nil, err
	}
	return u, nil
}

// Me returns the actor's own account; EUNAUTHORIZED when it is gone.
func (s *UserService) Me(ctx context.Context, actor Actor) (*User, error) {
	u, err := s.Store.UserByID(ctx, actor.UserID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, NewError(EUNAUTHORIZED, "auth.account_gone", nil)
	}
	return u, err
}

// ProfileInput is what a person changes on their own account; nil fields
// stay as they are.
type ProfileInput struct {
	Name         *string `json:"name"`
	Organization *string `json:"organization"`
	Country      *string `json:"country"`
	Timezone     *string `json:"timezone"`
	Language     *string `json:"language"`
	MailOptOut   *bool   `json:"mailOptOut"`
}

// Validate normalizes and checks the present fields, naming every bad one.
func (in *ProfileInput) Validate() error {
	var v Validator
	for _, f := range []struct {
		p     *string
		field string
		max   int
	}{{in.Name, "name", MaxNameLen}, {in.Organization, "organization", MaxOrgLen}} {
		if f.p == nil {
			continue
		}
		*f.p = CleanLine(*f.p)
		v.Text(f.field, *f.p, false)
		v.Check(utf8.RuneCountInString(*f.p) <= f.max, f.field, "field.max_length", Args{"max": f.max})
	}
	v.Check(in.Name == nil || Visible(*in.Name), "name", "user.name_required", nil)
	if in.Country != nil {
		*in.Country = strings.ToUpper(strings.TrimSpace(*in.Country))
		v.Check(*in.Country == "" || IsCountry(*in.Country), "country", "user.country_invalid", nil)
	}
	if in.Timezone != nil {
		*in.Timezone = strings.TrimSpace(*in.Timezone)
		v.Check(*in.Timezone == "" || IsTimezone(*in.Timezone), "timezone", "application.timezone_name", nil)
	}
	v.Check(in.Language == nil || ValidLang(*in.Language), "language", "user.language_choose", nil)
	return v.Err(EUNPROCESSABLE, "field.invalid")
}

// UpdateProfile changes the actor's own profile. Returns EUNPROCESSABLE for
// bad fields, EUNAUTHORIZED when the account is gone.
func (s *UserService) UpdateProfile(ctx context.Context, actor Actor, in ProfileInput) (*User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u, err := s.Store.UpdateUser(ctx, actor.UserID, UserChange{Name: in.Name, Organization: in.Organization,
		Country: in.Country, Timezone: in.Timezone, Language: in.Language, MailOptOut: in.MailOptOut})
	return u, Rekey(err, ENOTFOUND, "auth.account_gone", nil)
}

// ChangePassword sets a new password for the actor, who proves the current
// one. Every earlier token of the account stops working (the caller gets a
// new one). Returns EUNPROCESSABLE for a wrong current password (on the
// field "currentPassword") or a new one the rules refuse (on "password").
func (s *UserService) ChangePassword(ctx context.Context, actor Actor, current, next string) (*User, error) {
	u, err := s.Me(ctx, actor)
	if err != nil {
		return nil, err
	}
	ok, err := s.Passwords.CheckPassword(ctx, u.PasswordHash, s.Passwords.Normalize(current))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"currentPassword": Msg("user.current_password_wrong", nil)})
	}
	return s.setPassword(ctx, u, next)
}

// setPassword checks and stores a new password for u, confirms the address
// when it was not yet (the person proved it or knows the old password),
// and revokes every earlier token.
func (s *UserService) setPassword(ctx context.Context, u *User, password string) (*User, error) {
	password = s.Passwords.Normalize(password)
	if m := CheckPassword(password, u.Email, u.Name); m != nil {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"password": *m})
	}
	hash, err := s.Passwords.HashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	ch := UserChange{PasswordHash: &hash, BumpTokens: true}
	if u.EmailConfirmed == nil {
		now := s.Clock.Now()
		ch.EmailConfirmed = &now
	}
	u, err = s.Store.UpdateUser(ctx, u.ID, ch)
	if err != nil {
		return nil, Rekey(err, ENOTFOUND, "auth.account_gone", nil)
	}
	s.revoke(u.ID)
	return u, nil
}

func (s *UserService) revoke(userID string) {
	if s.Revoker != nil {
		s.Revoker.Revoke(userID)
	}
}

// RequestReset e-mails a password-reset link to the account with email (an
// invitation link when it never had a password). It answers the same
// whether or not the account exists, and never fails for the caller: what
// goes wrong is the postbox's to log.
func (s *UserService) RequestReset(ctx context.Context, email string) Message {
	done := Msg("user.reset_sent", nil)
	email = NormalizeEmail(email)
	if !ValidEmail(email) {
		return done
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if err != nil || u.Disabled {
		return done
	}
	sendAccess(ctx, s.Links, s.Post, s.Clock, u)
	return done
}

// sendAccess mails u a link to set a password: an invitation when it never
// had one, else a reset. Reports whether the mail was posted.
func sendAccess(ctx context.Context, links AccountLinkStore, p Postbox, clock Clock, u *User) bool {
	purpose, kind, path := LinkReset, MailPasswordReset, "/#/reset?token="
	if !u.PasswordSet {
		purpose, kind, path = LinkInvite, MailInvitation, "/#/reset?invite=1&token="
	}
	secret, err := makeLink(ctx, links, clock, u, purpose)
	if err != nil {
		return false
	}
	post(ctx, p, clock, u, kind, path+secret, map[string]string{"role": string(u.Role)})
	return true
}

// useLink reads the link with secret and its account, and checks that it
// may act for one of purposes now. Returns EUNPROCESSABLE
// ("user.link_invalid") for any problem: nobody learns more.
func (s *UserService) useLink(ctx context.Context, secret string, purposes ...LinkPurpose) (*AccountLink, *User, error) {
	invalid := NewError(EUNPROCESSABLE, "user.link_invalid", nil)
	if !ValidLinkSecret(secret) {
		return nil, nil, invalid
	}
	l, err := s.Links.LinkByID(ctx, LinkID(secret))
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, invalid
	} else if err != nil {
		return nil, nil, err
	}
	u, err := s.Store.UserByID(ctx, l.UserID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, invalid
	} else if err != nil {
		return nil, nil, err
	}
	if err := l.Usable(purposes, u, s.Clock.Now()); err != nil {
		return nil, nil, err
	}
	return l, u, nil
}

// ResetPassword sets a new password with the secret of a reset or
// invitation link, which then stops working, as do the account's earlier
// tokens. Returns EUNPROCESSABLE for a used, expired or unknown link, or a
// password the rules refuse (the link still works then).
func (s *UserService) ResetPassword(ctx context.Context, secret, password string) (*User, error) {
	l, u, err := s.useLink(ctx, secret, LinkReset, LinkInvite)
	if err != nil {
		return nil, err
	}
	password = s.Passwords.Normalize(password)
	if m := CheckPassword(password, u.Email, u.Name); m != nil {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"password": *m})
	}
	if ok, err := s.Links.DeleteLink(ctx, l.ID); err != nil {
		return nil, err
	} else if !ok {
		return nil, NewError(EUNPROCESSABLE, "user.link_invalid", nil) // used meanwhile
	}
	return s.setPassword(ctx, u, password)
}

// ConfirmEmail records that the account's owner received mail at its
// address, with the secret of the welcome mail's link. Returns
// EUNPROCESSABLE for a used, expired or unknown link.
func (s *UserService) ConfirmEmail(ctx context.Context, secret string) (*User, error) {
	l, u, err := s.useLink(ctx, secret, LinkConfirm)
	if err != nil {
		return nil, err
	}
	if ok, err := s.Links.DeleteLink(ctx, l.ID); err != nil {
		return nil, err
	} else if !ok {
		return nil, NewError(EUNPROCESSABLE, "user.link_invalid", nil)
	}
	if u.EmailConfirmed != nil {
		return u, nil
	}
	now := s.Clock.Now()
	return s.Store.UpdateUser(ctx, u.ID, UserChange{EmailConfirmed: &now})
}

// RegenerateCalendar makes the actor's earlier calendar links stop working;
// the caller hands out a new one. Returns EUNAUTHORIZED when the account is
// gone.
func (s *UserService) RegenerateCalendar(ctx context.Context, actor Actor) (*User, error) {
	u, err := s.Store.UpdateUser(ctx, actor.UserID, UserChange{BumpCalendar: true})
	if err != nil {
		return nil, Rekey(err, ENOTFOUND, "auth.account_gone", nil)
	}
	s.revoke(u.ID)
	return u, nil
}

// Unsubscribe turns off non-essential mail for the account userID, as the
// link in every such mail asks (its token is checked by the caller).
func (s *UserService) Unsubscribe(ctx context.Context, userID string) error {
	optOut := true
	_, err := s.Store.UpdateUser(ctx, userID, UserChange{MailOptOut: &optOut})
	return Rekey(err, ENOTFOUND, "user.link_invalid", nil)
}

// TokenState returns what the tokens of account id are checked against.
// Returns ENOTFOUND when the account is gone.
func (s *UserService) TokenState(ctx context.Context, id string) (TokenState, error) {
	u, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return TokenState{}, err
	}
	return u.TokenState(), nil
}

// People lists the judges, investors or organizers organizers can choose
// from. Returns EFORBIDDEN for anyone else, EINVALID for another role.
func (s *UserService) People(ctx context.Context, actor Actor, role Role) ([]*User, error) {
	if err := CanListUsers(actor); err != nil {
		return nil, err
	}
	if !role.Staff() {
		return nil, FieldErrors(EINVALID, "user.role_choose", map[string]Message{"role": Msg("user.role_choose", nil)})
	}
	return s.Store.UsersByRole(ctx, role)
}
