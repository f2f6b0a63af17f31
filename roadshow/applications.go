package roadshow

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxPageSize caps list pages.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	MaxDeckSize     = 20 << 20
)

// ApplicationFilter selects a page of applications. OwnerID restricts the
// page to one applicant's applications.
type ApplicationFilter struct {
	OwnerID  string
	Industry string
	Status   Status
	Limit    int
	Cursor   string // the id of the last item of the previous page
}

// ApplicationPage is one page of a keyset-paginated listing, newest first.
type ApplicationPage struct {
	Items      []*Application `json:"items"`
	NextCursor string         `json:"nextCursor"`
}

// Summary counts applications per industry and status. Every industry and
// every status is present, zero or not.
type Summary struct {
	Industries []IndustryCount `json:"industries"`
	Totals     map[Status]int  `json:"totals"`
	Total      int             `json:"total"`
}

// IndustryCount is one cell row of the 1+8 grid.
type IndustryCount struct {
	Industry
	Counts map[Status]int `json:"counts"`
	Total  int            `json:"total"`
}

// ApplicationCond is the condition under which a stored application changes:
// an update that does not match it changes nothing.
type ApplicationCond struct {
	OwnerID  string   // when set, only the owner's application matches
	Statuses []Status // when set, the current status must be one of these
}

// ApplicationChange is what an update writes. Nil fields stay unchanged.
type ApplicationChange struct {
	Input       *ApplicationInput
	Status      Status
	Screening   *Screening
	Deck        *DeckInfo
	SubmittedAt *time.Time
	UpdatedAt   time.Time
}

// ApplicationStore persists applications and keeps the per-industry and
// per-status counters in step with them.
type ApplicationStore interface {
	// CreateApplication stores a and sets its ID.
	CreateApplication(ctx context.Context, a *Application) error
	// ApplicationByID returns ENOTFOUND if there is no such application.
	ApplicationByID(ctx context.Context, id string) (*Application, error)
	// UpdateApplication applies ch atomically when cond holds and returns the
	// result. Returns ENOTFOUND if the application does not exist or belongs
	// to someone else, ECONFLICT if its status is not one of cond.Statuses.
	UpdateApplication(ctx context.Context, id string, cond ApplicationCond, ch ApplicationChange) (*Application, error)
	// ListApplications returns a page, newest first.
	ListApplications(ctx context.Context, f ApplicationFilter) (ApplicationPage, error)
	// CountApplications returns the counters: industry -> status -> count.
	CountApplications(ctx context.Context) (map[string]map[Status]int, error)
}

// DeckStore keeps pitch decks, in chunks, never whole in memory.
type DeckStore interface {
	// WriteDeck stores the bytes read from r under a new version for the
	// application and returns their description. The caller records it on
	// the application and then deletes the previous version.
	WriteDeck(ctx context.Context, applicationID string, r io.Reader) (DeckInfo, error)
	// OpenDeck streams a stored version. Returns ENOTFOUND if it is missing.
	OpenDeck(ctx context.Context, applicationID string, d DeckInfo) (io.ReadCloser, error)
	// DeleteDeck removes a stored version; missing chunks are not an error.
	DeleteDeck(ctx context.Context, applicationID string, d DeckInfo) error
}

// Applications holds the rules for applications: who may do what, when.
type Applications struct {
	Store    ApplicationStore
	Decks    DeckStore
	Clock    Clock
	Deadline time.Time // the configured deadline; zero: none
	// Editions, when set, supplies the edition's deadline, which wins over
	// Deadline.
	Editions interface {
		Edition(ctx context.Context) (Edition, error)
	}
	// Sessions, when set, is told when a planned application leaves the
	// roadshow (withdrawn, or screened ineligible), so that a scheduled
	// session drops it.
	Sessions interface {
		Release(ctx context.Context, a *Application) error
	}
}

// release tells the sessions that a leaves the roadshow.
func (s *Applications) release(ctx context.Context, a *Application) error {
	if s.Sessions == nil || a.SessionID == "" {
		return nil
	}
	if err := s.Sessions.Release(ctx, a); err != nil {
		return fmt.Errorf("release application %s from its session: %w", a.ID, err)
	}
	return nil
}

// deadline returns the deadline in force.
func (s *Applications) deadline(ctx context.Context) (time.Time, error) {
	if s.Editions == nil {
		return s.Deadline, nil
	}
	e, err := s.Editions.Edition(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("read edition: %w", err)
	}
	if e.Deadline != nil {
		return *e.Deadline, nil
	}
	return s.Deadline, nil
}

