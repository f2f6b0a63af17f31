package roadshow_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func (m memUsers) ListUsers(ctx context.Context, f roadshow.UserFilter) (roadshow.UserPage, error) {
	page := roadshow.UserPage{Items: []*roadshow.User{}}
	for _, u := range m {
		if (f.Role == "" || u.Role == f.Role) && strings.Contains(strings.ToLower(u.Name+u.Email), strings.ToLower(f.Query)) {
			page.Items = append(page.Items, u)
		}
	}
	return page, nil
}

func (m memUsers) UpdateUser(ctx context.Context, id string, ch roadshow.UserChange) (*roadshow.User, error) {
	u, ok := m[id]
	if !ok {
		return nil, roadshow.CodeError(roadshow.ENOTFOUND)
	}
	c := *u
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.Name, ch.Name)
	set(&c.Organization, ch.Organization)
	set(&c.Country, ch.Country)
	set(&c.Timezone, ch.Timezone)
	set(&c.Language, ch.Language)
	if ch.PasswordHash != nil {
		c.PasswordHash, c.PasswordSet = *ch.PasswordHash, true
	}
	if ch.Role != nil {
		c.Role = *ch.Role
	}
	if ch.Disabled != nil {
		c.Disabled = *ch.Disabled
	}
	if ch.MailOptOut != nil {
		c.MailOptOut = *ch.MailOptOut
	}
	if ch.EmailConfirmed != nil {
		c.EmailConfirmed = ch.EmailConfirmed
	}
	if ch.BumpTokens {
		c.TokenVersion++
	}
	if ch.BumpCalendar {
		c.CalendarVersion++
	}
	m[id] = &c
	return &c, nil
}

// plainHasher "hashes" by prefixing and counts the checks.
type plainHasher struct{ checks *int }

func (plainHasher) Normalize(p string) string { return p }
func (plainHasher) HashPassword(_ context.Context, p string) (string, error) {
	return "hash:" + p, nil
}
func (h plainHasher) CheckPassword(_ context.Context, hash, p string) (bool, error) {
	*h.checks++
	return hash != "" && hash == "hash:"+p, nil
}

// memLinks is an AccountLinkStore in memory.
type memLinks struct {
	mu sync.Mutex
	m  map[string]*roadshow.AccountLink
}

func (l *memLinks) CreateLink(_ context.Context, x *roadshow.AccountLink) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]*roadshow.AccountLink{}
	}
	l.m[x.ID] = x
	return nil
}

func (l *memLinks) LinkByID(_ context.Context, id string) (*roadshow.AccountLink, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if x, ok := l.m[id]; ok {
		return x, nil
	}
	return nil, roadshow.CodeError(roadshow.ENOTFOUND)
}

func (l *memLinks) DeleteLink(_ context.Context, id string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.m[id]
	delete(l.m, id)
	return ok, nil
}

// memPost keeps the mail posted.
type memPost struct{ mails []roadshow.Mail }

func (p *memPost) Post(_ context.Context, m roadshow.Mail) { p.mails = append(p.mails, m) }

// last returns the last mail to to, of kind.
func (p *memPost) last(t *testing.T, to string, kind roadshow.MailKind) roadshow.Mail {
	t.Helper()
	for i := len(p.mails) - 1; i >= 0; i-- {
		if m := p.mails[i]; m.To == to && m.Kind == kind {
			return m
		}
	}
	t.Fatalf("no %s mail to %s in %+v", kind, to, p.mails)
	return roadshow.Mail{}
}

func secretOf(t *testing.T, m roadshow.Mail) string {
	t.Helper()
	_, secret, ok := strings.Cut(m.Link, "token=")
	if !ok {
		t.Fatalf("mail link %q has no token", m.Link)
	}
	return secret
}

type memRevoker struct{ revoked []string }

func (r *memRevoker) Revoke(id string) { r.revoked = append(r.revoked, id) }

