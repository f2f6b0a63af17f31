package roadshow_test

import (
	"slices"
	"testing"

	"github.com/roadshow/roadshow/roadshow"
)

func TestSessionRoomGrant(t *testing.T) {
	t.Parallel()
	live := func() *roadshow.Session {
		return &roadshow.Session{
			State: roadshow.SessionLive, CurrentSlot: 1,
			Slots:     []roadshow.Slot{{ApplicationID: "app-a"}, {ApplicationID: "app-b"}},
			Judges:    []string{"judge"},
			Investors: []string{"investor"},
		}
	}
	org := roadshow.Actor{UserID: "org", Role: roadshow.RoleOrganizer}
	judge := roadshow.Actor{UserID: "judge", Role: roadshow.RoleJudge}
	otherJudge := roadshow.Actor{UserID: "judge2", Role: roadshow.RoleJudge}
	investor := roadshow.Actor{UserID: "investor", Role: roadshow.RoleInvestor}
	otherInvestor := roadshow.Actor{UserID: "investor2", Role: roadshow.RoleInvestor}
	teamA := roadshow.Actor{UserID: "team-a", Role: roadshow.RoleApplicant}
	teamB := roadshow.Actor{UserID: "team-b", Role: roadshow.RoleApplicant}
	stranger := roadshow.Actor{UserID: "stranger", Role: roadshow.RoleApplicant}
	camMic := []roadshow.MediaSource{roadshow.SourceCamera, roadshow.SourceMicrophone}

	tests := []struct {
		name    string
		session func() *roadshow.Session
		actor   roadshow.Actor
		own     map[string]bool
		want    roadshow.RoomGrant
		code    string
	}{
		{name: "OrganizerModerates", session: live, actor: org, want: roadshow.RoomGrant{Publish: camMic, Subscribe: true, Moderate: true}},
		{name: "JudgeCameraAndMicrophone", session: live, actor: judge, want: roadshow.RoomGrant{Publish: camMic, Subscribe: true}},
		{name: "InvestorReceivesOnly", session: live, actor: investor, want: roadshow.RoomGrant{Publish: []roadshow.MediaSource{}, Subscribe: true}},
		{name: "LiveTeamPresents", session: live, actor: teamB, own: map[string]bool{"app-b": true},
			want: roadshow.RoomGrant{Publish: roadshow.MediaSources(), Subscribe: true, Presenting: "app-b"}},
		{name: "ErrTeamNotLive", session: live, actor: teamA, own: map[string]bool{"app-a": true}, code: roadshow.EFORBIDDEN},
		{name: "ErrStranger", session: live, actor: stranger, own: map[string]bool{"app-z": true}, code: roadshow.ENOTFOUND},
		{name: "ErrOtherJudge", session: live, actor: otherJudge, code: roadshow.ENOTFOUND},
		{name: "ErrOtherInvestor", session: live, actor: otherInvestor, code: roadshow.ENOTFOUND},
		{name: "ErrNotLive", session: func() *roadshow.Session {
			s := live()
			s.State, s.CurrentSlot = roadshow.SessionScheduled, -1
			return s
		}, actor: judge, code: roadshow.ECONFLICT},
		{name: "ErrEnded", session: func() *roadshow.Session {
			s := live()
			s.State = roadshow.SessionEnded
			return s
		}, actor: teamB, own: map[string]bool{"app-b": true}, code: roadshow.ECONFLICT},
		{name: "ErrRemoved", session: func() *roadshow.Session {
			s := live()
			s.Removed = []roadshow.RoomRemoval{{UserID: "investor", Reason: "recording"}}
			return s
		}, actor: investor, code: roadshow.EFORBIDDEN},
		{name: "ErrRemovedStrangerStillNotFound", session: func() *roadshow.Session {
			s := live()
			s.Removed = []roadshow.RoomRemoval{{UserID: "stranger"}}
			return s
		}, actor: stranger, code: roadshow.ENOTFOUND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.session().RoomGrant(tc.actor, tc.own)
			if code := roadshow.ErrorCode(err); code != tc.code {
				t.Fatalf("code: got %q, want %q (%v)", code, tc.code, err)
			}
			if tc.code != "" {
				return
			}
			if !slices.Equal(got.Publish, tc.want.Publish) || got.Subscribe != tc.want.Subscribe || got.Moderate != tc.want.Moderate || got.Presenting != tc.want.Presenting {
				t.Fatalf("grant: got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRoomGrantWithin(t *testing.T) {
	t.Parallel()
	token := roadshow.RoomGrant{Publish: roadshow.MediaSources(), Subscribe: true, Presenting: "app-a"}
	tests := []struct {
		name  string
		now   roadshow.RoomGrant
		want  []roadshow.MediaSource
		pres  string
		canSc bool
	}{
		{name: "Same", now: token, want: roadshow.MediaSources(), pres: "app-a", canSc: true},
		{name: "SlotMovedOn", now: roadshow.RoomGrant{Publish: []roadshow.MediaSource{}, Subscribe: true}, want: []roadshow.MediaSource{}},
		{name: "OtherTeamOfTheSameOwner", now: roadshow.RoomGrant{Publish: roadshow.MediaSources(), Subscribe: true, Presenting: "app-b"}, want: roadshow.MediaSources(), pres: "app-b", canSc: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := token.Within(tc.now)
			if !slices.Equal(got.Publish, tc.want) || got.Presenting != tc.pres || got.CanPublish(roadshow.SourceScreen) != tc.canSc {
				t.Fatalf("got %+v, want publish %v presenting %q", got, tc.want, tc.pres)
			}
		})
	}
	if (roadshow.RoomGrant{Moderate: true}).Within(roadshow.RoomGrant{}).Moderate {
		t.Fatal("Within kept a right the limit does not give")
	}
}

func TestMediaSource(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src          roadshow.MediaSource
		valid, audio bool
	}{
		{roadshow.SourceCamera, true, false},
		{roadshow.SourceMicrophone, true, true},
		{roadshow.SourceScreen, true, false},
		{"speaker", false, false},
		{"", false, false},
	} {
		if tc.src.Valid() != tc.valid || tc.src.Audio() != tc.audio {
			t.Errorf("%q: got valid=%v audio=%v, want %v %v", tc.src, tc.src.Valid(), tc.src.Audio(), tc.valid, tc.audio)
		}
	}
	for _, tc := range []struct {
		name   string
		actor  roadshow.Role
		target roadshow.Role
		code   string
	}{
		{"OrganizerRemovesJudge", roadshow.RoleOrganizer, roadshow.RoleJudge, ""},
		{"OrganizerRemovesTeam", roadshow.RoleOrganizer, roadshow.RoleApplicant, ""},
		{"ErrOrganizerRemovesOrganizer", roadshow.RoleOrganizer, roadshow.RoleOrganizer, roadshow.EFORBIDDEN},
		{"ErrJudgeRemoves", roadshow.RoleJudge, roadshow.RoleInvestor, roadshow.EFORBIDDEN},
	} {
		if got := roadshow.ErrorCode(roadshow.CanRemoveFromRoom(roadshow.Actor{Role: tc.actor}, tc.target)); got != tc.code {
			t.Errorf("CanRemoveFromRoom %s: got %q, want %q", tc.name, got, tc.code)
		}
	}
}

// A room token can be had ahead of the slot (OBS Studio is set up before),
// never by outsiders, the removed, or once the session is over.
func TestSessionRoomCeiling(t *testing.T) {
	t.Parallel()
	base := roadshow.Session{State: roadshow.SessionScheduled, CurrentSlot: -1,
		Slots: []roadshow.Slot{{ApplicationID: "app-a"}, {ApplicationID: "app-b"}}, Judges: []string{"judge"}, Investors: []string{"investor"}}
	tests := []struct {
		name  string
		state roadshow.SessionState
		actor roadshow.Actor
		own   map[string]bool
		want  roadshow.RoomGrant
		code  string
	}{
		{"TeamBeforeItsSlot", roadshow.SessionScheduled, roadshow.Actor{UserID: "team-b", Role: roadshow.RoleApplicant}, map[string]bool{"app-b": true},
			roadshow.RoomGrant{Publish: roadshow.MediaSources(), Subscribe: true}, ""},
		{"InvestorWatchesOnly", roadshow.SessionLive, roadshow.Actor{UserID: "investor", Role: roadshow.RoleInvestor}, nil,
			roadshow.RoomGrant{Publish: []roadshow.MediaSource{}, Subscribe: true}, ""},
		{"OrganizerModerates", roadshow.SessionScheduled, roadshow.Actor{UserID: "org", Role: roadshow.RoleOrganizer}, nil,
			roadshow.RoomGrant{Publish: []roadshow.MediaSource{roadshow.SourceCamera, roadshow.SourceMicrophone}, Subscribe: true, Moderate: true}, ""},
		{"ErrOutsider", roadshow.SessionLive, roadshow.Actor{UserID: "judge-2", Role: roadshow.RoleJudge}, nil, roadshow.RoomGrant{}, roadshow.ENOTFOUND},
		{"ErrEnded", roadshow.SessionEnded, roadshow.Actor{UserID: "judge", Role: roadshow.RoleJudge}, nil, roadshow.RoomGrant{}, roadshow.ECONFLICT},
		{"ErrCancelled", roadshow.SessionCancelled, roadshow.Actor{UserID: "investor", Role: roadshow.RoleInvestor}, nil, roadshow.RoomGrant{}, roadshow.ECONFLICT},
		{"ErrRemoved", roadshow.SessionScheduled, roadshow.Actor{UserID: "removed", Role: roadshow.RoleInvestor}, nil, roadshow.RoomGrant{}, roadshow.EFORBIDDEN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			se := base
			se.State = tc.state
			if tc.name == "ErrRemoved" {
				se.Investors = []string{"removed"}
				se.Removed = []roadshow.RoomRemoval{{UserID: "removed", Reason: "noise"}}
			}
			got, err := se.RoomCeiling(tc.actor, tc.own)
			if code := roadshow.ErrorCode(err); code != tc.code {
				t.Fatalf("code: got %q, want %q (%v)", code, tc.code, err)
			}
			if tc.code == "" && (!slices.Equal(got.Publish, tc.want.Publish) || got.Subscribe != tc.want.Subscribe || got.Moderate != tc.want.Moderate || got.Presenting != "") {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRoomGrantModerateAndLists(t *testing.T) {
	t.Parallel()
	org := roadshow.RoomGrant{Subscribe: true, Moderate: true}
	watcher := roadshow.RoomGrant{Subscribe: true}
	team := roadshow.RoomGrant{Subscribe: true, Presenting: "app-a"}
	for _, tt := range []struct {
		name       string
		viewer     roadshow.RoomGrant
		role       roadshow.Role
		grant      roadshow.RoomGrant
		publishing bool
		want       bool
	}{
		{"ModeratorSeesAnInvestor", org, roadshow.RoleInvestor, watcher, false, true},
		{"ModeratorSeesAWaitingTeam", org, roadshow.RoleApplicant, watcher, false, true},
		{"InvestorSeesAJudge", watcher, roadshow.RoleJudge, watcher, false, true},
		{"InvestorSeesAnOrganizer", watcher, roadshow.RoleOrganizer, watcher, false, true},
		{"InvestorSeesTheLiveTeam", watcher, roadshow.RoleApplicant, team, false, true},
		{"TeamSeesAPublisher", team, roadshow.RoleInvestor, watcher, true, true},
		{"TeamCountsAnInvestor", team, roadshow.RoleInvestor, watcher, false, false},
		{"InvestorCountsAnotherInvestor", watcher, roadshow.RoleInvestor, watcher, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.viewer.Lists(tt.role, tt.grant, tt.publishing); got != tt.want {
				t.Fatalf("Lists: got %v, want %v", got, tt.want)
			}
		})
	}
	if err := org.CanModerate(); err != nil {
		t.Fatalf("organizer's grant: %v", err)
	}
	for _, g := range []roadshow.RoomGrant{watcher, team, {Publish: roadshow.MediaSources(), Subscribe: true}} {
		if got := roadshow.ErrorCode(g.CanModerate()); got != roadshow.EFORBIDDEN {
			t.Fatalf("CanModerate(%+v): got %q, want forbidden", g, got)
		}
	}
}
