package roadshow

import (
	"context"
	"fmt"
	"io"
	"time"
)

// List and upload limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	MaxDeckSize     = 20 << 20
)

// Releaser takes an application that leaves the roadshow out of its
// scheduled session; SessionService is one.
type Releaser interface {
	Release(ctx context.Context, a *Application) error
}

// ApplicationService is the one home of applications: writing them (the
// applicant), screening them (organizers) and reading them (everyone, as
// much as CanReadApplication allows), pitch decks included.
type ApplicationService struct {
	Store     ApplicationStore
	Decks     DeckStore
	Sessions  SessionStore  // read: the session of an application decides who reads it
	Conflicts ConflictStore // read: a judge with a conflict reads the public part
	Editions  *EditionService
	Clock     Clock
	// Releaser, when set, is told when a planned application leaves the
	// roadshow (withdrawn, or screened ineligible), so that a scheduled
	// session drops it.
	Releaser Releaser
	// Users, when set, lets organizers see who applied (name and e-mail).
	Users UserStore
	// Notify tells applicants by e-mail (may be nil).
	Notify *Notifier
}

// notFound gives a store's bare ENOTFOUND the application's message.
func notFound(err error) error { return Rekey(err, ENOTFOUND, "application.not_found", nil) }

// load reads an application by id.
func (s *ApplicationService) load(ctx context.Context, id string) (*Application, error) {
	a, err := s.Store.ApplicationByID(ctx, id)
	return a, notFound(err)
}

// write applies ch to application id under cond, the state the rule that
// allowed it read. A write that loses a race with another change is judged
// by rule against the state that won.
func (s *ApplicationService) write(ctx context.Context, id string, cond ApplicationCond, ch ApplicationChange, rule func(*Application) error) (*Application, error) {
	a, err := s.Store.UpdateApplication(ctx, id, cond, ch)
	if ErrorCode(err) == ECONFLICT {
		if cur, lerr := s.load(ctx, id); lerr != nil {
			return nil, lerr
		} else if rerr := rule(cur); rerr != nil {
			return nil, rerr
		}
		return nil, NewError(ECONFLICT, "application.changed", nil)
	}
	return a, notFound(err)
}

// writeView is write, answering the result as the caller sees it.
func (s *ApplicationService) writeView(ctx context.Context, actor Actor, id string, cond ApplicationCond, ch ApplicationChange, rule func(*Application) error) (*ApplicationView, error) {
	a, err := s.write(ctx, id, cond, ch, rule)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, actor, a)
}

// view returns a as its reader sees it, with what they may do.
func (s *ApplicationService) view(ctx context.Context, actor Actor, a *Application) (*ApplicationView, error) {
	deadline, err := s.deadline(ctx, actor, a)
	if err != nil {
		return nil, err
	}
	v := a.View(actor, deadline, s.Clock.Now())
	if CanSeeApplicant(actor) && s.Users != nil {
		if u, err := s.Users.UserByID(ctx, a.OwnerID); err == nil {
			v.Owner = &ApplicationOwner{Name: u.Name, Email: u.Email, EmailConfirmed: u.EmailConfirmed}
		} else if ErrorCode(err) != ENOTFOUND {
			return nil, err
		}
	}
	return v, nil
}

// deadline reads the deadline in force when it matters to the reader: for
// the owner of a draft, who may edit and submit it, or of a submitted
// application, which they may reopen.
func (s *ApplicationService) deadline(ctx context.Context, actor Actor, a *Application) (deadline time.Time, err error) {
	if s.Editions == nil || (a.Status != StatusDraft && a.Status != StatusSubmitted) || CanChangeApplication(actor, a) != nil {
		return deadline, nil
	}
	return s.Editions.Deadline(ctx)
}

// release tells the sessions that a leaves the roadshow.
func (s *ApplicationService) release(ctx context.Context, a *Application) error {
	if s.Releaser == nil || a.SessionID == "" {
		return nil
	}
	if err := s.Releaser.Release(ctx, a); err != nil {
		return fmt.Errorf("release application %s from its session: %w", a.ID, err)
	}
	return nil
}

// owned reads an application its owner is about to change. Returns
// EFORBIDDEN for other roles, ENOTFOUND for someone else's application.
func (s *ApplicationService) owned(ctx context.Context, actor Actor, id string) (*Application, error) {
	if err := CanChangeApplication(actor, nil); err != nil {
		return nil, err
	}
	a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := CanChangeApplication(actor, a); err != nil {
		return nil, err
	}
	return a, nil
}

