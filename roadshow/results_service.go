package roadshow

import (
	"context"
	"slices"
	"sort"
	"time"
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
// any time; once published, applicants see their own rank and mean, and
// the session's investors and judges the ranking (see CanReadResults).
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
	res, err := s.compute(ctx, se)
	if err != nil {
		return ResultsView{}, err
	}
	view := ResultsView{SessionID: se.ID, Industry: se.Industry, Published: se.Published(), PublishedAt: se.PublishedAt, Teams: []RankedTeam{}}
	view.setTieBreak(res.TieBreak)
	for _, r := range res.Results {
		view.Teams = append(view.Teams, rankedTeam(actor, se, r))
	}
	if actor.Is(RoleApplicant) {
		view.Teams = slices.DeleteFunc(view.Teams, func(t RankedTeam) bool { return !own[t.ApplicationID] })
	}
	return view, nil
}

// rankedTeam is one result as actor reads it: the organizers' detail
// (standardized mean, judges) for organizers only.
func rankedTeam(actor Actor, se *Session, r Result) RankedTeam {
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

func (s *ResultsService) compute(ctx context.Context, se *Session) (Results, error) {
	sh, err := s.Judging.sheet(ctx, se)
	if err != nil {
		return Results{}, err
	}
	ed, err := s.Editions.Get(ctx)
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

// Publish publishes an ended session's results (organizers; see
// CanPublishResults).
func (s *ResultsService) Publish(ctx context.Context, actor Actor, id string) (*Session, error) {
	se, err := s.Sessions.control(ctx, actor, id, func(se *Session, now time.Time) error {
		if err := se.CanPublishResults(); err != nil {
			return err
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
	s.Notify.ResultsPublished(ctx, se)
	return se, nil
}

// IndustryResults ranks every scored team of an industry's live and ended
// sessions by their within-session standardized means (organizers).
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
			rows = append(rows, row{t: rankedTeam(actor, se, r), z: r.ZMean, count: r.Count, start: se.Start, slot: se.SlotIndex(r.ApplicationID)})
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
	view := ResultsView{Industry: industry, Teams: []RankedTeam{}}
	view.setTieBreak(Msg("results.tie_break_industry", Args{"decimals": resultsTieDecimals}))
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

// SessionResult is one session and its results, for exports.
type SessionResult struct {
	Session *Session
	Results ResultsView
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
		out = append(out, SessionResult{Session: se, Results: res})
	}
	return out, nil
}
