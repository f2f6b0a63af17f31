package roadshow

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ScreeningReason says in one word why an organizer decided as they did;
// the note says the rest.
type ScreeningReason string

const (
	ReasonOutOfScope         ScreeningReason = "out_of_scope"
	ReasonIncomplete         ScreeningReason = "incomplete"
	ReasonDuplicate          ScreeningReason = "duplicate"
	ReasonNotEligibleCountry ScreeningReason = "not_eligible_country"
	ReasonOther              ScreeningReason = "other"
)

// ScreeningReasons returns the reasons an organizer chooses from, in the
// order the page lists them.
func ScreeningReasons() []ScreeningReason {
	return []ScreeningReason{ReasonOutOfScope, ReasonIncomplete, ReasonDuplicate, ReasonNotEligibleCountry, ReasonOther}
}

// Valid reports whether r is one of ScreeningReasons.
func (r ScreeningReason) Valid() bool {
	return slices.Contains(ScreeningReasons(), r)
}

// MaxBulkScreening bounds how many applications one bulk decision covers:
// a few pages of the list.
const MaxBulkScreening = 200

// ScreeningInput is an organizer's decision. Version is the number of
// decisions the organizer saw on the application (ScreeningVersion): the
// decision lands only if no other was recorded meanwhile, so that none is
// silently overwritten. Nil counts as 0: a first decision.
type ScreeningInput struct {
	Decision Status
	Reason   ScreeningReason
	Note     string
	Version  *int
}

// Normalize trims the note.
func (in *ScreeningInput) Normalize() { in.Note = strings.TrimSpace(in.Note) }

// Validate checks a decision: eligible or ineligible; a reason from the
// list, required when ineligible; a note of at most MaxScreeningNote
// characters; a version that is not negative (EUNPROCESSABLE).
func (in *ScreeningInput) Validate() error {
	var v Validator
	v.Check(in.Decision == StatusEligible || in.Decision == StatusIneligible, "decision", "application.decision_choose", nil)
	v.Check(in.Reason == "" || in.Reason.Valid(), "reason", "application.reason_choose", nil)
	v.Check(in.Reason != "" || in.Decision != StatusIneligible, "reason", "application.reason_required", nil)
	v.Text("note", in.Note, true)
	v.Check(utf8.RuneCountInString(in.Note) <= MaxScreeningNote, "note", "field.max_length", Args{"max": MaxScreeningNote})
	v.Check(in.Version == nil || *in.Version >= 0, "version", "application.screening_version", nil)
	return v.Err(EUNPROCESSABLE, "field.invalid")
}

// Seen is the version the organizer saw.
func (in *ScreeningInput) Seen() int {
	if in.Version == nil {
		return 0
	}
	return *in.Version
}

// CanRescreen reports whether a decision made on version seen may land on
// a: only when no other decision was recorded since (ECONFLICT, naming the
// decision that was). The application must be screenable too (CanScreen).
func (a *Application) CanRescreen(seen int) error {
	if err := a.CanScreen(); err != nil {
		return err
	}
	if a.ScreeningVersion == seen {
		return nil
	}
	args := Args{"version": a.ScreeningVersion}
	if a.Screening != nil {
		args["decision"] = a.Screening.Decision
		args["by"] = a.Screening.ByName
	}
	return NewError(ECONFLICT, "application.screening_changed", args)
}

// NextScreening is the decision that follows a's current ones.
func (a *Application) NextScreening(in ScreeningInput, by Actor, byName string, at time.Time) Screening {
	return Screening{
		Decision: in.Decision, Reason: in.Reason, Note: in.Note, By: by.UserID, ByName: byName, At: at,
		Version: a.ScreeningVersion + 1,
	}
}

// CanSeeScreeningHistory reports whether actor may read who decided what on
// an application over time: organizers only.
func CanSeeScreeningHistory(actor Actor) bool { return actor.Is(RoleOrganizer) }

// BulkScreeningItem is one application of a bulk decision, with the
// version the organizer saw in the list.
type BulkScreeningItem struct {
	ID      string `json:"id"`
	Version *int   `json:"version"`
}

// BulkScreeningResult is what one application of a bulk decision came to:
// its new row, or why it was refused.
type BulkScreeningResult struct {
	ID    string          `json:"id"`
	Row   *ApplicationRow `json:"row,omitempty"`
	Error *Message        `json:"error,omitempty"`
	Code  string          `json:"code,omitempty"`
}

// BulkScreeningResponse reports a bulk decision item by item: each stands
// or fails on its own (one changed meanwhile does not undo the others).
type BulkScreeningResponse struct {
	Done    int                   `json:"done"`
	Failed  int                   `json:"failed"`
	Results []BulkScreeningResult `json:"results"`
}
