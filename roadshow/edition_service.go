package roadshow

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"
)

// EditionService holds the edition: its name, the application deadline and
// the rubric judges score on.
type EditionService struct {
	Store EditionStore
	Clock Clock
	// FallbackDeadline is the configured deadline (ROADSHOW_DEADLINE); the
	// edition's own wins. Zero: none.
	FallbackDeadline time.Time
}

// Get returns the edition; every signed-in user may read it.
func (s *EditionService) Get(ctx context.Context) (Edition, error) {
	return s.Store.Edition(ctx)
}

// EditionView is the edition as its readers see it: with the deadline in
// force, the edition's or else the configured one, which the applicants'
// pages show and count down to.
type EditionView struct {
	Edition
	DeadlineInForce *time.Time `json:"deadlineInForce"`
}

// View returns the edition with the deadline in force; every signed-in user
// may read it.
func (s *EditionService) View(ctx context.Context) (EditionView, error) {
	e, err := s.Store.Edition(ctx)
	if err != nil {
		return EditionView{}, err
	}
	v := EditionView{Edition: e}
	if e.Deadline != nil {
		d := *e.Deadline
		v.DeadlineInForce = &d
	} else if !s.FallbackDeadline.IsZero() {
		d := s.FallbackDeadline
		v.DeadlineInForce = &d
	}
	return v, nil
}

// Deadline returns the application deadline in force: the edition's, else
// the configured one; zero when there is none.
func (s *EditionService) Deadline(ctx context.Context) (time.Time, error) {
	e, err := s.Store.Edition(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("read edition: %w", err)
	}
	if e.Deadline != nil {
		return *e.Deadline, nil
	}
	return s.FallbackDeadline, nil
}

// Save changes the edition. Returns EFORBIDDEN unless the actor is an
// organizer, ECONFLICT when the rubric changes after the first score,
// EUNPROCESSABLE for bad fields.
func (s *EditionService) Save(ctx context.Context, actor Actor, in EditionInput) (Edition, error) {
	if err := CanEditEdition(actor); err != nil {
		return Edition{}, err
	}
	e, err := s.Store.Edition(ctx)
	if err != nil {
		return Edition{}, err
	}
	var v Validator
	if in.Name != nil {
		name := CleanLine(*in.Name)
		v.Text("name", name, false)
		v.Check(Visible(name), "name", "edition.name_required", nil)
		v.Check(utf8.RuneCountInString(name) <= MaxEditionNameLen, "name", "field.max_length", Args{"max": MaxEditionNameLen})
		e.Name = name
	}
	if in.ClearDeadline {
		e.Deadline = nil
	} else if in.Deadline != nil {
		d := in.Deadline.UTC().Truncate(time.Millisecond)
		v.Check(jsonTime(d), "deadline", "field.date_range", Args{"min": minJSONYear, "max": maxJSONYear})
		e.Deadline = &d
	}
	changed := false
	if in.Rubric != nil {
		v.Merge("rubric.", in.Rubric.Validate())
		changed = !rubricEqual(e.Rubric, *in.Rubric)
		e.Rubric = *in.Rubric
	}
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return Edition{}, err
	}
	if changed {
		if err := e.CanChangeRubric(); err != nil {
			return Edition{}, err
		}
	}
	e.UpdatedAt = s.Clock.Now()
	// The store checks the lock again where it writes: a first score may
	// have locked the rubric since it was read.
	saved, err := s.Store.SaveEdition(ctx, e, changed)
	return saved, Rekey(err, ECONFLICT, "edition.rubric_locked", nil)
}

// LockForScores checks a judge's values (complete or partial, see
// Rubric.ValidatePartialScores) against the rubric and locks the rubric
// before the first score is saved, checking again against the locked
// rubric, so that no score is ever accepted under a rubric an organizer
// changes in the same instant. Invalid values never lock it. It returns the
// rubric the values were checked against.
func (s *EditionService) LockForScores(ctx context.Context, values map[string]int) (Rubric, error) {
	ed, err := s.Store.Edition(ctx)
	if err != nil {
		return Rubric{}, err
	}
	if err := ed.Rubric.ValidatePartialScores(values); err != nil || ed.RubricLocked {
		return ed.Rubric, err
	}
	if err := s.Store.LockRubric(ctx); err != nil {
		return Rubric{}, err
	}
	if ed, err = s.Store.Edition(ctx); err != nil {
		return Rubric{}, err
	}
	return ed.Rubric, ed.Rubric.ValidatePartialScores(values)
}
