package roadshow

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// ZoneTimezone is the time zone of Dalian, where the zone is. Organizers'
// times are shown there, and the planner's daily window and slot grid are read
// there.
const ZoneTimezone = "Asia/Shanghai"

// Defaults and limits of PlanOptions. A zero option takes its default.
const (
	PlanDefaultMaxPerSession = 6
	PlanMaxPerSession        = 20
	PlanDefaultSlotLength    = 15 * time.Minute
	PlanMinSlotLength        = 5 * time.Minute
	PlanMaxSlotLength        = 60 * time.Minute
	PlanDefaultDayStart      = 8 * 60  // minutes after midnight in ZoneTimezone
	PlanDefaultDayEnd        = 22 * 60 // minutes after midnight in ZoneTimezone
	PlanDefaultDays          = 14
	PlanMaxDays              = 92
	PlanDefaultTracks        = 1
	PlanMaxTracks            = 100
	PlanDefaultGap           = 15 * time.Minute
	PlanMaxGap               = 24 * time.Hour
	PlanMaxTeams             = 50000
	PlanMaxBusy              = 50000

	// Every team's slot lies inside this window of the team's own local time.
	PlanLocalDayStart = 8 * 60
	PlanLocalDayEnd   = 22 * 60
)

// PlanTeam is one application to place in a pitch session.
type PlanTeam struct {
	ApplicationID string
	Industry      string // one of the nine 1+8 codes
	// Timezone is the IANA name of the team's base, such as "Europe/Berlin".
	// An empty or unknown name (or "Local") puts the team in Unplaced. The
	// process should embed time/tzdata so that zones do not depend on the host.
	Timezone string
}

// PlanOptions says which teams to plan and when sessions may run.
type PlanOptions struct {
	// Industries to plan; empty plans every industry present. Teams of other
	// industries are ignored entirely (neither planned nor reported).
	Industries []string
	// MaxPerSession is the most teams in one session: 1..20, default 6. It is
	// lowered further when the daily window holds fewer slots.
	MaxPerSession int
	// SlotLength is one team's pitch slot: whole minutes, 5m..60m, default 15m.
	SlotLength time.Duration
	// FirstStart is the earliest session start. Required.
	FirstStart time.Time
	// DayStart and DayEnd bound the sessions of every day, in minutes after
	// midnight in ZoneTimezone (0..1440); both zero means 08:00-22:00. A
	// session lies entirely inside the window.
	DayStart, DayEnd int
	// Days is how many days (of 24 hours) after FirstStart the plan may use:
	// 1..92, default 14. Every session ends by FirstStart + Days*24h.
	Days int
	// Tracks is how many sessions may run at the same time (parallel rooms):
	// 1..100, default 1. Existing sessions passed as Busy count against it.
	Tracks int
	// Gap is the pause between two sessions of a track, whole minutes up to
	// 24h. Zero means the default 15m; a negative value means no pause.
	Gap time.Duration
}

