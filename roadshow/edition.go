package roadshow

import (
	"context"
	"slices"
	"time"
)

// Edition is the roadshow's one configuration document.
type Edition struct {
	Name     string     `json:"name" bson:"name"`
	Deadline *time.Time `json:"deadline" bson:"deadline"`
	Rubric   Rubric     `json:"rubric" bson:"rubric"`
	// RubricLocked is set by the first score; the rubric cannot change after.
	RubricLocked bool      `json:"rubricLocked" bson:"rubricLocked"`
	UpdatedAt    time.Time `json:"updatedAt" bson:"updatedAt"`
}

// MaxEditionNameLen bounds the edition's name.
const MaxEditionNameLen = 200

// DefaultEdition is what a new installation starts with.
func DefaultEdition() Edition {
	return Edition{Name: "Innovation Week Talent Roadshow", Rubric: DefaultRubric()}
}

// EditionInput changes the edition; nil fields stay.
type EditionInput struct {
	Name          *string
	Deadline      *time.Time
	ClearDeadline bool
	Rubric        *Rubric
}

// CanEditEdition reports whether actor may change the edition (name,
// deadline, rubric): organizers only (EFORBIDDEN).
func CanEditEdition(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "edition.organizers_only", nil))
}

// CanChangeRubric reports whether the rubric may change: not once a score
// was given under it (ECONFLICT).
func (e Edition) CanChangeRubric() error {
	return unless(!e.RubricLocked, NewError(ECONFLICT, "edition.rubric_locked", nil))
}

// EditionStore keeps the edition document.
type EditionStore interface {
	// Edition returns the edition, or DefaultEdition when none was saved.
	Edition(ctx context.Context) (Edition, error)
	// SaveEdition writes the edition; with rubric changes it fails with
	// ECONFLICT once the rubric is locked.
	SaveEdition(ctx context.Context, e Edition, rubricChanged bool) (Edition, error)
	// LockRubric marks the rubric as used.
	LockRubric(ctx context.Context) error
}

// jsonTime reports whether t, in UTC, is a year JSON can encode (1..9999).
func jsonTime(t time.Time) bool {
	y := t.UTC().Year()
	return y >= minJSONYear && y <= maxJSONYear
}

// The years a time may have and still encode as JSON.
const (
	minJSONYear = 1
	maxJSONYear = 9999
)

func rubricEqual(a, b Rubric) bool {
	return slices.Equal(a.Criteria, b.Criteria)
}
