package roadshow

import (
	"context"
	"fmt"
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

// ScoreInput is a judge's scoring of one team so far: any subset of the
// criteria, a private comment and one for the team.
type ScoreInput struct {
	Values      map[string]int
	Comment     string
	TeamComment string
}

// SaveScore saves (autosaves) what a judge has typed for the team of the
// current or an earlier slot of a live session: any subset of the criteria,
// each value in range. The answer carries the version to finalise. See
// CanScore and CanSaveScore for the refusals.
func (s *JudgingService) SaveScore(ctx context.Context, actor Actor, sessionID, appID string, in ScoreInput) (*Score, error) {
	in.Comment, in.TeamComment = strings.TrimSpace(in.Comment), strings.TrimSpace(in.TeamComment)
	var v Validator
	v.Text("comment", in.Comment, true)
	v.Text("teamComment", in.TeamComment, true)
	v.Check(utf8.RuneCountInString(in.Comment) <= MaxCommentLen, "comment", "field.max_length", Args{"max": MaxCommentLen})
	v.Check(utf8.RuneCountInString(in.TeamComment) <= MaxCommentLen, "teamComment", "field.max_length", Args{"max": MaxCommentLen})
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return nil, err
	}
	se, existing, conflict, err := s.scoreCheck(ctx, actor, sessionID, appID)
	if err != nil {
		return nil, err
	}
	if err := CanScore(ScoreContextOf(se, actor.UserID, appID, conflict, existing != nil && existing.Final)); err != nil {
		return nil, err
	}
	rubric, err := s.Editions.LockForScores(ctx, in.Values)
	if err != nil {
		return nil, err
	}
	values := in.Values
	if values == nil {
		values = map[string]int{}
	}
	next := Score{Values: values, Comment: in.Comment, TeamComment: in.TeamComment, UpdatedAt: s.Clock.Now()}
	sc, err := s.write(ctx, actor, appID, sessionID, SaveChange(next))
	if err != nil {
		return nil, err
	}
	sc.Complete = rubric.ScoreComplete(sc.Values)
	s.publishProgress(ctx, se)
	return sc, nil
}

// FinalizeScore locks a judge's score at version, the one the judge last
// saw acknowledged: ECONFLICT "score.newer_save" when a newer version was
// saved meanwhile, "score.save_first" when nothing is saved,
// "score.incomplete_final" while a criterion has no value (see
// CanFinalizeScore). Repeating it after it succeeded answers the same score.
func (s *JudgingService) FinalizeScore(ctx context.Context, actor Actor, sessionID, appID string, version int) (*Score, error) {
	se, existing, conflict, err := s.scoreCheck(ctx, actor, sessionID, appID)
	if err != nil {
		return nil, err
	}
	ed, err := s.Editions.Get(ctx)
	if err != nil {
		return nil, err
	}
	if existing.FinalizedFrom(version) && !conflict && se.HasJudge(actor.UserID) {
		existing.Complete = true
		return existing, nil
	}
	if err := CanScore(ScoreContextOf(se, actor.UserID, appID, conflict, existing != nil && existing.Final)); err != nil {
		return nil, err
	}
	if err := CanFinalizeScore(existing, version, ed.Rubric); err != nil {
		return nil, err
	}
	sc, err := s.write(ctx, actor, appID, sessionID, FinalChange(version, ed.Rubric, s.Clock.Now()))
	if err != nil {
		return nil, err
	}
	sc.Complete = ed.Rubric.ScoreComplete(sc.Values)
	s.publishProgress(ctx, se)
	return sc, nil
}

// write changes a judge's score, checking CanScore again where the score is
// written, so that a write racing "next" or "end" is judged by the state it
// lands in. Conflicts were checked before; change refuses what the stored
// score does not allow.
func (s *JudgingService) write(ctx context.Context, actor Actor, appID, sessionID string, change ScoreChange) (*Score, error) {
	key := ScoreKey{SessionID: sessionID, JudgeID: actor.UserID, ApplicationID: appID}
	sc, err := s.Scores.UpdateScore(ctx, key, change, func(se *Session) error {
		return CanScore(ScoreContextOf(se, actor.UserID, appID, false, false))
	})
	return sc, Rekey(sessionNotFound(err), ECONFLICT, "score.busy", nil)
}

