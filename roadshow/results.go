package roadshow

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// JudgeScore is one judge's saved score for one application of a session.
// Only complete scores count (see ComputeResults); Final does not matter.
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
	Count         int          `json:"count"`  // judges whose complete score counts
	// Panel is the number of the session's judges who scored at least one
	// of its teams completely: what Count is out of.
	Panel int     `json:"panel"`
	Mean  float64 `json:"mean"`  // mean of the weighted totals, 1..10; 0 if Count is 0
	Low   float64 `json:"low"`   // the lowest weighted total: with High, how far the judges agree
	High  float64 `json:"high"`  // the highest weighted total
	ZMean float64 `json:"zMean"` // mean of the judges' z-scores; 0 if Count is 0
	// RankScore is what teams rank by: the sum of the judges' z-scores
	// divided by Panel, that is ZMean shrunk toward the session's average
	// (z = 0) in proportion to the panel's judges who did not score the
	// team (see ComputeResults).
	RankScore float64 `json:"rankScore"`
	Rank      int     `json:"rank"` // 1..n, all distinct; 0 if nobody scored it
}

// Results is the ranking of one session: ranked applications by Rank, then
// the unscored ones (Rank 0) in slot order.
type Results struct {
	Results  []Result `json:"results"`
	TieBreak Message  `json:"tieBreak"`
}

// ResultsTieBreak is the rule ComputeResults ranks by, in words, as returned
// in Results.TieBreak.
func ResultsTieBreak() Message {
	return Msg("results.tie_break", Args{"decimals": resultsTieDecimals})
}

const (
	// resultsZeroSD is the standard deviation below which a judge's totals are
	// taken as all equal: with floating-point sums, equal totals can leave a
	// deviation of a few ulps, which must not be blown up into z = +-1.
	resultsZeroSD = 1e-9
	// resultsTieScale: RankScore and Mean are compared after rounding to
	// resultsTieDecimals decimals, so that two teams that are equal on paper
	// but differ by summation noise are tied and the next rule decides.
	// Rounding (rather than |a-b| < eps) keeps the comparison transitive,
	// hence the sort sound.
	resultsTieDecimals = 9
	resultsTieScale    = 1e9
)

