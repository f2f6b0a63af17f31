package roadshow_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the host's zoneinfo

	"github.com/roadshow/roadshow/roadshow"
)

// planIndustries returns the nine 1+8 codes.
func planIndustries() []string {
	var codes []string
	for _, ind := range roadshow.Industries() {
		codes = append(codes, ind.Code)
	}
	return codes
}

// planZones returns 25 time zones from every continent, with and without
// daylight saving time, with half-hour and 45-minute offsets.
func planZones() []string {
	return []string{
		"America/Los_Angeles", "America/Denver", "America/Chicago", "America/Mexico_City",
		"America/New_York", "America/Sao_Paulo", "America/St_Johns", "Europe/London",
		"Europe/Berlin", "Europe/Moscow", "Africa/Lagos", "Africa/Nairobi", "Asia/Jerusalem",
		"Asia/Dubai", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Jakarta", "Asia/Singapore",
		"Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney", "Pacific/Auckland",
		"Pacific/Honolulu", "Pacific/Kiritimati",
	}
}

func mustLoadLocation(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// planDalian returns a time in Dalian.
func planDalian(tb testing.TB, y int, m time.Month, d, hh, mm int) time.Time {
	tb.Helper()
	return time.Date(y, m, d, hh, mm, 0, 0, mustLoadLocation(tb, roadshow.ZoneTimezone))
}

// planTeams makes n teams of one industry and time zone, with ids prefix-00..
func planTeams(prefix, industry, tz string, n int) []roadshow.PlanTeam {
	teams := make([]roadshow.PlanTeam, n)
	for i := range teams {
		teams[i] = roadshow.PlanTeam{ApplicationID: fmt.Sprintf("%s-%03d", prefix, i), Industry: industry, Timezone: tz}
	}
	return teams
}

// planDefaults applies the documented defaults, independently of the planner.
func planDefaults(o roadshow.PlanOptions) roadshow.PlanOptions {
	if o.MaxPerSession == 0 {
		o.MaxPerSession = 6
	}
	if o.SlotLength == 0 {
		o.SlotLength = 15 * time.Minute
	}
	if o.DayStart == 0 && o.DayEnd == 0 {
		o.DayStart, o.DayEnd = 8*60, 22*60
	}
	if o.Days == 0 {
		o.Days = 14
	}
	if o.Tracks == 0 {
		o.Tracks = 1
	}
	if o.Gap == 0 {
		o.Gap = 15 * time.Minute
	} else if o.Gap < 0 {
		o.Gap = 0
	}
	return o
}

// planGrid lists, by brute force, every start of a one-slot session the
// options allow: on the slot grid from midnight in Dalian, inside the daily
// window and the planning window.
func planGrid(tb testing.TB, o roadshow.PlanOptions) []time.Time {
	tb.Helper()
	zone := mustLoadLocation(tb, roadshow.ZoneTimezone)
	horizon := o.FirstStart.Add(time.Duration(o.Days) * 24 * time.Hour)
	step := int(o.SlotLength / time.Minute)
	d0 := o.FirstStart.In(zone)
	var grid []time.Time
	for day := -1; day <= o.Days+1; day++ {
		for m := 0; m < 24*60; m += step {
			t := time.Date(d0.Year(), d0.Month(), d0.Day()+day, 0, m, 0, 0, zone)
			if m >= o.DayStart && m+step <= o.DayEnd && !t.Before(o.FirstStart) && !t.Add(o.SlotLength).After(horizon) {
				grid = append(grid, t)
			}
		}
	}
	return grid
}

// planFitsLocal reports whether [start, end) lies inside 08:00-22:00 of one
// local day in loc, reading the wall clock of the actual instants.
func planFitsLocal(start, end time.Time, loc *time.Location) bool {
	s, e := start.In(loc), end.In(loc)
	sy, sm, sd := s.Date()
	ey, em, ed := e.Date()
	clock := func(t time.Time) int { return t.Hour()*3600 + t.Minute()*60 + t.Second() }
	return sy == ey && sm == em && sd == ed && clock(s) >= 8*3600 && clock(e) <= 22*3600
}

type planInterval struct{ a, b time.Time }

// planDepth is the most intervals that overlap at one instant of [a, b).
func planDepth(ivs []planInterval, a, b time.Time) int {
	type event struct {
		t time.Time
		d int
	}
	var evs []event
	for _, iv := range ivs {
		if iv.a.Before(b) && a.Before(iv.b) {
			evs = append(evs, event{planLater(iv.a, a), 1}, event{planEarlier(iv.b, b), -1})
		}
	}
	slices.SortFunc(evs, func(x, y event) int { return cmp.Or(x.t.Compare(y.t), cmp.Compare(x.d, y.d)) })
	depth, most := 0, 0
	for _, e := range evs {
		depth += e.d
		most = max(most, depth)
	}
	return most
}

func planLater(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func planEarlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// mustValidPlan checks every invariant of a plan: each team of the planned
// industries exactly once, sessions of one industry within the size limit,
// consecutive slots on the grid inside the daily window, the planning window
// and each team's 08:00-22:00, no more than Tracks sessions at a time with the
// existing ones and the gap, and a true reason for each unplaced team (for
// "already taken": no one-slot session could have been added). With balanced,
// it also checks that each industry has ceil(n/max) sessions whose sizes
// differ by at most one.
func mustValidPlan(tb testing.TB, teams []roadshow.PlanTeam, busy []roadshow.Busy, opts roadshow.PlanOptions, plan roadshow.Plan, balanced bool) {
	tb.Helper()
	o := planDefaults(opts)
	zone := mustLoadLocation(tb, roadshow.ZoneTimezone)
	horizon := o.FirstStart.Add(time.Duration(o.Days) * 24 * time.Hour)
	byID := map[string]roadshow.PlanTeam{}
	for _, t := range teams {
		if len(o.Industries) == 0 || slices.Contains(o.Industries, t.Industry) {
			byID[t.ApplicationID] = t
		}
	}
	seen := map[string]int{}
	var ivs []planInterval
	for _, b := range busy {
		end := b.End.Add(o.Gap)
		if end.Truncate(time.Minute) != end {
			end = end.Truncate(time.Minute).Add(time.Minute)
		}
		ivs = append(ivs, planInterval{b.Start.Truncate(time.Minute), end})
	}
	sizes := map[string][]int{}
	for i, s := range plan.Sessions {
		name := fmt.Sprintf("session %d (%s %s)", i, s.Industry, s.Start.In(zone).Format("2006-01-02 15:04"))
		if len(s.Slots) == 0 || len(s.Slots) > o.MaxPerSession {
			tb.Fatalf("%s: %d slots, want 1..%d", name, len(s.Slots), o.MaxPerSession)
		}
		if i > 0 && s.Start.Before(plan.Sessions[i-1].Start) {
			tb.Errorf("%s: sessions not ordered by start", name)
		}
		sizes[s.Industry] = append(sizes[s.Industry], len(s.Slots))
		local := s.Start.In(zone)
		minute := local.Hour()*60 + local.Minute()
		if local.Second() != 0 || local.Nanosecond() != 0 || minute%int(o.SlotLength/time.Minute) != 0 {
			tb.Errorf("%s: start %v is not on the %v grid", name, local, o.SlotLength)
		}
		if want := s.Start.Add(time.Duration(len(s.Slots)) * o.SlotLength); !s.End.Equal(want) {
			tb.Errorf("%s: end %v, want %v", name, s.End, want)
		}
		if minute < o.DayStart || minute+len(s.Slots)*int(o.SlotLength/time.Minute) > o.DayEnd {
			tb.Errorf("%s: %v-%v is outside the daily window %d-%d", name, local, s.End.In(zone), o.DayStart, o.DayEnd)
		}
		if s.Start.Before(o.FirstStart) || s.End.After(horizon) {
			tb.Errorf("%s: %v-%v is outside the planning window %v-%v", name, s.Start, s.End, o.FirstStart, horizon)
		}
		if len(o.Industries) > 0 && !slices.Contains(o.Industries, s.Industry) {
			tb.Errorf("%s: industry %q was not planned", name, s.Industry)
		}
		for k, slot := range s.Slots {
			want := s.Start.Add(time.Duration(k) * o.SlotLength)
			if !slot.Start.Equal(want) || !slot.End.Equal(want.Add(o.SlotLength)) {
				tb.Errorf("%s: slot %d is %v-%v, want %v-%v", name, k, slot.Start, slot.End, want, want.Add(o.SlotLength))
			}
			seen[slot.ApplicationID]++
			team, ok := byID[slot.ApplicationID]
			if !ok {
				tb.Errorf("%s: unknown or unselected team %q", name, slot.ApplicationID)
				continue
			}
			if team.Industry != s.Industry {
				tb.Errorf("%s: team %s of %s in a session of %s", name, team.ApplicationID, team.Industry, s.Industry)
			}
			loc, err := time.LoadLocation(team.Timezone)
			if err != nil || team.Timezone == "" {
				tb.Errorf("%s: team %s placed with time zone %q", name, team.ApplicationID, team.Timezone)
				continue
			}
			if !planFitsLocal(slot.Start, slot.End, loc) {
				tb.Errorf("%s: team %s slot %v-%v is outside 08:00-22:00 in %s", name, team.ApplicationID,
					slot.Start.In(loc), slot.End.In(loc), team.Timezone)
			}
		}
		ivs = append(ivs, planInterval{s.Start, s.End.Add(o.Gap)})
	}
	for i, s := range plan.Sessions {
		if d := planDepth(ivs, s.Start, s.End.Add(o.Gap)); d > o.Tracks {
			tb.Errorf("session %d at %v: %d sessions at once (with busy and gap), tracks %d", i, s.Start, d, o.Tracks)
		}
	}
	grid := planGrid(tb, o)
	for _, u := range plan.Unplaced {
		seen[u.ApplicationID]++
		team, ok := byID[u.ApplicationID]
		if !ok {
			tb.Errorf("unplaced: unknown or unselected team %q", u.ApplicationID)
			continue
		}
		if u.Industry != team.Industry {
			tb.Errorf("unplaced %s: industry %q, want %q", u.ApplicationID, u.Industry, team.Industry)
		}
		loc, err := time.LoadLocation(team.Timezone)
		feasible := 0
		if err == nil {
			for _, t := range grid {
				if planFitsLocal(t, t.Add(o.SlotLength), loc) {
					feasible++
				}
			}
		}
		switch r := u.Reason; {
		case strings.HasPrefix(r, "unknown industry"):
			if len(o.Industries) > 0 || roadshow.IsIndustry(team.Industry) {
				tb.Errorf("unplaced %s: %q but industry %q is known", u.ApplicationID, r, team.Industry)
			}
		case strings.HasPrefix(r, "no time zone given"):
			if team.Timezone != "" {
				tb.Errorf("unplaced %s: %q but time zone is %q", u.ApplicationID, r, team.Timezone)
			}
		case strings.HasPrefix(r, "unknown time zone"):
			if err == nil && team.Timezone != "Local" {
				tb.Errorf("unplaced %s: %q but %q loads", u.ApplicationID, r, team.Timezone)
			}
		case strings.HasPrefix(r, "no time inside 08:00-22:00 local time"):
			if err != nil || feasible > 0 {
				tb.Errorf("unplaced %s: %q but %d grid times fit %q", u.ApplicationID, r, feasible, team.Timezone)
			}
		case strings.HasPrefix(r, "every time inside 08:00-22:00 local time"):
			if err != nil || feasible == 0 {
				tb.Errorf("unplaced %s: %q but no grid time fits %q", u.ApplicationID, r, team.Timezone)
			}
			for _, t := range grid {
				if planFitsLocal(t, t.Add(o.SlotLength), loc) && planDepth(ivs, t, t.Add(o.SlotLength+o.Gap)) < o.Tracks {
					tb.Errorf("unplaced %s: %q but a one-team session at %v had a free track", u.ApplicationID, r, t)
					break
				}
			}
		default:
			tb.Errorf("unplaced %s: unexpected reason %q", u.ApplicationID, r)
		}
	}
	for id := range byID {
		if seen[id] != 1 {
			tb.Errorf("team %s appears %d times, want once", id, seen[id])
		}
	}
	if balanced {
		if len(plan.Unplaced) > 0 {
			tb.Errorf("balanced: %d teams unplaced, first %+v", len(plan.Unplaced), plan.Unplaced[0])
		}
		for ind, sz := range sizes {
			n := 0
			for _, k := range sz {
				n += k
			}
			if want := (n + o.MaxPerSession - 1) / o.MaxPerSession; len(sz) != want || slices.Max(sz)-slices.Min(sz) > 1 {
				tb.Errorf("industry %s: session sizes %v for %d teams, want %d sessions differing by at most one", ind, sz, n, want)
			}
		}
	}
}

// planSizes returns the session sizes of a plan, largest first.
func planSizes(plan roadshow.Plan) []int {
	var sz []int
	for _, s := range plan.Sessions {
		sz = append(sz, len(s.Slots))
	}
	slices.SortFunc(sz, func(a, b int) int { return b - a })
	return sz
}

func TestPlanSessionsBalance(t *testing.T) {
	t.Parallel()
	first := planDalian(t, 2025, time.May, 12, 8, 0)
	mixed := slices.Concat(
		planTeams("tyo", "metaverse", "Asia/Tokyo", 5),
		planTeams("sin", "metaverse", "Asia/Singapore", 4),
		planTeams("dlc", "metaverse", "Asia/Shanghai", 4),
		planTeams("per", "metaverse", "Australia/Perth", 4),
	)
	tests := []struct {
		name  string
		teams []roadshow.PlanTeam
		max   int
		want  []int
	}{
		{"ThirteenMaxSix", planTeams("a", "digital-tech", "Asia/Shanghai", 13), 6, []int{5, 4, 4}},
		{"TwelveMaxSix", planTeams("a", "digital-tech", "Asia/Shanghai", 12), 6, []int{6, 6}},
		{"SevenMaxSix", planTeams("a", "digital-tech", "Asia/Shanghai", 7), 6, []int{4, 3}},
		{"One", planTeams("a", "digital-tech", "Asia/Shanghai", 1), 0, []int{1}},
		{"TwentyMaxTwenty", planTeams("a", "digital-tech", "Asia/Shanghai", 20), 20, []int{20}},
		{"TwentyOneMaxTwenty", planTeams("a", "digital-tech", "Asia/Shanghai", 21), 20, []int{11, 10}},
		{"FiveMaxOne", planTeams("a", "digital-tech", "Asia/Shanghai", 5), 1, []int{1, 1, 1, 1, 1}},
		{"CompatibleZones", mixed, 6, []int{6, 6, 5}},
		{"TwoIndustries", slices.Concat(planTeams("a", "smart-ocean", "Asia/Seoul", 13),
			planTeams("b", "digital-trade", "Asia/Tokyo", 8)), 6, []int{5, 4, 4, 4, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := roadshow.PlanOptions{FirstStart: first, MaxPerSession: tt.max, Days: 2}
			plan, err := roadshow.PlanSessions(tt.teams, nil, opts)
			if err != nil {
				t.Fatalf("PlanSessions: %v", err)
			}
			mustValidPlan(t, tt.teams, nil, opts, plan, true)
			if got := planSizes(plan); !slices.Equal(got, tt.want) {
				t.Errorf("sizes: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanSessionsTimeZones(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		first  time.Time
		each   int // teams per industry and zone
		days   int
		tracks int
	}{
		{"WinterOneTrack", planDalian(t, 2025, time.January, 13, 8, 0), 1, 7, 1},
		{"SummerTwoTracks", planDalian(t, 2025, time.July, 7, 8, 0), 2, 7, 2},
		{"AcrossEuropeanDSTThreeTracks", planDalian(t, 2025, time.March, 25, 8, 0), 3, 14, 3},
		{"AcrossAmericanDSTEndFourTracks", planDalian(t, 2025, time.October, 28, 8, 0), 4, 14, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var teams []roadshow.PlanTeam
			for _, ind := range planIndustries() {
				for _, tz := range planZones() {
					teams = append(teams, planTeams(ind+"-"+tz, ind, tz, tt.each)...)
				}
			}
			opts := roadshow.PlanOptions{FirstStart: tt.first, Days: tt.days, Tracks: tt.tracks}
			plan, err := roadshow.PlanSessions(teams, nil, opts)
			if err != nil {
				t.Fatalf("PlanSessions: %v", err)
			}
			mustValidPlan(t, teams, nil, opts, plan, false)
			if len(plan.Unplaced) > 0 {
				t.Errorf("got %d unplaced, want 0; first: %+v", len(plan.Unplaced), plan.Unplaced[0])
			}
			industries := map[string]bool{}
			for _, s := range plan.Sessions {
				industries[s.Industry] = true
			}
			if len(industries) != 9 {
				t.Errorf("sessions cover %d industries, want 9", len(industries))
			}
		})
	}
}

// With a daily window of 09:00-10:00 in Dalian (01:00-02:00 UTC) on
// 15 January 2025, Honolulu is at 15:00 (14 January), Kiritimati at 15:00 and
// New York at 20:00: they fit. Berlin is at 02:00 and London at 01:00: no slot
// exists for them.
func TestPlanSessionsNoFeasibleSlot(t *testing.T) {
	t.Parallel()
	teams := []roadshow.PlanTeam{
		{ApplicationID: "hnl", Industry: "clean-energy", Timezone: "Pacific/Honolulu"},
		{ApplicationID: "cxi", Industry: "clean-energy", Timezone: "Pacific/Kiritimati"},
		{ApplicationID: "nyc", Industry: "clean-energy", Timezone: "America/New_York"},
		{ApplicationID: "ber", Industry: "clean-energy", Timezone: "Europe/Berlin"},
		{ApplicationID: "lon", Industry: "clean-energy", Timezone: "Europe/London"},
		{ApplicationID: "mars", Industry: "clean-energy", Timezone: "Mars/Olympus_Mons"},
		{ApplicationID: "none", Industry: "clean-energy", Timezone: ""},
		{ApplicationID: "local", Industry: "clean-energy", Timezone: "Local"},
	}
	opts := roadshow.PlanOptions{FirstStart: planDalian(t, 2025, time.January, 15, 0, 0), Days: 1, DayStart: 9 * 60, DayEnd: 10 * 60}
	plan, err := roadshow.PlanSessions(teams, nil, opts)
	if err != nil {
		t.Fatalf("PlanSessions: %v", err)
	}
	mustValidPlan(t, teams, nil, opts, plan, false)
	want := []roadshow.Unplaced{
		{ApplicationID: "ber", Industry: "clean-energy", Reason: "no time inside 08:00-22:00 local time for Europe/Berlin within the planning window",
			ReasonKey: "plan.unplaced_no_time", ReasonArgs: roadshow.Args{"from": "08:00", "to": "22:00", "timezone": "Europe/Berlin"}},
		{ApplicationID: "local", Industry: "clean-energy", Reason: `unknown time zone "Local"`,
			ReasonKey: "plan.unplaced_zone", ReasonArgs: roadshow.Args{"timezone": "Local"}},
		{ApplicationID: "lon", Industry: "clean-energy", Reason: "no time inside 08:00-22:00 local time for Europe/London within the planning window",
			ReasonKey: "plan.unplaced_no_time", ReasonArgs: roadshow.Args{"from": "08:00", "to": "22:00", "timezone": "Europe/London"}},
		{ApplicationID: "mars", Industry: "clean-energy", Reason: `unknown time zone "Mars/Olympus_Mons"`,
			ReasonKey: "plan.unplaced_zone", ReasonArgs: roadshow.Args{"timezone": "Mars/Olympus_Mons"}},
		{ApplicationID: "none", Industry: "clean-energy", Reason: "no time zone given", ReasonKey: "plan.unplaced_no_zone", ReasonArgs: roadshow.Args{}},
	}
	if !reflect.DeepEqual(plan.Unplaced, want) {
		t.Errorf("unplaced:\n got %+v\nwant %+v", plan.Unplaced, want)
	}
	if len(plan.Sessions) != 1 || len(plan.Sessions[0].Slots) != 3 || !plan.Sessions[0].Start.Equal(opts.FirstStart.Add(9*time.Hour)) {
		t.Errorf("sessions: got %+v, want one of 3 teams at 09:00", plan.Sessions)
	}
}

// New York leaves standard time at 07:00 UTC on 9 March 2025. 10:00-11:00 in
// Dalian is 21:00-22:00 in New York on 8 March (it fits), but 22:00-23:00 on
// 9 March (it does not). 20:00-21:00 in Dalian is 07:00 in New York on
// 8 March (too early) and 08:00 on 9 March (it fits).
func TestPlanSessionsDaylightSaving(t *testing.T) {
	t.Parallel()
	nyc := planTeams("nyc", "life-health", "America/New_York", 8)
	tests := []struct {
		name      string
		opts      roadshow.PlanOptions
		sessions  int
		day       int // the Dalian day of March every session must be on
		unplaced  int
		wantSlots []int
	}{
		{"ClosesTimeOneTrack", roadshow.PlanOptions{FirstStart: planDalian(t, 2025, time.March, 9, 0, 0), Days: 2,
			DayStart: 10 * 60, DayEnd: 11 * 60}, 1, 9, 4, []int{4}},
		{"ClosesTimeTwoTracks", roadshow.PlanOptions{FirstStart: planDalian(t, 2025, time.March, 9, 0, 0), Days: 2,
			DayStart: 10 * 60, DayEnd: 11 * 60, Tracks: 2}, 2, 9, 0, []int{4, 4}},
		{"OpensTime", roadshow.PlanOptions{FirstStart: planDalian(t, 2025, time.March, 8, 0, 0), Days: 2,
			DayStart: 20 * 60, DayEnd: 21 * 60, Tracks: 2}, 2, 9, 0, []int{4, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan, err := roadshow.PlanSessions(nyc, nil, tt.opts)
			if err != nil {
				t.Fatalf("PlanSessions: %v", err)
			}
			mustValidPlan(t, nyc, nil, tt.opts, plan, false)
			if len(plan.Sessions) != tt.sessions || len(plan.Unplaced) != tt.unplaced {
				t.Errorf("got %d sessions and %d unplaced, want %d and %d", len(plan.Sessions), len(plan.Unplaced), tt.sessions, tt.unplaced)
			}
			for _, s := range plan.Sessions {
				if d := s.Start.In(tt.opts.FirstStart.Location()).Day(); d != tt.day {
					t.Errorf("session at %v: on March %d, want March %d", s.Start, d, tt.day)
				}
			}
			if got := planSizes(plan); !slices.Equal(got, tt.wantSlots) {
				t.Errorf("sizes: got %v, want %v", got, tt.wantSlots)
			}
			for _, u := range plan.Unplaced {
				if !strings.HasPrefix(u.Reason, "every time inside 08:00-22:00 local time for America/New_York") {
					t.Errorf("unplaced %s: reason %q", u.ApplicationID, u.Reason)
				}
			}
		})
	}
}

// In January, 08:00-22:00 in Los Angeles is 00:00-14:00 in Dalian and in
// Berlin 15:00-05:00: no session can hold both, so each zone gets its own
// sessions, balanced within the zone.
func TestPlanSessionsIncompatibleZones(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		lax, ber  int
		wantLAX   []int
		wantBER   []int
		maxPerSes int
	}{
		{"SevenAndSix", 7, 6, []int{4, 3}, []int{6}, 6},
		{"OneAndSix", 1, 6, []int{1}, []int{6}, 6},
		{"ThirteenAndThirteen", 13, 13, []int{5, 4, 4}, []int{5, 4, 4}, 6},
		{"TwoAndTwoMaxFour", 2, 2, []int{2}, []int{2}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			teams := slices.Concat(planTeams("lax", "smart-ocean", "America/Los_Angeles", tt.lax),
				planTeams("ber", "smart-ocean", "Europe/Berlin", tt.ber))
			opts := roadshow.PlanOptions{FirstStart: planDalian(t, 2025, time.January, 15, 0, 0), Days: 2, MaxPerSession: tt.maxPerSes}
			plan, err := roadshow.PlanSessions(teams, nil, opts)
			if err != nil {
				t.Fatalf("PlanSessions: %v", err)
			}
			mustValidPlan(t, teams, nil, opts, plan, false)
			var lax, ber []int
			for _, s := range plan.Sessions {
				zone := s.Slots[0].ApplicationID[:3]
				for _, slot := range s.Slots {
					if slot.ApplicationID[:3] != zone {
						t.Errorf("session at %v mixes %s and %s", s.Start, zone, slot.ApplicationID)
					}
				}
				if zone == "lax" {
					lax = append(lax, len(s.Slots))
				} else {
					ber = append(ber, len(s.Slots))
				}
			}
			desc := func(s []int) []int { slices.SortFunc(s, func(a, b int) int { return b - a }); return s }
			if !slices.Equal(desc(lax), tt.wantLAX) || !slices.Equal(desc(ber), tt.wantBER) {
				t.Errorf("sizes: got LAX %v BER %v, want %v %v", lax, ber, tt.wantLAX, tt.wantBER)
			}
		})
	}
}

func TestPlanSessionsWindowGridBusyTracks(t *testing.T) {
	t.Parallel()
	day := func(hh, mm int) time.Time { return planDalian(t, 2025, time.June, 2, hh, mm) }
	six := planTeams("dlc", "culture-tourism", "Asia/Shanghai", 6)
	twelve := planTeams("dlc", "culture-tourism", "Asia/Shanghai", 12)
	tests := []struct {
		name   string
		teams  []roadshow.PlanTeam
		busy   []roadshow.Busy
		opts   roadshow.PlanOptions
		starts []time.Time
	}{
		{"FirstStartOffGrid", six, nil, roadshow.PlanOptions{FirstStart: day(8, 7), Days: 1}, []time.Time{day(8, 15)}},
		{"FirstStartOffGridSeconds", six, nil, roadshow.PlanOptions{FirstStart: day(8, 0).Add(time.Second), Days: 1}, []time.Time{day(8, 15)}},
		{"BeforeDayStart", six, nil, roadshow.PlanOptions{FirstStart: day(3, 0), Days: 1}, []time.Time{day(8, 0)}},
		{"TenMinuteGrid", six, nil, roadshow.PlanOptions{FirstStart: day(9, 1), Days: 1, SlotLength: 10 * time.Minute}, []time.Time{day(9, 10)}},
		{"AfterBusyAndGap", six, []roadshow.Busy{{day(8, 0), day(12, 0)}}, roadshow.PlanOptions{FirstStart: day(8, 0), Days: 1}, []time.Time{day(12, 15)}},
		{"BeforeBusyWithGap", six, []roadshow.Busy{{day(9, 45), day(21, 0)}}, roadshow.PlanOptions{FirstStart: day(8, 0), Days: 1}, []time.Time{day(8, 0)}},
		{"BusyLeavesTooLittle", six, []roadshow.Busy{{day(9, 30), day(21, 0)}}, roadshow.PlanOptions{FirstStart: day(8, 0), Days: 1}, []time.Time{day(8, 0), day(21, 15)}},
		{"NoGap", twelve, nil, roadshow.PlanOptions{FirstStart: day(8, 0), Days: 1, Gap: -1}, []time.Time{day(8, 0), day(9, 30)}},
		{"LongGap", twelve, nil, roadshow.PlanOptions{FirstStart: day(8, 0), Days: 1, Gap: time.Hour}, []time.Time{day(8, 0), day(10, 30)}},
		{"TwoTracks", twelve, nil, roadshow.PlanOptions{FirstStart: day(8, 0), Days: 1, Tracks: 2}, []time.Time{day(8, 0), day(8, 0)}},
		{"TwoTracksOneBusy", twelve, []roadshow.Busy{{day(8, 0), day(9, 0)}}, roadshow.PlanOptions{FirstStart: day(8, 0), Days: 1, Tracks: 2},
			[]time.Time{day(8, 0), day(9, 15)}},
		{"DayEndMidnight", six, nil, roadshow.PlanOptions{FirstStart: day(22, 30), Days: 1, DayStart: 20 * 60, DayEnd: 24 * 60}, nil},
		{"NextDay", six, nil, roadshow.PlanOptions{FirstStart: day(21, 0), Days: 2}, []time.Time{day(8, 0).AddDate(0, 0, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan, err := roadshow.PlanSessions(tt.teams, tt.busy, tt.opts)
			if err != nil {
				t.Fatalf("PlanSessions: %v", err)
			}
			mustValidPlan(t, tt.teams, tt.busy, tt.opts, plan, false)
			var starts []time.Time
			for _, s := range plan.Sessions {
				starts = append(starts, s.Start)
			}
			if tt.starts == nil {
				return
			}
			if !slices.EqualFunc(starts, tt.starts, time.Time.Equal) {
				t.Errorf("starts: got %v, want %v", starts, tt.starts)
			}
			if tt.name == "BusyLeavesTooLittle" {
				if got := planSizes(plan); !slices.Equal(got, []int{3, 3}) {
					t.Errorf("sizes: got %v, want [3 3]", got)
				}
			}
		})
	}
}

// The caller passes only teams without a slot, and every existing session as
// Busy: new sessions never overlap the old ones and no team is planned twice.
func TestPlanSessionsReplan(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 3))
	teams := planRandomTeams(r, 300, planZones(), planIndustries())
	opts := roadshow.PlanOptions{FirstStart: planDalian(t, 2025, time.September, 1, 8, 0), Days: 3, Tracks: 2}
	first, err := roadshow.PlanSessions(teams[:150], nil, opts)
	if err != nil {
		t.Fatalf("first PlanSessions: %v", err)
	}
	mustValidPlan(t, teams[:150], nil, opts, first, false)

	var busy []roadshow.Busy
	placed := map[string]bool{}
	for _, s := range first.Sessions {
		busy = append(busy, roadshow.Busy{Start: s.Start, End: s.End})
		for _, slot := range s.Slots {
			placed[slot.ApplicationID] = true
		}
	}
	var rest []roadshow.PlanTeam // unplaced of the first run and new applications
	for _, tm := range teams {
		if !placed[tm.ApplicationID] {
			rest = append(rest, tm)
		}
	}
	second, err := roadshow.PlanSessions(rest, busy, opts)
	if err != nil {
		t.Fatalf("second PlanSessions: %v", err)
	}
	mustValidPlan(t, rest, busy, opts, second, false)
	if len(second.Sessions) == 0 {
		t.Fatalf("second run planned nothing")
	}
	for _, s := range second.Sessions {
		for _, slot := range s.Slots {
			if placed[slot.ApplicationID] {
				t.Errorf("team %s planned twice", slot.ApplicationID)
			}
		}
		busy = append(busy, roadshow.Busy{Start: s.Start, End: s.End})
	}

	// Nothing left to plan: nothing planned.
	third, err := roadshow.PlanSessions(nil, busy, opts)
	if err != nil {
		t.Fatalf("third PlanSessions: %v", err)
	}
	if len(third.Sessions) != 0 || len(third.Unplaced) != 0 || third.Sessions == nil || third.Unplaced == nil {
		t.Errorf("third run: got %+v, want empty non-nil lists", third)
	}

	// The whole window taken: every team is reported, none dropped.
	full := []roadshow.Busy{{opts.FirstStart, opts.FirstStart.AddDate(0, 0, 4)}, {opts.FirstStart, opts.FirstStart.AddDate(0, 0, 4)}}
	fourth, err := roadshow.PlanSessions(rest, full, opts)
	if err != nil {
		t.Fatalf("fourth PlanSessions: %v", err)
	}
	mustValidPlan(t, rest, full, opts, fourth, false)
	if len(fourth.Sessions) != 0 || len(fourth.Unplaced) != len(rest) {
		t.Errorf("fourth run: got %d sessions and %d unplaced, want 0 and %d", len(fourth.Sessions), len(fourth.Unplaced), len(rest))
	}
}

func TestPlanSessionsIndustries(t *testing.T) {
	t.Parallel()
	first := planDalian(t, 2025, time.April, 7, 8, 0)
	teams := slices.Concat(
		planTeams("mv", "metaverse", "Asia/Tokyo", 4),
		planTeams("ce", "clean-energy", "Europe/Berlin", 3),
		planTeams("dt", "digital-tech", "Asia/Shanghai", 5),
		[]roadshow.PlanTeam{
			{ApplicationID: "fin", Industry: "fintech", Timezone: "Asia/Tokyo"},
			{ApplicationID: "", Industry: "digital-tech", Timezone: "Asia/Tokyo"},    // ignored with the filter
			{ApplicationID: "dt-000", Industry: "digital-tech", Timezone: "Nowhere"}, // duplicate, ignored with the filter
		},
	)
	opts := roadshow.PlanOptions{FirstStart: first, Days: 1, Industries: []string{"metaverse", "clean-energy", "metaverse"}}
	plan, err := roadshow.PlanSessions(teams, nil, opts)
	if err != nil {
		t.Fatalf("PlanSessions: %v", err)
	}
	mustValidPlan(t, teams, nil, opts, plan, true)
	got := map[string]int{}
	for _, s := range plan.Sessions {
		got[s.Industry] += len(s.Slots)
	}
	if want := map[string]int{"metaverse": 4, "clean-energy": 3}; !reflect.DeepEqual(got, want) || len(plan.Unplaced) != 0 {
		t.Errorf("got %v and unplaced %v, want %v and none", got, plan.Unplaced, want)
	}

	// All industries: the unknown one is reported.
	all := slices.Concat(planTeams("mv", "metaverse", "Asia/Tokyo", 4),
		[]roadshow.PlanTeam{{ApplicationID: "fin", Industry: "fintech", Timezone: "Asia/Tokyo"}})
	opts.Industries = nil
	plan, err = roadshow.PlanSessions(all, nil, opts)
	if err != nil {
		t.Fatalf("PlanSessions: %v", err)
	}
	mustValidPlan(t, all, nil, opts, plan, false)
	want := []roadshow.Unplaced{{ApplicationID: "fin", Industry: "fintech", Reason: `unknown industry "fintech"`,
		ReasonKey: "plan.unplaced_industry", ReasonArgs: roadshow.Args{"industry": "fintech"}}}
	if !reflect.DeepEqual(plan.Unplaced, want) {
		t.Errorf("unplaced: got %+v, want %+v", plan.Unplaced, want)
	}
}

func TestPlanSessionsInvalid(t *testing.T) {
	t.Parallel()
	first := planDalian(t, 2025, time.April, 7, 8, 0)
	ok := roadshow.PlanOptions{FirstStart: first}
	with := func(f func(*roadshow.PlanOptions)) roadshow.PlanOptions { o := ok; f(&o); return o }
	team := planTeams("a", "metaverse", "Asia/Tokyo", 2)
	tests := []struct {
		name  string
		teams []roadshow.PlanTeam
		busy  []roadshow.Busy
		opts  roadshow.PlanOptions
		code  string
		field string
	}{
		{"ErrNoFirstStart", team, nil, roadshow.PlanOptions{}, roadshow.EINVALID, "firstStart"},
		{"ErrMaxPerSessionHigh", team, nil, with(func(o *roadshow.PlanOptions) { o.MaxPerSession = 21 }), roadshow.EINVALID, "maxPerSession"},
		{"ErrMaxPerSessionNegative", team, nil, with(func(o *roadshow.PlanOptions) { o.MaxPerSession = -1 }), roadshow.EINVALID, "maxPerSession"},
		{"ErrSlotShort", team, nil, with(func(o *roadshow.PlanOptions) { o.SlotLength = 4 * time.Minute }), roadshow.EINVALID, "slotLength"},
		{"ErrSlotLong", team, nil, with(func(o *roadshow.PlanOptions) { o.SlotLength = 61 * time.Minute }), roadshow.EINVALID, "slotLength"},
		{"ErrSlotFraction", team, nil, with(func(o *roadshow.PlanOptions) { o.SlotLength = 7*time.Minute + 30*time.Second }), roadshow.EINVALID, "slotLength"},
		{"ErrDayStartNegative", team, nil, with(func(o *roadshow.PlanOptions) { o.DayStart, o.DayEnd = -60, 600 }), roadshow.EINVALID, "dayStart"},
		{"ErrDayEndBeforeStart", team, nil, with(func(o *roadshow.PlanOptions) { o.DayStart, o.DayEnd = 600, 540 }), roadshow.EINVALID, "dayEnd"},
		{"ErrDayEndOnlyStart", team, nil, with(func(o *roadshow.PlanOptions) { o.DayStart = 600 }), roadshow.EINVALID, "dayEnd"},
		{"ErrDayEndAfterMidnight", team, nil, with(func(o *roadshow.PlanOptions) { o.DayStart, o.DayEnd = 600, 1441 }), roadshow.EINVALID, "dayEnd"},
		{"ErrDaysNegative", team, nil, with(func(o *roadshow.PlanOptions) { o.Days = -1 }), roadshow.EINVALID, "days"},
		{"ErrDaysTooMany", team, nil, with(func(o *roadshow.PlanOptions) { o.Days = 93 }), roadshow.EINVALID, "days"},
		{"ErrTracksNegative", team, nil, with(func(o *roadshow.PlanOptions) { o.Tracks = -2 }), roadshow.EINVALID, "tracks"},
		{"ErrTracksTooMany", team, nil, with(func(o *roadshow.PlanOptions) { o.Tracks = 101 }), roadshow.EINVALID, "tracks"},
		{"ErrGapFraction", team, nil, with(func(o *roadshow.PlanOptions) { o.Gap = 90 * time.Second }), roadshow.EINVALID, "gap"},
		{"ErrGapTooLong", team, nil, with(func(o *roadshow.PlanOptions) { o.Gap = 25 * time.Hour }), roadshow.EINVALID, "gap"},
		{"ErrUnknownIndustry", team, nil, with(func(o *roadshow.PlanOptions) { o.Industries = []string{"metaverse", "fintech"} }), roadshow.EINVALID, "industries"},
		{"ErrBusyBackwards", team, []roadshow.Busy{{first.Add(time.Hour), first}}, ok, roadshow.EINVALID, "existing[0]"},
		{"ErrBusyEmpty", team, []roadshow.Busy{{first, first}}, ok, roadshow.EINVALID, "existing[0]"},
		{"ErrTeamWithoutID", []roadshow.PlanTeam{{Industry: "metaverse", Timezone: "Asia/Tokyo"}}, nil, ok, roadshow.EINVALID, "teams[0].applicationId"},
		{"ErrDuplicateTeam", slices.Concat(team, team[:1]), nil, ok, roadshow.EINVALID, "teams[2].applicationId"},
		{"ErrWindowShorterThanSlot", team, nil, with(func(o *roadshow.PlanOptions) { o.DayStart, o.DayEnd = 8*60+5, 8*60+25 }), roadshow.EUNPROCESSABLE, ""},
		{"ErrWindowOffGrid", team, nil, with(func(o *roadshow.PlanOptions) { o.DayStart, o.DayEnd, o.SlotLength = 8*60+30, 9*60+59, time.Hour }), roadshow.EUNPROCESSABLE, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan, err := roadshow.PlanSessions(tt.teams, tt.busy, tt.opts)
			if got := roadshow.ErrorCode(err); got != tt.code {
				t.Fatalf("code: got %q (%v), want %q; plan %+v", got, err, tt.code, plan)
			}
			if tt.field != "" {
				if _, ok := roadshow.ErrorFields(err)[tt.field]; !ok {
					t.Errorf("fields: got %v, want one for %q", roadshow.ErrorFields(err), tt.field)
				}
			}
		})
	}
}

func TestPlanSessionsDeterministic(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	teams := planRandomTeams(r, 600, slices.Concat(planZones(), []string{"", "Mars/Base"}), planIndustries())
	opts := roadshow.PlanOptions{FirstStart: planDalian(t, 2025, time.October, 20, 9, 0), Days: 5, Tracks: 2}
	busy := []roadshow.Busy{{opts.FirstStart.Add(2 * time.Hour), opts.FirstStart.Add(5 * time.Hour)}}
	input := slices.Clone(teams)
	want, err := roadshow.PlanSessions(teams, busy, opts)
	if err != nil {
		t.Fatalf("PlanSessions: %v", err)
	}
	if !slices.Equal(teams, input) {
		t.Fatalf("PlanSessions changed its input")
	}
	mustValidPlan(t, teams, busy, opts, want, false)
	for i := range 3 {
		shuffled := slices.Clone(teams)
		r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		got, err := roadshow.PlanSessions(shuffled, busy, opts)
		if err != nil {
			t.Fatalf("PlanSessions: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d with shuffled input: plan differs", i)
		}
	}
}

// planRandomTeams makes n teams with random zones and industries and ids in
// random order.
func planRandomTeams(r *rand.Rand, n int, zones, industries []string) []roadshow.PlanTeam {
	teams := make([]roadshow.PlanTeam, n)
	for i, k := range r.Perm(n) {
		teams[i] = roadshow.PlanTeam{
			ApplicationID: fmt.Sprintf("app-%05d", k),
			Industry:      industries[r.IntN(len(industries))],
			Timezone:      zones[r.IntN(len(zones))],
		}
	}
	return teams
}

// TestPlanSessionsProperty checks every invariant on random editions, options
// and busy intervals.
func TestPlanSessionsProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2025, 11))
	zones := slices.Concat(planZones(), []string{"", "Local", "Mars/Base", "UTC", "Pacific/Chatham", "America/Santiago"})
	industries := slices.Concat(planIndustries(), []string{"fintech"})
	start := planDalian(t, 2025, time.January, 1, 0, 0)
	slots := []time.Duration{5, 7, 10, 12, 15, 20, 30, 45, 60}
	gaps := []time.Duration{-1, 0, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute}
	cases := 400
	if testing.Short() {
		cases = 60
	}
	stats := map[string]int{}
	defer func() { t.Logf("%d cases: %v", cases, stats) }()
	for c := range cases {
		opts := roadshow.PlanOptions{
			FirstStart:    start.Add(time.Duration(r.IntN(365*24*60)) * time.Minute),
			MaxPerSession: r.IntN(21),
			SlotLength:    slots[r.IntN(len(slots))] * time.Minute,
			Days:          1 + r.IntN(4),
			Tracks:        1 + r.IntN(3),
			Gap:           gaps[r.IntN(len(gaps))],
		}
		if r.IntN(4) == 0 {
			opts.FirstStart = opts.FirstStart.Add(time.Duration(r.IntN(60)) * time.Second)
		}
		if r.IntN(2) == 0 {
			opts.DayStart = r.IntN(24) * 60
			opts.DayEnd = min(opts.DayStart+60+r.IntN(16)*60, 24*60)
		}
		if r.IntN(3) == 0 {
			opts.Industries = []string{planIndustries()[r.IntN(9)], planIndustries()[r.IntN(9)]}
		}
		var busy []roadshow.Busy
		for range r.IntN(6) {
			b := opts.FirstStart.Truncate(time.Minute).Add(time.Duration(r.IntN(4*24*60)-60) * time.Minute)
			busy = append(busy, roadshow.Busy{Start: b, End: b.Add(time.Duration(1+r.IntN(300)) * time.Minute)})
		}
		teams := planRandomTeams(r, r.IntN(150), zones, industries)
		zs := zones
		if r.IntN(2) == 0 { // few zones: more teams share sessions
			zs = []string{zones[r.IntN(len(zones))], zones[r.IntN(len(zones))], zones[r.IntN(len(zones))]}
			teams = planRandomTeams(r, r.IntN(150), zs, industries[:1+r.IntN(3)])
		}
		name := fmt.Sprintf("case %d (%+v, %d teams, %d busy)", c, opts, len(teams), len(busy))
		plan, err := roadshow.PlanSessions(teams, busy, opts)
		if err != nil {
			if roadshow.ErrorCode(err) == roadshow.EUNPROCESSABLE && len(planGrid(t, planDefaults(opts))) == 0 {
				stats["window without slots"]++
				continue
			}
			t.Fatalf("%s: %v", name, err)
		}
		stats["sessions"] += len(plan.Sessions)
		for _, s := range plan.Sessions {
			stats["placed"] += len(s.Slots)
		}
		for _, u := range plan.Unplaced {
			stats["unplaced: "+strings.Join(strings.Fields(u.Reason)[:3], " ")]++
		}
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			mustValidPlan(t, teams, busy, opts, plan, false)
			reversed := slices.Clone(teams)
			slices.Reverse(reversed)
			again, err := roadshow.PlanSessions(reversed, busy, opts)
			if err != nil || !reflect.DeepEqual(again, plan) {
				t.Errorf("reversed input: plan differs (err %v)", err)
			}
		})
		if t.Failed() {
			t.Fatalf("%s failed", name)
		}
	}
}