// FinalizeAtEnd makes every complete score of an ended session that is not
// final yet final, each with its log entry (see Score.FinalizesAtEnd).
// Incomplete scores stay as they are and count nowhere. Ending a session
// calls it, and publishing its results calls it again, so that a failure in
// between is mended; it changes nothing the second time.
func (s *JudgingService) FinalizeAtEnd(ctx context.Context, se *Session) error {
	if se.State != SessionEnded {
		return nil
	}
	sh, err := s.sheet(ctx, se)
	if err != nil {
		return err
	}
	ed, err := s.Editions.Get(ctx)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	ended := func(cur *Session) error {
		return unless(cur.State == SessionEnded, NewError(ECONFLICT, "session.changed", nil))
	}
	changed := false
	for _, sc := range sh.scores {
		if !sc.FinalizesAtEnd(ed.Rubric) {
			continue
		}
		key := ScoreKey{SessionID: sc.SessionID, JudgeID: sc.JudgeID, ApplicationID: sc.ApplicationID}
		if _, err := s.Scores.UpdateScore(ctx, key, EndChange(ed.Rubric, now), ended); err != nil {
			return fmt.Errorf("finalise score %s at the end of the session: %w", sc.ID, err)
		}
		changed = true
	}
	if changed {
		s.publishProgress(ctx, se)
	}
	return nil
}

// scoreCheck applies CanJudge and reads what CanScore needs: the session,
// the judge's current score (nil if none) and whether the judge has a
// conflict with the team. A judge of another session learns nothing more.
func (s *JudgingService) scoreCheck(ctx context.Context, actor Actor, sessionID, appID string) (*Session, *Score, bool, error) {
	if err := CanJudge(actor); err != nil {
		return nil, nil, false, err
	}
	se, err := s.session(ctx, sessionID)
	if err != nil {
		return nil, nil, false, err
	}
	if err := CanScore(ScoreContextOf(se, actor.UserID, appID, false, false)); ErrorCode(err) == EFORBIDDEN || ErrorCode(err) == ENOTFOUND {
		return nil, nil, false, err // not this session's judge or team: nothing more to read
	}
	conflict, err := s.hasConflict(ctx, actor.UserID, appID)
	if err != nil {
		return nil, nil, false, err
	}
	scores, err := s.Scores.ScoresByID(ctx, []string{ScoreID(sessionID, actor.UserID, appID)})
	if err != nil {
		return nil, nil, false, err
	}
	var existing *Score
	if len(scores) > 0 {
		existing = scores[0]
	}
	return se, existing, conflict, nil
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
	scores, err := s.Scores.ScoresByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	ed, err := s.Editions.Get(ctx)
	if err != nil {
		return nil, err
	}
	for _, sc := range scores {
		sc.Complete = ed.Rubric.ScoreComplete(sc.Values)
	}
	return scores, nil
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
	declared  []*Conflict                // the same conflicts, with their reasons
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
	sh := sheet{scores: scores, conflicts: map[string]map[string]bool{}, declared: cs}
	for _, c := range cs {
		if sh.conflicts[c.JudgeID] == nil {
			sh.conflicts[c.JudgeID] = map[string]bool{}
		}
		sh.conflicts[c.JudgeID][c.ApplicationID] = true
	}
	return sh, nil
}

// Progress counts, per team, the judges who scored it completely (and
// those who started), and gives each judge's weighted total of a complete
// score (for organizers).
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
		if !ed.Rubric.ScoreComplete(sc.Values) {
			prog[i].Partial++
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
	if !CanSeeScoreValues(actor) {
		totals = nil
	}
	return prog, totals, err
}
