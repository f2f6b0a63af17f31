package roadshow

import (
	"context"
	"fmt"
	"time"
)

// MaxCommentLen bounds each of a judge's comments on a score.
const MaxCommentLen = 2000

// Who made a score final.
const (
	FinalByJudge      = "judge"       // the judge pressed "final"
	FinalBySessionEnd = "session_end" // the session ended with the score complete
)

// Score is one judge's score of one team in one session. Its id is
// deterministic (session:judge:application), so saving again overwrites.
//
// A judge saves as they type: any subset of the criteria, so that nothing
// typed is lost. The score is complete once every criterion of the rubric
// has a value (Rubric.ScoreComplete); only complete scores count in results.
// Every write (a save, "final", the finalisation at the session's end) gets
// the next Version, and "final" names the version the judge last saw
// acknowledged (see CanFinalizeScore), so that it locks exactly those values.
type Score struct {
	ID            string         `json:"-" bson:"_id"`
	SessionID     string         `json:"sessionId" bson:"sessionId"`
	JudgeID       string         `json:"judgeId" bson:"judgeId"`
	ApplicationID string         `json:"applicationId" bson:"applicationId"`
	Values        map[string]int `json:"values" bson:"values"`
	Comment       string         `json:"comment" bson:"comment"` // private: organizers and the judge
	// TeamComment is feedback meant for the team, shown to its applicant
	// with the published results.
	TeamComment string `json:"teamComment" bson:"teamComment"`
	Final       bool   `json:"final" bson:"final"`
	// FinalBy says who made it final: FinalByJudge or FinalBySessionEnd.
	FinalBy string `json:"finalBy,omitempty" bson:"finalBy,omitempty"`
	// Version is 1 for the first write and one more for every later one.
	Version int `json:"version" bson:"version"`
	// Complete tells whether every criterion has a value; views set it,
	// stores never keep it.
	Complete  bool      `json:"complete" bson:"-"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// ScoreID is the deterministic id of a score.
func ScoreID(sessionID, judgeID, applicationID string) string {
	return sessionID + ":" + judgeID + ":" + applicationID
}

// ScoreKey names one score: a judge's score of a team in a session.
type ScoreKey struct {
	SessionID, JudgeID, ApplicationID string
}

// ID is the score's deterministic id.
func (k ScoreKey) ID() string { return ScoreID(k.SessionID, k.JudgeID, k.ApplicationID) }

// ScoreLogEntry is one version of a score, appended and never changed, so
// that a ranking can be recomputed and defended later. Its id is the score's
// id and the version: the log holds each version of a score once.
type ScoreLogEntry struct {
	ID            string         `json:"id" bson:"_id"`
	SessionID     string         `json:"sessionId" bson:"sessionId"`
	JudgeID       string         `json:"judgeId" bson:"judgeId"`
	ApplicationID string         `json:"applicationId" bson:"applicationId"`
	Version       int            `json:"version" bson:"version"`
	Values        map[string]int `json:"values" bson:"values"`
	Comment       string         `json:"comment" bson:"comment"`
	TeamComment   string         `json:"teamComment" bson:"teamComment"`
	Final         bool           `json:"final" bson:"final"`
	FinalBy       string         `json:"finalBy,omitempty" bson:"finalBy,omitempty"`
	At            time.Time      `json:"at" bson:"at"`
	// Seq orders the log as it was written (stores set it).
	Seq string `json:"-" bson:"seq"`
}

// ScoreLogID is the id of version v of the score scoreID in the log.
func ScoreLogID(scoreID string, v int) string { return fmt.Sprintf("%s:v%08d", scoreID, v) }

// LogEntry returns the log entry of this version of the score.
func (sc *Score) LogEntry() *ScoreLogEntry {
	return &ScoreLogEntry{
		ID: ScoreLogID(sc.ID, sc.Version), SessionID: sc.SessionID, JudgeID: sc.JudgeID, ApplicationID: sc.ApplicationID,
		Version: sc.Version, Values: sc.Values, Comment: sc.Comment, TeamComment: sc.TeamComment,
		Final: sc.Final, FinalBy: sc.FinalBy, At: sc.UpdatedAt,
	}
}

// Score returns the score as it was at this version.
func (e *ScoreLogEntry) Score() *Score {
	return &Score{
		ID: ScoreID(e.SessionID, e.JudgeID, e.ApplicationID), SessionID: e.SessionID, JudgeID: e.JudgeID, ApplicationID: e.ApplicationID,
		Values: e.Values, Comment: e.Comment, TeamComment: e.TeamComment, Final: e.Final, FinalBy: e.FinalBy,
		Version: e.Version, UpdatedAt: e.At,
	}
}

// CanJudge reports whether actor may score pitches at all: judges only
// (EFORBIDDEN). Which pitches, and when, is CanScore's.
func CanJudge(actor Actor) error {
	return unless(actor.Is(RoleJudge), NewError(EFORBIDDEN, "score.judges_only", nil))
}

// CanReadScoreLog reports whether actor may read a session's score log:
// organizers only (EFORBIDDEN).
func CanReadScoreLog(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "score.log_organizers_only", nil))
}

// ScoreContext is what CanScore needs to know about one attempt by one judge
// to save (or finalize) a score for one application of one session.
type ScoreContext struct {
	SessionState  SessionState
	CurrentSlot   int  // index of the live slot, -1 if none
	SlotIndex     int  // index of the application's slot in the session, -1 if not in the session
	JudgeAssigned bool // the caller is a judge assigned to the session
	Conflict      bool // the judge declared (or was recorded with) a conflict with the application
	Locked        bool // the judge's score for the application is already final
}

// ScoreContextOf returns what CanScore needs about judge scoring appID in se;
// conflict and locked come from the judge's conflicts and scores.
func ScoreContextOf(se *Session, judgeID, appID string, conflict, locked bool) ScoreContext {
	return ScoreContext{
		SessionState: se.State, CurrentSlot: se.CurrentSlot, SlotIndex: se.SlotIndex(appID),
		JudgeAssigned: se.HasJudge(judgeID), Conflict: conflict, Locked: locked,
	}
}

// CanScore reports whether a judge may save or finalize a score now.
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
		return NewError(EFORBIDDEN, "score.judge_not_assigned", nil)
	case c.SlotIndex < 0:
		return NewError(ENOTFOUND, "score.application_not_in_session", nil)
	case c.Conflict:
		return NewError(EFORBIDDEN, "score.conflict_of_interest", nil)
	case c.Locked:
		return NewError(ECONFLICT, "score.final", nil)
	case c.SessionState == SessionEnded:
		return NewError(ECONFLICT, "score.session_ended", nil)
	case c.SessionState != SessionLive:
		return NewError(ECONFLICT, "score.session_not_live", nil)
	case c.CurrentSlot < 0 || c.SlotIndex > c.CurrentSlot:
		return NewError(ECONFLICT, "score.slot_not_started", nil)
	}
	return nil
}

// CanSaveScore reports whether a save may replace the stored score cur (nil
// when there is none): not once it is final (ECONFLICT).
func CanSaveScore(cur *Score) error {
	return unless(cur == nil || !cur.Final, NewError(ECONFLICT, "score.final", nil))
}

// CanFinalizeScore reports whether a judge who last saw version of the score
// acknowledged may make the stored score cur final, so that "final" locks
// exactly what the judge saw:
//
//   - ECONFLICT score.save_first when nothing is saved;
//   - ECONFLICT score.final when it is final already;
//   - ECONFLICT score.newer_save when a newer version was saved meanwhile
//     (another tab, another device): the judge must look at it first;
//   - ECONFLICT score.version_unknown for a version never saved;
//   - ECONFLICT score.incomplete_final while a criterion has no value.
func CanFinalizeScore(cur *Score, version int, r Rubric) error {
	switch {
	case cur == nil:
		return NewError(ECONFLICT, "score.save_first", nil)
	case cur.Final:
		return NewError(ECONFLICT, "score.final", nil)
	case cur.Version > version:
		return NewError(ECONFLICT, "score.newer_save", Args{"version": cur.Version, "seen": version})
	case cur.Version < version:
		return NewError(ECONFLICT, "score.version_unknown", Args{"version": version})
	case !r.ScoreComplete(cur.Values):
		return NewError(ECONFLICT, "score.incomplete_final", nil)
	}
	return nil
}

// FinalizedFrom reports whether the score is the final one made from
// version: a "final" repeated after its answer was lost finds it so and
// succeeds again.
func (sc *Score) FinalizedFrom(version int) bool {
	return sc != nil && sc.Final && sc.FinalBy == FinalByJudge && sc.Version == version+1
}

// ScoreChange computes the next state of a score from the stored one (nil
// when there is none yet); the store gives it the next version. It returns
// nil and no error to keep the stored score as it is, and an error to refuse.
// It may run more than once (after a lost race), so it must not call a
// store.
type ScoreChange func(cur *Score) (*Score, error)

// SaveChange is a judge's save: next's values and comments replace the
// stored ones, unless the score is final (see CanSaveScore).
func SaveChange(next Score) ScoreChange {
	return func(cur *Score) (*Score, error) {
		if err := CanSaveScore(cur); err != nil {
			return nil, err
		}
		n := next
		n.Final, n.FinalBy = false, ""
		return &n, nil
	}
}

// FinalChange is a judge's "final" for the version they last saw
// acknowledged (see CanFinalizeScore); repeating it changes nothing.
func FinalChange(version int, r Rubric, now time.Time) ScoreChange {
	return func(cur *Score) (*Score, error) {
		if cur.FinalizedFrom(version) {
			return nil, nil
		}
		if err := CanFinalizeScore(cur, version, r); err != nil {
			return nil, err
		}
		n := *cur
		n.Final, n.FinalBy, n.UpdatedAt = true, FinalByJudge, now
		return &n, nil
	}
}

// EndChange finalises a complete score that is not final yet when its
// session ends (see FinalizesAtEnd); every other score stays as it is.
func EndChange(r Rubric, now time.Time) ScoreChange {
	return func(cur *Score) (*Score, error) {
		if !cur.FinalizesAtEnd(r) {
			return nil, nil
		}
		n := *cur
		n.Final, n.FinalBy, n.UpdatedAt = true, FinalBySessionEnd, now
		return &n, nil
	}
}

// FinalizesAtEnd reports whether the score becomes final when its session
// ends: every complete score that is not final yet does, with a log entry
// saying so; an incomplete one stays as it is and never counts.
func (sc *Score) FinalizesAtEnd(r Rubric) bool {
	return sc != nil && !sc.Final && r.ScoreComplete(sc.Values)
}

// ScoreStore keeps scores and their log.
type ScoreStore interface {
	// UpdateScore writes the next version of the score key names: it reads
	// the latest version (nil when there is none), asks change for the next
	// state and stores it as that version plus one, with its log entry,
	// unless another write took that version first, in which case it reads
	// again and asks change again. It sets the ids and the version of what
	// change returns. When change returns nil, nothing is written and the
	// latest score is returned. check, when set, runs against the current
	// session first; its error aborts the write. With a single writer the
	// check and the write are atomic with respect to session changes;
	// against MongoDB they are two steps. Errors from change and check are
	// returned as they are; ECONFLICT when the score kept changing.
	UpdateScore(ctx context.Context, key ScoreKey, change ScoreChange, check SessionCheck) (*Score, error)
	// ScoresByID returns the latest version of the scores with the given
	// ids that exist.
	ScoresByID(ctx context.Context, ids []string) ([]*Score, error)
	// ScoreLog returns a session's log, oldest first.
	ScoreLog(ctx context.Context, sessionID string) ([]*ScoreLogEntry, error)
}