// TestFillSeats: teams go into the free seats of existing scheduled
// sessions of their industry, at the end, when the longer session still
// fits every rule; otherwise they are left for PlanSessions.
func TestFillSeats(t *testing.T) {
	t.Parallel()
	nine := planDalian(t, 2026, time.January, 12, 9, 0) // 01:00 UTC
	now := nine.Add(-24 * time.Hour)
	session := func(id, industry string, state roadshow.SessionState, start time.Time, teams int, judges ...string) *roadshow.Session {
		se := &roadshow.Session{ID: id, Title: "Session " + id, Industry: industry, State: state, Start: start, SlotLength: 15, Judges: judges}
		for i := range teams {
			se.Slots = append(se.Slots, roadshow.Slot{ApplicationID: fmt.Sprintf("%s-team-%d", id, i)})
		}
		se.Retime(now)
		return se
	}
	team := func(id, industry, tz string) roadshow.PlanTeam {
		return roadshow.PlanTeam{ApplicationID: id, Industry: industry, Timezone: tz}
	}
	opts := roadshow.PlanOptions{FirstStart: nine.Add(-9 * time.Hour), Tracks: 1}
	tracks2 := opts
	tracks2.Tracks = 2
	for _, tt := range []struct {
		name     string
		teams    []roadshow.PlanTeam
		sessions []*roadshow.Session
		opts     roadshow.PlanOptions
		now      time.Time
		want     []string // "team>session@HH:MM" (Dalian)
	}{
		{"FreeSeat", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Singapore")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2)}, opts, now, []string{"t1>s1@09:30"}},
		{"EarliestSessionFirst", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s2", "digital-tech", roadshow.SessionScheduled, nine.Add(3*time.Hour), 2), session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2)},
			opts, now, []string{"t1>s1@09:30"}},
		{"OneSeatLeft", []roadshow.PlanTeam{team("t2", "digital-tech", "Asia/Tokyo"), team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 5)}, opts, now, []string{"t1>s1@10:15"}},
		{"TwoSeats", []roadshow.PlanTeam{team("t2", "digital-tech", "Asia/Tokyo"), team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 4)}, opts, now, []string{"t1>s1@10:00", "t2>s1@10:15"}},
		{"Full", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 6)}, opts, now, nil},
		{"OtherIndustry", []roadshow.PlanTeam{team("t1", "metaverse", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2)}, opts, now, nil},
		// 09:30 in Dalian is 01:30 in London.
		{"OutsideLocalDay", []roadshow.PlanTeam{team("t1", "digital-tech", "Europe/London")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2)}, opts, now, nil},
		{"NoTimeZone", []roadshow.PlanTeam{team("t1", "digital-tech", "")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2)}, opts, now, nil},
		{"NotScheduled", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionLive, nine, 2), session("s2", "digital-tech", roadshow.SessionCancelled, nine.Add(time.Hour), 2)},
			opts, now, nil},
		{"Past", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2)}, opts, nine.Add(time.Hour), nil},
		{"BeforeFirstStart", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2)}, roadshow.PlanOptions{FirstStart: nine.Add(time.Hour)}, now, nil},
		// Another session follows at 09:40 on the one track; with two tracks there is room.
		{"TrackTaken", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2), session("s2", "metaverse", roadshow.SessionScheduled, nine.Add(40*time.Minute), 2)},
			opts, now, nil},
		{"SecondTrack", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2), session("s2", "metaverse", roadshow.SessionScheduled, nine.Add(40*time.Minute), 2)},
			tracks2, now, []string{"t1>s1@09:30"}},
		// The judge of s1 also judges s2 from 09:40: s1 may not grow into it.
		{"JudgeElsewhere", []roadshow.PlanTeam{team("t1", "digital-tech", "Asia/Tokyo")},
			[]*roadshow.Session{session("s1", "digital-tech", roadshow.SessionScheduled, nine, 2, "ann"), session("s2", "metaverse", roadshow.SessionScheduled, nine.Add(40*time.Minute), 2, "ann")},
			tracks2, now, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fills, rest, err := roadshow.FillSeats(tt.teams, tt.sessions, tt.opts, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fills {
				got = append(got, fmt.Sprintf("%s>%s@%s", f.ApplicationID, f.SessionID, f.Start.In(mustLoadLocation(t, roadshow.ZoneTimezone)).Format("15:04")))
				if f.End.Sub(f.Start) != 15*time.Minute {
					t.Errorf("%s: slot of %v", f.ApplicationID, f.End.Sub(f.Start))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if len(rest)+len(fills) != len(tt.teams) {
				t.Fatalf("%d placed and %d left of %d teams", len(fills), len(rest), len(tt.teams))
			}
			if tt.sessions[0].End.Sub(tt.sessions[0].Start) != time.Duration(len(tt.sessions[0].Slots))*15*time.Minute {
				t.Fatal("FillSeats changed the sessions it was given")
			}
		})
	}
}
