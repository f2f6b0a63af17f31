package roadshow

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Sessions holds the rules for pitch sessions, judging and results.
type Sessions struct {
	Store  SessionStore
	Apps   ApplicationStore
	Decks  DeckStore
	Users  UserService
	Clock  Clock
	Events Publisher
	planMu sync.Mutex // one planning run at a time in this process
}

// Limits for session inputs.
const (
	MaxCommentLen      = 2000
	MaxConflictReason  = 500
	MaxEditionNameLen  = 200
	MaxSessionTitleLen = 200
)

// --- Edition ---

// EditionInput changes the edition; nil fields stay.
type EditionInput struct {
	Name          *string
	Deadline      *time.Time
	ClearDeadline bool
	Rubric        *Rubric
}

// Edition returns the edition; every signed-in user may read it.
func (s *Sessions) Edition(ctx context.Context) (Edition, error) {
	return s.Store.Edition(ctx)
}

// SaveEdition changes the edition (organizers). Returns ECONFLICT when the
// rubric changes after the first score, EUNPROCESSABLE for bad fields.
func (s *Sessions) SaveEdition(ctx context.Context, actor Actor, in EditionInput) (Edition, error) {
	if !actor.Is(RoleOrganizer) {
		return Edition{}, Errorf(EFORBIDDEN, "Only organizers can change the edition.")
	}
	e, err := s.Store.Edition(ctx)
	if err != nil {
		return Edition{}, err
	}
	var v Validator
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		v.Check(name != "", "name", "Give the edition a name.")
		v.Check(utf8.RuneCountInString(name) <= MaxEditionNameLen, "name", "Use at most 200 characters.")
		e.Name = name
	}
	if in.ClearDeadline {
		e.Deadline = nil
	} else if in.Deadline != nil {
		d := in.Deadline.UTC().Truncate(time.Millisecond)
		v.Check(jsonTime(d), "deadline", "Use a date between the years 1 and 9999.")
		e.Deadline = &d
	}
	changed := false
	if in.Rubric != nil {
		if err := in.Rubric.Validate(); err != nil {
			for f, m := range ErrorFields(err) {
				v.Add("rubric."+f, m)
			}
			if len(ErrorFields(err)) == 0 {
				v.Add("rubric", ErrorMessage(err))
			}
		}
		changed = !rubricEqual(e.Rubric, *in.Rubric)
		e.Rubric = *in.Rubric
	}
	if err := v.Err(EUNPROCESSABLE, "Some fields need attention."); err != nil {
		return Edition{}, err
	}
	e.UpdatedAt = s.Clock.Now()
	return s.Store.SaveEdition(ctx, e, changed)
}

