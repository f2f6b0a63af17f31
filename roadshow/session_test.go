package roadshow_test

import (
	"slices"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// sessionIn returns a session of two teams in state, the first slot live
// when live, with a judge and an investor.
func sessionIn(state roadshow.SessionState) *roadshow.Session {
	se := &roadshow.Session{
		ID: "0123456789abcdef01234567", Title: "Clean energy #1", State: state, CurrentSlot: -1,
		Slots:  []roadshow.Slot{{ApplicationID: "app-a", Title: "A", Timezone: "Europe/Berlin"}, {ApplicationID: "app-b", Title: "B", Timezone: "Asia/Tokyo"}},
		Judges: []string{"judge"}, Investors: []string{"investor"},
		Removed: []roadshow.RoomRemoval{{UserID: "someone"}},
	}
	if state == roadshow.SessionLive {
		se.CurrentSlot = 0
	}
	return se
}

// wantErr fails unless err has the code and message key wanted ("" for
// nil), printing both.
func wantErr(tb testing.TB, err error, code, key string) {
	tb.Helper()
	if got := roadshow.ErrorCode(err); got != code {
		tb.Fatalf("code: got %q (%v), want %q", got, err, code)
	}
	if got := roadshow.ErrorMsg(err).Key; err != nil && got != key {
		tb.Fatalf("key: got %q, want %q", got, key)
	}
}

func TestSessionStateRules(t *testing.T) {
	t.Parallel()
	lastLive := sessionIn(roadshow.SessionLive)
	lastLive.CurrentSlot = 1
	empty := sessionIn(roadshow.SessionScheduled)
	empty.Slots = nil
	type rule = func(*roadshow.Session) error
	for _, tt := range []struct {
		name string
		rule rule
		se   *roadshow.Session
		code string
		key  string
	}{
		{"Start", (*roadshow.Session).CanStart, sessionIn(roadshow.SessionScheduled), "", ""},
		{"ErrStartLive", (*roadshow.Session).CanStart, sessionIn(roadshow.SessionLive), roadshow.ECONFLICT, "session.start_not_scheduled"},
		{"ErrStartNoTeams", (*roadshow.Session).CanStart, empty, roadshow.ECONFLICT, "session.no_teams"},
		{"Next", (*roadshow.Session).CanNext, sessionIn(roadshow.SessionLive), "", ""},
		{"ErrNextLastTeam", (*roadshow.Session).CanNext, lastLive, roadshow.ECONFLICT, "session.last_team"},
		{"ErrNextScheduled", (*roadshow.Session).CanNext, sessionIn(roadshow.SessionScheduled), roadshow.ECONFLICT, "session.not_live"},
		{"End", (*roadshow.Session).CanEnd, sessionIn(roadshow.SessionLive), "", ""},
		{"ErrEndScheduled", (*roadshow.Session).CanEnd, sessionIn(roadshow.SessionScheduled), roadshow.ECONFLICT, "session.end_not_live"},
		{"Cancel", (*roadshow.Session).CanCancel, sessionIn(roadshow.SessionScheduled), "", ""},
		{"ErrCancelLive", (*roadshow.Session).CanCancel, sessionIn(roadshow.SessionLive), roadshow.ECONFLICT, "session.cancel_not_scheduled"},
		{"MoveTeams", (*roadshow.Session).CanMoveTeams, sessionIn(roadshow.SessionScheduled), "", ""},
		{"ErrMoveTeamsLive", (*roadshow.Session).CanMoveTeams, sessionIn(roadshow.SessionLive), roadshow.ECONFLICT, "session.move_not_scheduled"},
		{"ChangeParticipantsLive", (*roadshow.Session).CanChangeParticipants, sessionIn(roadshow.SessionLive), "", ""},
		{"ErrChangeParticipantsEnded", (*roadshow.Session).CanChangeParticipants, sessionIn(roadshow.SessionEnded), roadshow.ECONFLICT, "session.closed"},
		{"ErrChangeParticipantsCancelled", (*roadshow.Session).CanChangeParticipants, sessionIn(roadshow.SessionCancelled), roadshow.ECONFLICT, "session.closed"},
		{"PublishResults", (*roadshow.Session).CanPublishResults, sessionIn(roadshow.SessionEnded), "", ""},
		{"ErrPublishResultsLive", (*roadshow.Session).CanPublishResults, sessionIn(roadshow.SessionLive), roadshow.ECONFLICT, "results.session_not_ended"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, tt.rule(tt.se), tt.code, tt.key)
		})
	}
}

