package roadshow

import (
	"context"
	"strings"
	"unicode/utf8"
)

// UserAdminService is the organizers' side of accounts: inviting judges,
// investors and organizers, finding accounts, renaming them, changing their
// role, disabling and re-enabling them, and sending a password-reset or
// invitation e-mail.
type UserAdminService struct {
	Accounts
}

// MaxUserQuery bounds a search text.
const MaxUserQuery = 100

// Invite makes a judge, investor or organizer account. Without a password
// (the usual way) the person gets an e-mail with a link to choose one; a
// password may still be given for scripted set-ups. Returns EFORBIDDEN
// unless the actor is an organizer, EUNPROCESSABLE for bad fields (an
// applicant role included), ECONFLICT when the e-mail is taken.
func (s *UserAdminService) Invite(ctx context.Context, actor Actor, in NewUser) (*AccountView, error) {
	if err := CanInvite(actor, in.Role); err != nil {
		return nil, err
	}
	in.Invited = true
	u, err := createUser(ctx, s.Store, s.Passwords, s.Clock, in)
	if err != nil {
		return nil, err
	}
	sendAccess(ctx, s.Links, s.Post, s.Clock, u)
	return u.View(actor), nil
}

// List returns a page of accounts, oldest first, filtered by role and by a
// text in the name, e-mail or organization. Returns EFORBIDDEN for anyone
// but organizers, EINVALID for a bad filter.
func (s *UserAdminService) List(ctx context.Context, actor Actor, f UserFilter) (AccountPage, error) {
	if err := CanListUsers(actor); err != nil {
		return AccountPage{}, err
	}
	f.Query = strings.TrimSpace(f.Query)
	var v Validator
	v.Check(f.Role == "" || f.Role.Valid(), "role", "user.role_invalid", nil)
	v.Check(utf8.RuneCountInString(f.Query) <= MaxUserQuery, "q", "field.max_length", Args{"max": MaxUserQuery})
	v.Text("q", f.Query, false)
	v.Check(f.Limit >= 0 && f.Limit <= MaxPageSize, "limit", "request.limit_range", Args{"min": 1, "max": MaxPageSize})
	v.Check(f.Cursor == "" || ValidID(f.Cursor), "cursor", "request.cursor_invalid", nil)
	if err := v.Err(EINVALID, "request.filter_invalid"); err != nil {
		return AccountPage{}, err
	}
	if f.Limit == 0 {
		f.Limit = DefaultPageSize
	}
	page, err := s.Store.ListUsers(ctx, f)
	if err != nil {
		return AccountPage{}, err
	}
	out := AccountPage{Items: make([]*AccountView, 0, len(page.Items)), NextCursor: page.NextCursor}
	for _, u := range page.Items {
		out.Items = append(out.Items, u.View(actor))
	}
	return out, nil
}

// UserEdit is what an organizer changes on an account; nil fields stay.
type UserEdit struct {
	Name     *string `json:"name"`
	Role     *Role   `json:"role"`
	Disabled *bool   `json:"disabled"`
}

// Edit renames an account, changes its role or disables (re-enables) it.
// A new role or disabling makes every earlier token of the account stop
// working at once. Returns EFORBIDDEN for anyone but organizers and for an
// organizer's own role or own account's disabling, ENOTFOUND for an
// unknown account, EUNPROCESSABLE for bad fields.
func (s *UserAdminService) Edit(ctx context.Context, actor Actor, id string, in UserEdit) (*AccountView, error) {
	if err := CanManageUser(actor); err != nil {
		return nil, err
	}
	var v Validator
	if in.Name != nil {
		*in.Name = CleanLine(*in.Name)
		v.Text("name", *in.Name, false)
		v.Check(Visible(*in.Name), "name", "user.name_required", nil)
		v.Check(utf8.RuneCountInString(*in.Name) <= MaxNameLen, "name", "field.max_length", Args{"max": MaxNameLen})
	}
	v.Check(in.Role == nil || in.Role.Valid(), "role", "user.role_invalid", nil)
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return nil, err
	}
	u, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return nil, Rekey(err, ENOTFOUND, "user.not_found", nil)
	}
	ch := UserChange{Name: in.Name}
	if in.Role != nil && *in.Role != u.Role {
		if err := CanChangeRole(actor, u); err != nil {
			return nil, err
		}
		ch.Role, ch.BumpTokens = in.Role, true
	}
	if in.Disabled != nil && *in.Disabled != u.Disabled {
		if err := CanDisable(actor, u); err != nil {
			return nil, err
		}
		ch.Disabled, ch.BumpTokens = in.Disabled, true
	}
	u, err = s.Store.UpdateUser(ctx, id, ch)
	if err != nil {
		return nil, Rekey(err, ENOTFOUND, "user.not_found", nil)
	}
	if ch.BumpTokens && s.Revoker != nil {
		s.Revoker.Revoke(id)
	}
	return u.View(actor), nil
}

// SendAccess e-mails the account a link to set its password: an invitation
// when it never had one, else a password reset. Returns EFORBIDDEN for
// anyone but organizers, ENOTFOUND for an unknown account, ECONFLICT for a
// disabled one.
func (s *UserAdminService) SendAccess(ctx context.Context, actor Actor, id string) (*AccountView, error) {
	if err := CanManageUser(actor); err != nil {
		return nil, err
	}
	u, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return nil, Rekey(err, ENOTFOUND, "user.not_found", nil)
	}
	if u.Disabled {
		return nil, NewError(ECONFLICT, "user.disabled", nil)
	}
	sendAccess(ctx, s.Links, s.Post, s.Clock, u)
	return u.View(actor), nil
}
