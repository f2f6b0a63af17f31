package roadshow

import (
	"context"
	"slices"
	"time"
)

// SessionState is where a pitch session is.
type SessionState string

const (
	SessionScheduled SessionState = "scheduled"
	SessionLive      SessionState = "live"
	SessionEnded     SessionState = "ended"
	SessionCancelled SessionState = "cancelled"
)

// Slot is one team's pitch inside a session: [Start, End).
type Slot struct {
	ApplicationID string    `json:"applicationId" bson:"applicationId"`
	Title         string    `json:"title" bson:"title"`
	Country       string    `json:"country,omitempty" bson:"country"`
	Timezone      string    `json:"timezone,omitempty" bson:"timezone"`
	Start         time.Time `json:"start" bson:"start"`
	End           time.Time `json:"end" bson:"end"`
}

// Session is one online pitch session of one industry.
type Session struct {
	ID         string       `json:"id" bson:"_id"`
	Industry   string       `json:"industry" bson:"industry"`
	Title      string       `json:"title" bson:"title"`
	Start      time.Time    `json:"start" bson:"start"`
	End        time.Time    `json:"end" bson:"end"`
	SlotLength int          `json:"slotMinutes" bson:"slotMinutes"`
	Slots      []Slot       `json:"slots" bson:"slots"`
	State      SessionState `json:"state" bson:"state"`
	// CurrentSlot is the index of the live slot, -1 when none is live.
	CurrentSlot   int        `json:"currentSlot" bson:"currentSlot"`
	SlotStartedAt *time.Time `json:"slotStartedAt" bson:"slotStartedAt"`
	Judges        []string   `json:"judges" bson:"judges"`
	Investors     []string   `json:"investors" bson:"investors"`
	PublishedAt   *time.Time `json:"publishedAt" bson:"publishedAt"`
	// Removed lists who organizers removed from the live room (organizers'
	// view only).
	Removed   []RoomRemoval `json:"removed,omitempty" bson:"removed,omitempty"`
	Version   int           `json:"version" bson:"version"`
	CreatedAt time.Time     `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time     `json:"updatedAt" bson:"updatedAt"`
	// Can is what the reader may do with the session now; views set it,
	// stores never keep it.
	Can *SessionActions `json:"can,omitempty" bson:"-"`
}

// SlotIndex returns the index of the application's slot, or -1.
func (s *Session) SlotIndex(applicationID string) int {
	for i, sl := range s.Slots {
		if sl.ApplicationID == applicationID {
			return i
		}
	}
	return -1
}

// HasJudge reports whether the user is assigned to judge the session.
func (s *Session) HasJudge(userID string) bool { return contains(s.Judges, userID) }

// HasInvestor reports whether the user is invited to watch the session.
func (s *Session) HasInvestor(userID string) bool { return contains(s.Investors, userID) }

// Published reports whether the results have been published.
func (s *Session) Published() bool { return s.PublishedAt != nil }

// Retime lays the slots back to back from the session's start, after a
// move or reorder, and sets the session's end.
func (s *Session) Retime() {
	d := time.Duration(s.SlotLength) * time.Minute
	for i := range s.Slots {
		s.Slots[i].Start = s.Start.Add(time.Duration(i) * d)
		s.Slots[i].End = s.Slots[i].Start.Add(d)
	}
	s.End = s.Start.Add(time.Duration(len(s.Slots)) * d)
}

// dropSlot takes the application's slot out, if it has one, and lays the
// others back to back.
func (s *Session) dropSlot(applicationID string, now time.Time) {
	if i := s.SlotIndex(applicationID); i >= 0 {
		s.Slots = slices.Delete(s.Slots, i, i+1)
		s.Retime()
		s.UpdatedAt = now
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// CanStart reports whether the session may go live: only a scheduled one
// with teams (ECONFLICT).
func (s *Session) CanStart() error {
	if s.State != SessionScheduled {
		return NewError(ECONFLICT, "session.start_not_scheduled", Args{"state": s.State})
	}
	if len(s.Slots) == 0 {
		return NewError(ECONFLICT, "session.no_teams", nil)
	}
	return nil
}

// CanNext reports whether the next slot may go live: the session is live
// and the live slot is not the last (ECONFLICT).
func (s *Session) CanNext() error {
	if s.State != SessionLive {
		return NewError(ECONFLICT, "session.not_live", nil)
	}
	if s.CurrentSlot+1 >= len(s.Slots) {
		return NewError(ECONFLICT, "session.last_team", nil)
	}
	return nil
}

// CanEnd reports whether the session may end: only a live one (ECONFLICT).
func (s *Session) CanEnd() error {
	return unless(s.State == SessionLive, NewError(ECONFLICT, "session.end_not_live", Args{"state": s.State}))
}

// CanCancel reports whether the session may be cancelled: only a scheduled
// one (ECONFLICT).
func (s *Session) CanCancel() error {
	return unless(s.State == SessionScheduled, NewError(ECONFLICT, "session.cancel_not_scheduled", Args{"state": s.State}))
}

// CanMoveTeams reports whether teams may be moved into, out of or within
// the session: only while it is scheduled (ECONFLICT).
func (s *Session) CanMoveTeams() error {
	return unless(s.State == SessionScheduled, NewError(ECONFLICT, "session.move_not_scheduled", Args{"title": s.Title, "state": s.State}))
}

// CanChangeParticipants reports whether judges and investors may be added
// or removed: not once the session ended or was cancelled (ECONFLICT).
func (s *Session) CanChangeParticipants() error {
	return unless(s.State != SessionEnded && s.State != SessionCancelled, NewError(ECONFLICT, "session.closed", Args{"state": s.State}))
}

// CanPublishResults reports whether the session's results may be
// published: once it ended (ECONFLICT before).
func (s *Session) CanPublishResults() error {
	return unless(s.State == SessionEnded, NewError(ECONFLICT, "results.session_not_ended", nil))
}

// CanRunSessions reports whether actor may start, advance, end and cancel
// sessions and publish their results: organizers only (EFORBIDDEN).
func CanRunSessions(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "session.run_organizers_only", nil))
}

// CanArrangeSessions reports whether actor may reorder a session's teams
// and move teams between sessions: organizers only (EFORBIDDEN).
func CanArrangeSessions(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "session.arrange_organizers_only", nil))
}

// CanAssignParticipants reports whether actor may assign judges to sessions
// and invite investors: organizers only (EFORBIDDEN).
func CanAssignParticipants(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "session.participants_organizers_only", nil))
}

// CanListSessions reports whether actor may list sessions: every role may,
// each seeing its own (see View); EFORBIDDEN for an unknown role.
func CanListSessions(actor Actor) error {
	return unless(actor.Role.Valid(), NewError(EFORBIDDEN, "session.role_forbidden", nil))
}

// IsParticipant reports whether actor takes part in the session: organizers
// in every session, its judges and investors, and applicants with a slot in
// it (own is the set of the applicant's applications).
func (s *Session) IsParticipant(actor Actor, own map[string]bool) bool {
	switch actor.Role {
	case RoleOrganizer:
		return true
	case RoleJudge:
		return s.HasJudge(actor.UserID)
	case RoleInvestor:
		return s.HasInvestor(actor.UserID)
	case RoleApplicant:
		return slices.ContainsFunc(s.Slots, func(sl Slot) bool { return own[sl.ApplicationID] })
	}
	return false
}

// CanFollowProgress reports whether actor may follow the scoring progress of
// the session: organizers and its judges. For a judge of other sessions it
// does not exist (ENOTFOUND); other roles never follow scoring (EFORBIDDEN).
func (s *Session) CanFollowProgress(actor Actor) error {
	switch {
	case actor.Is(RoleOrganizer), actor.Is(RoleJudge) && s.HasJudge(actor.UserID):
		return nil
	case actor.Is(RoleJudge):
		return NewError(ENOTFOUND, "session.not_found", nil)
	}
	return NewError(EFORBIDDEN, "score.progress_forbidden", nil)
}

// CanFollowEvents reports whether actor may open the session's event
// stream: everyone who takes part in it (IsParticipant: organizers, its
// judges and investors, the applicants with a slot in it; own is the set of
// the applicant's applications), so that a team waiting for its slot and an
// investor waiting for the start see the session move without reloading.
// What the stream carries is narrowed per reader: scoring progress only for
// those CanFollowProgress lets in, score values only for organizers. For
// anyone else the stream does not exist (ENOTFOUND).
func (s *Session) CanFollowEvents(actor Actor, own map[string]bool) error {
	return unless(s.IsParticipant(actor, own), NewError(ENOTFOUND, "session.not_found", nil))
}

// SessionActions tells the reader of a session what they may do with it
// now, so that pages show the controls the rules allow.
type SessionActions struct {
	Start          bool `json:"start"`
	Next           bool `json:"next"`
	End            bool `json:"end"`
	Cancel         bool `json:"cancel"`
	Move           bool `json:"move"`           // reorder its teams, move them to and from other sessions
	Participants   bool `json:"participants"`   // assign judges, invite investors
	PublishResults bool `json:"publishResults"` // publish its results
	// Score lists, for a judge, the applications they may score now (see
	// CanScore).
	Score []string `json:"score,omitempty"`
}

// Actions returns what an organizer may do with the session now; other
// roles control nothing (nil).
func (s *Session) Actions(actor Actor) *SessionActions {
	if CanRunSessions(actor) != nil {
		return nil
	}
	return &SessionActions{
		Start:          s.CanStart() == nil,
		Next:           s.CanNext() == nil,
		End:            s.CanEnd() == nil,
		Cancel:         s.CanCancel() == nil,
		Move:           CanArrangeSessions(actor) == nil && s.CanMoveTeams() == nil,
		Participants:   CanAssignParticipants(actor) == nil && s.CanChangeParticipants() == nil,
		PublishResults: s.CanPublishResults() == nil && !s.Published(),
	}
}

// View returns the session as actor sees it, or nil when it does not exist
// for them (see IsParticipant). Organizers see everything and what they may
// do; judges do not see who was removed from the live room; investors and
// applicants see no judges, investors or removals, investors no time zones
// (the public part of applications), and applicants other teams by title
// and time only.
func (s *Session) View(actor Actor, own map[string]bool) *Session {
	if !s.IsParticipant(actor, own) {
		return nil
	}
	c := *s
	c.Can = s.Actions(actor)
	switch actor.Role {
	case RoleOrganizer:
	case RoleJudge:
		c.Removed = nil
	case RoleInvestor:
		c.Judges, c.Investors, c.Removed = []string{}, []string{}, nil
		c.Slots = make([]Slot, len(s.Slots))
		for i, sl := range s.Slots {
			sl.Timezone = ""
			c.Slots[i] = sl
		}
	case RoleApplicant:
		c.Judges, c.Investors, c.Removed = []string{}, []string{}, nil
		c.Slots = make([]Slot, len(s.Slots))
		for i, sl := range s.Slots {
			if own[sl.ApplicationID] {
				c.Slots[i] = sl
			} else {
				c.Slots[i] = Slot{Title: sl.Title, Start: sl.Start, End: sl.End}
			}
		}
	}
	return &c
}

// SessionChange mutates a session read under the store's condition. It
// returns an error to abort the update without writing.
type SessionChange func(s *Session) error

// SessionCheck tells whether something may happen in a session's current
// state; its error is returned as it is.
type SessionCheck func(s *Session) error

// SessionStore persists sessions, and only sessions.
type SessionStore interface {
	// CreateSession stores s and sets its ID.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByID returns ENOTFOUND when there is no such session.
	SessionByID(ctx context.Context, id string) (*Session, error)
	// UpdateSession reads the session, applies change and writes it back
	// only if nobody changed it meanwhile (version check); returns the new
	// state. Errors from change are returned as they are; ECONFLICT when
	// the session kept changing.
	UpdateSession(ctx context.Context, id string, change SessionChange) (*Session, error)
	// ListSessions returns sessions in start order; zero filter fields
	// match everything.
	ListSessions(ctx context.Context, f SessionFilter) ([]*Session, error)
}

// SessionFilter selects sessions.
type SessionFilter struct {
	Industry string
	Judge    string // sessions this user judges
	Investor string // sessions this user watches
	IDs      []string
}
