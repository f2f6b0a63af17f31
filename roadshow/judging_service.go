package roadshow

import (
	"context"
	"strings"
	"unicode/utf8"
)

// JudgingService holds what judges do: declare conflicts of interest, score
// the pitches of their sessions, and the progress organizers follow.
type JudgingService struct {
	Sessions     SessionStore
	Apps         ApplicationStore
	Applications *ApplicationService // what a judge may read, to declare a conflict on it
	Scores       ScoreStore
	Conflicts    ConflictStore
	Users        UserStore
	Editions     *EditionService
	Clock        Clock
	Events       Publisher // may be nil
}

func (s *JudgingService) session(ctx context.Context, id string) (*Session, error) {
	se, err := s.Sessions.SessionByID(ctx, id)
	return se, sessionNotFound(err)
}

// DeclareConflict records a conflict of interest. A judge declares their own
// on an application they may read; an organizer records one for any judge
// (judgeID). Idempotent. Returns EUNPROCESSABLE for a long reason or a
// judgeID that is no judge, EFORBIDDEN for other roles (see
// CanDeclareConflict), ENOTFOUND for an application the judge may not read.
func (s *JudgingService) DeclareConflict(ctx context.Context, actor Actor, appID, judgeID, reason string) (*Conflict, error) {
	reason = strings.TrimSpace(reason)
	if TextProblem(reason, true) != "" {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"reason": Msg("field.control_characters", nil)})
	}
	if utf8.RuneCountInString(reason) > MaxConflictReason {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid",
			map[string]Message{"reason": Msg("field.max_length", Args{"max": MaxConflictReason})})
	}
	if err := CanDeclareConflict(actor, judgeID); err != nil {
		return nil, err
	}
	if actor.Is(RoleJudge) {
		judgeID = actor.UserID
		if _, err := s.Applications.Get(ctx, actor, appID); err != nil {
			return nil, err
		}
	} else {
		if _, err := s.Applications.load(ctx, appID); err != nil {
			return nil, err
		}
		u, err := s.Users.UserByID(ctx, judgeID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && u.Role != RoleJudge) {
			return nil, FieldErrors(EUNPROCESSABLE, "conflict.judge_choose",
				map[string]Message{"judgeId": Msg("conflict.not_judge", nil)})
		} else if err != nil {
			return nil, err
		}
	}
	c := &Conflict{ID: ConflictID(judgeID, appID), JudgeID: judgeID, ApplicationID: appID, Reason: reason, DeclaredBy: actor.UserID, At: s.Clock.Now()}
	if err := s.Conflicts.AddConflict(ctx, c); err != nil {
		return nil, err
	}
	// A conflict changes how many judges may score the team: tell the room.
	if a, err := s.Apps.ApplicationByID(ctx, appID); err == nil && a.SessionID != "" {
		if se, err := s.Sessions.SessionByID(ctx, a.SessionID); err == nil {
			s.publishProgress(ctx, se)
		}
	}
	return c, nil
}

// ListConflicts lists the conflicts declared on an application (organizers).
func (s *JudgingService) ListConflicts(ctx context.Context, actor Actor, appID string) ([]*Conflict, error) {
	if err := CanListConflicts(actor); err != nil {
		return nil, err
	}
	if _, err := s.Applications.load(ctx, appID); err != nil {
		return nil, err
	}
	return s.Conflicts.ConflictsOf(ctx, appID)
}

// ScoreInput is a judge's scoring of one team.
type ScoreInput struct {
	Values  map[string]int
	Comment string
}

// SaveScore saves (autosaves) a judge's score for the team of the current
// or an earlier slot of a live session. See CanScore for the refusals.
func (s *JudgingService) SaveScore(ctx context.Context, actor Actor, sessionID, appID string, in ScoreInput) (*Score, error) {
	in.Comment = strings.TrimSpace(in.Comment)
	if TextProblem(in.Comment, true) != "" {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"comment": Msg("field.control_characters", nil)})
	}
	if utf8.RuneCountInString(in.Comment) > MaxCommentLen {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid",
			map[string]Message{"comment": Msg("field.max_length", Args{"max": MaxCommentLen})})
	}
	se, _, err := s.scoreCheck(ctx, actor, sessionID, appID)
	if err != nil {
		return nil, err
	}
	if err := s.Editions.LockForScores(ctx, in.Values); err != nil {
		return nil, err
	}
	sc := &Score{ID: ScoreID(sessionID, actor.UserID, appID), SessionID: sessionID, JudgeID: actor.UserID, ApplicationID: appID,
		Values: in.Values, Comment: in.Comment, UpdatedAt: s.Clock.Now()}
	if err := s.save(ctx, sc, actor, appID); err != nil {
		return nil, err
	}
	s.publishProgress(ctx, se)
	return sc, nil
}

// FinalizeScore locks a judge's saved score. ECONFLICT when nothing is saved.
func (s *JudgingService) FinalizeScore(ctx context.Context, actor Actor, sessionID, appID string) (*Score, error) {
	se, existing, err := s.scoreCheck(ctx, actor, sessionID, appID)
	if err != nil {
		return nil, err
	}
	if existing == nil {
		return nil, NewError(ECONFLICT, "score.save_first", nil)
	}
	sc := *existing
	sc.Final = true
	sc.UpdatedAt = s.Clock.Now()
	if err := s.save(ctx, &sc, actor, appID); err != nil {
		return nil, err
	}
	s.publishProgress(ctx, se)
	return &sc, nil
}

// save writes a score, checking CanScore again where the score is written,
// so that a save racing "next" or "end" is judged by the state it lands in.
// Conflicts were checked before; the store refuses to overwrite a final
// score.
func (s *JudgingService) save(ctx context.Context, sc *Score, actor Actor, appID string) error {
	err := s.Scores.SaveScore(ctx, sc, func(se *Session) error {
		return CanScore(ScoreContextOf(se, actor.UserID, appID, false, false))
	})
	return Rekey(sessionNotFound(err), ECONFLICT, "score.final", nil)
}

