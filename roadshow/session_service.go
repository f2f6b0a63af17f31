package roadshow

import (
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
	return v, nil
}

// Follow opens the session's event stream for actor (see
// CanFollowEvents) and returns the session as they see it; ENOTFOUND for
// anyone but organizers and the session's judges.
func (s *SessionService) Follow(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := se.CanFollowEvents(actor); err != nil {
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

// End closes a live session; scores can no longer change.
func (s *SessionService) End(ctx context.Context, actor Actor, id string) (*Session, error) {
	return s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanEnd(); err != nil {
			return err
		}
		se.State, se.SlotStartedAt = SessionEnded, nil
		return nil
	})
}

// Cancel cancels a scheduled session and frees its teams for planning.
func (s *SessionService) Cancel(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanCancel(); err != nil {
			return err
		}
		se.State = SessionCancelled
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
		if se.SlotIndex(a.ID) >= 0 && se.CanMoveTeams() != nil {
			kept = true
			return nil
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
	// Add to the target first, then point the application at it, then
	// remove it from the source, so that a failure never loses the team.
	to, err = s.update(ctx, to.ID, func(se *Session) error {
		if err := se.CanMoveTeams(); err != nil {
			return err
		}
		if se.SlotIndex(in.ApplicationID) >= 0 {
			return NewError(ECONFLICT, "session.team_already_there", nil)
		}
		if err := checkPosition(in.ToIndex, len(se.Slots)); err != nil {
			return err
		}
		if se.SlotLength == 0 {
			se.SlotLength = from.SlotLength
		}
		se.Slots = slices.Insert(se.Slots, in.ToIndex, slot)
		se.Retime()
		se.UpdatedAt = now
		return nil
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
		st, en := sl.Start.In(loc), sl.End.Add(-time.Nanosecond).In(loc)
		startMin := st.Hour()*60 + st.Minute()
		endMin := en.Hour()*60 + en.Minute()
		if st.YearDay() != en.YearDay() || startMin < PlanLocalDayStart || endMin >= PlanLocalDayEnd {
			args := localWindow(sl.Timezone)
			args["title"], args["localTime"] = sl.Title, st.Format("15:04")
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
		se.Retime()
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
// does not have that role, ECONFLICT once the session ended.
func (s *SessionService) SetParticipant(ctx context.Context, actor Actor, id string, role Role, userID string, add bool) (*Session, error) {
	if err := CanAssignParticipants(actor); err != nil {
		return nil, err
	}
	if add {
		u, err := s.Users.UserByID(ctx, userID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && u.Role != role) {
			return nil, FieldErrors(EUNPROCESSABLE, "session.participant_role",
				map[string]Message{"userId": Msg("session.participant_not_role", Args{"role": role})})
		} else if err != nil {
			return nil, err
		}
	}
	return s.change(ctx, actor, id, func(se *Session, _ time.Time) error {
		if err := se.CanChangeParticipants(); err != nil {
			return err
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
// organizers get every scheduled or live session, the others theirs;
// applicants get their own slot times.
func (s *SessionService) CalendarEntries(ctx context.Context, actor Actor) ([]CalendarEntry, error) {
	list, err := s.List(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := []CalendarEntry{}
	for _, se := range list {
		if se.State == SessionCancelled {
			continue
		}
		if actor.Is(RoleApplicant) {
			// One event per own slot: an applicant may have several teams
			// in one session.
			for _, sl := range se.Slots {
				if sl.ApplicationID != "" {
					out = append(out, SlotEntry(se, sl))
				}
			}
			continue
		}
		out = append(out, CalendarEntry{UID: se.ID + "@roadshow", Summary: se.Title, Start: se.Start, End: se.End, Updated: se.UpdatedAt,
			Description: fmt.Sprintf("%d teams, %d-minute slots.", len(se.Slots), se.SlotLength)})
	}
	return out, nil
}
