package roadshow

import (
	"context"
	"time"
)

// MaxCommentLen bounds a judge's comment on a score.
const MaxCommentLen = 2000

// Score is one judge's score of one team in one session. Its id is
// deterministic (session:judge:application), so saving again overwrites.
type Score struct {
	ID            string         `json:"-" bson:"_id"`
	SessionID     string         `json:"sessionId" bson:"sessionId"`
	JudgeID       string         `json:"judgeId" bson:"judgeId"`
	ApplicationID string         `json:"applicationId" bson:"applicationId"`
	Values        map[string]int `json:"values" bson:"values"`
	Comment       string         `json:"comment" bson:"comment"`
	Final         bool           `json:"final" bson:"final"`
	UpdatedAt     time.Time      `json:"updatedAt" bson:"updatedAt"`
}

// ScoreID is the deterministic id of a score.
func ScoreID(sessionID, judgeID, applicationID string) string {
	return sessionID + ":" + judgeID + ":" + applicationID
}

// ScoreLogEntry is one saved score, appended and never changed, so that a
// ranking can be recomputed and defended later.
type ScoreLogEntry struct {
	ID            string         `json:"id" bson:"_id"`
	SessionID     string         `json:"sessionId" bson:"sessionId"`
	JudgeID       string         `json:"judgeId" bson:"judgeId"`
	ApplicationID string         `json:"applicationId" bson:"applicationId"`
	Values        map[string]int `json:"values" bson:"values"`
	Comment       string         `json:"comment" bson:"comment"`
	Final         bool           `json:"final" bson:"final"`
	At            time.Time      `json:"at" bson:"at"`
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

// ScoreStore keeps scores and their log.
type ScoreStore interface {
	// SaveScore upserts a score unless it is final (ECONFLICT) and appends
	// it to the log. check, when set, runs against the current session
	// first; its error aborts the save. With a single writer the check and
	// the write are atomic with respect to session changes; against MongoDB
	// they are two steps.
	SaveScore(ctx context.Context, sc *Score, check SessionCheck) error
	// ScoresByID returns the scores with the given ids that exist.
	ScoresByID(ctx context.Context, ids []string) ([]*Score, error)
	// ScoreLog returns a session's log, oldest first.
	ScoreLog(ctx context.Context, sessionID string) ([]*ScoreLogEntry, error)
}