// jsonTime reports whether t, in UTC, is a year JSON can encode (1..9999).
func jsonTime(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

func rubricEqual(a, b Rubric) bool {
	return slices.Equal(a.Criteria, b.Criteria)
}

// Deadline returns the edition's deadline, or fallback when it has none.
func (s *Sessions) Deadline(ctx context.Context, fallback time.Time) (time.Time, error) {
	e, err := s.Store.Edition(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if e.Deadline != nil {
		return *e.Deadline, nil
	}
	return fallback, nil
}

// --- Planning ---

// PlanRequest is an organizer's planning run.
type PlanRequest struct {
	Industries    []string
	MaxPerSession int
	SlotMinutes   int
	FirstStart    time.Time
	DayStart      string // "HH:MM" in Dalian time; default 08:00
	DayEnd        string // default 22:00
	Days          int
	Tracks        int
}

// PlanResult is what a planning run created and whom it could not place.
type PlanResult struct {
	Sessions []*Session `json:"sessions"`
	Unplaced []Unplaced `json:"unplaced"`
}

// Plan places the eligible applications that have no session yet into new
// sessions. Teams already in a session never move, so running it again
// only places newcomers. Organizers only.
func (s *Sessions) Plan(ctx context.Context, actor Actor, req PlanRequest) (PlanResult, error) {
	if !actor.Is(RoleOrganizer) {
		return PlanResult{}, Errorf(EFORBIDDEN, "Only organizers can plan sessions.")
	}
	var v Validator
	for i, ind := range req.Industries {
		v.Check(IsIndustry(ind), fmt.Sprintf("industries[%d]", i), "Unknown industry code.")
	}
	v.Check(!req.FirstStart.IsZero(), "firstStart", "Give the first possible start time.")
	// Every session must stay within what JSON can carry.
	v.Check(jsonTime(req.FirstStart) && jsonTime(req.FirstStart.AddDate(0, 0, PlanMaxDays+1)), "firstStart", "Use a date between the years 1 and 9999.")
	dayStart, ok := parseClock(req.DayStart, PlanDefaultDayStart)
	v.Check(ok, "dayStart", "Use HH:MM, e.g. 08:00.")
	dayEnd, ok := parseClock(req.DayEnd, PlanDefaultDayEnd)
	v.Check(ok, "dayEnd", "Use HH:MM, e.g. 22:00.")
	if err := v.Err(EUNPROCESSABLE, "Some fields need attention."); err != nil {
		return PlanResult{}, err
	}
	s.planMu.Lock()
	defer s.planMu.Unlock()
	apps, err := s.Store.EligibleUnplanned(ctx, req.Industries)
	if err != nil {
		return PlanResult{}, err
	}
	existing, err := s.Store.ListSessions(ctx, SessionFilter{})
	if err != nil {
		return PlanResult{}, err
	}
	var busy []Busy
	for _, se := range existing {
		if se.State != SessionCancelled && se.State != SessionEnded && len(se.Slots) > 0 {
			busy = append(busy, Busy{Start: se.Start, End: se.End})
		}
	}
	teams := make([]PlanTeam, 0, len(apps))
	byID := map[string]*Application{}
	for _, a := range apps {
		teams = append(teams, PlanTeam{ApplicationID: a.ID, Industry: a.Industry, Timezone: a.Timezone})
		byID[a.ID] = a
	}
	plan, err := PlanSessions(teams, busy, PlanOptions{
		Industries: req.Industries, MaxPerSession: req.MaxPerSession,
		SlotLength: time.Duration(req.SlotMinutes) * time.Minute, FirstStart: req.FirstStart.UTC(),
		DayStart: dayStart, DayEnd: dayEnd, Days: req.Days, Tracks: req.Tracks,
	})
	if err != nil {
		return PlanResult{}, err
	}
	now := s.Clock.Now()
	res := PlanResult{Sessions: []*Session{}, Unplaced: []Unplaced{}}
	for _, u := range plan.Unplaced {
		if a := byID[u.ApplicationID]; a != nil {
			u.Title = a.Title
		}
		res.Unplaced = append(res.Unplaced, u)
	}
	counter := map[string]int{}
	for _, se := range existing {
		counter[se.Industry]++
	}
	for _, ps := range plan.Sessions {
		counter[ps.Industry]++
		se := &Session{
			Industry: ps.Industry, Title: sessionTitle(ps.Industry, counter[ps.Industry]),
			Start: ps.Start, End: ps.End, State: SessionScheduled, CurrentSlot: -1,
			Judges: []string{}, Investors: []string{}, CreatedAt: now, UpdatedAt: now,
		}
		if len(ps.Slots) > 0 {
			se.SlotLength = int(ps.Slots[0].End.Sub(ps.Slots[0].Start) / time.Minute)
		}
		for _, sl := range ps.Slots {
			a := byID[sl.ApplicationID]
			se.Slots = append(se.Slots, Slot{ApplicationID: a.ID, Title: a.Title, Country: a.Country, Timezone: a.Timezone, Start: sl.Start, End: sl.End})
		}
		if err := s.Store.CreateSession(ctx, se); err != nil {
			return res, fmt.Errorf("create session: %w", err)
		}
		empty := ""
		for _, sl := range se.Slots {
			if err := s.Store.SetApplicationSession(ctx, sl.ApplicationID, se.ID, &empty); err != nil {
				return res, fmt.Errorf("place application %s: %w", sl.ApplicationID, err)
			}
		}
		res.Sessions = append(res.Sessions, se)
	}
	return res, nil
}

func sessionTitle(industry string, n int) string {
	for _, ind := range Industries() {
		if ind.Code == industry {
			return fmt.Sprintf("%s · %s #%d", ind.NameEN, ind.NameZH, n)
		}
	}
	return fmt.Sprintf("%s #%d", industry, n)
}

// parseClock reads "HH:MM" as minutes after midnight.
func parseClock(s string, def int) (int, bool) {
	if s == "" {
		return def, true
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * 60, true
		}
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// --- Reading sessions ---

// List returns the sessions the actor may see, in start order: organizers
// all, judges and investors theirs, applicants those with their slot.
func (s *Sessions) List(ctx context.Context, actor Actor) ([]*Session, error) {
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
	default:
		return nil, Errorf(EFORBIDDEN, "Your role may not list sessions.")
	}
	if err != nil {
		return nil, err
	}
	out := make([]*Session, 0, len(list))
	for _, se := range list {
		if v := s.view(actor, se, own); v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// Get returns one session the actor may see; ENOTFOUND otherwise.
func (s *Sessions) Get(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.Store.SessionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	var own map[string]bool
	if actor.Is(RoleApplicant) {
		own, err = s.ownedIn(ctx, actor, se)
		if err != nil {
			return nil, err
		}
	}
	v := s.view(actor, se, own)
	if v == nil {
		return nil, Errorf(ENOTFOUND, "Session not found.")
	}
	return v, nil
}

// ownedIn returns which of the session's applications the applicant owns.
func (s *Sessions) ownedIn(ctx context.Context, actor Actor, se *Session) (map[string]bool, error) {
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

// view returns the session as the actor may see it, or nil. Applicants see
// other teams by title and time only, and no judge or investor ids; own is
// the set of the applicant's applications.
func (s *Sessions) view(actor Actor, se *Session, own map[string]bool) *Session {
	switch actor.Role {
	case RoleOrganizer:
		return se
	case RoleJudge:
		if !se.HasJudge(actor.UserID) {
			return nil
		}
		c := *se
		c.Removed = nil
		return &c
	case RoleInvestor:
		if !se.HasInvestor(actor.UserID) {
			return nil
		}
		c := *se
		c.Judges, c.Investors, c.Removed = []string{}, []string{}, nil
		// Investors read the public part of applications: no time zones.
		c.Slots = make([]Slot, len(se.Slots))
		for i, sl := range se.Slots {
			sl.Timezone = ""
			c.Slots[i] = sl
		}
		return &c
	case RoleApplicant:
		if !slices.ContainsFunc(se.Slots, func(sl Slot) bool { return own[sl.ApplicationID] }) {
			return nil
		}
		c := *se
		c.Judges, c.Investors, c.Removed = []string{}, []string{}, nil
		c.Slots = make([]Slot, len(se.Slots))
		for i, sl := range se.Slots {
			if own[sl.ApplicationID] {
				c.Slots[i] = sl
			} else {
				c.Slots[i] = Slot{Title: sl.Title, Start: sl.Start, End: sl.End}
			}
		}
		return &c
	}
	return nil
}

// --- Controlling sessions ---

// Start makes the first slot live. Organizers only; ECONFLICT unless scheduled.
func (s *Sessions) Start(ctx context.Context, actor Actor, id string) (*Session, error) {
	return s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if se.State != SessionScheduled {
			return Errorf(ECONFLICT, "Only a scheduled session can start; this one is %s.", se.State)
		}
		if len(se.Slots) == 0 {
			return Errorf(ECONFLICT, "The session has no teams.")
		}
		se.State, se.CurrentSlot, se.SlotStartedAt = SessionLive, 0, &now
		return nil
	})
}

// Next makes the next slot live. ECONFLICT unless live with a next slot.
func (s *Sessions) Next(ctx context.Context, actor Actor, id string) (*Session, error) {
	return s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if se.State != SessionLive {
			return Errorf(ECONFLICT, "The session is not live.")
		}
		if se.CurrentSlot+1 >= len(se.Slots) {
			return Errorf(ECONFLICT, "This is the last team; end the session instead.")
		}
		se.CurrentSlot++
		se.SlotStartedAt = &now
		return nil
	})
}

// End closes a live session; scores can no longer change.
func (s *Sessions) End(ctx context.Context, actor Actor, id string) (*Session, error) {
	return s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if se.State != SessionLive {
			return Errorf(ECONFLICT, "Only a live session can end; this one is %s.", se.State)
		}
		se.State, se.SlotStartedAt = SessionEnded, nil
		return nil
	})
}