// ComputeResults aggregates the scores of one session into a ranking. It is
// pure and deterministic: the order of Scores and Judges does not matter.
//
// Which scores count:
//   - complete scores only (every criterion with a value in range, see
//     Rubric.ScoreComplete), final or not: a partial score is a judge's work
//     in progress and cannot be compared with the others. Final is not
//     exposed in the results;
//   - only scores of a judge listed in Judges for an application listed in
//     Applications (a judge removed from the session no longer counts);
//   - not those of a judge with a conflict for that application, even if
//     present;
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
// Unequal numbers of judges: the panel is the session's judges who scored at
// least one team completely. A team's RankScore is the sum of its judges'
// z-scores divided by the panel's size, as if each panel judge who did not
// score it (a conflict of interest, a score left incomplete) had rated it
// exactly average. So a team seen by fewer judges is pulled toward the
// session's average in proportion to the judges missing, and cannot win on
// one judge's enthusiasm; a team every judge scored keeps its mean z-score.
// A judge who scored nobody is not on the panel and pulls nobody down.
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
		if !in.Rubric.ScoreComplete(s.Values) {
			continue
		}
		cells[a*nJ+j] = cell{total: in.Rubric.WeightedTotal(s.Values), scored: true}
	}

	// Per-judge z-scores (two passes: mean, then squared deviations), and
	// the panel: the judges who scored anyone.
	panel := 0
	for j := range nJ {
		n, sum := 0, 0.0
		for a := range nA {
			if c := cells[a*nJ+j]; c.scored {
				n++
				sum += c.total
			}
		}
		if n > 0 {
			panel++
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
		r := Result{ApplicationID: id, Judges: []JudgeTotal{}, Panel: panel}
		var sum, zsum float64
		for j, judge := range judges {
			c := cells[a*nJ+j]
			if !c.scored {
				continue
			}
			if len(r.Judges) == 0 || c.total < r.Low {
				r.Low = c.total
			}
			r.High = max(r.High, c.total)
			r.Judges = append(r.Judges, JudgeTotal{JudgeID: judge, Total: c.total, Z: c.z})
			sum += c.total
			zsum += c.z
		}
		if r.Count = len(r.Judges); r.Count > 0 {
			r.Mean = sum / float64(r.Count)
			r.ZMean = zsum / float64(r.Count)
			r.RankScore = zsum / float64(panel)
		}
		results[a] = r
	}

	// Sort: ranked ones by the tie-break chain, unscored last; slot order is
	// the final key, so the order is total and the ranks are distinct.
	type key struct {
		slot        int
		scored      bool
		score, mean float64
		count       int
	}
	keys := make([]key, nA)
	for a, r := range results {
		keys[a] = key{
			slot:   a,
			scored: r.Count > 0,
			score:  math.Round(r.RankScore * resultsTieScale),
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
		if c := cmp.Compare(y.score, x.score); c != 0 {
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
	return Results{Results: out, TieBreak: ResultsTieBreak()}
}

// RankedTeam is one line of a ranking as shown to its reader.
type RankedTeam struct {
	ApplicationID string       `json:"applicationId"`
	Title         string       `json:"title"`
	Country       string       `json:"country,omitempty"`
	SessionID     string       `json:"sessionId,omitempty"`
	Rank          int          `json:"rank"`
	Of            int          `json:"of"` // the ranked teams: "rank 2 of 6"
	Mean          float64      `json:"mean"`
	Count         int          `json:"count"`     // judges whose complete score counts
	Panel         int          `json:"panel"`     // the judges on the session's panel (see Result)
	Low           float64      `json:"low"`       // the lowest judge's total: the spread, with High
	High          float64      `json:"high"`      // the highest judge's total
	RankScore     float64      `json:"rankScore"` // what ranks (see ComputeResults)
	ZMean         *float64     `json:"zMean,omitempty"`
	Judges        []JudgeTotal `json:"judges,omitempty"`
	// Feedback is what the judges wrote for the team, for its applicant.
	Feedback []string `json:"feedback,omitempty"`
}

// ResultsView is a ranking with its stated tie-break: the English text for
// API clients, and its message key and arguments beside it.
type ResultsView struct {
	SessionID    string       `json:"sessionId,omitempty"`
	Industry     string       `json:"industry"`
	Published    bool         `json:"published"`
	PublishedAt  *time.Time   `json:"publishedAt,omitempty"`
	TieBreak     string       `json:"tieBreak"`
	TieBreakKey  string       `json:"tieBreakKey"`
	TieBreakArgs Args         `json:"tieBreakArgs"`
	Teams        []RankedTeam `json:"teams"`
}

// setTieBreak states the ranking rule m in the view.
func (v *ResultsView) setTieBreak(m Message) {
	v.TieBreak, v.TieBreakKey, v.TieBreakArgs = m.Message, m.Key, m.Args
}

// CanReadResults reports whether actor may read the results of se:
// organizers at any time; once they are published, the session's judges
// and investors (the ranking) and its teams (their own line; own is the set
// of the applicant's applications). Before that EFORBIDDEN for the
// session's participants; for anyone else the session does not exist
// (ENOTFOUND).
func CanReadResults(actor Actor, se *Session, own map[string]bool) error {
	switch {
	case actor.Is(RoleOrganizer):
		return nil
	case !se.IsParticipant(actor, own):
		return NewError(ENOTFOUND, "session.not_found", nil)
	case !se.Published():
		return NewError(EFORBIDDEN, "results.not_published", nil)
	}
	return nil
}

// CanRankIndustry reports whether actor may see the ranking of an industry
// across its sessions: organizers only (EFORBIDDEN).
func CanRankIndustry(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "results.organizers_only", nil))
}
