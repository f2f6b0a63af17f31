package roadshow

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// SessionService runs pitch sessions: who sees them, the organizer's
// controls (start, next, end, cancel), the order of the teams, the judges
// and investors, and the calendar.
type SessionService struct {
	Store SessionStore
	Apps  ApplicationStore // the teams' applications: whose slot, and where each pitches
	Users UserStore        // the accounts assigned to sessions
	// Judging, when set, tells judges' views which teams they may score.
	Judging *JudgingService
	Clock   Clock
	Events  Publisher // may be nil
	Notify  *Notifier // may be nil: teams hear of new slot times by e-mail
}

// sessionNotFound gives a store's bare ENOTFOUND the session's message.
func sessionNotFound(err error) error { return Rekey(err, ENOTFOUND, "session.not_found", nil) }

// load reads a session by id.
func (s *SessionService) load(ctx context.Context, id string) (*Session, error) {
	se, err := s.Store.SessionByID(ctx, id)
	return se, sessionNotFound(err)
}

// update changes a session with change, saying what a lost race means.
func (s *SessionService) update(ctx context.Context, id string, change SessionChange) (*Session, error) {
	se, err := s.Store.UpdateSession(ctx, id, change)
	return se, Rekey(sessionNotFound(err), ECONFLICT, "session.changed", nil)
}

// List returns the sessions the actor may see, in start order: organizers
// all, judges and investors theirs, applicants those with their slot.
func (s *SessionService) List(ctx context.Context, actor Actor) ([]*Session, error) {
	if err := CanListSessions(actor); err != nil {
		return nil, err
	}
	var (
		list []*Session
		own  map[string]bool
		err  error
	)
	switch actor.Role {
	case RoleOrganizer:
		list, err = s.Store.ListSessions(ctx, SessionFilter{})
	case RoleJudge:
		list, err = s.Store.ListSessions(ctx, SessionFilter{Judge: actor.UserID})
	case RoleInvestor:
		list, err = s.Store.ListSessions(ctx, SessionFilter{Investor: actor.UserID})
	case RoleApplicant:
		page, lerr := s.Apps.ListApplications(ctx, ApplicationFilter{OwnerID: actor.UserID, Limit: MaxPageSize})
		if lerr != nil {
			return nil, lerr
		}
		var ids []string
		own = map[string]bool{}
		for _, a := range page.Items {
			own[a.ID] = true
			if a.SessionID != "" && !slices.Contains(ids, a.SessionID) {
				ids = append(ids, a.SessionID)
			}
		}
		list = []*Session{}
		if len(ids) > 0 {
			list, err = s.Store.ListSessions(ctx, SessionFilter{IDs: ids})
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]*Session, 0, len(list))
	for _, se := range list {
		if v := se.View(actor, own); v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// Get returns one session the actor may see; ENOTFOUND otherwise.
func (s *SessionService) Get(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.ViewFor(ctx, actor, se)
}

// ViewFor returns se as actor sees it (Session.View), with, for a judge,
// the teams they may score now. ENOTFOUND when it does not exist for them.
func (s *SessionService) ViewFor(ctx context.Context, actor Actor, se *Session) (*Session, error) {
	own, err := s.owned(ctx, actor, se)
	if err != nil {
		return nil, err
	}
	v := se.View(actor, own)
	if v == nil {
		return nil, NewError(ENOTFOUND, "session.not_found", nil)
	}
	if actor.Is(RoleJudge) && s.Judging != nil {
		scorable, err := s.Judging.Scorable(ctx, actor, se)
		if err != nil {
			return nil, err
		}
		v.Can = &SessionActions{Score: scorable}
	}
	if actor.Is(RoleApplicant) {
		_, err := se.RoomGrant(actor, own)
		v.Can = &SessionActions{Present: err == nil}
	}
	return v, nil
}

// Follow opens the session's event stream for actor (see
// CanFollowEvents) and returns the session as they see it; ENOTFOUND for
// anyone who takes no part in it.
func (s *SessionService) Follow(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	own, err := s.owned(ctx, actor, se)
	if err != nil {
		return nil, err
	}
	if err := se.CanFollowEvents(actor, own); err != nil {
		return nil, err
	}
	return s.ViewFor(ctx, actor, se)
}

// owned returns which of the session's applications an applicant owns (nil
// for other roles).
func (s *SessionService) owned(ctx context.Context, actor Actor, se *Session) (map[string]bool, error) {
	if !actor.Is(RoleApplicant) {
		return nil, nil
	}
	own := map[string]bool{}
	for _, sl := range se.Slots {
		a, err := s.Apps.ApplicationByID(ctx, sl.ApplicationID)
		if ErrorCode(err) == ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if a.OwnerID == actor.UserID {
			own[a.ID] = true
		}
	}
	return own, nil
}

// Start makes the first slot live. Organizers only; ECONFLICT unless
// scheduled with teams.
func (s *SessionService) Start(ctx context.Context, actor Actor, id string) (*Session, error) {
	return s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanStart(); err != nil {
			return err
		}
		se.State, se.CurrentSlot, se.SlotStartedAt = SessionLive, 0, &now
		return nil
	})
}

