package roadshow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/roadshow/roadshow/roadshow"
)

func TestRoleValid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		r    roadshow.Role
		want bool
	}{
		{"applicant", true}, {"judge", true}, {"investor", true}, {"organizer", true},
		{"", false}, {"admin", false}, {"Organizer", false}, {"organizer ", false},
	} {
		if got := tt.r.Valid(); got != tt.want {
			t.Errorf("Role(%q).Valid(): got %v, want %v", tt.r, got, tt.want)
		}
	}
}

func TestNewUserValidate(t *testing.T) {
	t.Parallel()
	valid := func() roadshow.NewUser {
		return roadshow.NewUser{Email: "ada@example.com", Password: "correct-horse-1", Name: "Ada", Country: "DE", Role: roadshow.RoleApplicant}
	}
	for _, tt := range []struct {
		name   string
		change func(u *roadshow.NewUser)
		want   []string // nil: valid
	}{
		{"Applicant", func(u *roadshow.NewUser) {}, nil},
		{"JudgeWithoutCountry", func(u *roadshow.NewUser) { u.Role, u.Country = roadshow.RoleJudge, "" }, nil},
		{"InvestorWithCountry", func(u *roadshow.NewUser) { u.Role, u.Country = roadshow.RoleInvestor, "sg" }, nil},
		{"OrganizerWithoutCountry", func(u *roadshow.NewUser) { u.Role, u.Country = roadshow.RoleOrganizer, "  " }, nil},
		{"PasswordMinLength", func(u *roadshow.NewUser) {
			u.Password = "xq7" + strings.Repeat("kv", (roadshow.MinPasswordLen-3)/2) + "z"
		}, nil},
		{"PasswordMaxLength", func(u *roadshow.NewUser) { u.Password = "q" + strings.Repeat("x", roadshow.MaxPasswordLen-1) }, nil},
		{"PasswordCountsCharacters", func(u *roadshow.NewUser) { u.Password = "密码密码密码密码密码" }, nil},
		{"NameMaxLength", func(u *roadshow.NewUser) { u.Name = strings.Repeat("名", roadshow.MaxNameLen) }, nil},
		{"ErrPasswordTooShort", func(u *roadshow.NewUser) { u.Password = "short-pw1" }, []string{"password"}},
		{"ErrPasswordEmpty", func(u *roadshow.NewUser) { u.Password = "" }, []string{"password"}},
		{"ErrPasswordTooLong", func(u *roadshow.NewUser) { u.Password = strings.Repeat("x", roadshow.MaxPasswordLen+1) }, []string{"password"}},
		{"ErrEmailMissing", func(u *roadshow.NewUser) { u.Email = "" }, []string{"email"}},
		{"ErrEmailInvalid", func(u *roadshow.NewUser) { u.Email = "ada" }, []string{"email"}},
		{"ErrEmailWithName", func(u *roadshow.NewUser) { u.Email = "Ada <ada@example.com>" }, []string{"email"}},
		{"ErrNameMissing", func(u *roadshow.NewUser) { u.Name = " \t" }, []string{"name"}},
		{"ErrNameTooLong", func(u *roadshow.NewUser) { u.Name = strings.Repeat("名", roadshow.MaxNameLen+1) }, []string{"name"}},
		{"ErrApplicantWithoutCountry", func(u *roadshow.NewUser) { u.Country = "" }, []string{"country"}},
		{"ErrCountryUnknown", func(u *roadshow.NewUser) { u.Country = "XX" }, []string{"country"}},
		{"ErrJudgeCountryUnknown", func(u *roadshow.NewUser) { u.Role, u.Country = roadshow.RoleJudge, "Germany" }, []string{"country"}},
		{"ErrRoleMissing", func(u *roadshow.NewUser) { u.Role = "" }, []string{"role"}},
		{"ErrRoleUnknown", func(u *roadshow.NewUser) { u.Role = "admin" }, []string{"role"}},
		{"ErrEverything", func(u *roadshow.NewUser) { *u = roadshow.NewUser{Role: roadshow.RoleApplicant} },
			[]string{"email", "password", "name", "country"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := valid()
			tt.change(&u)
			wantFields(t, u.Validate(), roadshow.EUNPROCESSABLE, tt.want)
		})
	}
}

func TestNewUserValidateNormalizes(t *testing.T) {
	t.Parallel()
	u := roadshow.NewUser{Email: "  Ada@Example.com ", Password: " correct-horse-1 ", Name: "  Ada Lovelace\n", Country: " de ", Role: roadshow.RoleApplicant}
	if err := u.Validate(); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	want := roadshow.NewUser{Email: "Ada@Example.com", Password: " correct-horse-1 ", Name: "Ada Lovelace", Country: "DE", Role: roadshow.RoleApplicant}
	if u != want {
		t.Fatalf("got %+v, want %+v (the password is kept exactly as typed)", u, want)
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"ada@example.com", "ada@example.com"},
		{"  Ada@Example.COM\n", "ada@example.com"},
		{"", ""},
	} {
		if got := roadshow.NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	t.Parallel()
	longest := strings.Repeat("a", 64) + "@" + strings.Repeat("b", roadshow.MaxEmailLen-64-5) + ".com" // MaxEmailLen bytes
	for _, tt := range []struct {
		email string
		want  bool
	}{
		{"ada@example.com", true},
		{"Ada.Lovelace+roadshow@mail.example.co.uk", true},
		{"a@b.io", true},
		{"x_y-z@sub-domain.example.org", true},
		{"", false},
		{"ada", false},
		{"ada@", false},
		{"@example.com", false},
		{"ada@localhost", false},
		{"ada@@example.com", false},
		{"ada example@example.com", false},
		{"Ada <ada@example.com>", false},
		{"<ada@example.com>", false},
		{"ada@example.com, bob@example.com", false},
		{" ada@example.com", false},
		{"ada@example.com\n", false},
		{"ada@example.com\r\nBcc: eve@example.com", false},
		{longest, true},
		{"b" + longest, false},
	} {
		if got := roadshow.ValidEmail(tt.email); got != tt.want {
			t.Errorf("ValidEmail(%.60q) (%d bytes): got %v, want %v", tt.email, len(tt.email), got, tt.want)
		}
	}
}