func TestSessionRoleRules(t *testing.T) {
	t.Parallel()
	ada, _, judge, investor, org := actors()
	rules := map[string]func(roadshow.Actor) error{
		"CanRunSessions": roadshow.CanRunSessions, "CanArrangeSessions": roadshow.CanArrangeSessions,
		"CanAssignParticipants": roadshow.CanAssignParticipants, "CanPlanSessions": roadshow.CanPlanSessions,
		"CanEditEdition": roadshow.CanEditEdition, "CanListConflicts": roadshow.CanListConflicts,
		"CanReadScoreLog": roadshow.CanReadScoreLog, "CanRankIndustry": roadshow.CanRankIndustry,
		"CanScreenApplications": roadshow.CanScreenApplications, "CanSeeSummary": roadshow.CanSeeSummary,
		"CanExport": roadshow.CanExport, "CanListUsers": roadshow.CanListUsers,
	}
	for name, rule := range rules {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := rule(org); err != nil {
				t.Fatalf("organizer: got %v, want nil", err)
			}
			for _, a := range []roadshow.Actor{ada, judge, investor, {}} {
				err := rule(a)
				if got := roadshow.ErrorCode(err); got != roadshow.EFORBIDDEN {
					t.Fatalf("%q: got code %q, want %q", a.Role, got, roadshow.EFORBIDDEN)
				}
				if tmpl, _ := roadshow.MessageTemplate(roadshow.ErrorMsg(err).Key); tmpl == "" {
					t.Fatalf("%q: got key %q, want a registered one", a.Role, roadshow.ErrorMsg(err).Key)
				}
			}
		})
	}
}

func TestSessionFollowRules(t *testing.T) {
	t.Parallel()
	ada, _, judge, investor, org := actors()
	other := roadshow.Actor{UserID: "judge2", Role: roadshow.RoleJudge}
	se := sessionIn(roadshow.SessionLive)
	for _, tt := range []struct {
		name     string
		actor    roadshow.Actor
		progress string // code of CanFollowProgress
		events   string // code of CanFollowEvents
		own      map[string]bool
		values   bool // CanSeeScoreValues
	}{
		{"Organizer", org, "", "", nil, true},
		// A judge follows who scored whom, never the other judges' marks.
		{"Judge", judge, "", "", nil, false},
		{"ErrOtherJudge", other, roadshow.ENOTFOUND, roadshow.ENOTFOUND, nil, false},
		// Investors and the teams follow the session, not the scoring.
		{"Investor", investor, roadshow.EFORBIDDEN, "", nil, false},
		{"ErrOtherInvestor", roadshow.Actor{UserID: "investor2", Role: roadshow.RoleInvestor}, roadshow.EFORBIDDEN, roadshow.ENOTFOUND, nil, false},
		{"ApplicantWaiting", ada, roadshow.EFORBIDDEN, "", map[string]bool{"app-b": true}, false},
		{"ErrApplicantWithoutSlot", ada, roadshow.EFORBIDDEN, roadshow.ENOTFOUND, map[string]bool{"app-x": true}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := roadshow.ErrorCode(se.CanFollowProgress(tt.actor)); got != tt.progress {
				t.Errorf("CanFollowProgress: got %q, want %q", got, tt.progress)
			}
			if got := roadshow.ErrorCode(se.CanFollowEvents(tt.actor, tt.own)); got != tt.events {
				t.Errorf("CanFollowEvents: got %q, want %q", got, tt.events)
			}
			if got := roadshow.CanSeeScoreValues(tt.actor); got != tt.values {
				t.Errorf("CanSeeScoreValues: got %v, want %v", got, tt.values)
			}
		})
	}
}