// Create stores a new draft owned by the applicant.
// Returns EFORBIDDEN unless the actor is an applicant, EUNPROCESSABLE for bad fields.
func (s *Applications) Create(ctx context.Context, actor Actor, in ApplicationInput) (*Application, error) {
	if !actor.Is(RoleApplicant) {
		return nil, Errorf(EFORBIDDEN, "Only applicants can create applications.")
	}
	in.Normalize()
	var v Validator
	if err := in.Validate(); err != nil {
		for f, m := range ErrorFields(err) {
			v.Add(f, m)
		}
	}
	v.Check(in.Title != nil && *in.Title != "", "title", "Give the project a title.")
	v.Check(in.Industry != nil && *in.Industry != "", "industry", "Choose one of the nine 1+8 industries.")
	if err := v.Err(EUNPROCESSABLE, "Some fields need attention."); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	a := &Application{OwnerID: actor.UserID, Status: StatusDraft, Team: []TeamMember{}, CreatedAt: now, UpdatedAt: now}
	in.Apply(a)
	if err := s.Store.CreateApplication(ctx, a); err != nil {
		return nil, fmt.Errorf("create application: %w", err)
	}
	return a, nil
}

// Get returns an application. Owners and organizers may read it; for anyone
// else it does not exist (ENOTFOUND).
func (s *Applications) Get(ctx context.Context, actor Actor, id string) (*Application, error) {
	a, err := s.Store.ApplicationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanReadApplication(actor, a) {
		return nil, Errorf(ENOTFOUND, "Application not found.")
	}
	return a, nil
}

// CanReadApplication is the read rule for a whole application.
func CanReadApplication(actor Actor, a *Application) bool {
	return actor.Is(RoleOrganizer) || (actor.Is(RoleApplicant) && a.OwnerID == actor.UserID)
}

