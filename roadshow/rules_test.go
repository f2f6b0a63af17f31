package roadshow_test

import (
	"context"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestCanReadApplication(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	otherJudge := roadshow.Actor{UserID: "judge2", Role: roadshow.RoleJudge}
	otherInvestor := roadshow.Actor{UserID: "investor2", Role: roadshow.RoleInvestor}
	se := sessionIn(roadshow.SessionScheduled)
	planned := &roadshow.Application{ID: "app-a", OwnerID: "ada", SessionID: se.ID}
	unplanned := &roadshow.Application{ID: "app-c", OwnerID: "ada"}
	for _, tt := range []struct {
		name     string
		actor    roadshow.Actor
		a        *roadshow.Application
		se       *roadshow.Session
		conflict bool
		want     roadshow.Access
	}{
		{"Owner", ada, unplanned, nil, false, roadshow.AccessFull},
		{"Organizer", org, unplanned, nil, false, roadshow.AccessFull},
		{"SessionJudge", judge, planned, se, false, roadshow.AccessFull},
		{"SessionJudgeWithConflict", judge, planned, se, true, roadshow.AccessPublic},
		{"SessionInvestor", investor, planned, se, false, roadshow.AccessPublic},
		{"ErrOtherApplicant", bob, planned, se, false, roadshow.AccessNone},
		{"ErrOtherJudge", otherJudge, planned, se, false, roadshow.AccessNone},
		{"ErrOtherInvestor", otherInvestor, planned, se, false, roadshow.AccessNone},
		{"ErrJudgeNoSession", judge, unplanned, nil, false, roadshow.AccessNone},
		{"ErrJudgeOfAnotherSession", judge, &roadshow.Application{ID: "app-x", SessionID: "ffffffffffffffffffffffff"}, se, false, roadshow.AccessNone},
		{"ErrNobody", roadshow.Actor{}, planned, se, false, roadshow.AccessNone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := roadshow.CanReadApplication(tt.actor, tt.a, tt.se, tt.conflict); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRules: the named rules, with the code and message key of each
// refusal.
func TestRules(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	deadline := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	before, after := deadline.Add(-time.Second), deadline
	in := func(st roadshow.Status) *roadshow.Application {
		return &roadshow.Application{OwnerID: "ada", Status: st}
	}
	otherJudge := roadshow.Actor{UserID: "judge2", Role: roadshow.RoleJudge}
	ended := sessionIn(roadshow.SessionEnded)
	published := sessionIn(roadshow.SessionEnded)
	at := mustTime(t, "2026-01-12T10:00:00Z")
	published.PublishedAt = &at
	own := map[string]bool{"app-a": true}
	for _, tt := range []struct {
		name string
		err  error
		code string
		key  string
	}{
		{"Create", roadshow.CanCreateApplication(ada), "", ""},
		{"ErrCreateOrganizer", roadshow.CanCreateApplication(org), roadshow.EFORBIDDEN, "application.create_applicants_only"},
		{"Change", roadshow.CanChangeApplication(ada, in(roadshow.StatusDraft)), "", ""},
		{"ChangeRoleOnly", roadshow.CanChangeApplication(bob, nil), "", ""},
		{"ErrChangeOtherApplicant", roadshow.CanChangeApplication(bob, in(roadshow.StatusDraft)), roadshow.ENOTFOUND, "application.not_found"},
		{"ErrChangeJudge", roadshow.CanChangeApplication(judge, nil), roadshow.EFORBIDDEN, "application.owners_only"},
		{"Edit", roadshow.CanEditApplication(ada, in(roadshow.StatusDraft)), "", ""},
		{"ErrEditSubmitted", roadshow.CanEditApplication(ada, in(roadshow.StatusSubmitted)), roadshow.ECONFLICT, "application.edit_not_draft"},
		{"ErrEditOrganizer", roadshow.CanEditApplication(org, in(roadshow.StatusDraft)), roadshow.EFORBIDDEN, "application.owners_only"},
		{"ChangeDeck", in(roadshow.StatusDraft).CanChangeDeck(), "", ""},
		{"ErrChangeDeckSubmitted", in(roadshow.StatusSubmitted).CanChangeDeck(), roadshow.ECONFLICT, "application.deck_not_draft"},
		{"Submit", in(roadshow.StatusDraft).CanSubmit(deadline, before), "", ""},
		{"SubmitNoDeadline", in(roadshow.StatusDraft).CanSubmit(time.Time{}, after), "", ""},
		{"ErrDeadlinePassed", in(roadshow.StatusDraft).CanSubmit(deadline, after), roadshow.ECONFLICT, "application.deadline_passed"},
		{"ErrSubmitSubmitted", in(roadshow.StatusSubmitted).CanSubmit(time.Time{}, after), roadshow.ECONFLICT, "application.already_status"},
		{"Withdraw", in(roadshow.StatusEligible).CanWithdraw(), "", ""},
		{"ErrWithdrawWithdrawn", in(roadshow.StatusWithdrawn).CanWithdraw(), roadshow.ECONFLICT, "application.already_withdrawn"},
		{"Screen", in(roadshow.StatusIneligible).CanScreen(), "", ""},
		{"ErrScreenDraft", in(roadshow.StatusDraft).CanScreen(), roadshow.ECONFLICT, "application.screen_not_submitted"},
		{"ErrScreenWithdrawn", in(roadshow.StatusWithdrawn).CanScreen(), roadshow.ECONFLICT, "application.screen_not_submitted"},
		{"ListApplicant", roadshow.CanListApplications(ada), "", ""},
		{"ErrListJudge", roadshow.CanListApplications(judge), roadshow.EFORBIDDEN, "application.list_forbidden"},

		{"ConflictJudgeOwn", roadshow.CanDeclareConflict(judge, ""), "", ""},
		{"ConflictJudgeOwnByID", roadshow.CanDeclareConflict(judge, "judge"), "", ""},
		{"ConflictOrganizerForAJudge", roadshow.CanDeclareConflict(org, "judge"), "", ""},
		{"ErrConflictJudgeForAnother", roadshow.CanDeclareConflict(judge, "judge2"), roadshow.EFORBIDDEN, "conflict.judges_own_only"},
		{"ErrConflictInvestor", roadshow.CanDeclareConflict(investor, ""), roadshow.EFORBIDDEN, "conflict.role_forbidden"},
		{"ErrConflictApplicant", roadshow.CanDeclareConflict(ada, ""), roadshow.EFORBIDDEN, "conflict.role_forbidden"},
		{"RequestMeeting", roadshow.CanRequestMeeting(investor, ended, "app-b"), "", ""},
		{"ErrRequestMeetingNoSlot", roadshow.CanRequestMeeting(investor, ended, "app-x"), roadshow.ENOTFOUND, "application.not_found"},
		{"ErrRequestMeetingNoSession", roadshow.CanRequestMeeting(investor, nil, "app-a"), roadshow.ENOTFOUND, "application.not_found"},
		{"ErrRequestMeetingOtherInvestor", roadshow.CanRequestMeeting(roadshow.Actor{UserID: "investor2", Role: roadshow.RoleInvestor}, ended, "app-a"), roadshow.ENOTFOUND, "application.not_found"},
		{"ErrRequestMeetingJudge", roadshow.CanRequestMeeting(judge, ended, "app-a"), roadshow.EFORBIDDEN, "meeting.investors_only"},
		{"ErrRequestMeetingOrganizer", roadshow.CanRequestMeeting(org, ended, "app-a"), roadshow.EFORBIDDEN, "meeting.investors_only"},
		{"ErrRequestMeetingApplicant", roadshow.CanRequestMeeting(ada, ended, "app-a"), roadshow.EFORBIDDEN, "meeting.investors_only"},
		{"ListMeetingsOrganizer", roadshow.CanListMeetings(org), "", ""},
		{"ListMeetingsInvestor", roadshow.CanListMeetings(investor), "", ""},
		{"ErrListMeetingsJudge", roadshow.CanListMeetings(judge), roadshow.EFORBIDDEN, "meeting.list_forbidden"},
		{"ErrListMeetingsApplicant", roadshow.CanListMeetings(bob), roadshow.EFORBIDDEN, "meeting.list_forbidden"},

		{"ResultsOrganizerBeforePublishing", roadshow.CanReadResults(org, ended, nil), "", ""},
		{"ResultsJudgePublished", roadshow.CanReadResults(judge, published, nil), "", ""},
		{"ResultsInvestorPublished", roadshow.CanReadResults(investor, published, nil), "", ""},
		{"ResultsTeamPublished", roadshow.CanReadResults(ada, published, own), "", ""},
		{"ErrResultsJudgeNotPublished", roadshow.CanReadResults(judge, ended, nil), roadshow.EFORBIDDEN, "results.not_published"},
		{"ErrResultsTeamNotPublished", roadshow.CanReadResults(ada, ended, own), roadshow.EFORBIDDEN, "results.not_published"},
		{"ErrResultsOtherTeam", roadshow.CanReadResults(bob, published, map[string]bool{}), roadshow.ENOTFOUND, "session.not_found"},
		{"ErrResultsOtherJudge", roadshow.CanReadResults(otherJudge, published, nil), roadshow.ENOTFOUND, "session.not_found"},

		{"InviteJudge", roadshow.CanInvite(org, roadshow.RoleJudge), "", ""},
		{"InviteInvestor", roadshow.CanInvite(org, roadshow.RoleInvestor), "", ""},
		{"InviteOrganizer", roadshow.CanInvite(org, roadshow.RoleOrganizer), "", ""},
		{"ErrInviteApplicantRole", roadshow.CanInvite(org, roadshow.RoleApplicant), roadshow.EUNPROCESSABLE, "field.invalid"},
		{"ErrInviteUnknownRole", roadshow.CanInvite(org, "admin"), roadshow.EUNPROCESSABLE, "field.invalid"},
		{"ErrInviteByJudge", roadshow.CanInvite(judge, roadshow.RoleJudge), roadshow.EFORBIDDEN, "user.invite_organizers_only"},
		{"ErrInviteByApplicant", roadshow.CanInvite(ada, roadshow.RoleOrganizer), roadshow.EFORBIDDEN, "user.invite_organizers_only"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, tt.err, tt.code, tt.key)
		})
	}
}

func TestApplicationView(t *testing.T) {
	t.Parallel()
	ada, bob, _, _, org := actors()
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	incomplete := &roadshow.Application{OwnerID: "ada", Status: roadshow.StatusDraft, Title: "T", Industry: "metaverse"}
	adas := func(st roadshow.Status) *roadshow.Application {
		a := completeApp()
		a.OwnerID, a.Status = "ada", st
		return a
	}
	for _, tt := range []struct {
		name     string
		actor    roadshow.Actor
		a        *roadshow.Application
		deadline time.Time
		want     roadshow.ApplicationActions
		missing  []string
	}{
		{"OwnerDraft", ada, adas(roadshow.StatusDraft), time.Time{}, roadshow.ApplicationActions{Edit: true, Submit: true, Withdraw: true}, nil},
		{"OwnerDraftAfterDeadline", ada, adas(roadshow.StatusDraft), now, roadshow.ApplicationActions{Withdraw: true}, nil},
		{"OwnerIncompleteDraft", ada, incomplete, time.Time{}, roadshow.ApplicationActions{Edit: true, Submit: true, Withdraw: true},
			[]string{"country", "fundingAsk", "landingPlan", "stage", "summary", "team", "timezone"}},
		{"OwnerSubmitted", ada, adas(roadshow.StatusSubmitted), time.Time{}, roadshow.ApplicationActions{Withdraw: true, Reopen: true}, nil},
		{"OwnerSubmittedAfterDeadline", ada, adas(roadshow.StatusSubmitted), now, roadshow.ApplicationActions{Withdraw: true}, nil},
		{"OwnerWithdrawn", ada, adas(roadshow.StatusWithdrawn), time.Time{}, roadshow.ApplicationActions{}, nil},
		{"OrganizerSubmitted", org, adas(roadshow.StatusSubmitted), time.Time{}, roadshow.ApplicationActions{Screen: true}, nil},
		{"OrganizerDraft", org, adas(roadshow.StatusDraft), time.Time{}, roadshow.ApplicationActions{}, nil},
		{"OtherApplicant", bob, adas(roadshow.StatusDraft), time.Time{}, roadshow.ApplicationActions{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := tt.a.View(tt.actor, tt.deadline, now)
			if v.Can != tt.want {
				t.Errorf("can: got %+v, want %+v", v.Can, tt.want)
			}
			var got []string
			for f := range v.MissingForSubmit {
				got = append(got, f)
			}
			if !sameSet(got, tt.missing) {
				t.Errorf("missingForSubmit: got %v, want %v", got, tt.missing)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// memSessions and memConflicts are the stores ApplicationService reads to
// decide what judges and investors see.
type memSessions struct{ byID map[string]*roadshow.Session }

func (m memSessions) CreateSession(ctx context.Context, s *roadshow.Session) error { return nil }
func (m memSessions) SessionByID(ctx context.Context, id string) (*roadshow.Session, error) {
	if se, ok := m.byID[id]; ok {
		return se, nil
	}
	return nil, roadshow.CodeError(roadshow.ENOTFOUND)
}
func (m memSessions) UpdateSession(ctx context.Context, id string, change roadshow.SessionChange) (*roadshow.Session, error) {
	return nil, roadshow.CodeError(roadshow.ENOTFOUND)
}
func (m memSessions) ListSessions(ctx context.Context, f roadshow.SessionFilter) ([]*roadshow.Session, error) {
	return []*roadshow.Session{}, nil
}

type memConflicts map[string]*roadshow.Conflict

func (m memConflicts) AddConflict(ctx context.Context, c *roadshow.Conflict) error {
	m[c.ID] = c
	return nil
}
func (m memConflicts) ConflictsByID(ctx context.Context, ids []string) ([]*roadshow.Conflict, error) {
	out := []*roadshow.Conflict{}
	for _, id := range ids {
		if c, ok := m[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}
func (m memConflicts) ConflictsOf(ctx context.Context, appID string) ([]*roadshow.Conflict, error) {
	return []*roadshow.Conflict{}, nil
}

// TestApplicationsGetInSession reads an application planned into a session
// as each role does: one home for the rule, the full or the public view.
func TestApplicationsGetInSession(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	ctx := context.Background()
	s, store, _ := service(t)
	a := mustCreate(t, s, ada, completeInput())
	se := sessionIn(roadshow.SessionScheduled)
	store.apps[a.ID].SessionID = se.ID
	s.Sessions = memSessions{byID: map[string]*roadshow.Session{se.ID: se}}
	conflicts := memConflicts{}
	s.Conflicts = conflicts
	for _, tt := range []struct {
		name     string
		actor    roadshow.Actor
		conflict bool
		want     string // "full", "public" or an error code
	}{
		{"Owner", ada, false, "full"},
		{"Organizer", org, false, "full"},
		{"Judge", judge, false, "full"},
		{"JudgeWithConflict", judge, true, "public"},
		{"Investor", investor, false, "public"},
		{"ErrOtherApplicant", bob, false, roadshow.ENOTFOUND},
		{"ErrOtherJudge", roadshow.Actor{UserID: "judge2", Role: roadshow.RoleJudge}, false, roadshow.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clear(conflicts)
			if tt.conflict {
				id := roadshow.ConflictID(tt.actor.UserID, a.ID)
				conflicts[id] = &roadshow.Conflict{ID: id, JudgeID: tt.actor.UserID, ApplicationID: a.ID}
			}
			read, err := s.Get(ctx, tt.actor, a.ID)
			got := roadshow.ErrorCode(err)
			switch {
			case err != nil:
			case read.Full != nil && read.Public == nil:
				got = "full"
			case read.Public != nil && read.Full == nil:
				got = "public"
			}
			if got != tt.want {
				t.Fatalf("got %q (%+v), want %q", got, read, tt.want)
			}
			_, _, err = s.OpenDeck(ctx, tt.actor, a.ID)
			wantDeck := roadshow.ENOTFOUND // no deck, or not the whole application
			if code := roadshow.ErrorCode(err); code != wantDeck {
				t.Fatalf("deck: got code %q, want %q", code, wantDeck)
			}
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

func TestRoomServiceEnter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ada, _, judge, _, org := actors()
	se := sessionIn(roadshow.SessionLive)
	apps := newMemStore()
	apps.apps["app-a"] = &roadshow.Application{ID: "app-a", OwnerID: "ada"}
	users := memUsers{}
	for _, a := range []roadshow.Actor{ada, judge, org} {
		users[a.UserID] = &roadshow.User{ID: a.UserID, Name: "Name of " + a.UserID, Role: a.Role}
	}
	s := &roadshow.RoomService{Sessions: &roadshow.SessionService{Store: memSessions{byID: map[string]*roadshow.Session{se.ID: se}}, Apps: apps}, Users: users}
	for _, tt := range []struct {
		name     string
		actor    roadshow.Actor
		id       string
		code     string
		moderate bool
	}{
		{"Organizer", org, se.ID, "", true},
		{"Judge", judge, se.ID, "", false},
		{"LiveTeam", ada, se.ID, "", false},
		{"ErrStranger", roadshow.Actor{UserID: "x", Role: roadshow.RoleInvestor}, se.ID, roadshow.ENOTFOUND, false},
		{"ErrNoSession", org, "ffffffffffffffffffffffff", roadshow.ENOTFOUND, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := s.Enter(ctx, tt.actor, tt.id)
			if got := roadshow.ErrorCode(err); got != tt.code || err == nil && (e.Ceiling.Moderate != tt.moderate || e.Name != "Name of "+tt.actor.UserID) {
				t.Fatalf("got %+v, %v; want code %q, moderate %v", e, err, tt.code, tt.moderate)
			}
		})
	}
}
