package roadshow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestCanDeclareConflict(t *testing.T) {
	t.Parallel()
	ada, _, judge, investor, org := actors()
	for _, tt := range []struct {
		name    string
		actor   roadshow.Actor
		judgeID string
		code    string
		key     string
	}{
		{"JudgeOwn", judge, "", "", ""},
		{"JudgeOwnByID", judge, "judge", "", ""},
		{"OrganizerForAJudge", org, "judge", "", ""},
		{"ErrJudgeForAnother", judge, "judge2", roadshow.EFORBIDDEN, "conflict.judges_own_only"},
		{"ErrInvestor", investor, "", roadshow.EFORBIDDEN, "conflict.role_forbidden"},
		{"ErrApplicant", ada, "", roadshow.EFORBIDDEN, "conflict.role_forbidden"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, roadshow.CanDeclareConflict(tt.actor, tt.judgeID), tt.code, tt.key)
		})
	}
}

func TestCanReadResults(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	ended := sessionIn(roadshow.SessionEnded)
	published := sessionIn(roadshow.SessionEnded)
	at := mustTimeP(t)
	published.PublishedAt = &at
	own := map[string]bool{"app-a": true}
	for _, tt := range []struct {
		name  string
		actor roadshow.Actor
		se    *roadshow.Session
		own   map[string]bool
		code  string
		key   string
	}{
		{"OrganizerBeforePublishing", org, ended, nil, "", ""},
		{"JudgePublished", judge, published, nil, "", ""},
		{"InvestorPublished", investor, published, nil, "", ""},
		{"TeamPublished", ada, published, own, "", ""},
		{"ErrJudgeNotPublished", judge, ended, nil, roadshow.EFORBIDDEN, "results.not_published"},
		{"ErrTeamNotPublished", ada, ended, own, roadshow.EFORBIDDEN, "results.not_published"},
		{"ErrOtherTeam", bob, published, map[string]bool{}, roadshow.ENOTFOUND, "session.not_found"},
		{"ErrOtherJudge", roadshow.Actor{UserID: "judge2", Role: roadshow.RoleJudge}, published, nil, roadshow.ENOTFOUND, "session.not_found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, roadshow.CanReadResults(tt.actor, tt.se, tt.own), tt.code, tt.key)
		})
	}
}

func mustTimeP(tb testing.TB) time.Time { return mustTime(tb, "2026-01-12T10:00:00Z") }

func TestCanInvite(t *testing.T) {
	t.Parallel()
	ada, _, judge, _, org := actors()
	for _, tt := range []struct {
		name  string
		actor roadshow.Actor
		role  roadshow.Role
		code  string
		key   string
	}{
		{"Judge", org, roadshow.RoleJudge, "", ""},
		{"Investor", org, roadshow.RoleInvestor, "", ""},
		{"Organizer", org, roadshow.RoleOrganizer, "", ""},
		{"ErrApplicantRole", org, roadshow.RoleApplicant, roadshow.EUNPROCESSABLE, "field.invalid"},
		{"ErrUnknownRole", org, "admin", roadshow.EUNPROCESSABLE, "field.invalid"},
		{"ErrByJudge", judge, roadshow.RoleJudge, roadshow.EFORBIDDEN, "user.invite_organizers_only"},
		{"ErrByApplicant", ada, roadshow.RoleOrganizer, roadshow.EFORBIDDEN, "user.invite_organizers_only"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, roadshow.CanInvite(tt.actor, tt.role), tt.code, tt.key)
		})
	}
}

func TestEditionRubricLocked(t *testing.T) {
	t.Parallel()
	_, _, _, _, org := actors()
	ctx := context.Background()
	locked := roadshow.DefaultEdition()
	locked.RubricLocked = true
	s := &roadshow.EditionService{Store: &memEditions{e: locked}, Clock: &fakeClock{}}
	r := roadshow.DefaultRubric()
	r.Criteria[0].Weight = 30
	_, err := s.Save(ctx, org, roadshow.EditionInput{Rubric: &r})
	wantErr(t, err, roadshow.ECONFLICT, "edition.rubric_locked")
	name := "Autumn"
	if _, err := s.Save(ctx, org, roadshow.EditionInput{Name: &name}); err != nil {
		t.Fatalf("a new name with a locked rubric: got %v, want nil", err)
	}
}

