package roadshow

import (
	"context"
	"time"
)

// MaxConflictReason bounds the reason given for a conflict of interest.
const MaxConflictReason = 500

// Conflict is a judge's declared conflict of interest with an application.
type Conflict struct {
	ID            string    `json:"-" bson:"_id"`
	JudgeID       string    `json:"judgeId" bson:"judgeId"`
	ApplicationID string    `json:"applicationId" bson:"applicationId"`
	Reason        string    `json:"reason" bson:"reason"`
	DeclaredBy    string    `json:"declaredBy" bson:"declaredBy"`
	At            time.Time `json:"at" bson:"at"`
}

// ConflictID is the deterministic id of a conflict.
func ConflictID(judgeID, applicationID string) string { return judgeID + ":" + applicationID }

// CanDeclareConflict reports whether actor may record a conflict of
// interest of the judge judgeID: a judge declares their own (judgeID empty
// or theirs), an organizer records one for any judge. EFORBIDDEN otherwise.
// Which applications a judge may declare one on is CanReadApplication's.
func CanDeclareConflict(actor Actor, judgeID string) error {
	switch {
	case actor.Is(RoleOrganizer):
		return nil
	case actor.Is(RoleJudge) && (judgeID == "" || judgeID == actor.UserID):
		return nil
	case actor.Is(RoleJudge):
		return NewError(EFORBIDDEN, "conflict.judges_own_only", nil)
	}
	return NewError(EFORBIDDEN, "conflict.role_forbidden", nil)
}

// CanListConflicts reports whether actor may list the conflicts declared on
// an application: organizers only (EFORBIDDEN).
func CanListConflicts(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "conflict.organizers_only", nil))
}

// ConflictStore keeps conflicts of interest.
type ConflictStore interface {
	// AddConflict stores a conflict (idempotent).
	AddConflict(ctx context.Context, c *Conflict) error
	// ConflictsByID returns the conflicts with the given ids that exist.
	ConflictsByID(ctx context.Context, ids []string) ([]*Conflict, error)
	// ConflictsOf lists the conflicts declared on an application.
	ConflictsOf(ctx context.Context, applicationID string) ([]*Conflict, error)
}
