package roadshow

import (
	"slices"
	"time"
)

// The rules of an applicant's draft against the deadline, and of taking a
// submitted application back to draft. They live beside Application (see
// application.go) but in their own file, since they concern the applicant's
// half only.

// CanWriteApplications reports whether applicants may still create, edit or
// submit applications at now: ECONFLICT once the deadline (zero: none) has
// passed. The deadline is the instant the last change is refused.
func CanWriteApplications(deadline, now time.Time) error {
	if !deadline.IsZero() && !now.Before(deadline) {
		return NewError(ECONFLICT, "application.deadline_passed", Args{"deadline": deadline})
	}
	return nil
}

// reopenableStatuses: only a submitted application, not yet screened, goes
// back to draft; once an organizer has decided, the decision stands on what
// was submitted.
func reopenableStatuses() []Status { return []Status{StatusSubmitted} }

// CanReopenApplication reports whether actor may take a back to draft at
// now, to edit it again: its owner (EFORBIDDEN for other roles, ENOTFOUND
// for someone else's), while it is submitted and not screened (ECONFLICT),
// before the deadline (ECONFLICT).
func CanReopenApplication(actor Actor, a *Application, deadline, now time.Time) error {
	if err := CanChangeApplication(actor, a); err != nil {
		return err
	}
	return a.CanReopen(deadline, now)
}

// CanReopen is CanReopenApplication without the actor: the state the
// application and the clock must be in.
func (a *Application) CanReopen(deadline, now time.Time) error {
	if a.Screening != nil || a.Status == StatusEligible || a.Status == StatusIneligible {
		return NewError(ECONFLICT, "application.reopen_screened", nil)
	}
	if !slices.Contains(reopenableStatuses(), a.Status) {
		return NewError(ECONFLICT, "application.reopen_not_submitted", Args{"status": a.Status})
	}
	if err := a.CanAddHistory(); err != nil {
		return err
	}
	return CanWriteApplications(deadline, now)
}

// EventKind names what happened to an application in its history.
type EventKind string

const (
	// EventReopened: the owner took the submitted application back to draft.
	EventReopened EventKind = "reopened"
)

// MaxHistory bounds an application's history, so that a document cannot
// grow without end by reopening and submitting in a loop.
const MaxHistory = 100

// ApplicationEvent is one entry of an application's history: who did what
// when. Organizers read it on the application's page.
type ApplicationEvent struct {
	Kind EventKind `json:"kind" bson:"kind"`
	By   string    `json:"by" bson:"by"`
	At   time.Time `json:"at" bson:"at"`
	// SubmittedAt is, for a reopening, when the application had been
	// submitted: what the organizers may have seen of it.
	SubmittedAt *time.Time `json:"submittedAt,omitempty" bson:"submittedAt,omitempty"`
}

// CanAddHistory reports whether one more entry fits in a's history
// (ECONFLICT when it is full).
func (a *Application) CanAddHistory() error {
	return unless(len(a.History) < MaxHistory, NewError(ECONFLICT, "application.history_full", Args{"max": MaxHistory}))
}