func TestUserJSONHidesPasswordHash(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(roadshow.User{ID: "1", Email: "a@b.io", Role: roadshow.RoleJudge, PasswordHash: "$argon2id$secret"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "argon2id") || strings.Contains(strings.ToLower(string(b)), "password") {
		t.Fatalf("got %s, want no password hash", b)
	}
}

func TestActor(t *testing.T) {
	t.Parallel()
	a := roadshow.Actor{UserID: "u1", Role: roadshow.RoleJudge}
	for _, tt := range []struct {
		roles []roadshow.Role
		want  bool
	}{
		{nil, false},
		{[]roadshow.Role{roadshow.RoleJudge}, true},
		{[]roadshow.Role{roadshow.RoleApplicant, roadshow.RoleJudge}, true},
		{[]roadshow.Role{roadshow.RoleOrganizer}, false},
	} {
		if got := a.Is(tt.roles...); got != tt.want {
			t.Errorf("Is(%v): got %v, want %v", tt.roles, got, tt.want)
		}
	}
	ctx := roadshow.NewContextWithActor(t.Context(), a)
	if got, ok := roadshow.ActorFromContext(ctx); !ok || got != a {
		t.Errorf("got %+v, %v, want %+v, true", got, ok, a)
	}
	if _, ok := roadshow.ActorFromContext(t.Context()); ok {
		t.Errorf("got an actor from a bare context, want none")
	}
	if _, ok := roadshow.ActorFromContext(roadshow.NewContextWithActor(t.Context(), roadshow.Actor{Role: roadshow.RoleOrganizer})); ok {
		t.Errorf("got an actor without a user id, want none")
	}
}

func TestAccountRules(t *testing.T) {
	t.Parallel()
	org := roadshow.Actor{UserID: "org", Role: roadshow.RoleOrganizer}
	other := &roadshow.User{ID: "other", Role: roadshow.RoleJudge}
	self := &roadshow.User{ID: "org", Role: roadshow.RoleOrganizer}
	disabled := &roadshow.User{ID: "off", Role: roadshow.RoleJudge, Disabled: true, PasswordHash: "h"}
	judge := roadshow.Actor{UserID: "j", Role: roadshow.RoleJudge}
	for _, tt := range []struct {
		name string
		err  error
		key  string
	}{
		{"ChangeRole", roadshow.CanChangeRole(org, other), ""},
		{"ErrOwnRole", roadshow.CanChangeRole(org, self), "user.own_role"},
		{"ErrChangeRoleNotOrganizer", roadshow.CanChangeRole(judge, other), "user.manage_organizers_only"},
		{"Disable", roadshow.CanDisable(org, other), ""},
		{"ErrOwnDisable", roadshow.CanDisable(org, self), "user.own_disable"},
		{"ErrDisableNotOrganizer", roadshow.CanDisable(judge, other), "user.manage_organizers_only"},
		{"ErrDisabledLogIn", disabled.CanLogIn(), "auth.wrong_credentials"},
		{"ErrNoPasswordLogIn", (&roadshow.User{ID: "inv"}).CanLogIn(), "auth.wrong_credentials"},
	} {
		got := ""
		if tt.err != nil {
			got = roadshow.ErrorMsg(tt.err).Key
		}
		if got != tt.key {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.key)
		}
	}
	if v := self.View(org); v.Can.ChangeRole || v.Can.Disable || !v.Can.SendAccess {
		t.Errorf("own account: got %+v, want no role change, no disabling, a reset mail", v.Can)
	}
	if v := disabled.View(org); !v.Can.ChangeRole || !v.Can.Disable || v.Can.SendAccess {
		t.Errorf("disabled account: got %+v", v.Can)
	}
	st := roadshow.TokenState{Role: roadshow.RoleJudge, TokenVersion: 2, CalendarVersion: 1}
	for _, tt := range []struct {
		name           string
		role           roadshow.Role
		ver, cal       int
		disabled, want bool
	}{
		{"Access", roadshow.RoleJudge, 2, -1, false, true},
		{"Calendar", roadshow.RoleJudge, 2, 1, false, true},
		{"ErrOldVersion", roadshow.RoleJudge, 1, -1, false, false},
		{"ErrOldCalendar", roadshow.RoleJudge, 2, 0, false, false},
		{"ErrOtherRole", roadshow.RoleOrganizer, 2, -1, false, false},
		{"ErrDisabled", roadshow.RoleJudge, 2, -1, true, false},
	} {
		s := st
		s.Disabled = tt.disabled
		if got := s.Accepts(tt.role, tt.ver, tt.cal); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