// writable refuses applicants' writes once the deadline has passed
// (ECONFLICT; see CanWriteApplications).
func (s *ApplicationService) writable(ctx context.Context) error {
	if s.Editions == nil {
		return nil
	}
	deadline, err := s.Editions.Deadline(ctx)
	if err != nil {
		return err
	}
	return CanWriteApplications(deadline, s.Clock.Now())
}

// Create stores a new draft owned by the applicant. Returns EFORBIDDEN
// unless the actor is an applicant, ECONFLICT once the deadline has passed,
// EUNPROCESSABLE for bad fields.
func (s *ApplicationService) Create(ctx context.Context, actor Actor, in ApplicationInput) (*ApplicationView, error) {
	if err := CanCreateApplication(actor); err != nil {
		return nil, err
	}
	if err := s.writable(ctx); err != nil {
		return nil, err
	}
	in.Normalize()
	var v Validator
	v.Merge("", in.Validate())
	v.Check(in.Title != nil && Visible(*in.Title), "title", "application.title_required", nil)
	v.Check(in.Industry != nil && *in.Industry != "", "industry", "application.industry_choose", nil)
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	a := &Application{OwnerID: actor.UserID, Status: StatusDraft, Team: []TeamMember{}, CreatedAt: now, UpdatedAt: now}
	in.Apply(a)
	if err := s.Store.CreateApplication(ctx, a); err != nil {
		return nil, fmt.Errorf("create application: %w", err)
	}
	return s.view(ctx, actor, a)
}

// ApplicationRead is what a reader may see of an application: all of it,
// with what they may do with it, or only its public part.
type ApplicationRead struct {
	Full   *ApplicationView
	Public *PublicApplication
}

// Get returns an application as much as actor may read it (see
// CanReadApplication). Returns ENOTFOUND when it does not exist for them.
func (s *ApplicationService) Get(ctx context.Context, actor Actor, id string) (ApplicationRead, error) {
	a, se, access, err := s.read(ctx, actor, id)
	if err != nil {
		return ApplicationRead{}, err
	}
	if access == AccessPublic {
		pub := a.Public()
		if actor.Is(RoleInvestor) {
			pub.Can = &PublicActions{RequestMeeting: CanRequestMeeting(actor, se, a.ID) == nil}
		}
		return ApplicationRead{Public: &pub}, nil
	}
	v, err := s.view(ctx, actor, a)
	return ApplicationRead{Full: v}, err
}

// read loads an application and how much of it actor may read, with its
// session when the reader is a judge or an investor (nil otherwise);
// ENOTFOUND when nothing.
func (s *ApplicationService) read(ctx context.Context, actor Actor, id string) (*Application, *Session, Access, error) {
	a, err := s.load(ctx, id)
	if err != nil {
		return nil, nil, AccessNone, err
	}
	var se *Session
	conflict := false
	// The session and the conflict matter only to judges and investors;
	// owners and organizers are answered without reading them.
	if CanReadApplication(actor, a, nil, false) == AccessNone && a.SessionID != "" && actor.Is(RoleJudge, RoleInvestor) {
		se, err = s.Sessions.SessionByID(ctx, a.SessionID)
		if ErrorCode(err) == ENOTFOUND {
			se = nil
		} else if err != nil {
			return nil, nil, AccessNone, err
		}
		if se != nil && actor.Is(RoleJudge) {
			cs, err := s.Conflicts.ConflictsByID(ctx, []string{ConflictID(actor.UserID, a.ID)})
			if err != nil {
				return nil, nil, AccessNone, err
			}
			conflict = len(cs) > 0
		}
	}
	access := CanReadApplication(actor, a, se, conflict)
	if access == AccessNone {
		return nil, nil, AccessNone, NewError(ENOTFOUND, "application.not_found", nil)
	}
	return a, se, access, nil
}