func TestSessionView(t *testing.T) {
	t.Parallel()
	ada, _, judge, investor, org := actors()
	stranger := roadshow.Actor{UserID: "x", Role: roadshow.RoleJudge}
	se := sessionIn(roadshow.SessionScheduled)
	own := map[string]bool{"app-b": true}
	for _, tt := range []struct {
		name       string
		actor      roadshow.Actor
		own        map[string]bool
		visible    bool
		people     bool // sees judges and investors
		removed    bool
		timezones  bool // sees the time zone of the second team (the applicant's own)
		otherTeams bool // sees the first team's id (not the applicant's)
		can        *roadshow.SessionActions
	}{
		{"Organizer", org, nil, true, true, true, true, true,
			&roadshow.SessionActions{Start: true, Cancel: true, Move: true, Participants: true}},
		{"Judge", judge, nil, true, true, false, true, true, nil},
		{"Investor", investor, nil, true, false, false, false, true, nil},
		{"Team", ada, own, true, false, false, true, false, nil},
		{"ErrStranger", stranger, nil, false, false, false, false, false, nil},
		{"ErrOtherTeam", ada, map[string]bool{"app-z": true}, false, false, false, false, false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := se.View(tt.actor, tt.own)
			if (v != nil) != tt.visible {
				t.Fatalf("visible: got %v, want %v", v != nil, tt.visible)
			}
			if v == nil {
				return
			}
			if got := len(v.Judges) > 0 && len(v.Investors) > 0; got != tt.people {
				t.Errorf("judges and investors: got %v %v, want shown %v", v.Judges, v.Investors, tt.people)
			}
			if got := len(v.Removed) > 0; got != tt.removed {
				t.Errorf("removed: got %v, want shown %v", v.Removed, tt.removed)
			}
			if got := v.Slots[1].Timezone != ""; got != tt.timezones {
				t.Errorf("time zones: got %q, want shown %v", v.Slots[1].Timezone, tt.timezones)
			}
			if got := v.Slots[0].ApplicationID != ""; got != tt.otherTeams {
				t.Errorf("other team's id: got %q, want shown %v", v.Slots[0].ApplicationID, tt.otherTeams)
			}
			if (v.Can == nil) != (tt.can == nil) || v.Can != nil && !actionsEqual(*v.Can, *tt.can) {
				t.Errorf("can: got %+v, want %+v", v.Can, tt.can)
			}
			if se.Can != nil || len(se.Judges) != 1 {
				t.Errorf("View changed the session: %+v", se)
			}
		})
	}
}

