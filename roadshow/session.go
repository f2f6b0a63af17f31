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
	// Sequence grows with every change of the slot (its time, its session,
	// its cancellation): the SEQUENCE of its calendar entry (RFC 5545), so
	// that calendar apps update the entry rather than add another. See
	// SlotSequence.
	Sequence int `json:"sequence,omitempty" bson:"sequence,omitempty"`
	// PreviousStart and ChangedAt say when the slot last moved and where
	// from, so that the team is told (nil: it never moved).
	PreviousStart *time.Time `json:"previousStart,omitempty" bson:"previousStart,omitempty"`
	ChangedAt     *time.Time `json:"changedAt,omitempty" bson:"changedAt,omitempty"`
}

// sequenceEpoch is the zero of SlotSequence.
var sequenceEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// SlotSequence is the sequence a slot changed at now gets: the seconds
// since 2025 (so that a slot planned again after its session was
// cancelled, in a new session, still gets a higher number than before),
// and at least one more than prev.
func SlotSequence(prev int, now time.Time) int {
	return max(prev+1, int(now.Sub(sequenceEpoch)/time.Second))
}

// moved records that the slot changed at now, from the start it had.
func (sl *Slot) moved(from time.Time, now time.Time) {
	if !from.IsZero() && !from.Equal(sl.Start) {
		f := from
		sl.PreviousStart = &f
	}
	n := now
	sl.ChangedAt = &n
	sl.Sequence = SlotSequence(sl.Sequence, now)
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
	// ResultsLog records every publication and withdrawal of the results
	// (organizers' view only).
	ResultsLog []ResultsLogEntry `json:"resultsLog,omitempty" bson:"resultsLog,omitempty"`
	// Emptied tells that the session was cancelled because its last team
	// left it.
	Emptied bool `json:"emptied,omitempty" bson:"emptied,omitempty"`
	// Dropped keeps the slots of teams that left the roadshow while the
	// session was scheduled, for their calendar (never shown).
	Dropped []Slot `json:"-" bson:"dropped,omitempty"`
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

// What happened to a session's results.
const (
	ResultsPublished = "published"
	ResultsWithdrawn = "withdrawn"
)

// MaxWithdrawReason bounds the reason given for withdrawing results.
const MaxWithdrawReason = 500

// ResultsLogEntry is one publication (with the gaps the organizer
// confirmed) or withdrawal (with its reason) of a session's results.
type ResultsLogEntry struct {
	Action string    `json:"action" bson:"action"` // ResultsPublished or ResultsWithdrawn
	At     time.Time `json:"at" bson:"at"`
	By     string    `json:"by" bson:"by"` // the organizer's user id
	Reason string    `json:"reason,omitempty" bson:"reason,omitempty"`
	Gaps   []Message `json:"gaps,omitempty" bson:"gaps,omitempty"`
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
// move or reorder, and sets the session's end. A slot whose time changes
// records it (see Slot.Sequence), as changed at now.
func (s *Session) Retime(now time.Time) {
	d := time.Duration(s.SlotLength) * time.Minute
	for i := range s.Slots {
		sl := &s.Slots[i]
		from := sl.Start
		sl.Start = s.Start.Add(time.Duration(i) * d)
		sl.End = sl.Start.Add(d)
		if !from.IsZero() && !from.Equal(sl.Start) {
			sl.moved(from, now)
		}
	}
	s.End = s.Start.Add(time.Duration(len(s.Slots)) * d)
}

// dropSlot takes the application's slot out, if it has one, and lays the
// others back to back. A scheduled session that loses its last team is
// cancelled (see cancelIfEmpty).
func (s *Session) dropSlot(applicationID string, now time.Time) {
	if i := s.SlotIndex(applicationID); i >= 0 {
		s.Slots = slices.Delete(s.Slots, i, i+1)
		s.Retime(now)
		s.UpdatedAt = now
		s.cancelIfEmpty()
	}
}

// cancelIfEmpty takes a scheduled session without teams off the schedule:
// it is cancelled and marked Emptied, so that nobody waits for it and its
// judges' and investors' calendars say so.
func (s *Session) cancelIfEmpty() {
	if s.State == SessionScheduled && len(s.Slots) == 0 {
		s.State, s.Emptied = SessionCancelled, true
	}
}

// cancel cancels the session: every slot's calendar entry is cancelled too.
func (s *Session) cancel(now time.Time) {
	s.State = SessionCancelled
	for i := range s.Slots {
		s.Slots[i].Sequence = SlotSequence(s.Slots[i].Sequence, now)
	}
}

// Active reports whether the session still takes its participants' time:
// scheduled or live.
func (s *Session) Active() bool { return s.State == SessionScheduled || s.State == SessionLive }

// Overlaps reports whether the two sessions' times [Start, End) overlap.
func (s *Session) Overlaps(o *Session) bool { return s.Start.Before(o.End) && o.Start.Before(s.End) }

// ClashFor returns the first active session of others, other than s, in
// which userID also judges or watches and whose time overlaps s; nil when
// there is none.
func (s *Session) ClashFor(userID string, others []*Session) *Session {
	for _, o := range others {
		if o.ID != s.ID && o.Active() && (o.HasJudge(userID) || o.HasInvestor(userID)) && s.Overlaps(o) {
			return o
		}
	}
	return nil
}

// Clash returns the first of s's judges and investors who takes part in an
// active session of others overlapping s, and that session; "" and nil when
// nobody does.
func (s *Session) Clash(others []*Session) (string, *Session) {
	for _, id := range slices.Concat(s.Judges, s.Investors) {
		if o := s.ClashFor(id, others); o != nil {
			return id, o
		}
	}
	return "", nil
}

// CanTakePart reports whether userID may judge or watch se, given the
// sessions others they take part in: nobody is in two sessions at once
// (ECONFLICT naming the other session). Only scheduled and live sessions
// count; a session that ended or was cancelled takes nobody's time.
func (s *Session) CanTakePart(userID string, others []*Session) error {
	if o := s.ClashFor(userID, others); o != nil {
		return NewError(ECONFLICT, "session.participant_busy", Args{"title": o.Title, "start": o.Start, "end": o.End})
	}
	return nil
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

// CanWithdrawResults reports whether the session's results may be
// withdrawn: only published ones (ECONFLICT).
func (s *Session) CanWithdrawResults() error {
	return unless(s.Published(), NewError(ECONFLICT, "results.withdraw_not_published", nil))
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

// CanSeeScoreValues reports whether actor may see the values judges gave
// (the totals in the scoring progress and its events) before results are
// published: organizers only. Judges follow who scored whom, not how much,
// so that no judge is swayed by another's marks.
func CanSeeScoreValues(actor Actor) bool { return actor.Is(RoleOrganizer) }

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
	Start           bool `json:"start"`
	Next            bool `json:"next"`
	End             bool `json:"end"`
	Cancel          bool `json:"cancel"`
	Move            bool `json:"move"`            // reorder its teams, move them to and from other sessions
	Participants    bool `json:"participants"`    // assign judges, invite investors
	PublishResults  bool `json:"publishResults"`  // publish its results
	WithdrawResults bool `json:"withdrawResults"` // withdraw their publication
	// Score lists, for a judge, the applications they may score now (see
	// CanScore).
	Score []string `json:"score,omitempty"`
	// Present tells an applicant that their team's slot is live: they may
	// go live now (see RoomGrant).
	Present bool `json:"present,omitempty"`
}

// Actions returns what an organizer may do with the session now; other
// roles control nothing (nil).
func (s *Session) Actions(actor Actor) *SessionActions {
	if CanRunSessions(actor) != nil {
		return nil
	}
	return &SessionActions{
		Start:           s.CanStart() == nil,
		Next:            s.CanNext() == nil,
		End:             s.CanEnd() == nil,
		Cancel:          s.CanCancel() == nil,
		Move:            CanArrangeSessions(actor) == nil && s.CanMoveTeams() == nil,
		Participants:    CanAssignParticipants(actor) == nil && s.CanChangeParticipants() == nil,
		PublishResults:  s.CanPublishResults() == nil && !s.Published(),
		WithdrawResults: s.CanWithdrawResults() == nil,
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
		c.Removed, c.ResultsLog = nil, nil
	case RoleInvestor:
		c.Judges, c.Investors, c.Removed, c.ResultsLog = []string{}, []string{}, nil, nil
		c.Slots = make([]Slot, len(s.Slots))
		for i, sl := range s.Slots {
			sl.Timezone = ""
			c.Slots[i] = sl
		}
	case RoleApplicant:
		c.Judges, c.Investors, c.Removed, c.ResultsLog = []string{}, []string{}, nil, nil
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