// OpenDeck streams an application's pitch deck. The deck is not public: it
// goes to whoever may read the whole application. Returns ENOTFOUND
// otherwise or when no deck was uploaded.
func (s *ApplicationService) OpenDeck(ctx context.Context, actor Actor, id string) (io.ReadCloser, *DeckInfo, error) {
	a, _, access, err := s.read(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if access != AccessFull {
		return nil, nil, NewError(ENOTFOUND, "application.not_found", nil)
	}
	if a.Deck == nil {
		return nil, nil, NewError(ENOTFOUND, "application.deck_missing", nil)
	}
	rc, err := s.Decks.OpenDeck(ctx, id, *a.Deck)
	if err != nil {
		return nil, nil, Rekey(err, ENOTFOUND, "application.deck_missing", nil)
	}
	return rc, a.Deck, nil
}

// Update edits a draft; any subset of the fields (the form autosaves as the
// applicant types), completeness is Submit's. Returns EFORBIDDEN for roles
// other than applicant, ENOTFOUND for someone else's application, ECONFLICT
// when it is no longer a draft or the deadline has passed, EUNPROCESSABLE
// for bad fields.
func (s *ApplicationService) Update(ctx context.Context, actor Actor, id string, in ApplicationInput) (*ApplicationView, error) {
	if err := CanChangeApplication(actor, nil); err != nil {
		return nil, err
	}
	in.Normalize()
	var v Validator
	v.Merge("", in.Validate())
	v.Check(in.Title == nil || Visible(*in.Title), "title", "application.title_required", nil)
	v.Check(in.Industry == nil || *in.Industry != "", "industry", "application.industry_choose", nil)
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return nil, err
	}
	a, err := s.owned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := CanEditApplication(actor, a); err != nil {
		return nil, err
	}
	if err := s.writable(ctx); err != nil {
		return nil, err
	}
	return s.writeView(ctx, actor, id, ApplicationCond{OwnerID: actor.UserID, Statuses: editableStatuses()},
		ApplicationChange{Input: &in, UpdatedAt: s.Clock.Now()}, (*Application).CanEdit)
}

// Submit moves a complete draft to submitted before the deadline. Returns
// EUNPROCESSABLE naming every missing field, ECONFLICT when it is not a draft
// or the deadline has passed.
func (s *ApplicationService) Submit(ctx context.Context, actor Actor, id string) (*ApplicationView, error) {
	a, err := s.owned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	deadline, err := s.deadline(ctx, actor, a)
	if err != nil {
		return nil, err
	}
	if err := a.CanSubmit(deadline, now); err != nil {
		return nil, err
	}
	if err := a.MissingForSubmit(); err != nil {
		return nil, err
	}
	a, err = s.write(ctx, id, ApplicationCond{OwnerID: actor.UserID, Statuses: editableStatuses()},
		ApplicationChange{Status: StatusSubmitted, SubmittedAt: &now, UpdatedAt: now},
		func(cur *Application) error { return cur.CanSubmit(deadline, now) })
	if err != nil {
		return nil, err
	}
	s.Notify.ApplicationReceived(ctx, a)
	return s.view(ctx, actor, a)
}

// Withdraw takes an application out of the roadshow. Returns ECONFLICT when
// it is already withdrawn.
func (s *ApplicationService) Withdraw(ctx context.Context, actor Actor, id string) (*ApplicationView, error) {
	a, err := s.owned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := a.CanWithdraw(); err != nil {
		return nil, err
	}
	a, err = s.write(ctx, id, ApplicationCond{OwnerID: actor.UserID, Statuses: withdrawableStatuses()},
		ApplicationChange{Status: StatusWithdrawn, UpdatedAt: s.Clock.Now()}, (*Application).CanWithdraw)
	if err != nil {
		return nil, err
	}
	if err := s.release(ctx, a); err != nil {
		return nil, err
	}
	return s.view(ctx, actor, a)
}

// List returns a page of applications: organizers see all, applicants their
// own. Returns EFORBIDDEN for other roles, EINVALID for unknown filter
// values.
func (s *ApplicationService) List(ctx context.Context, actor Actor, f ApplicationFilter) (ApplicationPage, error) {
	if err := CanListApplications(actor); err != nil {
		return ApplicationPage{}, err
	}
	if actor.Is(RoleApplicant) {
		f.OwnerID = actor.UserID
	}
	var v Validator
	v.Check(f.Industry == "" || IsIndustry(f.Industry), "industry", "request.industry_unknown", nil)
	v.Check(f.Status == "" || f.Status.Valid(), "status", "request.status_unknown", nil)
	v.Check(f.Limit >= 0 && f.Limit <= MaxPageSize, "limit", "request.limit_range", Args{"min": 1, "max": MaxPageSize})
	v.Check(f.Cursor == "" || ValidID(f.Cursor), "cursor", "request.cursor_invalid", nil)
	if err := v.Err(EINVALID, "request.filter_invalid"); err != nil {
		return ApplicationPage{}, err
	}
	if f.Limit == 0 {
		f.Limit = DefaultPageSize
	}
	return s.Store.ListApplications(ctx, f)
}

