package roadshow

import (
	"context"
	"fmt"
	"unicode/utf8"
)

// UserService is the one home of accounts: registering, inviting, the
// operator's accounts (first organizer, `roadshow user add`), logging in and
// listing people to assign.
type UserService struct {
	Store     UserStore
	Passwords PasswordHasher
	Clock     Clock
}

// Register makes an applicant account, whatever else the request says:
// nobody gives themself a role. Returns EUNPROCESSABLE for bad fields,
// ECONFLICT when the e-mail is taken.
func (s *UserService) Register(ctx context.Context, in NewUser) (*User, error) {
	in.Role = RoleApplicant
	return s.create(ctx, in)
}

// Invite makes a judge, investor or organizer account for an organizer.
// Returns EFORBIDDEN unless the actor is an organizer, EUNPROCESSABLE for
// bad fields (an applicant role included), ECONFLICT when the e-mail is taken.
func (s *UserService) Invite(ctx context.Context, actor Actor, in NewUser) (*User, error) {
	if err := CanInvite(actor, in.Role); err != nil {
		return nil, err
	}
	return s.create(ctx, in)
}

// AddStaff makes a judge, investor or organizer account for the operator of
// the installation, who has the store in hand (the first organizer at
// start, `roadshow user add`). Errors as for Invite.
func (s *UserService) AddStaff(ctx context.Context, in NewUser) (*User, error) {
	if err := CanInvite(Actor{Role: RoleOrganizer}, in.Role); err != nil {
		return nil, err
	}
	return s.create(ctx, in)
}

// HasOrganizer reports whether any organizer account exists.
func (s *UserService) HasOrganizer(ctx context.Context) (bool, error) {
	return s.Store.HasRole(ctx, RoleOrganizer)
}

func (s *UserService) create(ctx context.Context, in NewUser) (*User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.Passwords.HashPassword(in.Password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	u := &User{Email: in.Email, Name: in.Name, Country: in.Country, Role: in.Role, PasswordHash: hash, CreatedAt: s.Clock.Now()}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, FieldErrors(ECONFLICT, "user.email_taken", map[string]Message{"email": Msg("user.email_registered", nil)})
		}
		return nil, err
	}
	return u, nil
}

// Authenticate returns the account with email and password. A wrong
// password and an unknown e-mail get the same EUNAUTHORIZED in about the
// same time.
func (s *UserService) Authenticate(ctx context.Context, email, password string) (*User, error) {
	bad := NewError(EUNAUTHORIZED, "auth.wrong_credentials", nil)
	email = NormalizeEmail(email)
	// The password limit counts characters, as at registration.
	if email == "" || len(email) > MaxEmailLen || utf8.RuneCountInString(password) > MaxPasswordLen {
		s.Passwords.CheckPassword("", password)
		return nil, bad
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if ErrorCode(err) == ENOTFOUND {
		s.Passwords.CheckPassword("", password)
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	if !s.Passwords.CheckPassword(u.PasswordHash, password) {
		return nil, bad
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