// Cancel cancels a scheduled session and frees its teams for planning.
func (s *Sessions) Cancel(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if se.State != SessionScheduled {
			return Errorf(ECONFLICT, "Only a scheduled session can be cancelled; this one is %s.", se.State)
		}
		se.State = SessionCancelled
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, sl := range se.Slots {
		expect := se.ID
		if err := s.Store.SetApplicationSession(ctx, sl.ApplicationID, "", &expect); err != nil && ErrorCode(err) != ECONFLICT {
			return nil, err
		}
	}
	return se, nil
}

// Release takes an application that left the roadshow out of its session
// while that session is still scheduled, so that it is neither pitched nor
// ranked, and frees it. A live or ended session keeps the slot: the pitch
// may already have happened, and its scores stay defensible.
func (s *Sessions) Release(ctx context.Context, a *Application) error {
	if a.SessionID == "" {
		return nil
	}
	now := s.Clock.Now()
	kept := false
	se, err := s.Store.UpdateSession(ctx, a.SessionID, func(se *Session) error {
		i := se.SlotIndex(a.ID)
		if i < 0 {
			return nil
		}
		if se.State != SessionScheduled {
			kept = true
			return nil
		}
		se.Slots = slices.Delete(se.Slots, i, i+1)
		se.Retime()
		se.UpdatedAt = now
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
	if err := s.Store.SetApplicationSession(ctx, a.ID, "", &expect); err != nil && ErrorCode(err) != ECONFLICT {
		return err
	}
	a.SessionID = ""
	s.publishSession(se)
	return nil
}

func (s *Sessions) control(ctx context.Context, actor Actor, id string, fn func(se *Session, now time.Time) error) (*Session, error) {
	if !actor.Is(RoleOrganizer) {
		return nil, Errorf(EFORBIDDEN, "Only organizers can run sessions.")
	}
	now := s.Clock.Now()
	se, err := s.Store.UpdateSession(ctx, id, func(se *Session) error {
		if err := fn(se, now); err != nil {
			return err
		}
		se.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.publishSession(se)
	return se, nil
}

func (s *Sessions) publishSession(se *Session) {
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
	Warnings []string   `json:"warnings"`
}

// Move moves a team to another slot of its session or into another
// scheduled session of the same industry, and re-times the slots. The
// result warns when a team's slot falls outside 08:00-22:00 of its time zone.
func (s *Sessions) Move(ctx context.Context, actor Actor, fromID string, in MoveInput) (MoveResult, error) {
	if !actor.Is(RoleOrganizer) {
		return MoveResult{}, Errorf(EFORBIDDEN, "Only organizers can move teams.")
	}
	if in.ToSessionID == "" {
		in.ToSessionID = fromID
	}
	now := s.Clock.Now()
	from, err := s.Store.SessionByID(ctx, fromID)
	if err != nil {
		return MoveResult{}, err
	}
	idx := from.SlotIndex(in.ApplicationID)
	if idx < 0 {
		return MoveResult{}, FieldErrors(EUNPROCESSABLE, "That team is not in this session.", map[string]string{"applicationId": "Not in this session."})
	}
	slot := from.Slots[idx]
	if in.ToSessionID == fromID {
		se, err := s.Store.UpdateSession(ctx, fromID, func(se *Session) error {
			if err := movable(se); err != nil {
				return err
			}
			i := se.SlotIndex(in.ApplicationID)
			if i < 0 {
				return Errorf(ECONFLICT, "The session changed meanwhile; reload and try again.")
			}
			if in.ToIndex < 0 || in.ToIndex >= len(se.Slots) {
				return FieldErrors(EUNPROCESSABLE, "No such position.", map[string]string{"toIndex": fmt.Sprintf("Use 0 to %d.", len(se.Slots)-1)})
			}
			sl := se.Slots[i]
			se.Slots = slices.Delete(se.Slots, i, i+1)
			se.Slots = slices.Insert(se.Slots, in.ToIndex, sl)
			se.Retime()
			se.UpdatedAt = now
			return nil
		})
		if err != nil {
			return MoveResult{}, err
		}
		s.publishSession(se)
		return MoveResult{Sessions: []*Session{se}, Warnings: localTimeWarnings(se)}, nil
	}
	to, err := s.Store.SessionByID(ctx, in.ToSessionID)
	if err != nil {
		return MoveResult{}, err
	}
	if to.Industry != from.Industry {
		return MoveResult{}, FieldErrors(EUNPROCESSABLE, "Sessions never mix industries.", map[string]string{"toSessionId": "Choose a session of the same industry."})
	}
	if err := movable(from); err != nil {
		return MoveResult{}, err
	}
	// Add to the target first, then point the application at it, then
	// remove it from the source, so that a failure never loses the team.
	to, err = s.Store.UpdateSession(ctx, to.ID, func(se *Session) error {
		if err := movable(se); err != nil {
			return err
		}
		if se.SlotIndex(in.ApplicationID) >= 0 {
			return Errorf(ECONFLICT, "The team is already in that session.")
		}
		if in.ToIndex < 0 || in.ToIndex > len(se.Slots) {
			return FieldErrors(EUNPROCESSABLE, "No such position.", map[string]string{"toIndex": fmt.Sprintf("Use 0 to %d.", len(se.Slots))})
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
	if err := s.Store.SetApplicationSession(ctx, in.ApplicationID, to.ID, &expect); err != nil {
		return MoveResult{}, err
	}
	from, err = s.Store.UpdateSession(ctx, fromID, func(se *Session) error {
		if i := se.SlotIndex(in.ApplicationID); i >= 0 {
			se.Slots = slices.Delete(se.Slots, i, i+1)
			se.Retime()
		}
		se.UpdatedAt = now
		return nil
	})
	if err != nil {
		return MoveResult{}, err
	}
	s.publishSession(from)
	s.publishSession(to)
	return MoveResult{Sessions: []*Session{from, to}, Warnings: append(localTimeWarnings(from), localTimeWarnings(to)...)}, nil
}

func movable(se *Session) error {
	if se.State != SessionScheduled {
		return Errorf(ECONFLICT, "Teams can only be moved while the session is scheduled; %q is %s.", se.Title, se.State)
	}
	return nil
}

// localTimeWarnings names the teams whose slot lies outside 08:00-22:00 of
// their own time zone.
func localTimeWarnings(se *Session) []string {
	out := []string{}
	for _, sl := range se.Slots {
		loc, err := time.LoadLocation(sl.Timezone)
		if err != nil || sl.Timezone == "" {
			continue
		}
		st, en := sl.Start.In(loc), sl.End.Add(-time.Nanosecond).In(loc)
		startMin := st.Hour()*60 + st.Minute()
		endMin := en.Hour()*60 + en.Minute()
		if st.YearDay() != en.YearDay() || startMin < PlanLocalDayStart || endMin >= PlanLocalDayEnd {
			out = append(out, fmt.Sprintf("%q pitches at %s local time (%s), outside 08:00-22:00.", sl.Title, st.Format("15:04"), sl.Timezone))
		}
	}
	return out
}

// Reorder sets the order of the teams of a scheduled session.
func (s *Sessions) Reorder(ctx context.Context, actor Actor, id string, order []string) (MoveResult, error) {
	if !actor.Is(RoleOrganizer) {
		return MoveResult{}, Errorf(EFORBIDDEN, "Only organizers can reorder sessions.")
	}
	now := s.Clock.Now()
	se, err := s.Store.UpdateSession(ctx, id, func(se *Session) error {
		if err := movable(se); err != nil {
			return err
		}
		if len(order) != len(se.Slots) {
			return FieldErrors(EUNPROCESSABLE, "List every team of the session once.", map[string]string{"applicationIds": "List every team once."})
		}
		slots := make([]Slot, 0, len(order))
		for _, appID := range order {
			i := se.SlotIndex(appID)
			if i < 0 || slices.ContainsFunc(slots, func(sl Slot) bool { return sl.ApplicationID == appID }) {
				return FieldErrors(EUNPROCESSABLE, "List every team of the session once.", map[string]string{"applicationIds": "List every team once."})
			}
			slots = append(slots, se.Slots[i])
		}
		se.Slots = slots
		se.Retime()
		se.UpdatedAt = now
		return nil
	})
	if err != nil {
		return MoveResult{}, err
	}
	s.publishSession(se)
	return MoveResult{Sessions: []*Session{se}, Warnings: localTimeWarnings(se)}, nil
}

// --- Participants ---

// SetParticipant adds or removes a judge (role judge) or an investor (role
// investor) of a session. Organizers only; EUNPROCESSABLE when the user
// does not have that role.
func (s *Sessions) SetParticipant(ctx context.Context, actor Actor, id string, role Role, userID string, add bool) (*Session, error) {
	if !actor.Is(RoleOrganizer) {
		return nil, Errorf(EFORBIDDEN, "Only organizers can assign judges and invite investors.")
	}
	if add {
		u, err := s.Users.UserByID(ctx, userID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && u.Role != role) {
			return nil, FieldErrors(EUNPROCESSABLE, fmt.Sprintf("Choose a %s account.", role), map[string]string{"userId": fmt.Sprintf("Not a %s.", role)})
		} else if err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now()
	se, err := s.Store.UpdateSession(ctx, id, func(se *Session) error {
		if se.State == SessionEnded || se.State == SessionCancelled {
			return Errorf(ECONFLICT, "The session is %s.", se.State)
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
			return Errorf(ENOTFOUND, "That %s is not part of this session.", role)
		}
		se.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.publishSession(se)
	return se, nil
}

// People lists the judges or investors organizers can choose from.
func (s *Sessions) People(ctx context.Context, actor Actor, role Role) ([]*User, error) {
	if !actor.Is(RoleOrganizer) {
		return nil, Errorf(EFORBIDDEN, "Only organizers can list accounts.")
	}
	if role != RoleJudge && role != RoleInvestor && role != RoleOrganizer {
		return nil, FieldErrors(EINVALID, "Choose judge, investor or organizer.", map[string]string{"role": "Choose judge, investor or organizer."})
	}
	return s.Store.UsersByRole(ctx, role)
}

// --- Applications seen by judges and investors ---

// ApplicationView is what a caller may read of an application: the whole
// of it, or only its public part.
type ApplicationView struct {
	Full   *Application
	Public *PublicApplication
}

// ViewApplication applies the read rules of every role: owners and
// organizers read it all; an assigned judge without a conflict reads it
// all, with a conflict only its public part; an invited investor reads the
// public part. Anyone else: ENOTFOUND.
func (s *Sessions) ViewApplication(ctx context.Context, actor Actor, id string) (ApplicationView, error) {
	a, err := s.Apps.ApplicationByID(ctx, id)
	if err != nil {
		return ApplicationView{}, err
	}
	if CanReadApplication(actor, a) {
		return ApplicationView{Full: a}, nil
	}
	if !actor.Is(RoleJudge, RoleInvestor) || a.SessionID == "" {
		return ApplicationView{}, Errorf(ENOTFOUND, "Application not found.")
	}
	se, err := s.Store.SessionByID(ctx, a.SessionID)
	if ErrorCode(err) == ENOTFOUND {
		return ApplicationView{}, Errorf(ENOTFOUND, "Application not found.")
	} else if err != nil {
		return ApplicationView{}, err
	}
	pub := a.Public()
	switch {
	case actor.Is(RoleJudge) && se.HasJudge(actor.UserID):
		conflict, err := s.hasConflict(ctx, actor.UserID, a.ID)
		if err != nil {
			return ApplicationView{}, err
		}
		if conflict {
			return ApplicationView{Public: &pub}, nil
		}
		return ApplicationView{Full: a}, nil
	case actor.Is(RoleInvestor) && se.HasInvestor(actor.UserID):
		return ApplicationView{Public: &pub}, nil
	}
	return ApplicationView{}, Errorf(ENOTFOUND, "Application not found.")
}

// OpenDeck streams an application's pitch deck. The deck is not public: it
// goes to whoever may read the whole application (owner, organizers, the
// session's judges without a conflict). Returns ENOTFOUND otherwise or
// when no deck was uploaded.
func (s *Sessions) OpenDeck(ctx context.Context, actor Actor, id string) (io.ReadCloser, *DeckInfo, error) {
	v, err := s.ViewApplication(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if v.Full == nil {
		return nil, nil, Errorf(ENOTFOUND, "Application not found.")
	}
	if v.Full.Deck == nil {
		return nil, nil, Errorf(ENOTFOUND, "No pitch deck has been uploaded.")
	}
	rc, err := s.Decks.OpenDeck(ctx, id, *v.Full.Deck)
	if err != nil {
		return nil, nil, err
	}
	return rc, v.Full.Deck, nil
}

func (s *Sessions) hasConflict(ctx context.Context, judgeID, appID string) (bool, error) {
	cs, err := s.Store.ConflictsByID(ctx, []string{ConflictID(judgeID, appID)})
	return len(cs) > 0, err
}

// --- Conflicts ---

// DeclareConflict records a conflict of interest. A judge declares their own
// on an application of their sessions; an organizer records one for any
// judge (judgeID). Idempotent.
func (s *Sessions) DeclareConflict(ctx context.Context, actor Actor, appID, judgeID, reason string) (*Conflict, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxConflictReason {
		return nil, FieldErrors(EUNPROCESSABLE, "Some fields need attention.", map[string]string{"reason": "Use at most 500 characters."})
	}
	switch actor.Role {
	case RoleJudge:
		if judgeID != "" && judgeID != actor.UserID {
			return nil, Errorf(EFORBIDDEN, "Judges declare their own conflicts only.")
		}
		judgeID = actor.UserID
		if _, err := s.ViewApplication(ctx, actor, appID); err != nil {
			return nil, err
		}
	case RoleOrganizer:
		if _, err := s.Apps.ApplicationByID(ctx, appID); err != nil {
			return nil, err
		}
		u, err := s.Users.UserByID(ctx, judgeID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && u.Role != RoleJudge) {
			return nil, FieldErrors(EUNPROCESSABLE, "Choose a judge.", map[string]string{"judgeId": "Not a judge."})
		} else if err != nil {
			return nil, err
		}
	default:
		return nil, Errorf(EFORBIDDEN, "Only judges and organizers record conflicts of interest.")
	}
	c := &Conflict{ID: ConflictID(judgeID, appID), JudgeID: judgeID, ApplicationID: appID, Reason: reason, DeclaredBy: actor.UserID, At: s.Clock.Now()}
	if err := s.Store.AddConflict(ctx, c); err != nil {
		return nil, err
	}
	// A conflict changes how many judges may score the team: tell the room.
	if a, err := s.Apps.ApplicationByID(ctx, appID); err == nil && a.SessionID != "" {
		if se, err := s.Store.SessionByID(ctx, a.SessionID); err == nil {
			s.publishProgress(ctx, se)
		}
	}
	return c, nil
}

// Conflicts lists the conflicts declared on an application (organizers).
func (s *Sessions) Conflicts(ctx context.Context, actor Actor, appID string) ([]*Conflict, error) {
	if !actor.Is(RoleOrganizer) {
		return nil, Errorf(EFORBIDDEN, "Only organizers can list conflicts.")
	}
	if _, err := s.Apps.ApplicationByID(ctx, appID); err != nil {
		return nil, err
	}
	return s.Store.ConflictsOf(ctx, appID)
}

// --- Scoring ---

// ScoreInput is a judge's scoring of one team.
type ScoreInput struct {
	Values  map[string]int
	Comment string
}

// SaveScore saves (autosaves) a judge's score for the team of the current
// or an earlier slot of a live session. See CanScore for the refusals.
func (s *Sessions) SaveScore(ctx context.Context, actor Actor, sessionID, appID string, in ScoreInput) (*Score, error) {
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > MaxCommentLen {
		return nil, FieldErrors(EUNPROCESSABLE, "Some fields need attention.", map[string]string{"comment": "Use at most 2000 characters."})
	}
	se, _, err := s.scoreCheck(ctx, actor, sessionID, appID)
	if err != nil {
		return nil, err
	}
	if err := s.checkAgainstLockedRubric(ctx, in.Values); err != nil {
		return nil, err
	}
	sc := &Score{ID: ScoreID(sessionID, actor.UserID, appID), SessionID: sessionID, JudgeID: actor.UserID, ApplicationID: appID,
		Values: in.Values, Comment: in.Comment, UpdatedAt: s.Clock.Now()}
	if err := s.Store.SaveScore(ctx, sc, scoreRule(actor, appID)); err != nil {
		return nil, err
	}
	s.publishProgress(ctx, se)
	return sc, nil
}

// FinalizeScore locks a judge's saved score. ECONFLICT when nothing is saved.
func (s *Sessions) FinalizeScore(ctx context.Context, actor Actor, sessionID, appID string) (*Score, error) {
	se, existing, err := s.scoreCheck(ctx, actor, sessionID, appID)
	if err != nil {
		return nil, err
	}
	if existing == nil {
		return nil, Errorf(ECONFLICT, "Save a score before making it final.")
	}
	sc := *existing
	sc.Final = true
	sc.UpdatedAt = s.Clock.Now()
	if err := s.Store.SaveScore(ctx, &sc, scoreRule(actor, appID)); err != nil {
		return nil, err
	}
	s.publishProgress(ctx, se)
	return &sc, nil
}

// scoreRule checks the session's state again where the score is written, so
// that a save racing "next" or "end" is judged by the state it lands in.
// Conflicts and final scores were checked before and are enforced there.
func scoreRule(actor Actor, appID string) SessionCheck {
	return func(se *Session) error {
		return CanScore(ScoreContext{
			SessionState: string(se.State), CurrentSlot: se.CurrentSlot, SlotIndex: se.SlotIndex(appID),
			JudgeAssigned: se.HasJudge(actor.UserID),
		})
	}
}

// scoreCheck applies CanScore and returns the session and the judge's
// current score (nil if none).
func (s *Sessions) scoreCheck(ctx context.Context, actor Actor, sessionID, appID string) (*Session, *Score, error) {
	if !actor.Is(RoleJudge) {
		return nil, nil, Errorf(EFORBIDDEN, "Only judges score pitches.")
	}
	se, err := s.Store.SessionByID(ctx, sessionID)
	if err != nil {
		return nil, nil, err
	}
	if !se.HasJudge(actor.UserID) {
		return nil, nil, Errorf(EFORBIDDEN, "You are not a judge of this session.")
	}
	conflict, err := s.hasConflict(ctx, actor.UserID, appID)
	if err != nil {
		return nil, nil, err
	}
	scores, err := s.Store.ScoresByID(ctx, []string{ScoreID(sessionID, actor.UserID, appID)})
	if err != nil {
		return nil, nil, err
	}
	var existing *Score
	if len(scores) > 0 {
		existing = scores[0]
	}
	if err := CanScore(ScoreContext{
		SessionState: string(se.State), CurrentSlot: se.CurrentSlot, SlotIndex: se.SlotIndex(appID),
		JudgeAssigned: true, Conflict: conflict, Locked: existing != nil && existing.Final,
	}); err != nil {
		return nil, nil, err
	}
	return se, existing, nil
}

// checkAgainstLockedRubric checks values against the rubric and locks the rubric before
// the first score is saved, checking again against the locked rubric, so
// that no score is ever accepted under a rubric an organizer changes in the
// same instant. Invalid values never lock it.
func (s *Sessions) checkAgainstLockedRubric(ctx context.Context, values map[string]int) error {
	ed, err := s.Store.Edition(ctx)
	if err != nil {
		return err
	}
	if err := ed.Rubric.ValidateScores(values); err != nil || ed.RubricLocked {
		return err
	}
	if err := s.Store.LockRubric(ctx); err != nil {
		return err
	}
	if ed, err = s.Store.Edition(ctx); err != nil {
		return err
	}
	return ed.Rubric.ValidateScores(values)
}

// MyScores returns the judge's own scores in a session.
func (s *Sessions) MyScores(ctx context.Context, actor Actor, sessionID string) ([]*Score, error) {
	if !actor.Is(RoleJudge) {
		return nil, Errorf(EFORBIDDEN, "Only judges have scores.")
	}
	se, err := s.Store.SessionByID(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if !se.HasJudge(actor.UserID) {
		return nil, Errorf(ENOTFOUND, "Session not found.")
	}
	ids := make([]string, 0, len(se.Slots))
	for _, sl := range se.Slots {
		ids = append(ids, ScoreID(se.ID, actor.UserID, sl.ApplicationID))
	}
	return s.Store.ScoresByID(ctx, ids)
}

// ScoreLog returns every saved score of a session, oldest first (organizers).
func (s *Sessions) ScoreLog(ctx context.Context, actor Actor, sessionID string) ([]*ScoreLogEntry, error) {
	if !actor.Is(RoleOrganizer) {
		return nil, Errorf(EFORBIDDEN, "Only organizers can read the score log.")
	}
	if _, err := s.Store.SessionByID(ctx, sessionID); err != nil {
		return nil, err
	}
	return s.Store.ScoreLog(ctx, sessionID)
}

// sheet is everything known about a session's scoring.
type sheet struct {
	scores    []*Score
	conflicts map[string]map[string]bool
}

// loadSheet reads a session's scores and conflicts by their known ids.
func (s *Sessions) loadSheet(ctx context.Context, se *Session) (sheet, error) {
	var scoreIDs, conflictIDs []string
	for _, j := range se.Judges {
		for _, sl := range se.Slots {
			scoreIDs = append(scoreIDs, ScoreID(se.ID, j, sl.ApplicationID))
			conflictIDs = append(conflictIDs, ConflictID(j, sl.ApplicationID))
		}
	}
	scores, err := s.Store.ScoresByID(ctx, scoreIDs)
	if err != nil {
		return sheet{}, err
	}
	cs, err := s.Store.ConflictsByID(ctx, conflictIDs)
	if err != nil {
		return sheet{}, err
	}
	sh := sheet{scores: scores, conflicts: map[string]map[string]bool{}}
	for _, c := range cs {
		if sh.conflicts[c.JudgeID] == nil {
			sh.conflicts[c.JudgeID] = map[string]bool{}
		}
		sh.conflicts[c.JudgeID][c.ApplicationID] = true
	}
	return sh, nil
}

// Progress counts, per team, the judges who scored it.
func (s *Sessions) Progress(ctx context.Context, se *Session) ([]TeamProgress, []JudgeScoreTotal, error) {
	sh, err := s.loadSheet(ctx, se)
	if err != nil {
		return nil, nil, err
	}
	ed, err := s.Store.Edition(ctx)
	if err != nil {
		return nil, nil, err
	}
	prog := make([]TeamProgress, len(se.Slots))
	index := map[string]int{}
	for i, sl := range se.Slots {
		prog[i] = TeamProgress{ApplicationID: sl.ApplicationID}
		index[sl.ApplicationID] = i
		for _, j := range se.Judges {
			if !sh.conflicts[j][sl.ApplicationID] {
				prog[i].Judges++
			}
		}
	}
	totals := []JudgeScoreTotal{}
	for _, sc := range sh.scores {
		i, ok := index[sc.ApplicationID]
		if !ok || sh.conflicts[sc.JudgeID][sc.ApplicationID] || !se.HasJudge(sc.JudgeID) {
			continue
		}
		prog[i].Scored++
		if sc.Final {
			prog[i].Final++
		}
		totals = append(totals, JudgeScoreTotal{ApplicationID: sc.ApplicationID, JudgeID: sc.JudgeID, Total: ed.Rubric.WeightedTotal(sc.Values), Final: sc.Final})
	}
	return prog, totals, nil
}

func (s *Sessions) publishProgress(ctx context.Context, se *Session) {
	if s.Events == nil {
		return
	}
	prog, totals, err := s.Progress(ctx, se)
	if err != nil {
		return // progress is advisory; the next score or a reload brings it
	}
	now := s.Clock.Now()
	s.Events.Publish(Event{Type: EventProgress, SessionID: se.ID, At: now, Progress: prog})
	s.Events.Publish(Event{Type: EventScores, SessionID: se.ID, At: now, Scores: totals, OrganizersOnly: true})
}

// SessionProgress returns the progress for organizers and the session's judges.
func (s *Sessions) SessionProgress(ctx context.Context, actor Actor, id string) ([]TeamProgress, []JudgeScoreTotal, error) {
	se, err := s.Store.SessionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !actor.Is(RoleOrganizer) && !(actor.Is(RoleJudge) && se.HasJudge(actor.UserID)) {
		return nil, nil, Errorf(ENOTFOUND, "Session not found.")
	}
	prog, totals, err := s.Progress(ctx, se)
	if !actor.Is(RoleOrganizer) {
		totals = nil
	}
	return prog, totals, err
}

// --- Results ---

// RankedTeam is one line of a ranking as shown to its reader.
type RankedTeam struct {
	ApplicationID string       `json:"applicationId"`
	Title         string       `json:"title"`
	Country       string       `json:"country,omitempty"`
	SessionID     string       `json:"sessionId,omitempty"`
	Rank          int          `json:"rank"`
	Mean          float64      `json:"mean"`
	ZMean         *float64     `json:"zMean,omitempty"`
	Count         *int         `json:"count,omitempty"`
	Judges        []JudgeTotal `json:"judges,omitempty"`
}

// ResultsView is a ranking with its stated tie-break.
type ResultsView struct {
	SessionID   string       `json:"sessionId,omitempty"`
	Industry    string       `json:"industry"`
	Published   bool         `json:"published"`
	PublishedAt *time.Time   `json:"publishedAt,omitempty"`
	TieBreak    string       `json:"tieBreak"`
	Teams       []RankedTeam `json:"teams"`
}

// Results returns a session's results: organizers see everything at any
// time; once published, applicants see their own rank and mean, and the
// session's investors and judges the ranking. Before that, EFORBIDDEN for
// participants, ENOTFOUND for anyone else.
func (s *Sessions) Results(ctx context.Context, actor Actor, id string) (ResultsView, error) {
	se, err := s.Store.SessionByID(ctx, id)
	if err != nil {
		return ResultsView{}, err
	}
	var own map[string]bool
	switch actor.Role {
	case RoleOrganizer:
	case RoleJudge, RoleInvestor:
		if !se.HasJudge(actor.UserID) && !se.HasInvestor(actor.UserID) {
			return ResultsView{}, Errorf(ENOTFOUND, "Session not found.")
		}
	case RoleApplicant:
		if own, err = s.ownedIn(ctx, actor, se); err != nil {
			return ResultsView{}, err
		}
		if len(own) == 0 {
			return ResultsView{}, Errorf(ENOTFOUND, "Session not found.")
		}
	default:
		return ResultsView{}, Errorf(ENOTFOUND, "Session not found.")
	}
	if !actor.Is(RoleOrganizer) && !se.Published() {
		return ResultsView{}, Errorf(EFORBIDDEN, "The results of this session have not been published yet.")
	}
	res, err := s.compute(ctx, se)
	if err != nil {
		return ResultsView{}, err
	}
	view := ResultsView{SessionID: se.ID, Industry: se.Industry, Published: se.Published(), PublishedAt: se.PublishedAt, TieBreak: res.TieBreak, Teams: []RankedTeam{}}
	for _, r := range res.Results {
		view.Teams = append(view.Teams, s.rankedTeam(actor, se, r, own))
	}
	if actor.Is(RoleApplicant) {
		view.Teams = slices.DeleteFunc(view.Teams, func(t RankedTeam) bool { return !own[t.ApplicationID] })
	}
	return view, nil
}

func (s *Sessions) rankedTeam(actor Actor, se *Session, r Result, own map[string]bool) RankedTeam {
	i := se.SlotIndex(r.ApplicationID)
	t := RankedTeam{ApplicationID: r.ApplicationID, Rank: r.Rank, Mean: r.Mean, SessionID: se.ID}
	if i >= 0 {
		t.Title, t.Country = se.Slots[i].Title, se.Slots[i].Country
	}
	if actor.Is(RoleOrganizer) {
		z, n := r.ZMean, r.Count
		t.ZMean, t.Count, t.Judges = &z, &n, r.Judges
	}
	return t
}

func (s *Sessions) compute(ctx context.Context, se *Session) (Results, error) {
	sh, err := s.loadSheet(ctx, se)
	if err != nil {
		return Results{}, err
	}
	ed, err := s.Store.Edition(ctx)
	if err != nil {
		return Results{}, err
	}
	in := ResultInput{Rubric: ed.Rubric, Judges: se.Judges, Conflicts: sh.conflicts}
	for _, sl := range se.Slots {
		in.Applications = append(in.Applications, sl.ApplicationID)
	}
	for _, sc := range sh.scores {
		in.Scores = append(in.Scores, JudgeScore{JudgeID: sc.JudgeID, ApplicationID: sc.ApplicationID, Values: sc.Values, Final: sc.Final})
	}
	return ComputeResults(in), nil
}

// Publish publishes an ended session's results (organizers).
func (s *Sessions) Publish(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if se.State != SessionEnded {
			return Errorf(ECONFLICT, "End the session before publishing its results.")
		}
		if se.PublishedAt == nil {
			se.PublishedAt = &now
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.Events != nil {
		s.Events.Publish(Event{Type: EventResults, SessionID: se.ID, At: s.Clock.Now(), Session: se})
	}
	return se, nil
}

// IndustryResults ranks every scored team of an industry's ended sessions
// by their within-session standardized means (organizers). Standardizing
// within each session keeps a harsh panel from sinking its teams.
func (s *Sessions) IndustryResults(ctx context.Context, actor Actor, industry string) (ResultsView, error) {
	if !actor.Is(RoleOrganizer) {
		return ResultsView{}, Errorf(EFORBIDDEN, "Only organizers see industry rankings.")
	}
	if !IsIndustry(industry) {
		return ResultsView{}, FieldErrors(EINVALID, "Unknown industry code.", map[string]string{"industry": "Unknown industry code."})
	}
	list, err := s.Store.ListSessions(ctx, SessionFilter{Industry: industry})
	if err != nil {
		return ResultsView{}, err
	}
	type row struct {
		t     RankedTeam
		z     float64
		count int
		start time.Time
		slot  int
	}
	var rows []row
	for _, se := range list {
		if se.State != SessionEnded && se.State != SessionLive {
			continue
		}
		res, err := s.compute(ctx, se)
		if err != nil {
			return ResultsView{}, err
		}
		for _, r := range res.Results {
			if r.Count == 0 {
				continue
			}
			rows = append(rows, row{t: s.rankedTeam(actor, se, r, nil), z: r.ZMean, count: r.Count, start: se.Start, slot: se.SlotIndex(r.ApplicationID)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if za, zb := round9(a.z), round9(b.z); za != zb {
			return za > zb
		}
		if ma, mb := round9(a.t.Mean), round9(b.t.Mean); ma != mb {
			return ma > mb
		}
		if a.count != b.count {
			return a.count > b.count
		}
		if !a.start.Equal(b.start) {
			return a.start.Before(b.start)
		}
		return a.slot < b.slot
	})
	view := ResultsView{Industry: industry, TieBreak: ResultsTieBreak + " Across sessions, earlier sessions come first when all else is equal.", Teams: []RankedTeam{}}
	for i, r := range rows {
		r.t.Rank = i + 1
		view.Teams = append(view.Teams, r.t)
	}
	return view, nil
}

func round9(x float64) float64 {
	const p = 1e9
	if x < 0 {
		return -float64(int64(-x*p+0.5)) / p
	}
	return float64(int64(x*p+0.5)) / p
}

// --- Calendar ---

// CalendarEntries returns the actor's sessions for the iCalendar feed:
// organizers get every scheduled or live session, the others theirs;
// applicants get their own slot times.
func (s *Sessions) CalendarEntries(ctx context.Context, actor Actor) ([]CalendarEntry, error) {
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
					out = append(out, CalendarEntry{UID: se.ID + "-" + sl.ApplicationID + "@roadshow",
						Summary: "Pitch: " + sl.Title + " (" + se.Title + ")", Start: sl.Start, End: sl.End, Updated: se.UpdatedAt,
						Description: "Your pitch slot in the roadshow session " + se.Title + "."})
				}
			}
			continue
		}
		out = append(out, CalendarEntry{UID: se.ID + "@roadshow", Summary: se.Title, Start: se.Start, End: se.End, Updated: se.UpdatedAt,
			Description: fmt.Sprintf("%d teams, %d-minute slots.", len(se.Slots), se.SlotLength)})
	}
	return out, nil
}