func TestSessionActionsFollowState(t *testing.T) {
	t.Parallel()
	_, _, _, _, org := actors()
	published := sessionIn(roadshow.SessionEnded)
	published.PublishedAt = published.SlotStartedAt
	for _, tt := range []struct {
		name string
		se   *roadshow.Session
		want roadshow.SessionActions
	}{
		{"Scheduled", sessionIn(roadshow.SessionScheduled), roadshow.SessionActions{Start: true, Cancel: true, Move: true, Participants: true}},
		{"Live", sessionIn(roadshow.SessionLive), roadshow.SessionActions{Next: true, End: true, Participants: true}},
		{"Ended", sessionIn(roadshow.SessionEnded), roadshow.SessionActions{PublishResults: true}},
		{"Published", publishedSession(), roadshow.SessionActions{WithdrawResults: true}},
		{"Cancelled", sessionIn(roadshow.SessionCancelled), roadshow.SessionActions{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.se.Actions(org); got == nil || !actionsEqual(*got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func actionsEqual(a, b roadshow.SessionActions) bool {
	return a.Start == b.Start && a.Next == b.Next && a.End == b.End && a.Cancel == b.Cancel && a.Move == b.Move &&
		a.Participants == b.Participants && a.PublishResults == b.PublishResults && a.WithdrawResults == b.WithdrawResults && slices.Equal(a.Score, b.Score)
}

func TestLocalTimeWarnings(t *testing.T) {
	t.Parallel()
	se := sessionIn(roadshow.SessionScheduled)
	// 06:00 UTC is 07:00 in Berlin (too early) and 15:00 in Tokyo (fine).
	start := mustTime(t, "2026-01-12T06:00:00Z")
	se.Start, se.SlotLength = start, 15
	se.Retime(start)
	got := roadshow.LocalTimeWarnings(se)
	if len(got) != 1 || got[0].Key != "session.local_time_warning" || got[0].Args["title"] != "A" || got[0].Args["localTime"] != "07:00" ||
		got[0].Args["from"] != "08:00" || got[0].Args["to"] != "22:00" {
		t.Fatalf("got %+v, want one warning for A at 07:00 outside 08:00-22:00", got)
	}
}

func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func publishedSession() *roadshow.Session {
	se := sessionIn(roadshow.SessionEnded)
	at := time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC)
	se.PublishedAt = &at
	return se
}

// TestRetimeRecordsMoves: a slot whose time changes records where it was,
// when it changed and a higher sequence for its calendar entry; a slot that
// keeps its time does not.
func TestRetimeRecordsMoves(t *testing.T) {
	t.Parallel()
	se := sessionIn(roadshow.SessionScheduled)
	start := mustTime(t, "2026-01-12T06:00:00Z")
	se.Start, se.SlotLength = start, 15
	se.Slots[0].Start, se.Slots[1].Start = start, start.Add(15*time.Minute)
	se.Slots[0].Sequence, se.Slots[1].Sequence = 5, 5
	now := mustTime(t, "2026-01-05T08:00:00Z")
	se.Slots[0], se.Slots[1] = se.Slots[1], se.Slots[0]
	se.Retime(now)
	for i, sl := range se.Slots {
		if want := start.Add(time.Duration(i) * 15 * time.Minute); !sl.Start.Equal(want) || sl.ChangedAt == nil || !sl.ChangedAt.Equal(now) ||
			sl.PreviousStart == nil || sl.PreviousStart.Equal(sl.Start) || sl.Sequence != roadshow.SlotSequence(5, now) || sl.Sequence <= 5 {
			t.Fatalf("slot %d: got %+v", i, sl)
		}
	}
	before := se.Slots[0]
	se.Retime(now.Add(time.Hour))
	if se.Slots[0].Sequence != before.Sequence || !se.Slots[0].ChangedAt.Equal(now) {
		t.Fatalf("a slot that kept its time changed: got %+v, want %+v", se.Slots[0], before)
	}
	// Sequences only grow, also within one second.
	if roadshow.SlotSequence(roadshow.SlotSequence(0, now), now) <= roadshow.SlotSequence(0, now) {
		t.Fatal("SlotSequence did not grow")
	}
}

// TestCanTakePart: nobody judges or watches two sessions at once; only
// scheduled and live sessions take time.
func TestCanTakePart(t *testing.T) {
	t.Parallel()
	at := func(state roadshow.SessionState, id, from, to string, judges, investors []string) *roadshow.Session {
		return &roadshow.Session{ID: id, Title: "Session " + id, State: state, Start: mustTime(t, from), End: mustTime(t, to), Judges: judges, Investors: investors}
	}
	se := at(roadshow.SessionScheduled, "s0", "2026-01-12T09:00:00Z", "2026-01-12T10:00:00Z", []string{"ann"}, []string{"ivy"})
	for _, tt := range []struct {
		name   string
		user   string
		others []*roadshow.Session
		clash  string // the other session's id, "" for none
	}{
		{"NoOtherSession", "ann", nil, ""},
		{"ErrOverlapsAsJudge", "ann", []*roadshow.Session{at(roadshow.SessionScheduled, "s1", "2026-01-12T09:45:00Z", "2026-01-12T11:00:00Z", []string{"ann"}, nil)}, "s1"},
		{"ErrOverlapsAsInvestor", "ivy", []*roadshow.Session{at(roadshow.SessionLive, "s1", "2026-01-12T08:00:00Z", "2026-01-12T09:30:00Z", nil, []string{"ivy"})}, "s1"},
		{"ErrInside", "ann", []*roadshow.Session{at(roadshow.SessionScheduled, "s1", "2026-01-12T09:15:00Z", "2026-01-12T09:30:00Z", []string{"ann"}, nil)}, "s1"},
		{"BackToBack", "ann", []*roadshow.Session{at(roadshow.SessionScheduled, "s1", "2026-01-12T10:00:00Z", "2026-01-12T11:00:00Z", []string{"ann"}, nil)}, ""},
		{"OtherPeople", "ann", []*roadshow.Session{at(roadshow.SessionScheduled, "s1", "2026-01-12T09:00:00Z", "2026-01-12T10:00:00Z", []string{"bob"}, []string{"ivy"})}, ""},
		{"Ended", "ann", []*roadshow.Session{at(roadshow.SessionEnded, "s1", "2026-01-12T09:00:00Z", "2026-01-12T10:00:00Z", []string{"ann"}, nil)}, ""},
		{"Cancelled", "ann", []*roadshow.Session{at(roadshow.SessionCancelled, "s1", "2026-01-12T09:00:00Z", "2026-01-12T10:00:00Z", []string{"ann"}, nil)}, ""},
		{"Itself", "ann", []*roadshow.Session{se}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := se.CanTakePart(tt.user, tt.others)
			if tt.clash == "" {
				wantErr(t, err, "", "")
				return
			}
			wantErr(t, err, roadshow.ECONFLICT, "session.participant_busy")
			if got := roadshow.ErrorMsg(err).Args["title"]; got != "Session "+tt.clash {
				t.Fatalf("names %v, want Session %s", got, tt.clash)
			}
			if id, o := se.Clash(tt.others); id != tt.user || o.ID != tt.clash {
				t.Fatalf("Clash: got %s %v", id, o)
			}
		})
	}
}