func TestUserService(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ada, _, judge, _, org := actors()
	checks := 0
	clock := &fakeClock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	users, links, post, rev := memUsers{}, &memLinks{}, &memPost{}, &memRevoker{}
	acc := roadshow.Accounts{Store: users, Links: links, Passwords: plainHasher{&checks}, Clock: clock, Post: post, Revoker: rev}
	s, admin := &roadshow.UserService{Accounts: acc}, &roadshow.UserAdminService{Accounts: acc}
	reg := roadshow.NewUser{Email: "Ada@Example.com", Password: "correct-horse-1", Name: "Ada", Country: "de", Role: roadshow.RoleOrganizer}

	// A new and a taken address get the same answer; the mail tells them apart.
	first, err := s.Register(ctx, reg)
	if err != nil {
		t.Fatal(err)
	}
	u, err := users.UserByEmail(ctx, "ada@example.com")
	if err != nil || u.Role != roadshow.RoleApplicant || u.PasswordHash != "hash:correct-horse-1" {
		t.Fatalf("Register: got %+v, %v; want an applicant whatever the request says", u, err)
	}
	welcome := post.last(t, "ada@example.com", roadshow.MailWelcome)
	before := checks
	second, err := s.Register(ctx, reg)
	if err != nil || second.Email != first.Email || second.Message.Key != first.Message.Key {
		t.Fatalf("Register a taken address: got %+v, %v; want %+v", second, err, first)
	}
	post.last(t, "ada@example.com", roadshow.MailAlreadyRegistered)
	if checks != before {
		t.Fatalf("no password check on registration")
	}
	if _, err := s.Authenticate(ctx, "ada@example.com", "correct-horse-1"); err != nil {
		t.Fatalf("the new account works at once: %v", err)
	}
	// Confirming the address, once.
	if u, err := s.ConfirmEmail(ctx, secretOf(t, welcome)); err != nil || u.EmailConfirmed == nil {
		t.Fatalf("ConfirmEmail: %+v %v", u, err)
	}
	_, err = s.ConfirmEmail(ctx, secretOf(t, welcome))
	wantErr(t, err, roadshow.EUNPROCESSABLE, "user.link_invalid")

	staff := roadshow.NewUser{Email: "jo@example.com", Name: "Jo", Role: roadshow.RoleJudge}
	_, err = admin.Invite(ctx, judge, staff)
	wantErr(t, err, roadshow.EFORBIDDEN, "user.invite_organizers_only")
	_, err = admin.Invite(ctx, ada, staff)
	wantErr(t, err, roadshow.EFORBIDDEN, "user.invite_organizers_only")
	jo, err := admin.Invite(ctx, org, staff)
	if err != nil || jo.Role != roadshow.RoleJudge || jo.PasswordSet {
		t.Fatalf("Invite without a password: got %+v, %v", jo, err)
	}
	_, err = s.Authenticate(ctx, "jo@example.com", "")
	wantErr(t, err, roadshow.EUNAUTHORIZED, "auth.wrong_credentials")
	_, err = admin.Invite(ctx, org, staff)
	wantErr(t, err, roadshow.ECONFLICT, "user.email_taken")
	// The invitation's link sets the password, once, and signs in.
	inv := post.last(t, "jo@example.com", roadshow.MailInvitation)
	_, err = s.ResetPassword(ctx, secretOf(t, inv), "jo@example.com")
	wantErr(t, err, roadshow.EUNPROCESSABLE, "field.invalid")
	if _, err := s.ResetPassword(ctx, secretOf(t, inv), "judge-password-1"); err != nil {
		t.Fatalf("ResetPassword with the invitation: %v", err)
	}
	_, err = s.ResetPassword(ctx, secretOf(t, inv), "judge-password-2")
	wantErr(t, err, roadshow.EUNPROCESSABLE, "user.link_invalid")
	if _, err := s.Authenticate(ctx, "jo@example.com", "judge-password-1"); err != nil {
		t.Fatal(err)
	}

	staff.Email, staff.Role = "app@example.com", roadshow.RoleApplicant
	_, err = s.AddStaff(ctx, staff)
	wantErr(t, err, roadshow.EUNPROCESSABLE, "field.invalid")
	if has, err := s.HasOrganizer(ctx); err != nil || has {
		t.Fatalf("HasOrganizer: got %v, %v; want false", has, err)
	}
	if _, err := s.AddStaff(ctx, roadshow.NewUser{Email: "org@example.com", Password: "organizer-pw-1", Name: "Org", Role: roadshow.RoleOrganizer}); err != nil {
		t.Fatal(err)
	}
	if has, _ := s.HasOrganizer(ctx); !has {
		t.Fatal("HasOrganizer after AddStaff: got false")
	}

	for _, tt := range []struct {
		name, email, password string
		code                  string
	}{
		{"Login", "ADA@example.com", "correct-horse-1", ""},
		{"ErrWrongPassword", "ada@example.com", "wrong-password-1", roadshow.EUNAUTHORIZED},
		{"ErrUnknownEmail", "nobody@example.com", "correct-horse-1", roadshow.EUNAUTHORIZED},
		{"ErrLongPassword", "ada@example.com", strings.Repeat("x", roadshow.MaxPasswordLen+1), roadshow.EUNAUTHORIZED},
	} {
		before := checks
		_, err := s.Authenticate(ctx, tt.email, tt.password)
		if got := roadshow.ErrorCode(err); got != tt.code {
			t.Errorf("%s: got %q (%v), want %q", tt.name, got, err, tt.code)
		}
		if checks != before+1 {
			t.Errorf("%s: got %d password checks, want 1 (the time must not tell)", tt.name, checks-before)
		}
	}

	// Forgotten password: the same answer either way; the link works once.
	if a, b := s.RequestReset(ctx, "ada@example.com"), s.RequestReset(ctx, "nobody@example.com"); a.Key != b.Key {
		t.Fatalf("RequestReset: got %+v and %+v, want the same", a, b)
	}
	reset := post.last(t, "ada@example.com", roadshow.MailPasswordReset)
	if reset.NotAfter.IsZero() || reset.NotAfter.Sub(clock.Now()) >= time.Hour {
		t.Fatalf("reset mail expires at %v, want within the hour", reset.NotAfter)
	}
	adaU, _ := users.UserByEmail(ctx, "ada@example.com")
	adaID := adaU.ID
	rev.revoked = nil
	if _, err := s.ResetPassword(ctx, secretOf(t, reset), "a-new-password-9"); err != nil {
		t.Fatal(err)
	}
	if len(rev.revoked) != 1 || rev.revoked[0] != adaID || users[adaID].TokenVersion != 1 {
		t.Fatalf("a reset revokes earlier tokens: revoked %v, version %d", rev.revoked, users[adaID].TokenVersion)
	}
	// An expired link does nothing.
	s.RequestReset(ctx, "ada@example.com")
	late := post.last(t, "ada@example.com", roadshow.MailPasswordReset)
	clock.t = clock.t.Add(roadshow.ResetLinkTTL)
	_, err = s.ResetPassword(ctx, secretOf(t, late), "another-password-9")
	wantErr(t, err, roadshow.EUNPROCESSABLE, "user.link_invalid")

	// Changing the password needs the current one.
	adaNow := roadshow.Actor{UserID: adaID, Role: roadshow.RoleApplicant}
	_, err = s.ChangePassword(ctx, adaNow, "wrong", "third-password-99")
	wantErr(t, err, roadshow.EUNPROCESSABLE, "field.invalid")
	if _, err := s.ChangePassword(ctx, adaNow, "a-new-password-9", "third-password-99"); err != nil || users[adaID].TokenVersion != 2 {
		t.Fatalf("ChangePassword: %v, version %d", err, users[adaID].TokenVersion)
	}

	// Organizers edit accounts, never their own role; disabling revokes.
	orgU, _ := users.UserByEmail(ctx, "org@example.com")
	me := roadshow.Actor{UserID: orgU.ID, Role: roadshow.RoleOrganizer}
	judgeRole := roadshow.RoleJudge
	_, err = admin.Edit(ctx, me, orgU.ID, roadshow.UserEdit{Role: &judgeRole})
	wantErr(t, err, roadshow.EFORBIDDEN, "user.own_role")
	yes := true
	_, err = admin.Edit(ctx, me, orgU.ID, roadshow.UserEdit{Disabled: &yes})
	wantErr(t, err, roadshow.EFORBIDDEN, "user.own_disable")
	_, err = admin.Edit(ctx, judge, adaID, roadshow.UserEdit{Disabled: &yes})
	wantErr(t, err, roadshow.EFORBIDDEN, "user.manage_organizers_only")
	if u, err := admin.Edit(ctx, me, adaID, roadshow.UserEdit{Disabled: &yes}); err != nil || !u.Disabled || u.TokenVersion != 3 {
		t.Fatalf("disable: %+v %v", u, err)
	}
	_, err = s.Authenticate(ctx, "ada@example.com", "third-password-99")
	wantErr(t, err, roadshow.EUNAUTHORIZED, "auth.wrong_credentials")
	if s.RequestReset(ctx, "ada@example.com"); len(links.m) > 0 {
		for _, l := range links.m {
			if l.UserID == adaID && l.CreatedAt.Equal(clock.Now()) {
				t.Fatal("a disabled account got a reset link")
			}
		}
	}
	_, err = admin.SendAccess(ctx, me, adaID)
	wantErr(t, err, roadshow.ECONFLICT, "user.disabled")
	no := false
	if _, err := admin.Edit(ctx, me, adaID, roadshow.UserEdit{Disabled: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "ada@example.com", "third-password-99"); err != nil {
		t.Fatalf("re-enabled: %v", err)
	}

	_, err = s.Me(ctx, roadshow.Actor{UserID: "gone", Role: roadshow.RoleJudge})
	wantErr(t, err, roadshow.EUNAUTHORIZED, "auth.account_gone")
	_, err = s.People(ctx, judge, roadshow.RoleJudge)
	wantErr(t, err, roadshow.EFORBIDDEN, "user.list_organizers_only")
	_, err = s.People(ctx, org, roadshow.RoleApplicant)
	wantErr(t, err, roadshow.EINVALID, "user.role_choose")
}
