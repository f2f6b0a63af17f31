package roadshow

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// ScoreState is where one judge stands with one team of a session.
type ScoreState string

const (
	ScoreStateFinal    ScoreState = "final"    // complete and final
	ScoreStateComplete ScoreState = "complete" // every criterion has a value, not final
	ScoreStatePartial  ScoreState = "partial"  // started, some criteria missing: counts nowhere
	ScoreStateMissing  ScoreState = "missing"  // nothing saved
	ScoreStateConflict ScoreState = "conflict" // the judge declared a conflict of interest
)

// JudgeScoreState is one judge's state with one team; Reason is the
// conflict's reason, when there is one.
type JudgeScoreState struct {
	JudgeID string     `json:"judgeId"`
	Name    string     `json:"name"`
	State   ScoreState `json:"state"`
	Reason  string     `json:"reason,omitempty"`
}

// TeamCompleteness is who scored one team: every assigned judge's state,
// and the counts of each.
type TeamCompleteness struct {
	ApplicationID string            `json:"applicationId"`
	Title         string            `json:"title"`
	Judges        []JudgeScoreState `json:"judges"`
	Complete      int               `json:"complete"`  // complete scores, final ones included: what counts
	Final         int               `json:"final"`     // of which final
	Missing       int               `json:"missing"`   // judges without a complete score (partial or nothing) and no conflict
	Conflicts     int               `json:"conflicts"` // judges with a conflict of interest
}

// JudgeCompleteness is how far one judge got: complete scores out of the
// teams they may score (the session's teams but those they have a conflict
// with).
type JudgeCompleteness struct {
	JudgeID   string `json:"judgeId"`
	Name      string `json:"name"`
	Scored    int    `json:"scored"` // complete scores, final ones included
	Final     int    `json:"final"`
	Partial   int    `json:"partial"`
	Conflicts int    `json:"conflicts"`
	Teams     int    `json:"teams"` // teams the judge may score
}

// CompletenessReport is what an organizer reviews before publishing a
// session's results: per team, which assigned judges scored it (complete,
// final), declared a conflict, or are missing; per judge, how many teams
// they scored; and the gaps in words. Publishing with gaps needs the
// organizer to confirm them by GapsDigest (see CanPublishWithGaps).
type CompletenessReport struct {
	SessionID string              `json:"sessionId"`
	State     SessionState        `json:"state"`
	Published bool                `json:"published"`
	Teams     []TeamCompleteness  `json:"teams"`
	Judges    []JudgeCompleteness `json:"judges"`
	// Gaps names every gap: a team no judge scored, a judge who scored no
	// team, a judge without a complete score for a team.
	Gaps []Message `json:"gaps"`
	// GapsDigest identifies this list of gaps; "" when there is none.
	GapsDigest string `json:"gapsDigest"`
}

// CompletenessInput is what Completeness needs about one session.
type CompletenessInput struct {
	Session    *Session
	Rubric     Rubric
	JudgeNames map[string]string // judge id -> name
	Scores     []*Score          // the session's scores (any judge, any team)
	Conflicts  []*Conflict       // the conflicts of its judges with its teams
}