// scoreCheck applies CanJudge and CanScore and returns the session and the
// judge's current score (nil if none).
func (s *JudgingService) scoreCheck(ctx context.Context, actor Actor, sessionID, appID string) (*Session, *Score, error) {
	if err := CanJudge(actor); err != nil {
		return nil, nil, err
	}
	se, err := s.session(ctx, sessionID)
	if err != nil {
		return nil, nil, err
	}
	if err := CanScore(ScoreContextOf(se, actor.UserID, appID, false, false)); ErrorCode(err) == EFORBIDDEN {
		return nil, nil, err // not this session's judge: nothing more to read
	}
	conflict, err := s.hasConflict(ctx, actor.UserID, appID)
	if err != nil {
		return nil, nil, err
	}
	scores, err := s.Scores.ScoresByID(ctx, []string{ScoreID(sessionID, actor.UserID, appID)})
	if err != nil {
		return nil, nil, err
	}
	var existing *Score
	if len(scores) > 0 {
		existing = scores[0]
	}
	if err := CanScore(ScoreContextOf(se, actor.UserID, appID, conflict, existing != nil && existing.Final)); err != nil {
		return nil, nil, err
	}
	return se, existing, nil
}

func (s *JudgingService) hasConflict(ctx context.Context, judgeID, appID string) (bool, error) {
	cs, err := s.Conflicts.ConflictsByID(ctx, []string{ConflictID(judgeID, appID)})
	return len(cs) > 0, err
}

// Scorable lists the applications of se the judge actor may score now (see
// CanScore), in slot order; [] for anyone else.
func (s *JudgingService) Scorable(ctx context.Context, actor Actor, se *Session) ([]string, error) {
	out := []string{}
	if CanJudge(actor) != nil || !se.HasJudge(actor.UserID) || len(se.Slots) == 0 {
		return out, nil
	}
	sh, err := s.sheet(ctx, &Session{ID: se.ID, Judges: []string{actor.UserID}, Slots: se.Slots})
	if err != nil {
		return nil, err
	}
	final := map[string]bool{}
	for _, sc := range sh.scores {
		final[sc.ApplicationID] = sc.Final
	}
	for _, sl := range se.Slots {
		c := ScoreContextOf(se, actor.UserID, sl.ApplicationID, sh.conflicts[actor.UserID][sl.ApplicationID], final[sl.ApplicationID])
		if CanScore(c) == nil {
			out = append(out, sl.ApplicationID)
		}
	}
	return out, nil
}

// MyScores returns the judge's own scores in a session. Returns EFORBIDDEN
// for other roles, ENOTFOUND for a session they do not judge.
func (s *JudgingService) MyScores(ctx context.Context, actor Actor, sessionID string) ([]*Score, error) {
	if err := CanJudge(actor); err != nil {
		return nil, err
	}
	se, err := s.session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if !se.HasJudge(actor.UserID) {
		return nil, NewError(ENOTFOUND, "session.not_found", nil)
	}
	ids := make([]string, 0, len(se.Slots))
	for _, sl := range se.Slots {
		ids = append(ids, ScoreID(se.ID, actor.UserID, sl.ApplicationID))
	}
	return s.Scores.ScoresByID(ctx, ids)
}

// ScoreLog returns every saved score of a session, oldest first (organizers).
func (s *JudgingService) ScoreLog(ctx context.Context, actor Actor, sessionID string) ([]*ScoreLogEntry, error) {
	if err := CanReadScoreLog(actor); err != nil {
		return nil, err
	}
	if _, err := s.session(ctx, sessionID); err != nil {
		return nil, err
	}
	return s.Scores.ScoreLog(ctx, sessionID)
}

// sheet is everything known about a session's scoring.
type sheet struct {
	scores    []*Score
	conflicts map[string]map[string]bool // judge -> application -> conflict
}

// sheet reads a session's scores and conflicts by their known ids.
func (s *JudgingService) sheet(ctx context.Context, se *Session) (sheet, error) {
	var scoreIDs, conflictIDs []string
	for _, j := range se.Judges {
		for _, sl := range se.Slots {
			scoreIDs = append(scoreIDs, ScoreID(se.ID, j, sl.ApplicationID))
			conflictIDs = append(conflictIDs, ConflictID(j, sl.ApplicationID))
		}
	}
	scores, err := s.Scores.ScoresByID(ctx, scoreIDs)
	if err != nil {
		return sheet{}, err
	}
	cs, err := s.Conflicts.ConflictsByID(ctx, conflictIDs)
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

// Progress counts, per team, the judges who scored it, and gives each
// judge's weighted total (for organizers).
func (s *JudgingService) Progress(ctx context.Context, se *Session) ([]TeamProgress, []JudgeScoreTotal, error) {
	sh, err := s.sheet(ctx, se)
	if err != nil {
		return nil, nil, err
	}
	ed, err := s.Editions.Get(ctx)
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

func (s *JudgingService) publishProgress(ctx context.Context, se *Session) {
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

// SessionProgress returns the progress for organizers and the session's
// judges (score values for organizers only); see CanFollowProgress.
func (s *JudgingService) SessionProgress(ctx context.Context, actor Actor, id string) ([]TeamProgress, []JudgeScoreTotal, error) {
	se, err := s.session(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := se.CanFollowProgress(actor); err != nil {
		return nil, nil, err
	}
	prog, totals, err := s.Progress(ctx, se)
	if !actor.Is(RoleOrganizer) {
		totals = nil
	}
	return prog, totals, err
}
