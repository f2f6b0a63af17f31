package roadshow

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ResultsService ranks the teams of a session and of an industry, and
// publishes a session's results.
type ResultsService struct {
	Sessions *SessionService // the sessions as their readers see them; publishing
	Judging  *JudgingService // the scores and conflicts of a session
	Editions *EditionService // the rubric
	Clock    Clock
	Events   Publisher // may be nil
	Notify   *Notifier // may be nil: teams hear of published results by e-mail
}

// SessionResults returns a session's results: organizers see everything at
// any time; once published, applicants see their own line (rank of how
// many, mean, judges and spread, and the judges' comments meant for their
// team), and the session's investors and judges the ranking (see
// CanReadResults).
func (s *ResultsService) SessionResults(ctx context.Context, actor Actor, id string) (ResultsView, error) {
	se, err := s.Sessions.load(ctx, id)
	if err != nil {
		return ResultsView{}, err
	}
	own, err := s.Sessions.owned(ctx, actor, se)
	if err != nil {
		return ResultsView{}, err
	}
	if err := CanReadResults(actor, se, own); err != nil {
		return ResultsView{}, err
	}
	res, sh, err := s.compute(ctx, se)
	if err != nil {
		return ResultsView{}, err
	}
	view := ResultsView{SessionID: se.ID, Industry: se.Industry, Published: se.Published(), PublishedAt: se.PublishedAt, Teams: []RankedTeam{}}
	view.setTieBreak(res.TieBreak)
	ranked := 0
	for _, r := range res.Results {
		if r.Rank > 0 {
			ranked++
		}
	}
	for _, r := range res.Results {
		t := rankedTeam(actor, se, r)
		t.Of = ranked
		if own[r.ApplicationID] {
			t.Feedback = teamFeedback(sh, r.ApplicationID)
		}
		view.Teams = append(view.Teams, t)
	}
	if actor.Is(RoleApplicant) {
		view.Teams = slices.DeleteFunc(view.Teams, func(t RankedTeam) bool { return !own[t.ApplicationID] })
	}
	return view, nil
}

// teamFeedback returns the comments the judges wrote for the team, from
// the scores that count (complete, no conflict), without the judges' names.
func teamFeedback(sh sheet, appID string) []string {
	out := []string{}
	for _, sc := range sh.scores {
		if sc.ApplicationID == appID && sc.TeamComment != "" && sc.Complete && !sh.conflicts[sc.JudgeID][appID] {
			out = append(out, sc.TeamComment)
		}
	}
	return out
}

// rankedTeam is one result as actor reads it: the organizers' detail
// (standardized mean, each judge's total) for organizers only.
func rankedTeam(actor Actor, se *Session, r Result) RankedTeam {
	i := se.SlotIndex(r.ApplicationID)
	t := RankedTeam{ApplicationID: r.ApplicationID, Rank: r.Rank, Mean: r.Mean, SessionID: se.ID,
		Count: r.Count, Panel: r.Panel, Low: r.Low, High: r.High, RankScore: r.RankScore}
	if i >= 0 {
		t.Title, t.Country = se.Slots[i].Title, se.Slots[i].Country
	}
	if actor.Is(RoleOrganizer) {
		z := r.ZMean
		t.ZMean, t.Judges = &z, r.Judges
	}
	return t
}

// compute ranks a session's teams from its scores and conflicts; the sheet
// comes back with each score's Complete set.
func (s *ResultsService) compute(ctx context.Context, se *Session) (Results, sheet, error) {
	sh, err := s.Judging.sheet(ctx, se)
	if err != nil {
		return Results{}, sheet{}, err
	}
	ed, err := s.Editions.Get(ctx)
	if err != nil {
		return Results{}, sheet{}, err
	}
	in := ResultInput{Rubric: ed.Rubric, Judges: se.Judges, Conflicts: sh.conflicts}
	for _, sl := range se.Slots {
		in.Applications = append(in.Applications, sl.ApplicationID)
	}
	for _, sc := range sh.scores {
		sc.Complete = ed.Rubric.ScoreComplete(sc.Values)
		in.Scores = append(in.Scores, JudgeScore{JudgeID: sc.JudgeID, ApplicationID: sc.ApplicationID, Values: sc.Values, Final: sc.Final})
	}
	return ComputeResults(in), sh, nil
}

