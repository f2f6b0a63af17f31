package roadshow

import (
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

// PlanResult is what a planning run created and whom it could not place.
type PlanResult struct {
	Sessions []*Session `json:"sessions"`
	Unplaced []Unplaced `json:"unplaced"`
}

// PlanningService places eligible teams into new sessions with the planner
// (PlanSessions).
type PlanningService struct {
	Sessions SessionStore
	Apps     ApplicationStore
	Clock    Clock
	Notify   *Notifier  // may be nil: teams hear of their slot by e-mail
	mu       sync.Mutex // one planning run at a time in this process
}

// Plan places the eligible applications that have no session yet into new
// sessions. Teams already in a session never move, so running it again
// only places newcomers. Returns EFORBIDDEN for anyone but an organizer,
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