// memUsers is a UserStore in memory; plainHasher "hashes" by prefixing.
type memUsers map[string]*roadshow.User

func (m memUsers) CreateUser(ctx context.Context, u *roadshow.User) error {
	for _, x := range m {
		if x.Email == roadshow.NormalizeEmail(u.Email) {
			return roadshow.CodeError(roadshow.ECONFLICT)
		}
	}
	u.ID, u.Email = "u"+u.Email, roadshow.NormalizeEmail(u.Email)
	m[u.ID] = u
	return nil
}

func (m memUsers) UserByID(ctx context.Context, id string) (*roadshow.User, error) {
	if u, ok := m[id]; ok {
		return u, nil
	}
	return nil, roadshow.CodeError(roadshow.ENOTFOUND)
}

func (m memUsers) UserByEmail(ctx context.Context, email string) (*roadshow.User, error) {
	for _, u := range m {
		if u.Email == roadshow.NormalizeEmail(email) {
			return u, nil
		}
	}
	return nil, roadshow.CodeError(roadshow.ENOTFOUND)
}

func (m memUsers) HasRole(ctx context.Context, r roadshow.Role) (bool, error) {
	for _, u := range m {
		if u.Role == r {
			return true, nil
		}
	}
	return false, nil
}

func (m memUsers) UsersByRole(ctx context.Context, r roadshow.Role) ([]*roadshow.User, error) {
	out := []*roadshow.User{}
	for _, u := range m {
		if u.Role == r {
			out = append(out, u)
		}
	}
	return out, nil
}

type plainHasher struct{ checks *int }

func (plainHasher) HashPassword(p string) (string, error) { return "hash:" + p, nil }
func (h plainHasher) CheckPassword(hash, p string) bool {
	*h.checks++
	return hash != "" && hash == "hash:"+p
}

func TestUserService(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ada, _, judge, _, org := actors()
	checks := 0
	s := &roadshow.UserService{Store: memUsers{}, Passwords: plainHasher{&checks}, Clock: &fakeClock{}}
	reg := roadshow.NewUser{Email: "Ada@Example.com", Password: "correct-horse-1", Name: "Ada", Country: "de", Role: roadshow.RoleOrganizer}

	u, err := s.Register(ctx, reg)
	if err != nil || u.Role != roadshow.RoleApplicant || u.PasswordHash != "hash:correct-horse-1" {
		t.Fatalf("Register: got %+v, %v; want an applicant whatever the request says", u, err)
	}
	_, err = s.Register(ctx, reg)
	wantErr(t, err, roadshow.ECONFLICT, "user.email_taken")
	if f := roadshow.ErrorFields(err)["email"]; f.Key != "user.email_registered" {
		t.Fatalf("Register twice: got field %+v, want user.email_registered on email", f)
	}

	staff := roadshow.NewUser{Email: "jo@example.com", Password: "judge-password-1", Name: "Jo", Role: roadshow.RoleJudge}
	_, err = s.Invite(ctx, judge, staff)
	wantErr(t, err, roadshow.EFORBIDDEN, "user.invite_organizers_only")
	_, err = s.Invite(ctx, ada, staff)
	wantErr(t, err, roadshow.EFORBIDDEN, "user.invite_organizers_only")
	if u, err := s.Invite(ctx, org, staff); err != nil || u.Role != roadshow.RoleJudge {
		t.Fatalf("Invite: got %+v, %v", u, err)
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

	_, err = s.Me(ctx, roadshow.Actor{UserID: "gone", Role: roadshow.RoleJudge})
	wantErr(t, err, roadshow.EUNAUTHORIZED, "auth.account_gone")
	_, err = s.People(ctx, judge, roadshow.RoleJudge)
	wantErr(t, err, roadshow.EFORBIDDEN, "user.list_organizers_only")
	_, err = s.People(ctx, org, roadshow.RoleApplicant)
	wantErr(t, err, roadshow.EINVALID, "user.role_choose")
}