// Completeness returns the completeness report of a session (organizers;
// see CanReviewCompleteness): who scored which team, who declared a
// conflict and why, who is missing, and the gaps a publication would have.
func (s *ResultsService) Completeness(ctx context.Context, actor Actor, id string) (CompletenessReport, error) {
	if err := CanReviewCompleteness(actor); err != nil {
		return CompletenessReport{}, err
	}
	se, err := s.Sessions.load(ctx, id)
	if err != nil {
		return CompletenessReport{}, err
	}
	return s.completeness(ctx, se)
}

func (s *ResultsService) completeness(ctx context.Context, se *Session) (CompletenessReport, error) {
	sh, err := s.Judging.sheet(ctx, se)
	if err != nil {
		return CompletenessReport{}, err
	}
	ed, err := s.Editions.Get(ctx)
	if err != nil {
		return CompletenessReport{}, err
	}
	names := map[string]string{}
	for _, j := range se.Judges {
		u, err := s.Judging.Users.UserByID(ctx, j)
		if ErrorCode(err) == ENOTFOUND {
			continue
		} else if err != nil {
			return CompletenessReport{}, err
		}
		names[j] = u.Name
	}
	return Completeness(CompletenessInput{Session: se, Rubric: ed.Rubric, JudgeNames: names, Scores: sh.scores, Conflicts: sh.declared}), nil
}

// PublishInput is an organizer's publication: the digest of the gaps of
// the completeness report they confirm publishing with ("" for none).
type PublishInput struct {
	ConfirmGaps string
}

// Publish publishes an ended session's results (organizers; see
// CanPublishResults). When the completeness report has gaps, the organizer
// must confirm exactly those gaps (ECONFLICT "results.gaps_unconfirmed"
// otherwise, see CanPublishWithGaps); the publication is logged on the
// session with the gaps confirmed.
func (s *ResultsService) Publish(ctx context.Context, actor Actor, id string, in PublishInput) (*Session, error) {
	if err := CanRunSessions(actor); err != nil {
		return nil, err
	}
	se, err := s.Sessions.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := se.CanPublishResults(); err != nil {
		return nil, err
	}
	// Mends a finalisation that ending the session could not finish.
	if err := s.Judging.FinalizeAtEnd(ctx, se); err != nil {
		return nil, err
	}
	rep, err := s.completeness(ctx, se)
	if err != nil {
		return nil, err
	}
	if err := CanPublishWithGaps(rep, in.ConfirmGaps); err != nil {
		return nil, err
	}
	se, err = s.Sessions.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanPublishResults(); err != nil {
			return err
		}
		if se.Published() {
			return nil
		}
		se.PublishedAt = &now
		se.ResultsLog = append(se.ResultsLog, ResultsLogEntry{Action: ResultsPublished, At: now, By: actor.UserID, Gaps: rep.Gaps})
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.announce(se)
	s.Notify.ResultsPublished(ctx, se)
	return se, nil
}

// Withdraw takes a publication back, with the reason, logged on the
// session: applicants, judges and investors no longer see the results
// until they are published again (organizers; ECONFLICT unless published,
// EUNPROCESSABLE without a reason or with a long one).
func (s *ResultsService) Withdraw(ctx context.Context, actor Actor, id, reason string) (*Session, error) {
	if err := CanRunSessions(actor); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	var v Validator
	v.Check(reason != "", "reason", "results.withdraw_reason_required", nil)
	v.Check(utf8.RuneCountInString(reason) <= MaxWithdrawReason, "reason", "field.max_length", Args{"max": MaxWithdrawReason})
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return nil, err
	}
	se, err := s.Sessions.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanWithdrawResults(); err != nil {
			return err
		}
		se.PublishedAt = nil
		se.ResultsLog = append(se.ResultsLog, ResultsLogEntry{Action: ResultsWithdrawn, At: now, By: actor.UserID, Reason: reason})
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.announce(se)
	return se, nil
}