// PlannedSlot is one team's pitch inside a session: [Start, End).
type PlannedSlot struct {
	ApplicationID string    `json:"applicationId"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
}

// PlannedSession is a session of one industry; its slots follow each other
// without pause, from Start to End.
type PlannedSession struct {
	Industry string        `json:"industry"`
	Start    time.Time     `json:"start"`
	End      time.Time     `json:"end"`
	Slots    []PlannedSlot `json:"slots"`
}

// Unplaced is a team the planner could not place, with the reason meant for
// the organizer: in English, and as a message key with its arguments.
type Unplaced struct {
	ApplicationID string `json:"applicationId"`
	Title         string `json:"title,omitempty"` // filled in by PlanningService.Plan
	Industry      string `json:"industry"`
	Reason        string `json:"reason"`
	ReasonKey     string `json:"reasonKey"`
	ReasonArgs    Args   `json:"reasonArgs"`
}

func unplaced(id, industry string, reason Message) Unplaced {
	return Unplaced{ApplicationID: id, Industry: industry, Reason: reason.Message, ReasonKey: reason.Key, ReasonArgs: reason.Args}
}

// ClockText writes minutes after midnight as "HH:MM".
func ClockText(min int) string {
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

// localWindow is the arguments naming the window of every team's local day.
func localWindow(tz string) Args {
	return Args{"from": ClockText(PlanLocalDayStart), "to": ClockText(PlanLocalDayEnd), "timezone": tz}
}

// Busy is an existing session occupying one track during [Start, End).
type Busy struct {
	Start, End time.Time
}

// Plan is the result of PlanSessions: sessions ordered by start, and the teams
// that could not be placed ordered by industry and application id.
type Plan struct {
	Sessions []PlannedSession `json:"sessions"`
	Unplaced []Unplaced       `json:"unplaced"`
}

// PlanSessions groups teams into pitch sessions and gives each team a slot. It
// is pure: no I/O, no clock, and the same input always gives the same plan
// (teams are sorted by application id first, so their order does not matter).
//
// What holds for the result:
//   - Every team of the planned industries appears exactly once, either in a
//     slot of a session or in Unplaced with a reason (unknown industry when
//     all industries are planned, missing or unknown time zone, no time inside
//     08:00-22:00 local time within the planning window, or every such time is
//     already taken by other sessions).
//   - A session holds teams of one industry only, at most MaxPerSession.
//   - Every slot lies inside 08:00-22:00 of the team's own local time on the
//     actual day (daylight saving time included).
//   - Sessions start on the slot-length grid counted from midnight in
//     ZoneTimezone (:00/:15/:30/:45 for 15-minute slots), lie inside the daily
//     window and inside [FirstStart, FirstStart+Days*24h].
//   - At no instant do more than Tracks intervals overlap, counting each new
//     session and each existing Busy interval extended by Gap at its end. Busy
//     intervals are rounded outward to whole minutes.
//   - A team is reported as having no free time only if no one-team session
//     could have been added for it.
//
// Sizes: an industry gets ceil(n/MaxPerSession) sessions with sizes that
// differ by at most one, as long as its teams can share sessions. Teams whose
// local days do not overlap enough (say Los Angeles and Berlin) are put into
// separate sessions, balanced within each compatible group; a team left
// without partners joins another session of its industry with room rather
// than pitching alone, when one can be extended for it.
//
// Re-planning: the caller passes only the teams that have no slot yet, and
// every existing session (planned earlier, confirmed, or created by hand) as
// Busy. Then running the planner again never duplicates a team and never moves
// a team that already has a slot; new sessions only fill free track time.
//
// Returns EINVALID (with field errors) for bad options, teams or busy
// intervals, ETOOLARGE for more than PlanMaxTeams teams or PlanMaxBusy busy
// intervals, and EUNPROCESSABLE when the planning window holds no session
// time at all.
//
// The algorithm is greedy: the most constrained team left (fewest feasible
// slot times) anchors the next session, placed at the earliest grid time with
// a free track where the most teams of its industry can be matched to slots;
// the other places go to the most constrained compatible teams of the same
// industry, and the order inside the session comes from a bipartite matching
// of teams to slots. It is not an optimal packing when tracks are scarce.
func PlanSessions(teams []PlanTeam, existing []Busy, opts PlanOptions) (Plan, error) {
	o, err := opts.normalize()
	if err != nil {
		return Plan{}, err
	}
	if len(teams) > PlanMaxTeams {
		return Plan{}, NewError(ETOOLARGE, "plan.too_many_teams", Args{"count": len(teams), "max": PlanMaxTeams})
	}
	if len(existing) > PlanMaxBusy {
		return Plan{}, NewError(ETOOLARGE, "plan.too_many_sessions", Args{"count": len(existing), "max": PlanMaxBusy})
	}
	pl := &planner{o: o}
	if err := pl.readTeams(teams); err != nil {
		return Plan{}, err
	}
	if err := pl.buildGrid(); err != nil {
		return Plan{}, err
	}
	if err := pl.buildOccupancy(existing); err != nil {
		return Plan{}, err
	}
	pl.classify()
	pl.run()
	pl.mergeLoneSessions()
	pl.placeWaiting()
	return pl.result(), nil
}

// normalize fills in defaults and validates every option.
func (o PlanOptions) normalize() (PlanOptions, error) {
	var v Validator
	if o.MaxPerSession == 0 {
		o.MaxPerSession = PlanDefaultMaxPerSession
	}
	v.Check(o.MaxPerSession >= 1 && o.MaxPerSession <= PlanMaxPerSession, "maxPerSession",
		"field.number_range", Args{"min": 1, "max": PlanMaxPerSession})
	if o.SlotLength == 0 {
		o.SlotLength = PlanDefaultSlotLength
	}
	v.Check(o.SlotLength >= PlanMinSlotLength && o.SlotLength <= PlanMaxSlotLength && o.SlotLength%time.Minute == 0,
		"slotLength", "plan.slot_minutes", Args{"min": int(PlanMinSlotLength / time.Minute), "max": int(PlanMaxSlotLength / time.Minute)})
	v.Check(!o.FirstStart.IsZero(), "firstStart", "plan.first_start_required", nil)
	if o.DayStart == 0 && o.DayEnd == 0 {
		o.DayStart, o.DayEnd = PlanDefaultDayStart, PlanDefaultDayEnd
	}
	v.Check(o.DayStart >= 0 && o.DayStart < 24*60, "dayStart", "plan.day_start_range", Args{"from": ClockText(0), "to": ClockText(24*60 - 1)})
	v.Check(o.DayEnd > o.DayStart && o.DayEnd <= 24*60, "dayEnd", "plan.day_end_range", Args{"max": ClockText(24 * 60)})
	if o.Days == 0 {
		o.Days = PlanDefaultDays
	}
	v.Check(o.Days >= 1 && o.Days <= PlanMaxDays, "days", "field.number_range", Args{"min": 1, "max": PlanMaxDays})
	if o.Tracks == 0 {
		o.Tracks = PlanDefaultTracks
	}
	v.Check(o.Tracks >= 1 && o.Tracks <= PlanMaxTracks, "tracks", "field.number_range", Args{"min": 1, "max": PlanMaxTracks})
	switch {
	case o.Gap == 0:
		o.Gap = PlanDefaultGap
	case o.Gap < 0:
		o.Gap = 0
	}
	v.Check(o.Gap <= PlanMaxGap && o.Gap%time.Minute == 0, "gap", "plan.gap_range", Args{"maxHours": int(PlanMaxGap / time.Hour)})
	var inds []string
	for _, code := range o.Industries {
		if !IsIndustry(code) {
			v.Add("industries", "plan.industry_unknown", Args{"industry": code})
		} else if !slices.Contains(inds, code) {
			inds = append(inds, code)
		}
	}
	o.Industries = inds
	return o, v.Err(EINVALID, "plan.options_invalid")
}

// Class markers for teams that cannot be placed.
const (
	planNoZone  = -1
	planBadZone = -2
	planNoTime  = -3
)

type planTeam struct {
	id, tz string
	ind    int   // index into planner.inds
	class  int32 // index into planner.classes, or a planNo* marker
}

// planClass is a set of teams with the same feasible grid positions (in
// practice: the same UTC offsets during the planning window).
type planClass struct {
	bits []uint64 // feasible positions
	pre  []int32  // pre[p] = number of feasible positions before p
	n    int32    // number of feasible positions
}

func (c *planClass) feasible(p int) bool { return c.bits[p>>6]>>(uint(p)&63)&1 != 0 }

// any reports whether some position in [p, p+l) is feasible.
func (c *planClass) any(p, l int) bool { return c.pre[p+l] > c.pre[p] }

// planPool holds the teams of one industry and one class not yet handled,
// sorted by id: teams[head:].
type planPool struct {
	teams []int32
	head  int
}

func (q *planPool) left() int { return len(q.teams) - q.head }

type planSession struct {
	ind   int
	p     int     // first position
	teams []int32 // team of each slot
	dead  bool    // merged into another session
}

type planner struct {
	o       PlanOptions
	slotSec int64
	gapSec  int64
	slotN   int // positions per session at most (MaxPerSession, or less when the day is short)

	teams    []planTeam
	inds     []string // industries planned, in the order of Industries()
	unplaced []Unplaced

	first    int64 // FirstStart, unix seconds
	horizon  int64 // FirstStart + Days, unix seconds
	pos      []int64
	runStart []int32 // first position of the same day's run of positions
	runEnd   []int32 // last position of the same run

	base int64   // unix seconds of occupancy cell 0 (cells are minutes)
	occ  []int32 // sessions and busy intervals (with gap) covering each cell

	classes  []*planClass
	rank     []int32 // classes in fill order: fewest feasible positions first
	pools    [][]planPool
	indTotal []int // placeable teams per industry
	indLeft  []int // teams still in the pools
	indMade  []int // sessions created by the main loop
	full     []bool
	sessions []*planSession
	waiting  []int32 // teams that found no free time in the main loop
	version  []int   // per industry: bumped when its sessions change
	tried    [][]int // per industry and class: version at the last failed insertion
	freed    bool    // mergeLoneSessions gave track time back

	owner []int32 // matching buffers: team per slot
	seen  []bool
}

// readTeams selects, validates and sorts the teams.
func (pl *planner) readTeams(teams []PlanTeam) error {
	all := len(pl.o.Industries) == 0
	selected := pl.o.Industries
	if all {
		selected = nil
		for _, ind := range Industries() {
			selected = append(selected, ind.Code)
		}
	}
	indIndex := map[string]int{}
	for _, ind := range Industries() {
		if slices.Contains(selected, ind.Code) {
			indIndex[ind.Code] = len(pl.inds)
			pl.inds = append(pl.inds, ind.Code)
		}
	}
	var v Validator
	var picked []int
	for i, t := range teams {
		if _, ok := indIndex[t.Industry]; !ok && !all {
			continue
		}
		if t.ApplicationID == "" {
			v.Add(fmt.Sprintf("teams[%d].applicationId", i), "plan.team_id_required", nil)
			continue
		}
		picked = append(picked, i)
	}
	slices.SortStableFunc(picked, func(a, b int) int { return cmp.Compare(teams[a].ApplicationID, teams[b].ApplicationID) })
	for k := 1; k < len(picked); k++ {
		if teams[picked[k]].ApplicationID == teams[picked[k-1]].ApplicationID {
			v.Add(fmt.Sprintf("teams[%d].applicationId", picked[k]),
				"plan.team_listed_twice", Args{"applicationId": teams[picked[k]].ApplicationID})
		}
	}
	if err := v.Err(EINVALID, "plan.teams_invalid"); err != nil {
		return err
	}
	for _, i := range picked {
		t := teams[i]
		ind, ok := indIndex[t.Industry]
		if !ok {
			pl.unplaced = append(pl.unplaced, unplaced(t.ApplicationID, t.Industry, Msg("plan.unplaced_industry", Args{"industry": t.Industry})))
			continue
		}
		pl.teams = append(pl.teams, planTeam{id: t.ApplicationID, tz: t.Timezone, ind: ind})
	}
	return nil
}

// buildGrid lists the possible slot starts ("positions"): every multiple of
// the slot length after midnight in ZoneTimezone whose slot lies inside the
// daily window, at or after FirstStart, and ending by the horizon.
func (pl *planner) buildGrid() error {
	o := pl.o
	zone, err := time.LoadLocation(ZoneTimezone)
	if err != nil {
		zone = time.FixedZone("CST", 8*3600) // Dalian has kept UTC+8 since 1991
	}
	pl.slotSec = int64(o.SlotLength / time.Second)
	pl.gapSec = int64(o.Gap / time.Second)
	slotMin := int(o.SlotLength / time.Minute)
	horizon := o.FirstStart.Add(time.Duration(o.Days) * 24 * time.Hour)
	pl.first, pl.horizon = o.FirstStart.Unix(), horizon.Unix()
	if o.FirstStart.Nanosecond() != 0 {
		pl.first++ // positions are whole seconds: the first one must not be earlier
	}
	y, m, d := o.FirstStart.In(zone).Date()
	first := (o.DayStart + slotMin - 1) / slotMin * slotMin
	for day := 0; time.Date(y, m, d+day, 0, 0, 0, 0, zone).Unix() < pl.horizon; day++ {
		prev := int64(0)
		for min := first; min+slotMin <= o.DayEnd; min += slotMin {
			t := time.Date(y, m, d+day, 0, min, 0, 0, zone).Unix()
			if t < pl.first {
				continue
			}
			if t+pl.slotSec > pl.horizon {
				break
			}
			rs := int32(len(pl.pos))
			if len(pl.pos) > 0 && t == prev+pl.slotSec {
				rs = pl.runStart[len(pl.pos)-1]
			}
			pl.pos = append(pl.pos, t)
			pl.runStart = append(pl.runStart, rs)
			prev = t
		}
	}
	if len(pl.pos) == 0 {
		return NewError(EUNPROCESSABLE, "plan.window_empty", nil)
	}
	P := len(pl.pos)
	pl.runEnd = make([]int32, P)
	longest := 0
	for p := P - 1; p >= 0; p-- {
		if p == P-1 || pl.runStart[p+1] != pl.runStart[p] {
			pl.runEnd[p] = int32(p)
		} else {
			pl.runEnd[p] = pl.runEnd[p+1]
		}
		longest = max(longest, int(pl.runEnd[p])-p+1)
	}
	pl.slotN = min(o.MaxPerSession, longest)
	pl.owner = make([]int32, pl.slotN+1)
	pl.seen = make([]bool, pl.slotN+1)
	return nil
}

// buildOccupancy counts, per minute from FirstStart to the horizon plus the
// gap, the busy intervals (extended by the gap) that touch it.
func (pl *planner) buildOccupancy(existing []Busy) error {
	var v Validator
	for i, b := range existing {
		v.Check(b.End.After(b.Start), fmt.Sprintf("existing[%d]", i), "plan.busy_backwards", nil)
	}
	if err := v.Err(EINVALID, "plan.busy_invalid"); err != nil {
		return err
	}
	pl.base = planFloorDiv(pl.first, 60) * 60
	n := int(planCeilDiv(pl.horizon+pl.gapSec-pl.base, 60)) + 1
	diff := make([]int32, n+1)
	for _, b := range existing {
		s, e := b.Start.Unix(), b.End.Unix()
		if b.End.Nanosecond() != 0 {
			e++
		}
		e += pl.gapSec
		c0 := max(planFloorDiv(s-pl.base, 60), 0)
		c1 := min(planCeilDiv(e-pl.base, 60), int64(n))
		if c0 < c1 {
			diff[c0]++
			diff[c1]--
		}
	}
	pl.occ = make([]int32, n)
	var run int32
	for c := range n {
		run += diff[c]
		pl.occ[c] = run
	}
	return nil
}

func planFloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func planCeilDiv(a, b int64) int64 { return -planFloorDiv(-a, b) }

func (pl *planner) cells(a, b int64) (int, int) {
	c0 := max(planFloorDiv(a-pl.base, 60), 0)
	c1 := min(planCeilDiv(b-pl.base, 60), int64(len(pl.occ)))
	return int(c0), int(c1)
}

// free reports whether [a, b) (unix seconds) has a track left everywhere.
func (pl *planner) free(a, b int64) bool {
	c0, c1 := pl.cells(a, b)
	limit := int32(pl.o.Tracks)
	for _, n := range pl.occ[c0:c1] {
		if n >= limit {
			return false
		}
	}
	return true
}

func (pl *planner) occupy(a, b int64, delta int32) {
	c0, c1 := pl.cells(a, b)
	for c := c0; c < c1; c++ {
		pl.occ[c] += delta
	}
}

// span is the interval a session of l slots at position p occupies on its
// track: the slots and the gap after them.
func (pl *planner) span(p, l int) (int64, int64) {
	return pl.pos[p], pl.pos[p] + int64(l)*pl.slotSec + pl.gapSec
}

// classify loads each team's time zone, computes its feasible positions and
// sorts the placeable teams into pools per industry and class.
func (pl *planner) classify() {
	zones := map[string]int32{}
	byBits := map[string]int32{}
	P := len(pl.pos)
	words := (P + 63) / 64
	for i := range pl.teams {
		t := &pl.teams[i]
		if c, ok := zones[t.tz]; ok {
			t.class = c
			continue
		}
		c := int32(planBadZone)
		switch loc, err := time.LoadLocation(t.tz); {
		case t.tz == "":
			c = planNoZone
		case err != nil || t.tz == "Local":
		default:
			bits := pl.feasibleBits(loc, words)
			key := planBitsKey(bits)
			if k, ok := byBits[key]; ok {
				c = k
				break
			}
			cl := &planClass{bits: bits, pre: make([]int32, P+1)}
			for p := range P {
				cl.pre[p+1] = cl.pre[p]
				if cl.feasible(p) {
					cl.pre[p+1]++
				}
			}
			cl.n = cl.pre[P]
			if cl.n == 0 {
				c = planNoTime
			} else {
				c = int32(len(pl.classes))
				pl.classes = append(pl.classes, cl)
			}
			byBits[key] = c
		}
		zones[t.tz] = c
		t.class = c
	}
	pl.rank = make([]int32, len(pl.classes))
	for c := range pl.rank {
		pl.rank[c] = int32(c)
	}
	slices.SortStableFunc(pl.rank, func(a, b int32) int { return cmp.Compare(pl.classes[a].n, pl.classes[b].n) })
	nInd := len(pl.inds)
	pl.pools = make([][]planPool, nInd)
	for i := range pl.pools {
		pl.pools[i] = make([]planPool, len(pl.classes))
	}
	pl.indTotal = make([]int, nInd)
	pl.indLeft = make([]int, nInd)
	pl.indMade = make([]int, nInd)
	pl.full = make([]bool, len(pl.classes))
	pl.version = make([]int, nInd)
	pl.tried = make([][]int, nInd)
	for i := range pl.tried {
		pl.tried[i] = slices.Repeat([]int{-1}, len(pl.classes))
	}
	for i, t := range pl.teams { // sorted by id
		switch t.class {
		case planNoZone:
			pl.unplace(i, Msg("plan.unplaced_no_zone", nil))
		case planBadZone:
			pl.unplace(i, Msg("plan.unplaced_zone", Args{"timezone": t.tz}))
		case planNoTime:
			pl.unplace(i, Msg("plan.unplaced_no_time", localWindow(t.tz)))
		default:
			q := &pl.pools[t.ind][t.class]
			q.teams = append(q.teams, int32(i))
			pl.indTotal[t.ind]++
			pl.indLeft[t.ind]++
		}
	}
}

// feasibleBits marks the positions whose slot lies inside 08:00-22:00 of loc
// on the local day the slot starts.
func (pl *planner) feasibleBits(loc *time.Location, words int) []uint64 {
	bits := make([]uint64, words)
	y, m, d := time.Unix(pl.pos[0], 0).In(loc).Date()
	p, P := 0, len(pl.pos)
	last := pl.pos[P-1]
	for k := -1; p < P; k++ {
		w0 := time.Date(y, m, d+k, 0, PlanLocalDayStart, 0, 0, loc).Unix()
		if w0 > last {
			break
		}
		w1 := time.Date(y, m, d+k, 0, PlanLocalDayEnd, 0, 0, loc).Unix()
		for p < P && pl.pos[p] < w0 {
			p++
		}
		for p < P && pl.pos[p]+pl.slotSec <= w1 {
			bits[p>>6] |= 1 << (uint(p) & 63)
			p++
		}
	}
	return bits
}

func planBitsKey(bits []uint64) string {
	b := make([]byte, 0, 8*len(bits))
	for _, w := range bits {
		for s := 0; s < 64; s += 8 {
			b = append(b, byte(w>>s))
		}
	}
	return string(b)
}

func (pl *planner) unplace(i int, reason Message) {
	t := pl.teams[i]
	pl.unplaced = append(pl.unplaced, unplaced(t.id, pl.inds[t.ind], reason))
}

// run is the main loop: anchor a session on the most constrained team left.
func (pl *planner) run() {
	for {
		ind, c := pl.nextAnchor()
		if ind < 0 {
			return
		}
		q := &pl.pools[ind][c]
		anchor := q.teams[q.head]
		target, p, l := 0, -1, 0
		if !pl.full[c] {
			target = pl.target(ind, c)
			p, l = pl.findSession(ind, anchor, target)
			if l > 1 && l < target {
				// Fewer fit than planned (time zones or busy tracks): spread the
				// teams that could share this session evenly over the sessions
				// they need, rather than leaving a small rest.
				compat, _ := pl.window(ind, p, l)
				if l2 := planCeil(compat, planCeil(compat, l)); l2 < l {
					p, l = pl.findSession(ind, anchor, l2)
				}
			}
			if l == 0 {
				pl.full[c] = true // occupancy only grows: no later team of c finds time either
			}
		}
		if l == 0 || (l == 1 && target > 1) {
			// Occupancy only grows here, so an insertion that failed for a team
			// of class c fails for the next one too, unless the sessions of the
			// industry changed since.
			if pl.tried[ind][c] != pl.version[ind] {
				chosen := slices.Clone(pl.owner[:l])
				if pl.insert(ind, anchor, nil) {
					q.head++
					pl.indLeft[ind]--
					continue
				}
				pl.tried[ind][c] = pl.version[ind]
				copy(pl.owner, chosen)
			}
		}
		if l == 0 {
			q.head++
			pl.indLeft[ind]--
			pl.waiting = append(pl.waiting, anchor)
			continue
		}
		for _, t := range pl.owner[:l] {
			// The teams chosen from a pool are always a prefix of what is left in it.
			pl.pools[ind][pl.teams[t].class].head++
		}
		pl.indLeft[ind] -= l
		pl.indMade[ind]++
		pl.addSession(ind, p, l)
	}
}

// addSession records a session of the l teams in pl.owner at position p.
func (pl *planner) addSession(ind, p, l int) {
	pl.version[ind]++
	pl.sessions = append(pl.sessions, &planSession{ind: ind, p: p, teams: slices.Clone(pl.owner[:l])})
	a, b := pl.span(p, l)
	pl.occupy(a, b, 1)
}

// placeWaiting gives the teams that found no free time in the main loop a
// last chance, since merging lone sessions may have freed some, and reports
// the others as unplaced.
func (pl *planner) placeWaiting() {
	for _, t := range pl.waiting {
		ind := pl.teams[t].ind
		if pl.insert(ind, t, nil) { // sessions made after t was tried may take it
			continue
		}
		if pl.freed {
			if p, l := pl.findSession(ind, t, 1); l == 1 {
				pl.addSession(ind, p, 1)
				continue
			}
		}
		args := localWindow(pl.teams[t].tz)
		args["tracks"] = pl.o.Tracks
		if pl.o.Tracks == 1 {
			pl.unplace(int(t), Msg("plan.unplaced_taken_one", args))
		} else {
			pl.unplace(int(t), Msg("plan.unplaced_taken", args))
		}
	}
}

// nextAnchor returns the pool whose first team is the most constrained team
// left (fewest feasible positions, then smallest id), or -1.
func (pl *planner) nextAnchor() (int, int32) {
	bi, bc := -1, int32(-1)
	for i := range pl.pools {
		for c := range pl.pools[i] {
			q := &pl.pools[i][c]
			if q.left() == 0 {
				continue
			}
			if bi >= 0 {
				bq := &pl.pools[bi][bc]
				if n, bn := pl.classes[c].n, pl.classes[bc].n; n > bn ||
					n == bn && pl.teams[q.teams[q.head]].id >= pl.teams[bq.teams[bq.head]].id {
					continue
				}
			}
			bi, bc = i, int32(c)
		}
	}
	return bi, bc
}

// target is the size the next session of industry ind should have: the
// industry's teams left spread evenly over its sessions left, and no more
// than an even share of the teams that could share a session with the anchor
// (so that teams of distant time zones are not left with a tiny session).
func (pl *planner) target(ind int, c int32) int {
	left := pl.indLeft[ind]
	r := max(planCeil(pl.indTotal[ind], pl.slotN)-pl.indMade[ind], planCeil(left, pl.slotN), 1)
	t := planCeil(left, r)
	// k: the most teams of the industry that could join the anchor in a
	// session of t slots, at any time where such a session could be full.
	k := 0
	ac := pl.classes[c]
	for p := 0; p+t <= len(pl.pos) && k < left; p++ {
		if int(pl.runEnd[p]) < p+t-1 || !ac.any(p, t) {
			continue
		}
		if compat, fit := pl.window(ind, p, t); fit >= t {
			k = max(k, compat)
		}
	}
	if k > 0 && k < left {
		t = min(t, planCeil(k, planCeil(k, pl.slotN)))
	}
	return t
}

// window looks at the slots [p, p+l) for industry ind: compat counts the
// teams left that could take one of them, fit bounds how many of those the
// slots can hold at once (a class holds no more teams than it has feasible
// slots there).
func (pl *planner) window(ind, p, l int) (compat, fit int) {
	for c := range pl.pools[ind] {
		q := &pl.pools[ind][c]
		if q.left() == 0 {
			continue
		}
		if n := int(pl.classes[c].pre[p+l] - pl.classes[c].pre[p]); n > 0 {
			compat += q.left()
			fit += min(q.left(), n)
		}
	}
	return compat, fit
}

func planCeil(a, b int) int { return (a + b - 1) / b }

// findSession finds the largest session size l <= target, and for it the
// earliest position p with a free track, where the anchor and l-1 other teams
// of its industry can be matched to the slots. The matching is left in
// pl.owner. It returns l = 0 when even the anchor alone finds no free time.
func (pl *planner) findSession(ind int, anchor int32, target int) (int, int) {
	ac := pl.classes[pl.teams[anchor].class]
	for l := target; l >= 1; l-- {
		for p := 0; p+l <= len(pl.pos); p++ {
			if int(pl.runEnd[p]) < p+l-1 || !ac.any(p, l) || !pl.free(pl.span(p, l)) {
				continue
			}
			if l > 1 {
				if _, fit := pl.window(ind, p, l); fit < l {
					continue
				}
			}
			if pl.fill(ind, anchor, p, l) {
				return p, l
			}
		}
	}
	return -1, 0
}

// fill matches the anchor and then the most constrained teams of the industry
// that fit, in pool order, to the l slots at p, until all slots are taken.
// Teams of a class are tried from the head of its pool and the class is left
// at its first team that does not fit (the next ones would not fit either),
// so the teams taken from each pool are a prefix of it.
func (pl *planner) fill(ind int, anchor int32, p, l int) bool {
	owner := pl.owner[:l]
	for i := range owner {
		owner[i] = -1
	}
	if !pl.augment(anchor, p, l) {
		return false
	}
	got := 1
	for _, c := range pl.rank {
		q := &pl.pools[ind][c]
		if got == l {
			break
		}
		if q.left() == 0 || !pl.classes[c].any(p, l) {
			continue
		}
		for _, t := range q.teams[q.head:] {
			if t == anchor {
				continue
			}
			if !pl.augment(t, p, l) {
				break
			}
			if got++; got == l {
				break
			}
		}
	}
	return got == l
}

// augment tries to give team t a slot of the session at p with l slots,
// moving other teams along an augmenting path (Kuhn's algorithm). On failure
// the matching is unchanged.
func (pl *planner) augment(t int32, p, l int) bool {
	for i := range pl.seen[:l] {
		pl.seen[i] = false
	}
	return pl.try(t, p, l)
}

func (pl *planner) try(t int32, p, l int) bool {
	c := pl.classes[pl.teams[t].class]
	for i := range l {
		if pl.seen[i] || !c.feasible(p+i) {
			continue
		}
		pl.seen[i] = true
		if pl.owner[i] < 0 || pl.try(pl.owner[i], p, l) {
			pl.owner[i] = t
			return true
		}
	}
	return false
}

// matchAll matches all of teams to the l slots at p, or reports false.
func (pl *planner) matchAll(teams []int32, p, l int) bool {
	for i := range pl.owner[:l] {
		pl.owner[i] = -1
	}
	for _, t := range teams {
		if !pl.augment(t, p, l) {
			return false
		}
	}
	return true
}

// insert adds team t to a session of industry ind with room (the smallest
// first, then the earliest) by extending it by one slot at its end or its
// start, when a track is free for the extra slot and all its teams, t
// included, can be matched to the slots. skip is a session not to use.
func (pl *planner) insert(ind int, t int32, skip *planSession) bool {
	var cands []*planSession
	for _, s := range pl.sessions {
		if s.ind == ind && !s.dead && s != skip && len(s.teams) < pl.slotN {
			cands = append(cands, s)
		}
	}
	slices.SortStableFunc(cands, func(a, b *planSession) int {
		return cmp.Or(cmp.Compare(len(a.teams), len(b.teams)), cmp.Compare(a.p, b.p))
	})
	c := pl.classes[pl.teams[t].class]
	for _, s := range cands {
		l := len(s.teams)
		all := append(slices.Clone(s.teams), t)
		// One slot more at the end.
		if p := s.p; int(pl.runEnd[p]) >= p+l && c.any(p, l+1) {
			_, a := pl.span(p, l)
			if pl.free(a, a+pl.slotSec) && pl.matchAll(all, p, l+1) {
				pl.occupy(a, a+pl.slotSec, 1)
				s.teams = slices.Clone(pl.owner[:l+1])
				pl.version[ind]++
				return true
			}
		}
		// One slot more at the start.
		if p := s.p - 1; p >= 0 && int(pl.runStart[s.p]) <= p && c.any(p, l+1) {
			if pl.free(pl.pos[p], pl.pos[s.p]) && pl.matchAll(all, p, l+1) {
				pl.occupy(pl.pos[p], pl.pos[s.p], 1)
				s.p = p
				s.teams = slices.Clone(pl.owner[:l+1])
				pl.version[ind]++
				return true
			}
		}
	}
	return false
}

// mergeLoneSessions moves the team of a one-team session into another session
// of its industry when one can take it, so that nobody pitches alone without
// need.
func (pl *planner) mergeLoneSessions() {
	count := make([]int, len(pl.inds))
	for _, s := range pl.sessions {
		count[s.ind]++
	}
	for _, s := range pl.sessions {
		if s.dead || len(s.teams) != 1 || count[s.ind] < 2 {
			continue
		}
		a, b := pl.span(s.p, 1)
		pl.occupy(a, b, -1)
		if pl.insert(s.ind, s.teams[0], s) {
			s.dead = true
			pl.freed = true
			count[s.ind]--
		} else {
			pl.occupy(a, b, 1)
		}
	}
}

// result converts the sessions to the API types, ordering the teams of a
// session by id where the time zones allow it.
func (pl *planner) result() Plan {
	plan := Plan{Sessions: []PlannedSession{}, Unplaced: pl.unplaced}
	if plan.Unplaced == nil {
		plan.Unplaced = []Unplaced{}
	}
	for _, s := range pl.sessions {
		if s.dead {
			continue
		}
		ts := s.teams
		fits := func(t int32, i int) bool { return pl.classes[pl.teams[t].class].feasible(s.p + i) }
		for i := range ts {
			for j := i + 1; j < len(ts); j++ {
				if pl.teams[ts[j]].id < pl.teams[ts[i]].id && fits(ts[j], i) && fits(ts[i], j) {
					ts[i], ts[j] = ts[j], ts[i]
				}
			}
		}
		ps := PlannedSession{Industry: pl.inds[s.ind], Slots: make([]PlannedSlot, len(ts))}
		for i, t := range ts {
			start := pl.pos[s.p] + int64(i)*pl.slotSec
			ps.Slots[i] = PlannedSlot{
				ApplicationID: pl.teams[t].id,
				Start:         time.Unix(start, 0).UTC(),
				End:           time.Unix(start+pl.slotSec, 0).UTC(),
			}
		}
		ps.Start, ps.End = ps.Slots[0].Start, ps.Slots[len(ts)-1].End
		plan.Sessions = append(plan.Sessions, ps)
	}
	slices.SortStableFunc(plan.Sessions, func(a, b PlannedSession) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Industry, b.Industry),
			cmp.Compare(a.Slots[0].ApplicationID, b.Slots[0].ApplicationID))
	})
	slices.SortFunc(plan.Unplaced, func(a, b Unplaced) int {
		return cmp.Or(cmp.Compare(a.Industry, b.Industry), cmp.Compare(a.ApplicationID, b.ApplicationID))
	})
	return plan
}

// SeatFill is a team placed into a free seat of an existing session: its
// slot is [Start, End), at the end of the session.
type SeatFill struct {
	SessionID     string
	ApplicationID string
	Start, End    time.Time
}

// FillSeats places teams into the free seats of existing scheduled sessions
// of their industry, so that a planning run fills those before
// PlanSessions opens new ones. It is pure and deterministic. A team joins a
// session (as its last slot, the session growing by one slot of its own
// length) only when all of this holds:
//   - the session is scheduled, of the team's industry, has teams and fewer
//     than MaxPerSession of them;
//   - the new slot starts after now and lies inside the planning window
//     [FirstStart, FirstStart+Days*24h], inside the daily window
//     (DayStart-DayEnd, Dalian time) and inside 08:00-22:00 of the team's
//     own local time on one day;
//   - the longer session, with Gap after it, overlaps fewer than Tracks
//     other scheduled or live sessions (a conservative count: any overlap
//     counts for the whole stretch);
//   - none of the session's judges and investors takes part in another
//     scheduled or live session that the longer session would overlap.
//
// Teams are taken by industry and application id, each into the earliest
// session that can hold it. It returns the placements in that order and
// the teams left for PlanSessions, in their order. Errors are those of
// PlanSessions' options.
func FillSeats(teams []PlanTeam, sessions []*Session, opts PlanOptions, now time.Time) ([]SeatFill, []PlanTeam, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, nil, err
	}
	dalian, err := time.LoadLocation(ZoneTimezone)
	if err != nil {
		return nil, nil, err
	}
	horizon := o.FirstStart.Add(time.Duration(o.Days) * 24 * time.Hour)
	// Working copies: a filled session grows for the next team.
	var open []*Session
	all := make([]*Session, len(sessions))
	for i, se := range sessions {
		all[i] = se.clone()
		if all[i].State == SessionScheduled && len(all[i].Slots) > 0 && all[i].SlotLength > 0 {
			open = append(open, all[i])
		}
	}
	slices.SortFunc(open, func(a, b *Session) int { return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID)) })
	order := slices.Clone(teams)
	slices.SortStableFunc(order, func(a, b PlanTeam) int {
		return cmp.Or(cmp.Compare(a.Industry, b.Industry), cmp.Compare(a.ApplicationID, b.ApplicationID))
	})
	placed := map[string]bool{}
	var fills []SeatFill
	for _, t := range order {
		loc, err := time.LoadLocation(t.Timezone)
		if t.Timezone == "" || t.Timezone == "Local" || err != nil {
			continue
		}
		for _, se := range open {
			start := se.End
			end := start.Add(time.Duration(se.SlotLength) * time.Minute)
			switch {
			case se.Industry != t.Industry || len(se.Slots) >= o.MaxPerSession,
				!start.After(now), start.Before(o.FirstStart), end.After(horizon),
				!withinDay(start, end, dalian, o.DayStart, o.DayEnd),
				!withinDay(start, end, loc, PlanLocalDayStart, PlanLocalDayEnd),
				!trackFree(se, end, all, o),
				!participantsFree(se, end, all):
				continue
			}
			se.Slots = append(se.Slots, Slot{ApplicationID: t.ApplicationID, Timezone: t.Timezone, Start: start, End: end})
			se.End = end
			fills = append(fills, SeatFill{SessionID: se.ID, ApplicationID: t.ApplicationID, Start: start, End: end})
			placed[t.ApplicationID] = true
			break
		}
	}
	rest := []PlanTeam{}
	for _, t := range teams {
		if !placed[t.ApplicationID] {
			rest = append(rest, t)
		}
	}
	return fills, rest, nil
}

// withinDay reports whether [start, end) lies on one day of loc between
// the minutes from and to after midnight.
func withinDay(start, end time.Time, loc *time.Location, from, to int) bool {
	st, en := start.In(loc), end.Add(-time.Nanosecond).In(loc)
	startMin, endMin := st.Hour()*60+st.Minute(), en.Hour()*60+en.Minute()
	return st.YearDay() == en.YearDay() && st.Year() == en.Year() && startMin >= from && endMin < to
}

// trackFree reports whether se, grown to end, and the gap after it overlap
// fewer than o.Tracks other active sessions (each with its own gap).
func trackFree(se *Session, end time.Time, all []*Session, o PlanOptions) bool {
	n := 0
	for _, other := range all {
		if other.ID != se.ID && other.Active() && se.End.Before(other.End.Add(o.Gap)) && other.Start.Before(end.Add(o.Gap)) {
			n++
		}
	}
	return n < o.Tracks
}

// participantsFree reports whether se, grown to end, keeps each of its
// judges and investors in one session at a time.
func participantsFree(se *Session, end time.Time, all []*Session) bool {
	grown := *se
	grown.End = end
	_, other := grown.Clash(all)
	return other == nil
}
