package roadshow

import (
	"context"
	"time"
)

// MaxMeetingNote bounds the note an investor adds to a meeting request.
const MaxMeetingNote = 1000

// Meeting is an investor's request to meet the team behind an application
// they saw pitch. One investor asks once per application: the id is
// deterministic (MeetingID), and asking again only changes the note. The
// matchmaking that follows (the team's answer, a time) comes later.
type Meeting struct {
	ID            string `json:"id" bson:"_id"`
	ApplicationID string `json:"applicationId" bson:"applicationId"`
	InvestorID    string `json:"investorId" bson:"investorId"`
	// SessionID is the session in which the investor saw the team.
	SessionID string    `json:"sessionId" bson:"sessionId"`
	Note      string    `json:"note" bson:"note"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// MeetingID is the deterministic id of an investor's request to meet the
// team of an application.
func MeetingID(investorID, applicationID string) string { return investorID + ":" + applicationID }

// CanRequestMeeting reports whether actor may ask to meet the team of the
// application appID, which pitches in se (nil when it has no session):
// investors invited to a session in which the application has a slot.
// EFORBIDDEN for other roles; for an investor of other sessions the
// application does not exist (ENOTFOUND), as when they read it.
func CanRequestMeeting(actor Actor, se *Session, appID string) error {
	switch {
	case !actor.Is(RoleInvestor):
		return NewError(EFORBIDDEN, "meeting.investors_only", nil)
	case se == nil || !se.HasInvestor(actor.UserID) || se.SlotIndex(appID) < 0:
		return NewError(ENOTFOUND, "application.not_found", nil)
	}
	return nil
}

// CanListMeetings reports whether actor may list meeting requests:
// organizers (all of them) and investors (their own); EFORBIDDEN otherwise.
func CanListMeetings(actor Actor) error {
	return unless(actor.Is(RoleOrganizer, RoleInvestor), NewError(EFORBIDDEN, "meeting.list_forbidden", nil))
}

// MeetingView is a meeting request as a list shows it: the team's title
// and industry and, for organizers, who asks.
type MeetingView struct {
	*Meeting
	Title         string `json:"title"`
	Industry      string `json:"industry"`
	InvestorName  string `json:"investorName,omitempty"`
	InvestorEmail string `json:"investorEmail,omitempty"`
}

// MeetingStore keeps meeting requests, one document per investor and
// application. It returns bare codes.
type MeetingStore interface {
	// PutMeeting stores m under its deterministic id (which it sets). The
	// first request is created (true); a repeated one keeps its creation
	// time and takes the new note and update time (false). It returns the
	// meeting as stored.
	PutMeeting(ctx context.Context, m *Meeting) (*Meeting, bool, error)
	// ListMeetings lists the requests of one investor, or of everyone when
	// investorID is empty, newest first.
	ListMeetings(ctx context.Context, investorID string) ([]*Meeting, error)
}
