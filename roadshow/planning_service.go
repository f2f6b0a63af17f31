package roadshow

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"time"
)

// CanPlanSessions reports whether actor may plan sessions: organizers only
// (EFORBIDDEN).
func CanPlanSessions(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "plan.organizers_only", nil))
}

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

// PlanResult is what a planning run created, which existing sessions it
// gave free seats to, and whom it could not place.
type PlanResult struct {
	Sessions []*Session `json:"sessions"`
	Extended []*Session `json:"extended"`
	Unplaced []Unplaced `json:"unplaced"`
}

// PlanningService places eligible teams into the free seats of existing
// sessions (FillSeats), then into new sessions with the planner
// (PlanSessions).
type PlanningService struct {
	Sessions SessionStore
	Apps     ApplicationStore
	Clock    Clock
	Notify   *Notifier  // may be nil: teams hear of their slot by e-mail
	mu       sync.Mutex // one planning run at a time in this process
}

// Plan places the eligible applications that have no session yet: into
// free seats of scheduled sessions of their industry first (see
// FillSeats), then into new sessions. Teams already in a session never
// move, so running it again only places newcomers. Returns EFORBIDDEN for anyone but an organizer,
// EUNPROCESSABLE for bad options.
func (s *PlanningService) Plan(ctx context.Context, actor Actor, req PlanRequest) (PlanResult, error) {
	if err := CanPlanSessions(actor); err != nil {
		return PlanResult{}, err
	}
	var v Validator
	for i, ind := range req.Industries {
		v.Check(IsIndustry(ind), fmt.Sprintf("industries[%d]", i), "request.industry_unknown", nil)
	}
	v.Check(!req.FirstStart.IsZero(), "firstStart", "plan.first_start_required", nil)
	// Every session must stay within what JSON can carry.
	v.Check(jsonTime(req.FirstStart) && jsonTime(req.FirstStart.AddDate(0, 0, PlanMaxDays+1)), "firstStart",
		"field.date_range", Args{"min": minJSONYear, "max": maxJSONYear})
	dayStart, ok := parseClock(req.DayStart, PlanDefaultDayStart)
	v.Check(ok, "dayStart", "plan.clock_format", Args{"example": ClockText(PlanDefaultDayStart)})
	dayEnd, ok := parseClock(req.DayEnd, PlanDefaultDayEnd)
	v.Check(ok, "dayEnd", "plan.clock_format", Args{"example": ClockText(PlanDefaultDayEnd)})
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return PlanResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	apps, err := s.Apps.EligibleUnplanned(ctx, req.Industries)
	if err != nil {
		return PlanResult{}, err
	}
	existing, err := s.Sessions.ListSessions(ctx, SessionFilter{})
	if err != nil {
		return PlanResult{}, err
	}
	teams := make([]PlanTeam, 0, len(apps))
	byID := map[string]*Application{}
	for _, a := range apps {
		teams = append(teams, PlanTeam{ApplicationID: a.ID, Industry: a.Industry, Timezone: a.Timezone})
		byID[a.ID] = a
	}
	opts := PlanOptions{
		Industries: req.Industries, MaxPerSession: req.MaxPerSession,
		SlotLength: time.Duration(req.SlotMinutes) * time.Minute, FirstStart: req.FirstStart.UTC(),
		DayStart: dayStart, DayEnd: dayEnd, Days: req.Days, Tracks: req.Tracks,
	}
	now := s.Clock.Now()
	res := PlanResult{Sessions: []*Session{}, Extended: []*Session{}, Unplaced: []Unplaced{}}
	// Free seats in the industry's scheduled sessions first.
	fills, rest, err := FillSeats(teams, existing, opts, now)
	if err != nil {
		return PlanResult{}, err
	}
	extended := map[string]*Session{}
	for _, f := range fills {
		se, err := s.fillSeat(ctx, f, byID[f.ApplicationID], opts, now)
		if err != nil {
			return res, err
		}
		if se == nil { // the session changed meanwhile: plan the team anew
			rest = append(rest, PlanTeam{ApplicationID: f.ApplicationID, Industry: byID[f.ApplicationID].Industry, Timezone: byID[f.ApplicationID].Timezone})
			continue
		}
		extended[se.ID] = se
	}
	var busy []Busy
	for _, se := range existing {
		if e := extended[se.ID]; e != nil {
			se = e
		}
		if se.State != SessionCancelled && se.State != SessionEnded && len(se.Slots) > 0 {
			busy = append(busy, Busy{Start: se.Start, End: se.End})
		}
	}
	for _, se := range existing {
		if e := extended[se.ID]; e != nil {
			res.Extended = append(res.Extended, e.View(actor, nil))
		}
	}
	plan, err := PlanSessions(rest, busy, opts)
	if err != nil {
		return PlanResult{}, err
	}
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
			se.Slots = append(se.Slots, Slot{ApplicationID: a.ID, Title: a.Title, Country: a.Country, Timezone: a.Timezone, Start: sl.Start, End: sl.End,
				Sequence: SlotSequence(0, now)})
		}
		if err := s.Sessions.CreateSession(ctx, se); err != nil {
			return res, fmt.Errorf("create session: %w", err)
		}
		empty := ""
		for _, sl := range se.Slots {
			if err := s.Apps.SetApplicationSession(ctx, sl.ApplicationID, se.ID, &empty); err != nil {
				return res, fmt.Errorf("place application %s: %w", sl.ApplicationID, err)
			}
		}
		res.Sessions = append(res.Sessions, se.View(actor, nil))
		s.Notify.SlotsChanged(ctx, se, nil)
	}
	return res, nil
}

// fillSeat adds the team of f to the end of its session, unless the
// session changed since FillSeats saw it (then nil), and points the
// application at it.
func (s *PlanningService) fillSeat(ctx context.Context, f SeatFill, a *Application, opts PlanOptions, now time.Time) (*Session, error) {
	limit := cmp.Or(opts.MaxPerSession, PlanDefaultMaxPerSession)
	se, err := s.Sessions.UpdateSession(ctx, f.SessionID, func(se *Session) error {
		if se.CanMoveTeams() != nil || !se.End.Equal(f.Start) || len(se.Slots) >= limit || se.SlotIndex(a.ID) >= 0 {
			return NewError(ECONFLICT, "session.changed", nil)
		}
		se.Slots = append(se.Slots, Slot{ApplicationID: a.ID, Title: a.Title, Country: a.Country, Timezone: a.Timezone,
			Start: f.Start, End: f.End, Sequence: SlotSequence(0, now)})
		se.End, se.UpdatedAt = f.End, now
		return nil
	})
	if ErrorCode(err) == ECONFLICT {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("fill a seat of session %s: %w", f.SessionID, err)
	}
	empty := ""
	if err := s.Apps.SetApplicationSession(ctx, a.ID, se.ID, &empty); err != nil {
		return nil, fmt.Errorf("place application %s: %w", a.ID, err)
	}
	return se, nil
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