// Update edits a draft. Returns ENOTFOUND for someone else's application,
// ECONFLICT when it is no longer a draft, EUNPROCESSABLE for bad fields.
func (s *Applications) Update(ctx context.Context, actor Actor, id string, in ApplicationInput) (*Application, error) {
	if !actor.Is(RoleApplicant) {
		return nil, Errorf(ENOTFOUND, "Application not found.")
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var v Validator
	v.Check(in.Title == nil || *in.Title != "", "title", "Give the project a title.")
	v.Check(in.Industry == nil || *in.Industry != "", "industry", "Choose one of the nine 1+8 industries.")
	if err := v.Err(EUNPROCESSABLE, "Some fields need attention."); err != nil {
		return nil, err
	}
	a, err := s.Store.UpdateApplication(ctx, id,
		ApplicationCond{OwnerID: actor.UserID, Statuses: []Status{StatusDraft}},
		ApplicationChange{Input: &in, UpdatedAt: s.Clock.Now()})
	if ErrorCode(err) == ECONFLICT {
		return nil, Errorf(ECONFLICT, "Only drafts can be edited; this application has been submitted or withdrawn.")
	}
	return a, err
}

// Submit moves a complete draft to submitted before the deadline. Returns
// EUNPROCESSABLE naming every missing field, ECONFLICT when it is not a draft
// or the deadline has passed.
func (s *Applications) Submit(ctx context.Context, actor Actor, id string) (*Application, error) {
	a, err := s.owned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	deadline, err := s.deadline(ctx)
	if err != nil {
		return nil, err
	}
	if !deadline.IsZero() && !now.Before(deadline) {
		return nil, Errorf(ECONFLICT, "The application deadline (%s) has passed.", deadline.UTC().Format(time.RFC3339))
	}
	if a.Status != StatusDraft {
		return nil, Errorf(ECONFLICT, "This application has already been %s.", a.Status)
	}
	if err := a.MissingForSubmit(); err != nil {
		return nil, err
	}
	a, err = s.Store.UpdateApplication(ctx, id,
		ApplicationCond{OwnerID: actor.UserID, Statuses: []Status{StatusDraft}},
		ApplicationChange{Status: StatusSubmitted, SubmittedAt: &now, UpdatedAt: now})
	if ErrorCode(err) == ECONFLICT {
		return nil, Errorf(ECONFLICT, "This application has already been submitted or withdrawn.")
	}
	return a, err
}

// Withdraw takes an application out of the roadshow. Returns ECONFLICT when
// it is already withdrawn.
func (s *Applications) Withdraw(ctx context.Context, actor Actor, id string) (*Application, error) {
	if _, err := s.owned(ctx, actor, id); err != nil {
		return nil, err
	}
	a, err := s.Store.UpdateApplication(ctx, id,
		ApplicationCond{OwnerID: actor.UserID, Statuses: []Status{StatusDraft, StatusSubmitted, StatusEligible, StatusIneligible}},
		ApplicationChange{Status: StatusWithdrawn, UpdatedAt: s.Clock.Now()})
	if ErrorCode(err) == ECONFLICT {
		return nil, Errorf(ECONFLICT, "This application is already withdrawn.")
	} else if err != nil {
		return nil, err
	}
	if err := s.release(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// ScreeningInput is an organizer's decision.
type ScreeningInput struct {
	Decision Status
	Note     string
}

// Screen records an organizer's eligibility decision on a submitted (or
// already screened) application. Returns ECONFLICT for drafts and withdrawn
// applications.
func (s *Applications) Screen(ctx context.Context, actor Actor, id string, in ScreeningInput) (*Application, error) {
	if !actor.Is(RoleOrganizer) {
		return nil, Errorf(EFORBIDDEN, "Only organizers can screen applications.")
	}
	var v Validator
	v.Check(in.Decision == StatusEligible || in.Decision == StatusIneligible, "decision", "Choose eligible or ineligible.")
	in.Note = strings.TrimSpace(in.Note)
	v.Check(len([]rune(in.Note)) <= MaxScreeningNote, "note", "Use at most 2000 characters.")
	if err := v.Err(EUNPROCESSABLE, "Some fields need attention."); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	a, err := s.Store.UpdateApplication(ctx, id,
		ApplicationCond{Statuses: []Status{StatusSubmitted, StatusEligible, StatusIneligible}},
		ApplicationChange{Status: in.Decision, Screening: &Screening{Decision: in.Decision, Note: in.Note, By: actor.UserID, At: now}, UpdatedAt: now})
	if ErrorCode(err) == ECONFLICT {
		return nil, Errorf(ECONFLICT, "Only submitted applications can be screened.")
	} else if err != nil {
		return nil, err
	}
	if a.Status == StatusIneligible {
		if err := s.release(ctx, a); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// List returns a page of applications: organizers see all, applicants their
// own. Returns EUNPROCESSABLE for unknown filter values.
func (s *Applications) List(ctx context.Context, actor Actor, f ApplicationFilter) (ApplicationPage, error) {
	switch {
	case actor.Is(RoleOrganizer):
	case actor.Is(RoleApplicant):
		f.OwnerID = actor.UserID
	default:
		return ApplicationPage{}, Errorf(EFORBIDDEN, "Only organizers and applicants list applications.")
	}
	var v Validator
	v.Check(f.Industry == "" || IsIndustry(f.Industry), "industry", "Unknown industry code.")
	v.Check(f.Status == "" || f.Status.Valid(), "status", "Unknown status.")
	v.Check(f.Limit >= 0 && f.Limit <= MaxPageSize, "limit", "Use a limit between 1 and 200.")
	v.Check(f.Cursor == "" || ValidID(f.Cursor), "cursor", "Invalid cursor.")
	if err := v.Err(EINVALID, "Invalid filter."); err != nil {
		return ApplicationPage{}, err
	}
	if f.Limit == 0 {
		f.Limit = DefaultPageSize
	}
	return s.Store.ListApplications(ctx, f)
}

// Summary returns the 1+8 grid of counts (organizers only).
func (s *Applications) Summary(ctx context.Context, actor Actor) (Summary, error) {
	if !actor.Is(RoleOrganizer) {
		return Summary{}, Errorf(EFORBIDDEN, "Only organizers can see the summary.")
	}
	counts, err := s.Store.CountApplications(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("count applications: %w", err)
	}
	return BuildSummary(counts), nil
}

// BuildSummary turns raw counters into the full grid, zeros included.
// Negative counters (which a crash between two writes could leave) show as 0.
func BuildSummary(counts map[string]map[Status]int) Summary {
	sum := Summary{Totals: map[Status]int{}}
	for _, st := range Statuses() {
		sum.Totals[st] = 0
	}
	for _, ind := range Industries() {
		row := IndustryCount{Industry: ind, Counts: map[Status]int{}}
		for _, st := range Statuses() {
			n := max(counts[ind.Code][st], 0)
			row.Counts[st] = n
			row.Total += n
			sum.Totals[st] += n
		}
		sum.Total += row.Total
		sum.Industries = append(sum.Industries, row)
	}
	return sum
}

// PutDeck stores a new pitch deck for a draft. r must already be limited and
// checked (see NewPDFReader). Returns ENOTFOUND for someone else's
// application, ECONFLICT when it is no longer a draft.
func (s *Applications) PutDeck(ctx context.Context, actor Actor, id string, r io.Reader) (*Application, error) {
	a, err := s.owned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if a.Status != StatusDraft {
		return nil, Errorf(ECONFLICT, "The deck can only be changed while the application is a draft.")
	}
	info, err := s.Decks.WriteDeck(ctx, id, r)
	if err != nil {
		return nil, err
	}
	info.UploadedAt = s.Clock.Now()
	updated, err := s.Store.UpdateApplication(ctx, id,
		ApplicationCond{OwnerID: actor.UserID, Statuses: []Status{StatusDraft}},
		ApplicationChange{Deck: &info, UpdatedAt: info.UploadedAt})
	if err != nil {
		// The new chunks are unreferenced: remove them, keep the old deck.
		_ = s.Decks.DeleteDeck(context.WithoutCancel(ctx), id, info)
		if ErrorCode(err) == ECONFLICT {
			return nil, Errorf(ECONFLICT, "The deck can only be changed while the application is a draft.")
		}
		return nil, err
	}
	if a.Deck != nil {
		_ = s.Decks.DeleteDeck(context.WithoutCancel(ctx), id, *a.Deck)
	}
	return updated, nil
}

func (s *Applications) owned(ctx context.Context, actor Actor, id string) (*Application, error) {
	if !actor.Is(RoleApplicant) {
		return nil, Errorf(ENOTFOUND, "Application not found.")
	}
	a, err := s.Store.ApplicationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.OwnerID != actor.UserID {
		return nil, Errorf(ENOTFOUND, "Application not found.")
	}
	return a, nil
}

// ValidID reports whether s has the shape of a stored id (24 hex digits).
func ValidID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