// Next makes the next slot live. ECONFLICT unless live with a next slot.
func (s *SessionService) Next(ctx context.Context, actor Actor, id string) (*Session, error) {
	return s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanNext(); err != nil {
			return err
		}
		se.CurrentSlot++
		se.SlotStartedAt = &now
		return nil
	})
}

// End closes a live session: scores can no longer change, and every
// complete score that is not final yet becomes final, with its log entry
// (see JudgingService.FinalizeAtEnd).
func (s *SessionService) End(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanEnd(); err != nil {
			return err
		}
		se.State, se.SlotStartedAt = SessionEnded, nil
		return nil
	})
	if err != nil || s.Judging == nil {
		return se, err
	}
	return se, s.Judging.FinalizeAtEnd(ctx, se)
}

// Cancel cancels a scheduled session and frees its teams for planning.
func (s *SessionService) Cancel(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanCancel(); err != nil {
			return err
		}
		se.cancel(now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, sl := range se.Slots {
		expect := se.ID
		if err := s.Apps.SetApplicationSession(ctx, sl.ApplicationID, "", &expect); err != nil && ErrorCode(err) != ECONFLICT {
			return nil, err
		}
	}
	return se, nil
}

// Release takes an application that left the roadshow out of its session
// while that session is still scheduled, so that it is neither pitched nor
// ranked, and frees it. A live or ended session keeps the slot: the pitch
// may already have happened, and its scores stay defensible.
func (s *SessionService) Release(ctx context.Context, a *Application) error {
	if a.SessionID == "" {
		return nil
	}
	now := s.Clock.Now()
	kept := false
	se, err := s.Store.UpdateSession(ctx, a.SessionID, func(se *Session) error {
		i := se.SlotIndex(a.ID)
		if i >= 0 && se.CanMoveTeams() != nil {
			kept = true
			return nil
		}
		if i >= 0 {
			// Its calendar entry is cancelled.
			sl := se.Slots[i]
			sl.Sequence = SlotSequence(sl.Sequence, now)
			se.Dropped = append(slices.DeleteFunc(se.Dropped, func(d Slot) bool { return d.ApplicationID == a.ID }), sl)
		}
		se.dropSlot(a.ID, now)
		return nil
	})
	if ErrorCode(err) == ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if kept {
		return nil
	}
	expect := se.ID
	if err := s.Apps.SetApplicationSession(ctx, a.ID, "", &expect); err != nil && ErrorCode(err) != ECONFLICT {
		return err
	}
	a.SessionID = ""
	s.publish(se)
	return nil
}

// control runs one of the organizers' controls on a session: fn checks its
// rule against the session as stored and changes it.
func (s *SessionService) control(ctx context.Context, actor Actor, id string, fn func(se *Session, now time.Time) error) (*Session, error) {
	if err := CanRunSessions(actor); err != nil {
		return nil, err
	}
	return s.change(ctx, actor, id, fn)
}

// change applies fn to the session as stored, stamps it, tells the room and
// answers the session as actor sees it.
func (s *SessionService) change(ctx context.Context, actor Actor, id string, fn func(se *Session, now time.Time) error) (*Session, error) {
	now := s.Clock.Now()
	se, err := s.update(ctx, id, func(se *Session) error {
		if err := fn(se, now); err != nil {
			return err
		}
		se.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.publish(se)
	return se.View(actor, nil), nil
}

func (s *SessionService) publish(se *Session) {
	if s.Events != nil {
		s.Events.Publish(Event{Type: EventSession, SessionID: se.ID, At: s.Clock.Now(), Session: se})
	}
}

// MoveInput moves a team to a position in the same or another session.
type MoveInput struct {
	ApplicationID string
	ToSessionID   string
	ToIndex       int
}

// MoveResult returns the changed sessions and warnings about local times.
type MoveResult struct {
	Sessions []*Session `json:"sessions"`
	Warnings []Message  `json:"warnings"`
}

// moveResult is what a move or reorder answers the organizer.
func moveResult(actor Actor, sessions ...*Session) MoveResult {
	res := MoveResult{Warnings: []Message{}}
	for _, se := range sessions {
		res.Sessions = append(res.Sessions, se.View(actor, nil))
		res.Warnings = append(res.Warnings, LocalTimeWarnings(se)...)
	}
	return res
}

// Move moves a team to another slot of its session or into another
// scheduled session of the same industry, and re-times the slots. The
// result warns when a team's slot falls outside its local day.
func (s *SessionService) Move(ctx context.Context, actor Actor, fromID string, in MoveInput) (MoveResult, error) {
	if err := CanArrangeSessions(actor); err != nil {
		return MoveResult{}, err
	}
	if in.ToSessionID == "" {
		in.ToSessionID = fromID
	}
	now := s.Clock.Now()
	from, err := s.load(ctx, fromID)
	if err != nil {
		return MoveResult{}, err
	}
	fromBefore := slices.Clone(from.Slots)
	idx := from.SlotIndex(in.ApplicationID)
	if idx < 0 {
		return MoveResult{}, FieldErrors(EUNPROCESSABLE, "session.team_not_in_session",
			map[string]Message{"applicationId": Msg("session.team_not_here", nil)})
	}
	slot := from.Slots[idx]
	if in.ToSessionID == fromID {
		return s.rearrange(ctx, actor, fromID, func(se *Session) error {
			i := se.SlotIndex(in.ApplicationID)
			if i < 0 {
				return NewError(ECONFLICT, "session.changed", nil)
			}
			if err := checkPosition(in.ToIndex, len(se.Slots)-1); err != nil {
				return err
			}
			sl := se.Slots[i]
			se.Slots = slices.Delete(se.Slots, i, i+1)
			se.Slots = slices.Insert(se.Slots, in.ToIndex, sl)
			return nil
		})
	}
	to, err := s.load(ctx, in.ToSessionID)
	if err != nil {
		return MoveResult{}, err
	}
	toBefore := slices.Clone(to.Slots)
	if to.Industry != from.Industry {
		return MoveResult{}, FieldErrors(EUNPROCESSABLE, "session.industries_mixed",
			map[string]Message{"toSessionId": Msg("session.same_industry", nil)})
	}
	if err := from.CanMoveTeams(); err != nil {
		return MoveResult{}, err
	}
	// The target grows: none of its judges and investors may be elsewhere
	// at its new time.
	all, err := s.Store.ListSessions(ctx, SessionFilter{})
	if err != nil {
		return MoveResult{}, err
	}
	sim := to.clone()
	if err := sim.insertSlot(slot, in.ToIndex, from.SlotLength, now); err != nil {
		return MoveResult{}, err
	}
	if err := s.clashError(ctx, sim, all); err != nil {
		return MoveResult{}, err
	}
	// Add to the target first, then point the application at it, then
	// remove it from the source, so that a failure never loses the team.
	to, err = s.update(ctx, to.ID, func(se *Session) error {
		return se.insertSlot(slot, in.ToIndex, from.SlotLength, now)
	})
	if err != nil {
		return MoveResult{}, err
	}
	expect := fromID
	if err := s.Apps.SetApplicationSession(ctx, in.ApplicationID, to.ID, &expect); err != nil {
		return MoveResult{}, Rekey(notFound(err), ECONFLICT, "session.application_moved", nil)
	}
	// The team has left: the source drops it whatever its state now.
	from, err = s.update(ctx, fromID, func(se *Session) error {
		se.dropSlot(in.ApplicationID, now)
		return nil
	})
	if err != nil {
		return MoveResult{}, err
	}
	s.publish(from)
	s.publish(to)
	s.Notify.SlotsChanged(ctx, from, fromBefore)
	s.Notify.SlotsChanged(ctx, to, toBefore)
	return moveResult(actor, from, to), nil
}

// insertSlot puts the team's slot sl (as it was in its former session)
// at index at of the scheduled session se and re-times it; the slot records
// the move (see Slot.Sequence). slotLength is the former session's, for a
// session that has none yet.
func (se *Session) insertSlot(sl Slot, at, slotLength int, now time.Time) error {
	if err := se.CanMoveTeams(); err != nil {
		return err
	}
	if se.SlotIndex(sl.ApplicationID) >= 0 {
		return NewError(ECONFLICT, "session.team_already_there", nil)
	}
	if err := checkPosition(at, len(se.Slots)); err != nil {
		return err
	}
	if se.SlotLength == 0 {
		se.SlotLength = slotLength
	}
	from := sl.Start
	se.Slots = slices.Insert(se.Slots, at, sl)
	se.Retime(now)
	if moved := &se.Slots[at]; moved.ChangedAt == nil || !moved.ChangedAt.Equal(now) {
		moved.moved(from, now) // another session, at the same time
	}
	se.UpdatedAt = now
	return nil
}

// clone returns a copy of the session that shares nothing it can change.
func (s *Session) clone() *Session {
	c := *s
	c.Slots = slices.Clone(s.Slots)
	c.Judges, c.Investors = slices.Clone(s.Judges), slices.Clone(s.Investors)
	return &c
}

// clashError refuses a session time that puts one of se's judges or
// investors in two sessions at once, naming them and the other session.
func (s *SessionService) clashError(ctx context.Context, se *Session, all []*Session) error {
	id, other := se.Clash(all)
	if other == nil {
		return nil
	}
	name := id
	if u, err := s.Users.UserByID(ctx, id); err == nil {
		name = u.Name
	} else if ErrorCode(err) != ENOTFOUND {
		return err
	}
	return NewError(ECONFLICT, "session.move_participant_busy", Args{"name": name, "title": other.Title, "start": other.Start, "end": other.End})
}

// MoveOption is where a team would pitch if moved to the end of another
// scheduled session of its industry: the session's new time, the team's
// slot there (pages show it in the team's time zone), the local-time
// warnings, and, when the move would be refused, why.
type MoveOption struct {
	SessionID string    `json:"sessionId"`
	Title     string    `json:"title"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	ToIndex   int       `json:"toIndex"`
	SlotStart time.Time `json:"slotStart"`
	SlotEnd   time.Time `json:"slotEnd"`
	Warnings  []Message `json:"warnings"`
	Blocked   *Message  `json:"blocked,omitempty"`
}

// MovePreview is what moving a team would do, before it is done.
type MovePreview struct {
	ApplicationID string       `json:"applicationId"`
	Title         string       `json:"title"`
	Timezone      string       `json:"timezone"` // the team's time zone
	Options       []MoveOption `json:"options"`
}

// PreviewMove shows, for every other scheduled session of the industry of
// session fromID, when the team appID would pitch there (appended at the
// end), the warnings for its local time, and whether the move would be
// refused for a judge's or investor's other session. Organizers only
// (EFORBIDDEN); EUNPROCESSABLE when the team is not in the session.
func (s *SessionService) PreviewMove(ctx context.Context, actor Actor, fromID, appID string) (MovePreview, error) {
	if err := CanArrangeSessions(actor); err != nil {
		return MovePreview{}, err
	}
	from, err := s.load(ctx, fromID)
	if err != nil {
		return MovePreview{}, err
	}
	idx := from.SlotIndex(appID)
	if idx < 0 {
		return MovePreview{}, FieldErrors(EUNPROCESSABLE, "session.team_not_in_session",
			map[string]Message{"applicationId": Msg("session.team_not_here", nil)})
	}
	slot := from.Slots[idx]
	out := MovePreview{ApplicationID: appID, Title: slot.Title, Timezone: slot.Timezone, Options: []MoveOption{}}
	all, err := s.Store.ListSessions(ctx, SessionFilter{})
	if err != nil {
		return MovePreview{}, err
	}
	now := s.Clock.Now()
	for _, to := range all {
		if to.ID == from.ID || to.Industry != from.Industry || to.CanMoveTeams() != nil {
			continue
		}
		sim := to.clone()
		at := len(sim.Slots)
		if err := sim.insertSlot(slot, at, from.SlotLength, now); err != nil {
			continue
		}
		sl := sim.Slots[at]
		opt := MoveOption{SessionID: to.ID, Title: to.Title, Start: sim.Start, End: sim.End, ToIndex: at,
			SlotStart: sl.Start, SlotEnd: sl.End, Warnings: LocalTimeWarnings(&Session{Slots: []Slot{sl}})}
		if err := s.clashError(ctx, sim, all); err != nil {
			m := ErrorMsg(err)
			opt.Blocked = &m
		}
		out.Options = append(out.Options, opt)
	}
	return out, nil
}

// checkPosition refuses a slot index outside 0..last.
func checkPosition(i, last int) error {
	if i < 0 || i > last {
		return FieldErrors(EUNPROCESSABLE, "session.position_invalid",
			map[string]Message{"toIndex": Msg("session.position_range", Args{"min": 0, "max": last})})
	}
	return nil
}

// LocalTimeWarnings names the teams whose slot lies outside
// PlanLocalDayStart-PlanLocalDayEnd of their own time zone.
func LocalTimeWarnings(se *Session) []Message {
	out := []Message{}
	for _, sl := range se.Slots {
		loc, err := time.LoadLocation(sl.Timezone)
		if err != nil || sl.Timezone == "" {
			continue
		}
		if !withinDay(sl.Start, sl.End, loc, PlanLocalDayStart, PlanLocalDayEnd) {
			args := localWindow(sl.Timezone)
			args["title"], args["localTime"] = sl.Title, sl.Start.In(loc).Format("15:04")
			out = append(out, Msg("session.local_time_warning", args))
		}
	}
	return out
}

// Reorder sets the order of the teams of a scheduled session.
func (s *SessionService) Reorder(ctx context.Context, actor Actor, id string, order []string) (MoveResult, error) {
	if err := CanArrangeSessions(actor); err != nil {
		return MoveResult{}, err
	}
	incomplete := FieldErrors(EUNPROCESSABLE, "session.order_incomplete",
		map[string]Message{"applicationIds": Msg("session.order_every_team", nil)})
	return s.rearrange(ctx, actor, id, func(se *Session) error {
		if len(order) != len(se.Slots) {
			return incomplete
		}
		slots := make([]Slot, 0, len(order))
		for _, appID := range order {
			i := se.SlotIndex(appID)
			if i < 0 || slices.ContainsFunc(slots, func(sl Slot) bool { return sl.ApplicationID == appID }) {
				return incomplete
			}
			slots = append(slots, se.Slots[i])
		}
		se.Slots = slots
		return nil
	})
}

// rearrange changes the order of a scheduled session's teams with fn (see
// CanMoveTeams), re-times the slots and tells the room.
func (s *SessionService) rearrange(ctx context.Context, actor Actor, id string, fn func(se *Session) error) (MoveResult, error) {
	now := s.Clock.Now()
	var before []Slot
	se, err := s.update(ctx, id, func(se *Session) error {
		if err := se.CanMoveTeams(); err != nil {
			return err
		}
		before = slices.Clone(se.Slots)
		if err := fn(se); err != nil {
			return err
		}
		se.Retime(now)
		se.UpdatedAt = now
		return nil
	})
	if err != nil {
		return MoveResult{}, err
	}
	s.publish(se)
	s.Notify.SlotsChanged(ctx, se, before)
	return moveResult(actor, se), nil
}

// SetParticipant adds or removes a judge (role judge) or an investor (role
// investor) of a session. Organizers only; EUNPROCESSABLE when the user
// does not have that role, ECONFLICT once the session ended or when the
// user takes part in another session at the same time (see CanTakePart).
func (s *SessionService) SetParticipant(ctx context.Context, actor Actor, id string, role Role, userID string, add bool) (*Session, error) {
	if err := CanAssignParticipants(actor); err != nil {
		return nil, err
	}
	var others []*Session
	if add {
		u, err := s.Users.UserByID(ctx, userID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && u.Role != role) {
			return nil, FieldErrors(EUNPROCESSABLE, "session.participant_role",
				map[string]Message{"userId": Msg("session.participant_not_role", Args{"role": role})})
		} else if err != nil {
			return nil, err
		}
		f := SessionFilter{Judge: userID}
		if role == RoleInvestor {
			f = SessionFilter{Investor: userID}
		}
		if others, err = s.Store.ListSessions(ctx, f); err != nil {
			return nil, err
		}
	}
	return s.change(ctx, actor, id, func(se *Session, _ time.Time) error {
		if err := se.CanChangeParticipants(); err != nil {
			return err
		}
		if add {
			if err := se.CanTakePart(userID, others); err != nil {
				return err
			}
		}
		list := &se.Judges
		if role == RoleInvestor {
			list = &se.Investors
		}
		has := slices.Contains(*list, userID)
		switch {
		case add && !has:
			*list = append(*list, userID)
		case !add && has:
			*list = slices.DeleteFunc(*list, func(x string) bool { return x == userID })
		case !add && !has:
			return NewError(ENOTFOUND, "session.participant_missing", Args{"role": role})
		}
		return nil
	})
}

// CalendarEntries returns the actor's sessions for the iCalendar feed:
// organizers get every session, the others theirs, cancelled ones marked
// so; applicants get their own slots, one entry per application whatever
// session it moves to (see Slot.Sequence), a cancelled one marked so.
func (s *SessionService) CalendarEntries(ctx context.Context, actor Actor) ([]CalendarEntry, error) {
	if actor.Is(RoleApplicant) {
		return s.slotEntries(ctx, actor)
	}
	list, err := s.List(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := []CalendarEntry{}
	for _, se := range list {
		out = append(out, CalendarEntry{UID: se.ID + "@roadshow", Summary: se.Title, Start: se.Start, End: se.End, Updated: se.UpdatedAt,
			Sequence: se.Version, Cancelled: se.State == SessionCancelled,
			Description: fmt.Sprintf("%d teams, %d-minute slots.", len(se.Slots), se.SlotLength)})
	}
	return out, nil
}

// slotEntries returns an applicant's pitch slots: the slot in the session
// each application is planned into, or, when its session was cancelled or
// it left one, that slot cancelled.
func (s *SessionService) slotEntries(ctx context.Context, actor Actor) ([]CalendarEntry, error) {
	page, err := s.Apps.ListApplications(ctx, ApplicationFilter{OwnerID: actor.UserID, Limit: MaxPageSize})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range page.Items {
		if id := cmp.Or(a.SessionID, a.LastSessionID); id != "" {
			ids = append(ids, id)
		}
	}
	out := []CalendarEntry{}
	if len(ids) == 0 {
		return out, nil
	}
	sessions, err := s.Store.ListSessions(ctx, SessionFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := map[string]*Session{}
	for _, se := range sessions {
		byID[se.ID] = se
	}
	for _, a := range page.Items {
		se := byID[cmp.Or(a.SessionID, a.LastSessionID)]
		if se == nil {
			continue
		}
		sl, cancelled := Slot{}, true
		if i := se.SlotIndex(a.ID); i >= 0 {
			sl, cancelled = se.Slots[i], se.State == SessionCancelled || a.SessionID != se.ID
		} else if i := slices.IndexFunc(se.Dropped, func(d Slot) bool { return d.ApplicationID == a.ID }); i >= 0 {
			sl = se.Dropped[i]
		} else {
			continue // moved on; its entry is where it went
		}
		out = append(out, SlotEntry(se, sl, cancelled))
	}
	return out, nil
}