// announce tells the room that the results changed.
func (s *ResultsService) announce(se *Session) {
	if s.Events != nil {
		s.Events.Publish(Event{Type: EventResults, SessionID: se.ID, At: s.Clock.Now(), Session: se})
	}
}

// IndustryResults ranks every scored team of an industry's live and ended
// sessions by their within-session rank scores (organizers; see
// ComputeResults).
// Standardizing within each session keeps a harsh panel from sinking its
// teams. Returns EINVALID for an unknown industry.
func (s *ResultsService) IndustryResults(ctx context.Context, actor Actor, industry string) (ResultsView, error) {
	if err := CanRankIndustry(actor); err != nil {
		return ResultsView{}, err
	}
	if !IsIndustry(industry) {
		return ResultsView{}, FieldErrors(EINVALID, "request.industry_unknown",
			map[string]Message{"industry": Msg("request.industry_unknown", nil)})
	}
	list, err := s.Sessions.Store.ListSessions(ctx, SessionFilter{Industry: industry})
	if err != nil {
		return ResultsView{}, err
	}
	type row struct {
		t     RankedTeam
		score float64
		count int
		start time.Time
		slot  int
	}
	var rows []row
	for _, se := range list {
		if se.State != SessionEnded && se.State != SessionLive {
			continue
		}
		res, _, err := s.compute(ctx, se)
		if err != nil {
			return ResultsView{}, err
		}
		for _, r := range res.Results {
			if r.Count == 0 {
				continue
			}
			rows = append(rows, row{t: rankedTeam(actor, se, r), score: r.RankScore, count: r.Count, start: se.Start, slot: se.SlotIndex(r.ApplicationID)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if za, zb := round9(a.score), round9(b.score); za != zb {
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
	view := ResultsView{Industry: industry, Teams: []RankedTeam{}}
	view.setTieBreak(Msg("results.tie_break_industry", Args{"decimals": resultsTieDecimals}))
	for i, r := range rows {
		r.t.Rank, r.t.Of = i+1, len(rows)
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

// SessionResult is one session and its results, for exports: with the
// rubric and every judge's score (criteria and comments), which only
// organizers read.
type SessionResult struct {
	Session *Session
	Results ResultsView
	Rubric  Rubric
	Scores  []ExportedScore
}

// ExportedScore is one judge's score of one team, and whether it counts in
// the results (complete, and no conflict declared).
type ExportedScore struct {
	*Score
	Counts bool
}

// Export returns the results of every live or ended session in start order,
// for the organizers' exports. Returns EFORBIDDEN for other roles.
func (s *ResultsService) Export(ctx context.Context, actor Actor) ([]SessionResult, error) {
	if err := CanExport(actor); err != nil {
		return nil, err
	}
	list, err := s.Sessions.List(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := []SessionResult{}
	for _, se := range list {
		if se.State != SessionEnded && se.State != SessionLive {
			continue
		}
		res, err := s.SessionResults(ctx, actor, se.ID)
		if err != nil {
			return nil, err
		}
		sh, err := s.Judging.sheet(ctx, se)
		if err != nil {
			return nil, err
		}
		ed, err := s.Editions.Get(ctx)
		if err != nil {
			return nil, err
		}
		scores := make([]ExportedScore, 0, len(sh.scores))
		for _, sc := range sh.scores {
			sc.Complete = ed.Rubric.ScoreComplete(sc.Values)
			scores = append(scores, ExportedScore{Score: sc, Counts: sc.Complete && !sh.conflicts[sc.JudgeID][sc.ApplicationID]})
		}
		out = append(out, SessionResult{Session: se, Results: res, Rubric: ed.Rubric, Scores: scores})
	}
	return out, nil
}