// Completeness works out the completeness report of a session. It is pure:
// teams come in slot order, judges in the session's order, and the gaps in
// that order too (teams nobody scored, judges who scored nobody, then each
// missing score team by team), so that the same state gives the same
// digest.
func Completeness(in CompletenessInput) CompletenessReport {
	se := in.Session
	rep := CompletenessReport{SessionID: se.ID, State: se.State, Published: se.Published(),
		Teams: []TeamCompleteness{}, Judges: []JudgeCompleteness{}, Gaps: []Message{}}
	judges := slices.Compact(slices.Clone(se.Judges))
	name := func(id string) string {
		if n := in.JudgeNames[id]; n != "" {
			return n
		}
		return id
	}
	scores := map[string]*Score{}
	for _, sc := range in.Scores {
		scores[ScoreID(se.ID, sc.JudgeID, sc.ApplicationID)] = sc
	}
	conflicts := map[string]*Conflict{}
	for _, c := range in.Conflicts {
		conflicts[ConflictID(c.JudgeID, c.ApplicationID)] = c
	}
	load := make([]JudgeCompleteness, len(judges))
	for j, id := range judges {
		load[j] = JudgeCompleteness{JudgeID: id, Name: name(id)}
	}
	var missing []Message
	for _, sl := range se.Slots {
		tc := TeamCompleteness{ApplicationID: sl.ApplicationID, Title: sl.Title, Judges: []JudgeScoreState{}}
		for j, id := range judges {
			st := JudgeScoreState{JudgeID: id, Name: name(id), State: ScoreStateMissing}
			sc := scores[ScoreID(se.ID, id, sl.ApplicationID)]
			switch c := conflicts[ConflictID(id, sl.ApplicationID)]; {
			case c != nil:
				st.State, st.Reason = ScoreStateConflict, c.Reason
				tc.Conflicts++
				load[j].Conflicts++
			case sc != nil && in.Rubric.ScoreComplete(sc.Values) && sc.Final:
				st.State = ScoreStateFinal
				tc.Complete++
				tc.Final++
				load[j].Scored++
				load[j].Final++
			case sc != nil && in.Rubric.ScoreComplete(sc.Values):
				st.State = ScoreStateComplete
				tc.Complete++
				load[j].Scored++
			case sc != nil:
				st.State = ScoreStatePartial
				tc.Missing++
				load[j].Partial++
			default:
				tc.Missing++
			}
			if st.State != ScoreStateConflict {
				load[j].Teams++
			}
			tc.Judges = append(tc.Judges, st)
		}
		rep.Teams = append(rep.Teams, tc)
	}
	if len(judges) == 0 && len(se.Slots) > 0 {
		rep.Gaps = append(rep.Gaps, Msg("results.gap_no_judges", nil))
	}
	for _, tc := range rep.Teams {
		if tc.Complete == 0 && len(judges) > 0 {
			rep.Gaps = append(rep.Gaps, Msg("results.gap_team_unscored", Args{"team": tc.Title}))
		}
	}
	idle := map[string]bool{}
	for _, l := range load {
		if l.Scored == 0 && l.Teams > 0 {
			idle[l.JudgeID] = true
			rep.Gaps = append(rep.Gaps, Msg("results.gap_judge_idle", Args{"judge": l.Name, "teams": l.Teams}))
		}
	}
	for _, tc := range rep.Teams {
		for _, st := range tc.Judges {
			switch {
			case idle[st.JudgeID]:
			case st.State == ScoreStateMissing:
				missing = append(missing, Msg("results.gap_missing", Args{"judge": st.Name, "team": tc.Title}))
			case st.State == ScoreStatePartial:
				missing = append(missing, Msg("results.gap_partial", Args{"judge": st.Name, "team": tc.Title}))
			}
		}
	}
	rep.Gaps = append(rep.Gaps, missing...)
	rep.Judges = load
	rep.GapsDigest = GapsDigest(rep.Gaps)
	return rep
}

// GapsDigest identifies a list of gaps: the same gaps in the same order give
// the same digest; "" for none.
func GapsDigest(gaps []Message) string {
	if len(gaps) == 0 {
		return ""
	}
	h := sha256.New()
	for _, g := range gaps {
		names := make([]string, 0, len(g.Args))
		for k := range g.Args {
			names = append(names, k)
		}
		slices.Sort(names)
		var b strings.Builder
		b.WriteString(g.Key)
		for _, k := range names {
			fmt.Fprintf(&b, "\x00%s=%v", k, g.Args[k])
		}
		b.WriteString("\n")
		h.Write([]byte(b.String()))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// CanReviewCompleteness reports whether actor may read a session's
// completeness report: organizers only (EFORBIDDEN).
func CanReviewCompleteness(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "results.completeness_organizers_only", nil))
}

// CanPublishWithGaps reports whether results with the report's gaps may be
// published by an organizer who confirmed the gaps identified by confirmed:
// without gaps always; with gaps only when confirmed is the report's
// GapsDigest, so that the organizer saw exactly these gaps (ECONFLICT
// otherwise, naming how many there are).
func CanPublishWithGaps(rep CompletenessReport, confirmed string) error {
	if len(rep.Gaps) == 0 || confirmed == rep.GapsDigest {
		return nil
	}
	return NewError(ECONFLICT, "results.gaps_unconfirmed", Args{"count": len(rep.Gaps)})
}
