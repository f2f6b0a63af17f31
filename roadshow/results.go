package roadshow

import (
	"cmp"
	"math"
	"slices"
)

// JudgeScore is one judge's saved score for one application of a session.
// Final tells whether the judge locked it; ComputeResults counts drafts too.
type JudgeScore struct {
	JudgeID       string
	ApplicationID string
	Values        map[string]int
	Final         bool
}

// ResultInput is everything ComputeResults needs about ONE session.
type ResultInput struct {
	Rubric       Rubric
	Applications []string // in slot order
	Judges       []string
	Scores       []JudgeScore
	// Conflicts maps judgeID -> applicationID -> true. Those scores are
	// ignored even if present.
	Conflicts map[string]map[string]bool
}

// JudgeTotal is one judge's weighted total for one application and its
// standardized value within that judge's scores of the session.
type JudgeTotal struct {
	JudgeID string  `json:"judgeId"`
	Total   float64 `json:"total"`
	Z       float64 `json:"z"`
}

// Result is the outcome of one application in its session.
type Result struct {
	ApplicationID string       `json:"applicationId"`
	Judges        []JudgeTotal `json:"judges"` // one per judge who scored it, sorted by judge id; [] if none
	Count         int          `json:"count"`  // judges who scored it
	Mean          float64      `json:"mean"`   // mean of the weighted totals, 1..10; 0 if Count is 0
	ZMean         float64      `json:"zMean"`  // mean of the judges' z-scores; 0 if Count is 0
	Rank          int          `json:"rank"`   // 1..n, all distinct; 0 if nobody scored it
}

// Results is the ranking of one session: ranked applications by Rank, then
// the unscored ones (Rank 0) in slot order.
type Results struct {
	Results  []Result `json:"results"`
	TieBreak string   `json:"tieBreak"`
}

// ResultsTieBreak is the rule ComputeResults ranks by, in words, as returned
// in Results.TieBreak.
const ResultsTieBreak = "Teams are ranked by the mean of the judges' standardized scores " +
	"(each judge's weighted totals turned into z-scores within the session, so that a harsh " +
	"or a lenient judge does not decide the ranking), highest first. When two teams are equal " +
	"on that to 9 decimal places, the higher mean weighted total wins, then the team scored by " +
	"more judges, then the team with the earlier pitch slot, so every rank is distinct. A judge " +
	"who scored only one team, or gave every team the same total, counts as 0 for those teams. " +
	"Teams no judge scored are listed last, without a rank."

const (
	// resultsZeroSD is the standard deviation below which a judge's totals are
	// taken as all equal: with floating-point sums, equal totals can leave a
	// deviation of a few ulps, which must not be blown up into z = +-1.
	resultsZeroSD = 1e-9
	// resultsTieScale: ZMean and Mean are compared after rounding to 9
	// decimals, so that two teams that are equal on paper but differ by
	// summation noise are tied and the next rule decides. Rounding (rather
	// than |a-b| < eps) keeps the comparison transitive, hence the sort sound.
	resultsTieScale = 1e9
)

