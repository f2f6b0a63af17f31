package roadshow_test

import (
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestCanWriteApplications(t *testing.T) {
	t.Parallel()
	deadline := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		deadline time.Time
		now      time.Time
		code     string
		key      string
	}{
		{"NoDeadline", time.Time{}, deadline.Add(1000 * time.Hour), "", ""},
		{"Before", deadline, deadline.Add(-time.Millisecond), "", ""},
		{"ErrDeadlinePassedAtTheInstant", deadline, deadline, roadshow.ECONFLICT, "application.deadline_passed"},
		{"ErrDeadlinePassed", deadline, deadline.Add(time.Hour), roadshow.ECONFLICT, "application.deadline_passed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, roadshow.CanWriteApplications(tt.deadline, tt.now), tt.code, tt.key)
		})
	}
}

func TestCanReopenApplication(t *testing.T) {
	t.Parallel()
	ada, bob, judge, _, org := actors()
	deadline := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	before, after := deadline.Add(-time.Second), deadline
	in := func(st roadshow.Status) *roadshow.Application {
		return &roadshow.Application{OwnerID: "ada", Status: st}
	}
	screenedBack := in(roadshow.StatusSubmitted) // screened once, in a state a racing write left
	screenedBack.Screening = &roadshow.Screening{Decision: roadshow.StatusEligible}
	full := in(roadshow.StatusSubmitted)
	full.History = make([]roadshow.ApplicationEvent, roadshow.MaxHistory)
	almost := in(roadshow.StatusSubmitted)
	almost.History = make([]roadshow.ApplicationEvent, roadshow.MaxHistory-1)
	for _, tt := range []struct {
		name     string
		actor    roadshow.Actor
		a        *roadshow.Application
		deadline time.Time
		now      time.Time
		code     string
		key      string
	}{
		{"Submitted", ada, in(roadshow.StatusSubmitted), deadline, before, "", ""},
		{"SubmittedNoDeadline", ada, in(roadshow.StatusSubmitted), time.Time{}, after, "", ""},
		{"HistoryAlmostFull", ada, almost, deadline, before, "", ""},
		{"ErrDeadlinePassed", ada, in(roadshow.StatusSubmitted), deadline, after, roadshow.ECONFLICT, "application.deadline_passed"},
		{"ErrEligible", ada, in(roadshow.StatusEligible), deadline, before, roadshow.ECONFLICT, "application.reopen_screened"},
		{"ErrIneligible", ada, in(roadshow.StatusIneligible), deadline, before, roadshow.ECONFLICT, "application.reopen_screened"},
		{"ErrScreeningRecorded", ada, screenedBack, deadline, before, roadshow.ECONFLICT, "application.reopen_screened"},
		{"ErrDraft", ada, in(roadshow.StatusDraft), deadline, before, roadshow.ECONFLICT, "application.reopen_not_submitted"},
		{"ErrWithdrawn", ada, in(roadshow.StatusWithdrawn), deadline, before, roadshow.ECONFLICT, "application.reopen_not_submitted"},
		{"ErrHistoryFull", ada, full, deadline, before, roadshow.ECONFLICT, "application.history_full"},
		{"ErrOtherApplicant", bob, in(roadshow.StatusSubmitted), deadline, before, roadshow.ENOTFOUND, "application.not_found"},
		{"ErrOrganizer", org, in(roadshow.StatusSubmitted), deadline, before, roadshow.EFORBIDDEN, "application.owners_only"},
		{"ErrJudge", judge, in(roadshow.StatusSubmitted), deadline, before, roadshow.EFORBIDDEN, "application.owners_only"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, roadshow.CanReopenApplication(tt.actor, tt.a, tt.deadline, tt.now), tt.code, tt.key)
		})
	}
}

// TestActionsFollowTheDeadline: the flags the form reads say what the
// rules say, before and after the deadline.
func TestActionsFollowTheDeadline(t *testing.T) {
	t.Parallel()
	ada, _, _, _, org := actors()
	deadline := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	before, after := deadline.Add(-time.Second), deadline
	draft := &roadshow.Application{OwnerID: "ada", Status: roadshow.StatusDraft}
	submitted := &roadshow.Application{OwnerID: "ada", Status: roadshow.StatusSubmitted}
	for _, tt := range []struct {
		name  string
		actor roadshow.Actor
		a     *roadshow.Application
		now   time.Time
		want  roadshow.ApplicationActions
	}{
		{"DraftBefore", ada, draft, before, roadshow.ApplicationActions{Edit: true, Submit: true, Withdraw: true}},
		{"DraftAfter", ada, draft, after, roadshow.ApplicationActions{Withdraw: true}},
		{"SubmittedBefore", ada, submitted, before, roadshow.ApplicationActions{Withdraw: true, Reopen: true}},
		{"SubmittedAfter", ada, submitted, after, roadshow.ApplicationActions{Withdraw: true}},
		{"OrganizerSubmitted", org, submitted, before, roadshow.ApplicationActions{Screen: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.a.Actions(tt.actor, deadline, tt.now); got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