// Export calls fn with every application and who applied (nil when the
// account is gone), page by page, for the organizers' exports. Returns
// EFORBIDDEN for other roles, and fn's first error.
func (s *ApplicationService) Export(ctx context.Context, actor Actor, fn func(*Application, *ApplicationOwner) error) error {
	if err := CanExport(actor); err != nil {
		return err
	}
	owners := map[string]*ApplicationOwner{}
	owner := func(id string) (*ApplicationOwner, error) {
		if o, ok := owners[id]; ok || s.Users == nil {
			return o, nil
		}
		u, err := s.Users.UserByID(ctx, id)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return nil, err
		}
		var o *ApplicationOwner
		if u != nil {
			o = &ApplicationOwner{Name: u.Name, Email: u.Email, EmailConfirmed: u.EmailConfirmed}
		}
		owners[id] = o
		return o, nil
	}
	f := ApplicationFilter{Limit: MaxPageSize}
	for {
		page, err := s.Store.ListApplications(ctx, f)
		if err != nil {
			return err
		}
		for _, a := range page.Items {
			o, err := owner(a.OwnerID)
			if err != nil {
				return err
			}
			if err := fn(a, o); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
}

// Summary returns the 1+8 grid of counts (organizers only).
func (s *ApplicationService) Summary(ctx context.Context, actor Actor) (Summary, error) {
	if err := CanSeeSummary(actor); err != nil {
		return Summary{}, err
	}
	counts, err := s.Store.CountApplications(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("count applications: %w", err)
	}
	return BuildSummary(counts), nil
}

// PutDeck stores a new pitch deck for a draft. r must already be limited and
// checked (see NewPDFReader). Returns ENOTFOUND for someone else's
// application, ECONFLICT when it is no longer a draft or the deadline has
// passed.
func (s *ApplicationService) PutDeck(ctx context.Context, actor Actor, id string, r io.Reader) (*ApplicationView, error) {
	a, err := s.owned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := a.CanChangeDeck(); err != nil {
		return nil, err
	}
	if err := s.writable(ctx); err != nil {
		return nil, err
	}
	info, err := s.Decks.WriteDeck(ctx, id, r)
	if err != nil {
		return nil, Rekey(err, EUNPROCESSABLE, "application.deck_empty", nil)
	}
	info.UploadedAt = s.Clock.Now()
	updated, err := s.write(ctx, id, ApplicationCond{OwnerID: actor.UserID, Statuses: editableStatuses()},
		ApplicationChange{Deck: &info, UpdatedAt: info.UploadedAt}, (*Application).CanChangeDeck)
	if err != nil {
		// The new chunks are unreferenced: remove them, keep the old deck.
		_ = s.Decks.DeleteDeck(context.WithoutCancel(ctx), id, info)
		return nil, err
	}
	if a.Deck != nil {
		_ = s.Decks.DeleteDeck(context.WithoutCancel(ctx), id, *a.Deck)
	}
	return s.view(ctx, actor, updated)
}

// Reopen takes the owner's submitted application back to draft so that they
// can edit it again, and records that in its history. Returns EFORBIDDEN for
// other roles, ENOTFOUND for someone else's application, ECONFLICT once it
// is screened, when it is not submitted, or after the deadline.
func (s *ApplicationService) Reopen(ctx context.Context, actor Actor, id string) (*ApplicationView, error) {
	a, err := s.owned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	// The deadline counts for any status here: the rule reads it.
	var deadline time.Time
	if s.Editions != nil {
		if deadline, err = s.Editions.Deadline(ctx); err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now()
	if err := CanReopenApplication(actor, a, deadline, now); err != nil {
		return nil, err
	}
	ev := &ApplicationEvent{Kind: EventReopened, By: actor.UserID, At: now, SubmittedAt: a.SubmittedAt}
	return s.writeView(ctx, actor, id, ApplicationCond{OwnerID: actor.UserID, Statuses: reopenableStatuses()},
		ApplicationChange{Status: StatusDraft, ClearSubmittedAt: true, Event: ev, UpdatedAt: now},
		func(cur *Application) error { return cur.CanReopen(deadline, now) })
}