// ComputeResults aggregates the scores of one session into a ranking. It is
// pure and deterministic: the order of Scores and Judges does not matter.
//
// Which scores count:
//   - every saved score, draft or Final: a draft is the judge's current
//     opinion, and a session usually ends with some judges not having pressed
//     "final". Final is not exposed in the results;
//   - only scores of a judge listed in Judges for an application listed in
//     Applications (a judge removed from the session no longer counts);
//   - not those of a judge with a conflict for that application, even if
//     present;
//   - only scores that pass Rubric.ValidateScores (complete and in range);
//     anything else cannot be compared with the others and is left out;
//   - if one (judge, application) pair appears several times, the last entry
//     wins (the store keeps one document per pair, so this should not happen).
//
// Standardization: for each judge, over the applications of the session that
// judge scored, z = (total - mean) / sd with the population standard
// deviation. A judge who scored only one team, or gave every team the same
// total (sd = 0), says nothing about how the teams compare, so that judge
// contributes z = 0 (exactly average) to those teams rather than being
// undefined or inflating tiny differences.
//
// Ranking: see ResultsTieBreak. Nothing is rounded in the output.
func ComputeResults(in ResultInput) Results {
	// Applications in slot order, first occurrence wins.
	appIndex := make(map[string]int, len(in.Applications))
	apps := make([]string, 0, len(in.Applications))
	for _, id := range in.Applications {
		if _, dup := appIndex[id]; !dup {
			appIndex[id] = len(apps)
			apps = append(apps, id)
		}
	}
	// Judges sorted by id, unique: this fixes the summation order.
	judges := slices.Clone(in.Judges)
	slices.Sort(judges)
	judges = slices.Compact(judges)
	judgeIndex := make(map[string]int, len(judges))
	for j, id := range judges {
		judgeIndex[id] = j
	}

	nA, nJ := len(apps), len(judges)
	// cells[a*nJ+j] is judge j's total for application a.
	type cell struct {
		total, z float64
		scored   bool
	}
	cells := make([]cell, nA*nJ)
	for _, s := range in.Scores {
		a, okA := appIndex[s.ApplicationID]
		j, okJ := judgeIndex[s.JudgeID]
		if !okA || !okJ || in.Conflicts[s.JudgeID][s.ApplicationID] {
			continue
		}
		if in.Rubric.ValidateScores(s.Values) != nil {
			continue
		}
		cells[a*nJ+j] = cell{total: in.Rubric.WeightedTotal(s.Values), scored: true}
	}

	// Per-judge z-scores (two passes: mean, then squared deviations).
	for j := range nJ {
		n, sum := 0, 0.0
		for a := range nA {
			if c := cells[a*nJ+j]; c.scored {
				n++
				sum += c.total
			}
		}
		if n < 2 {
			continue // z stays 0
		}
		mean := sum / float64(n)
		ss := 0.0
		for a := range nA {
			if c := cells[a*nJ+j]; c.scored {
				d := c.total - mean
				ss += d * d
			}
		}
		sd := math.Sqrt(ss / float64(n))
		if sd < resultsZeroSD {
			continue // all equal: z stays 0
		}
		for a := range nA {
			if c := &cells[a*nJ+j]; c.scored {
				c.z = (c.total - mean) / sd
			}
		}
	}

	results := make([]Result, nA)
	for a, id := range apps {
		r := Result{ApplicationID: id, Judges: []JudgeTotal{}}
		var sum, zsum float64
		for j, judge := range judges {
			c := cells[a*nJ+j]
			if !c.scored {
				continue
			}
			r.Judges = append(r.Judges, JudgeTotal{JudgeID: judge, Total: c.total, Z: c.z})
			sum += c.total
			zsum += c.z
		}
		if r.Count = len(r.Judges); r.Count > 0 {
			r.Mean = sum / float64(r.Count)
			r.ZMean = zsum / float64(r.Count)
		}
		results[a] = r
	}

	// Sort: ranked ones by the tie-break chain, unscored last; slot order is
	// the final key, so the order is total and the ranks are distinct.
	type key struct {
		slot        int
		scored      bool
		zmean, mean float64
		count       int
	}
	keys := make([]key, nA)
	for a, r := range results {
		keys[a] = key{
			slot:   a,
			scored: r.Count > 0,
			zmean:  math.Round(r.ZMean * resultsTieScale),
			mean:   math.Round(r.Mean * resultsTieScale),
			count:  r.Count,
		}
	}
	slices.SortFunc(keys, func(x, y key) int {
		if x.scored != y.scored {
			if x.scored {
				return -1
			}
			return 1
		}
		if !x.scored {
			return cmp.Compare(x.slot, y.slot)
		}
		if c := cmp.Compare(y.zmean, x.zmean); c != 0 {
			return c
		}
		if c := cmp.Compare(y.mean, x.mean); c != 0 {
			return c
		}
		if c := cmp.Compare(y.count, x.count); c != 0 {
			return c
		}
		return cmp.Compare(x.slot, y.slot)
	})
	out := make([]Result, nA)
	for i, k := range keys {
		r := results[k.slot]
		if k.scored {
			r.Rank = i + 1
		}
		out[i] = r
	}
	return Results{Results: out, TieBreak: ResultsTieBreak}
}

// ScoreContext is what CanScore needs to know about one attempt by one judge
// to save (or finalize) a score for one application of one session.
type ScoreContext struct {
	SessionState  string // "scheduled", "live" or "ended"
	CurrentSlot   int    // index of the live slot, -1 if none
	SlotIndex     int    // index of the application's slot in the session, -1 if not in the session
	JudgeAssigned bool   // the caller is a judge assigned to the session
	Conflict      bool   // the judge declared (or was recorded with) a conflict with the application
	Locked        bool   // the judge's score for the application is already final
}

// CanScore reports whether a judge may save or finalize a score now; the HTTP
// layer calls it for PUT .../scores/{applicationId} and POST .../final.
// Checks run in this order, so that the caller learns no more than they may:
//
//   - EFORBIDDEN if the caller is not a judge assigned to the session;
//   - ENOTFOUND if the application has no slot in the session;
//   - EFORBIDDEN if the judge has a conflict with the application;
//   - ECONFLICT "Score is final and can no longer be changed." if locked;
//   - ECONFLICT "Session has ended." once ended;
//   - ECONFLICT "Session is not live." before it starts (or in any unknown state);
//   - ECONFLICT "This slot has not started yet." for a slot after the live one.
//
// It returns nil for the live slot and every earlier one.
func CanScore(c ScoreContext) error {
	switch {
	case !c.JudgeAssigned:
		return Errorf(EFORBIDDEN, "Only a judge assigned to this session can score.")
	case c.SlotIndex < 0:
		return Errorf(ENOTFOUND, "Application not found in this session.")
	case c.Conflict:
		return Errorf(EFORBIDDEN, "You have a conflict of interest with this application and cannot score it.")
	case c.Locked:
		return Errorf(ECONFLICT, "Score is final and can no longer be changed.")
	case c.SessionState == "ended":
		return Errorf(ECONFLICT, "Session has ended.")
	case c.SessionState != "live":
		return Errorf(ECONFLICT, "Session is not live.")
	case c.CurrentSlot < 0 || c.SlotIndex > c.CurrentSlot:
		return Errorf(ECONFLICT, "This slot has not started yet.")
	}
	return nil
}
